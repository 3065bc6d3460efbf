package dev.loopguard.core.knowledge;

import java.util.ArrayList;
import java.util.List;
import dev.loopguard.core.glob.Nfa;

/**
 * A compiled dotted-name glob: {@code *} within a segment, {@code **} across segments,
 * {@code {a,b}} alternatives (nestable). Exact names (no metacharacters) compile to a string
 * comparison. A wildcard in the last segment never matches a member that the language calls
 * implicitly (from statements and operators, see
 * {@link #matches(String, java.util.function.Predicate)}); a pattern matches such a member only
 * when its last segment spells it: literally, or with a wildcard between literal text at both
 * ends ({@code __*div__}). Matching takes linear time
 * ({@link Nfa}) whatever the pattern.
 */
public final class NamePattern {
  private final String source;
  private final String exact;
  private final Nfa regex;
  private final int literalLength;
  private final String firstSegment;
  private final String literalPrefix;
  /** The last segments every match ends with, when they are literal (a cheap pre-check), or null. */
  private final java.util.Set<String> lastSegments;

  /**
   * Whether the last segment, though it has a wildcard, begins and ends with literal text (as in
   * {@code __*div__}): such a segment spells the members it matches, implicit ones included.
   */
  private final boolean lastSpelled;

  private NamePattern(String source, String exact, Nfa regex, int literalLength, String firstSegment) {
    this.source = source;
    this.exact = exact;
    this.regex = regex;
    this.literalLength = literalLength;
    this.firstSegment = firstSegment;
    this.literalPrefix = exact != null ? null : literalPrefixOf(source);
    this.lastSegments = exact != null ? null : lastSegmentsOf(source);
    String last = source.substring(source.lastIndexOf('.') + 1);
    this.lastSpelled = last.indexOf('{') < 0 && !last.startsWith("*") && !last.endsWith("*");
  }

  /**
   * The possible last segments of a match when none has a wildcard ({@code close} and
   * {@code stop} for {@code **.{close,stop}}): a name whose last segment is not one of them
   * cannot match, whatever the regex says, because wildcards never match a dot across the last
   * one. Null when some last segment has a wildcard.
   */
  private static java.util.Set<String> lastSegmentsOf(String glob) {
    java.util.Set<String> out = new java.util.HashSet<>();
    for (String e : expandBraces(glob, 256)) {
      if (e.indexOf('{') >= 0 || e.indexOf('}') >= 0 || e.indexOf(',') >= 0) {
        return null;
      }
      int dot = e.lastIndexOf('.');
      String last = e.substring(dot + 1);
      // A dot of "**." may match no dot at all ("*b**.a" matches "aba"): no literal last segment.
      if (last.isEmpty() || last.indexOf('*') >= 0 || (dot >= 2 && e.startsWith("**", dot - 2))) {
        return null;
      }
      out.add(last);
    }
    return out.isEmpty() ? null : java.util.Set.copyOf(out);
  }

  /** The leading whole segments without wildcards ({@code os.path} for {@code os.path.is*}), or null. */
  private static String literalPrefixOf(String glob) {
    int meta = glob.length();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' || c == '{') {
        meta = i;
        break;
      }
    }
    int dot = glob.lastIndexOf('.', meta);
    return dot <= 0 ? null : glob.substring(0, dot);
  }

  public static NamePattern compile(String glob) {
    if (glob == null || glob.isBlank()) {
      throw new IllegalArgumentException("empty pattern");
    }
    boolean meta = glob.indexOf('*') >= 0 || glob.indexOf('{') >= 0;
    if (!meta) {
      if (glob.indexOf('}') >= 0 || glob.indexOf(',') >= 0) {
        throw new IllegalArgumentException("unbalanced braces");
      }
      return new NamePattern(glob, glob, null, glob.length(), firstSegmentOf(glob));
    }
    Nfa.Builder b = new Nfa.Builder();
    int[] literal = {0};
    int[] at = {0};
    Nfa.Frag body = translate(glob, at, b, literal, false);
    if (at[0] != glob.length()) {
      throw new IllegalArgumentException("unbalanced braces");
    }
    String first = null;
    int dot = glob.indexOf('.');
    String head = dot < 0 ? glob : glob.substring(0, dot);
    if (head.indexOf('*') < 0 && head.indexOf('{') < 0) {
      first = head;
    }
    return new NamePattern(glob, null, b.build(body), literal[0], first);
  }

  /** Translates from {@code at[0]} to the end or (in braces) to a {@code ,} or {@code }}. */
  private static Nfa.Frag translate(String g, int[] at, Nfa.Builder b, int[] literal, boolean inBraces) {
    Nfa.Frag f = b.empty();
    int i = at[0];
    while (i < g.length()) {
      char c = g.charAt(i);
      if (c == '*') {
        if (i + 1 < g.length() && g.charAt(i + 1) == '*') {
          // "**." matches zero or more segments; a trailing "**" matches the rest.
          if (i + 2 < g.length() && g.charAt(i + 2) == '.') {
            Nfa.Frag segment = b.seq(b.chars(x -> x != '.'), b.seq(b.star(b.chars(x -> x != '.')), b.literal('.')));
            f = b.seq(f, b.star(segment));
            i += 3;
          } else {
            f = b.seq(f, b.star(b.chars(x -> true)));
            i += 2;
          }
        } else {
          f = b.seq(f, b.star(b.chars(x -> x != '.')));
          i++;
        }
      } else if (c == '{') {
        at[0] = i + 1;
        Nfa.Frag alternatives = null;
        while (true) {
          Nfa.Frag one = translate(g, at, b, literal, true);
          alternatives = alternatives == null ? one : b.alt(alternatives, one);
          if (at[0] >= g.length()) {
            throw new IllegalArgumentException("unbalanced braces");
          }
          char d = g.charAt(at[0]);
          at[0]++;
          if (d == '}') {
            break;
          }
        }
        f = b.seq(f, alternatives);
        i = at[0];
      } else if (c == '}' || c == ',') {
        if (!inBraces) {
          throw new IllegalArgumentException("unbalanced braces");
        }
        at[0] = i;
        return f;
      } else {
        f = b.seq(f, b.literal(c));
        literal[0]++;
        i++;
      }
    }
    at[0] = i;
    return f;
  }

  private static String firstSegmentOf(String name) {
    int dot = name.indexOf('.');
    return dot < 0 ? name : name.substring(0, dot);
  }

  /** Whether {@code name} matches, when no member is called implicitly. */
  public boolean matches(String name) {
    return matches(name, member -> false);
  }

  /**
   * Whether {@code name} matches. A last segment that {@code implicitMember} says the language
   * calls implicitly matches only a pattern whose last segment spells it (no wildcard there).
   */
  public boolean matches(String name, java.util.function.Predicate<String> implicitMember) {
    if (exact != null) {
      return exact.equals(name);
    }
    int dot = name.lastIndexOf('.');
    if (lastSegments != null && !lastSegments.contains(dot < 0 ? name : name.substring(dot + 1))) {
      return false;
    }
    if (lastSegments == null && !lastSpelled
        && implicitMember.test(dot < 0 ? name : name.substring(dot + 1))) {
      return false;
    }
    return regex.matches(name);
  }

  public boolean isExact() {
    return exact != null;
  }

  /** The exact name, for exact patterns. */
  public String exact() {
    return exact;
  }

  /** The literal first segment shared by every match, or null when it varies. */
  public String firstSegment() {
    return firstSegment;
  }

  /**
   * The dotted prefix of whole literal segments every match starts with (followed by a dot), or
   * null when the first segment already has a wildcard.
   */
  public String literalPrefix() {
    return literalPrefix;
  }

  /** Number of literal characters: the more, the more specific. */
  public int literalLength() {
    return literalLength;
  }

  @Override
  public String toString() {
    return source;
  }

  /**
   * Expands {@code {a,b}} alternatives into separate globs ({@code x.{a,b}} → {@code x.a},
   * {@code x.b}), so that most patterns become exact names. Returns the glob itself when the
   * expansion would exceed {@code limit} entries.
   */
  public static List<String> expandBraces(String glob, int limit) {
    List<String> out = new ArrayList<>();
    expand(glob, out, limit);
    return out.size() > limit ? List.of(glob) : out;
  }

  private static void expand(String g, List<String> out, int limit) {
    if (out.size() > limit) {
      return;
    }
    int open = g.indexOf('{');
    if (open < 0) {
      out.add(g);
      return;
    }
    int depth = 0;
    int close = -1;
    List<Integer> commas = new ArrayList<>();
    for (int i = open; i < g.length(); i++) {
      char c = g.charAt(i);
      if (c == '{') {
        depth++;
      } else if (c == '}') {
        depth--;
        if (depth == 0) {
          close = i;
          break;
        }
      } else if (c == ',' && depth == 1) {
        commas.add(i);
      }
    }
    if (close < 0) {
      out.add(g); // unbalanced: compile() reports it
      return;
    }
    String head = g.substring(0, open);
    String tail = g.substring(close + 1);
    int start = open + 1;
    commas.add(close);
    for (int c : commas) {
      expand(head + g.substring(start, c) + tail, out, limit);
      start = c + 1;
    }
  }
}
