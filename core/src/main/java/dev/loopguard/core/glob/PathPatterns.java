package dev.loopguard.core.glob;

import java.util.ArrayList;
import java.util.List;

/**
 * The syntax of {@code /}-separated path globs, shared by include / exclude globs, path policies
 * and .gitignore lines, compiled to an {@link Nfa} (linear-time matching): {@code *} and
 * {@code ?} stay within one name, {@code **}{@code /} spans zero or more folders, {@code [...]}
 * is a character class ({@code [!...]} or {@code [^...]} negated, ranges, {@code [:alpha:]} and
 * the other POSIX classes), {@code \} quotes the next character. A malformed glob (an unclosed
 * {@code [}, a trailing {@code \}) is an {@link IllegalArgumentException} naming the problem.
 */
public final class PathPatterns {
  private PathPatterns() {}

  /** A compiled glob and the longest run of literal characters every match contains. */
  public record Compiled(Nfa nfa, String requiredLiteral) {}

  /**
   * Compiles {@code glob} to match whole paths. {@code anyDepth}: the glob may also match below
   * any folder and anything below a match ({@code (.../)?GLOB(/...)?}). {@code starStarAnywhere}:
   * {@code **} not beside a {@code /} spans folders too (loopguard's globs); when false it is a
   * {@code *} (gitignore).
   */
  public static Compiled compile(String glob, boolean anyDepth, boolean starStarAnywhere) {
    Nfa.Builder b = new Nfa.Builder();
    String[] required = {""};
    Nfa.Frag body = translate(b, glob, required, starStarAnywhere);
    if (anyDepth) {
      Nfa.Frag prefix = b.optional(b.seq(b.star(b.chars(c -> true)), b.literal('/')));
      Nfa.Frag suffix = b.optional(b.seq(b.literal('/'), b.star(b.chars(c -> true))));
      body = b.seq(b.seq(prefix, body), suffix);
    }
    return new Compiled(b.build(body), required[0]);
  }

  private static Nfa.Frag translate(Nfa.Builder b, String g, String[] required,
      boolean starStarAnywhere) {
    List<Nfa.Frag> parts = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < g.length()) {
      char c = g.charAt(i);
      if (c == '*') {
        int j = i;
        while (j < g.length() && g.charAt(j) == '*') {
          j++;
        }
        endLiteral(literal, required);
        boolean atStart = i == 0 || g.charAt(i - 1) == '/';
        boolean atEnd = j == g.length() || g.charAt(j) == '/';
        if (j - i >= 2 && atStart && j < g.length() && g.charAt(j) == '/') {
          // "**/": zero or more folders
          parts.add(b.optional(b.seq(b.star(b.chars(x -> true)), b.literal('/'))));
          i = j + 1;
        } else if (j - i >= 2 && (starStarAnywhere || (atStart && atEnd))) {
          parts.add(b.star(b.chars(x -> true)));
          i = j;
        } else {
          parts.add(b.star(b.chars(x -> x != '/')));
          i = j;
        }
      } else if (c == '?') {
        endLiteral(literal, required);
        parts.add(b.chars(x -> x != '/'));
        i++;
      } else if (c == '[') {
        endLiteral(literal, required);
        int[] end = {0};
        Nfa.CharSet set = charClass(g, i, end);
        parts.add(b.chars(x -> x != '/' && set.test(x)));
        i = end[0];
      } else {
        if (c == '\\') {
          if (i + 1 >= g.length()) {
            throw new IllegalArgumentException("'" + g + "' ends with a lone backslash");
          }
          c = g.charAt(++i);
        }
        literal.append(c);
        parts.add(b.literal(c));
        i++;
      }
    }
    endLiteral(literal, required);
    Nfa.Frag f = b.empty();
    for (Nfa.Frag p : parts) {
      f = b.seq(f, p);
    }
    return f;
  }

  private static void endLiteral(StringBuilder literal, String[] required) {
    if (literal.length() > required[0].length()) {
      required[0] = literal.toString();
    }
    literal.setLength(0);
  }

  /** The class starting at {@code g[open] == '['}; sets {@code end[0]} past its {@code ]}. */
  private static Nfa.CharSet charClass(String g, int open, int[] end) {
    int i = open + 1;
    boolean negate = i < g.length() && (g.charAt(i) == '!' || g.charAt(i) == '^');
    if (negate) {
      i++;
    }
    List<char[]> ranges = new ArrayList<>();
    List<Nfa.CharSet> named = new ArrayList<>();
    boolean first = true;
    while (true) {
      if (i >= g.length()) {
        throw new IllegalArgumentException("'" + g + "' has a '[' that is never closed");
      }
      char c = g.charAt(i);
      if (c == ']' && !first) {
        i++;
        break;
      }
      first = false;
      if (c == '[' && i + 1 < g.length() && g.charAt(i + 1) == ':') {
        int close = g.indexOf(":]", i + 2);
        if (close < 0) {
          throw new IllegalArgumentException("'" + g + "' has a '[:' that is never closed");
        }
        named.add(posix(g.substring(i + 2, close), g));
        i = close + 2;
        continue;
      }
      if (c == '\\') {
        if (i + 1 >= g.length()) {
          throw new IllegalArgumentException("'" + g + "' ends with a lone backslash");
        }
        c = g.charAt(++i);
      }
      char hi = c;
      if (i + 2 < g.length() && g.charAt(i + 1) == '-' && g.charAt(i + 2) != ']') {
        hi = g.charAt(i + 2);
        if (hi == '\\' && i + 3 < g.length()) {
          hi = g.charAt(i + 3);
          i++;
        }
        i += 2;
      }
      ranges.add(new char[] {c, hi});
      i++;
    }
    end[0] = i;
    char[][] rs = ranges.toArray(new char[0][]);
    Nfa.CharSet[] ns = named.toArray(new Nfa.CharSet[0]);
    return x -> {
      boolean in = false;
      for (char[] r : rs) {
        if (x >= r[0] && x <= r[1]) {
          in = true;
          break;
        }
      }
      for (int k = 0; !in && k < ns.length; k++) {
        in = ns[k].test(x);
      }
      return in != negate;
    };
  }

  private static Nfa.CharSet posix(String name, String g) {
    return switch (name) {
      case "alnum" -> Character::isLetterOrDigit;
      case "alpha" -> Character::isLetter;
      case "digit" -> x -> x >= '0' && x <= '9';
      case "lower" -> Character::isLowerCase;
      case "upper" -> Character::isUpperCase;
      case "space" -> Character::isWhitespace;
      case "xdigit" -> x -> (x >= '0' && x <= '9') || (x >= 'a' && x <= 'f') || (x >= 'A' && x <= 'F');
      case "punct" -> x -> x < 128 && x > 32 && !Character.isLetterOrDigit(x);
      case "blank" -> x -> x == ' ' || x == '\t';
      case "cntrl" -> Character::isISOControl;
      case "print" -> x -> x >= 32 && x != 127;
      case "graph" -> x -> x > 32 && x != 127;
      default -> throw new IllegalArgumentException("'" + g + "' names an unknown class [:" + name + ":]");
    };
  }
}
