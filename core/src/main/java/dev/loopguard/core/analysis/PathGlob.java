package dev.loopguard.core.analysis;

import dev.loopguard.core.glob.Nfa;
import dev.loopguard.core.glob.PathPatterns;

/**
 * A path glob over {@code /}-separated relative paths: {@code **} spans folders, {@code *} and
 * {@code ?} stay within one name, {@code [...]} is a character class, {@code \} quotes. A glob
 * without {@code /} matches a file or folder name at any depth; a glob ending in {@code /**}
 * matches everything below the folder. Matching takes linear time ({@link Nfa}), whatever the
 * glob; a malformed glob is an {@link IllegalArgumentException}.
 */
public final class PathGlob {
  private final String glob;
  private final Nfa pattern;
  // The longest run of literal characters, which every matching path contains: most paths are
  // told apart by it without running the pattern (a scan tests every file against every test and
  // script glob). Empty when the glob has none.
  private final String required;

  private PathGlob(String glob, Nfa pattern, String required) {
    this.glob = glob;
    this.pattern = pattern;
    this.required = required;
  }

  public static PathGlob compile(String glob) {
    String g = glob.startsWith("./") ? glob.substring(2) : glob;
    if (g.startsWith("/")) {
      g = g.substring(1);
    }
    if (g.isEmpty()) {
      throw new IllegalArgumentException("an empty glob matches nothing");
    }
    boolean anyDepth = g.indexOf('/') < 0;
    PathPatterns.Compiled c = PathPatterns.compile(g, anyDepth, true);
    return new PathGlob(glob, c.nfa(), c.requiredLiteral());
  }

  public boolean matches(String relativePath) {
    if (!relativePath.contains(required)) {
      return false;
    }
    return pattern.matches(relativePath);
  }

  /** {@link #matches} by the pattern alone (tests check the prefilter against it). */
  boolean matchesPattern(String relativePath) {
    return pattern.matches(relativePath);
  }

  @Override
  public String toString() {
    return glob;
  }
}
