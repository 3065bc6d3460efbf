package dev.loopguard.core.analysis;

import java.util.regex.Pattern;

/**
 * A path glob over {@code /}-separated relative paths: {@code **} spans folders, {@code *} and
 * {@code ?} stay within one name. A glob without {@code /} matches a file or folder name at any
 * depth; a glob ending in {@code /**} matches everything below the folder.
 */
public final class PathGlob {
  private final String glob;
  private final Pattern pattern;
  // The longest run of literal characters, which every matching path contains: most paths are
  // told apart by it without running the pattern (a scan tests every file against every test and
  // script glob). Empty when the glob has none.
  private final String required;

  private PathGlob(String glob, Pattern pattern, String required) {
    this.glob = glob;
    this.pattern = pattern;
    this.required = required;
  }

  public static PathGlob compile(String glob) {
    String g = glob.startsWith("./") ? glob.substring(2) : glob;
    if (g.startsWith("/")) {
      g = g.substring(1);
    }
    boolean anyDepth = g.indexOf('/') < 0;
    StringBuilder re = new StringBuilder();
    if (anyDepth) {
      re.append("(?:.*/)?");
    }
    String required = "";
    StringBuilder literal = new StringBuilder();
    for (int i = 0; i < g.length(); i++) {
      char c = g.charAt(i);
      if (c == '*' || c == '?') {
        if (literal.length() > required.length()) {
          required = literal.toString();
        }
        literal.setLength(0);
      }
      if (c == '*') {
        if (i + 1 < g.length() && g.charAt(i + 1) == '*') {
          if (i + 2 < g.length() && g.charAt(i + 2) == '/') {
            re.append("(?:.*/)?");
            i += 2;
          } else {
            re.append(".*");
            i++;
          }
        } else {
          re.append("[^/]*");
        }
      } else if (c == '?') {
        re.append("[^/]");
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
        literal.append(c);
      }
    }
    if (literal.length() > required.length()) {
      required = literal.toString();
    }
    if (anyDepth) {
      re.append("(?:/.*)?");
    }
    return new PathGlob(glob, Pattern.compile(re.toString()), required);
  }

  public boolean matches(String relativePath) {
    if (!relativePath.contains(required)) {
      return false;
    }
    return pattern.matcher(relativePath).matches();
  }

  /** {@link #matches} by the pattern alone (tests check the prefilter against it). */
  boolean matchesPattern(String relativePath) {
    return pattern.matcher(relativePath).matches();
  }

  @Override
  public String toString() {
    return glob;
  }
}
