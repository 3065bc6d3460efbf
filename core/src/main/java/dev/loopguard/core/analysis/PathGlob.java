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

  private PathGlob(String glob, Pattern pattern) {
    this.glob = glob;
    this.pattern = pattern;
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
    for (int i = 0; i < g.length(); i++) {
      char c = g.charAt(i);
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
      }
    }
    if (anyDepth) {
      re.append("(?:/.*)?");
    }
    return new PathGlob(glob, Pattern.compile(re.toString()));
  }

  public boolean matches(String relativePath) {
    return pattern.matcher(relativePath).matches();
  }

  @Override
  public String toString() {
    return glob;
  }
}
