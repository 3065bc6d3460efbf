package dev.loopguard.core.knowledge;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A compiled dotted-name glob: {@code *} within a segment, {@code **} across segments,
 * {@code {a,b}} alternatives (nestable). Exact names (no metacharacters) compile to a string
 * comparison.
 */
public final class NamePattern {
  private final String source;
  private final String exact;
  private final Pattern regex;
  private final int literalLength;
  private final String firstSegment;

  private NamePattern(String source, String exact, Pattern regex, int literalLength, String firstSegment) {
    this.source = source;
    this.exact = exact;
    this.regex = regex;
    this.literalLength = literalLength;
    this.firstSegment = firstSegment;
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
    StringBuilder re = new StringBuilder();
    int[] literal = {0};
    int end = translate(glob, 0, re, literal, false);
    if (end != glob.length()) {
      throw new IllegalArgumentException("unbalanced braces");
    }
    String first = null;
    int dot = glob.indexOf('.');
    String head = dot < 0 ? glob : glob.substring(0, dot);
    if (head.indexOf('*') < 0 && head.indexOf('{') < 0) {
      first = head;
    }
    return new NamePattern(glob, null, Pattern.compile(re.toString()), literal[0], first);
  }

  private static int translate(String g, int i, StringBuilder re, int[] literal, boolean inBraces) {
    while (i < g.length()) {
      char c = g.charAt(i);
      if (c == '*') {
        if (i + 1 < g.length() && g.charAt(i + 1) == '*') {
          // "**." matches zero or more segments; a trailing "**" matches the rest.
          if (i + 2 < g.length() && g.charAt(i + 2) == '.') {
            re.append("(?:[^.]+\\.)*");
            i += 3;
          } else {
            re.append(".*");
            i += 2;
          }
        } else {
          re.append("[^.]*");
          i++;
        }
      } else if (c == '{') {
        re.append("(?:");
        i++;
        while (true) {
          i = translate(g, i, re, literal, true);
          if (i >= g.length()) {
            throw new IllegalArgumentException("unbalanced braces");
          }
          char d = g.charAt(i);
          if (d == ',') {
            re.append('|');
            i++;
          } else if (d == '}') {
            re.append(')');
            i++;
            break;
          }
        }
      } else if (c == '}' || c == ',') {
        if (!inBraces) {
          throw new IllegalArgumentException("unbalanced braces");
        }
        return i;
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
        literal[0]++;
        i++;
      }
    }
    return i;
  }

  private static String firstSegmentOf(String name) {
    int dot = name.indexOf('.');
    return dot < 0 ? name : name.substring(0, dot);
  }

  public boolean matches(String name) {
    return exact != null ? exact.equals(name) : regex.matcher(name).matches();
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

  /** Number of literal characters: the more, the more specific. */
  public int literalLength() {
    return literalLength;
  }

  @Override
  public String toString() {
    return source;
  }

  /** Expands alternatives into plain globs, for listing. */
  static List<String> describe(List<String> patterns) {
    return new ArrayList<>(patterns);
  }
}
