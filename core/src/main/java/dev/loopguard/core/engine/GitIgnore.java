package dev.loopguard.core.engine;

import dev.loopguard.core.glob.Nfa;
import dev.loopguard.core.glob.PathPatterns;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules of one .gitignore file, as git reads them (gitignore(5)): blank lines and
 * {@code #} comments skipped, unescaped trailing spaces dropped, {@code !} negates, a trailing
 * {@code /} matches folders only, a {@code /} at the start or in the middle anchors the pattern
 * to the file's folder (otherwise it matches a name at any depth), {@code **} spans folders.
 * The last matching line decides. Patterns are matched in linear time ({@link Nfa}); a line git
 * cannot parse (an unclosed {@code [}) matches nothing, as in git.
 */
public final class GitIgnore {
  /** What the rules say about a path. */
  public enum Match { IGNORED, NOT_IGNORED, UNDECIDED }

  private record Rule(Nfa pattern, boolean negate, boolean dirOnly, boolean anchored) {}

  private final List<Rule> rules;

  private GitIgnore(List<Rule> rules) {
    this.rules = rules;
  }

  /** The rules in {@code text}, a .gitignore file's content. */
  public static GitIgnore parse(String text) {
    List<Rule> rules = new ArrayList<>();
    for (String raw : text.split("\n", -1)) {
      String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      line = stripTrailingSpaces(line);
      boolean negate = line.startsWith("!");
      if (negate) {
        line = line.substring(1);
      }
      boolean dirOnly = line.endsWith("/") && !line.endsWith("\\/");
      if (dirOnly) {
        line = line.substring(0, line.length() - 1);
      }
      if (line.isEmpty()) {
        continue;
      }
      boolean anchored = line.indexOf('/') >= 0;
      if (line.startsWith("/")) {
        line = line.substring(1);
      }
      try {
        rules.add(new Rule(PathPatterns.compile(line, false, false).nfa(), negate, dirOnly, anchored));
      } catch (IllegalArgumentException e) {
        // git skips a pattern it cannot parse
      }
    }
    return new GitIgnore(List.copyOf(rules));
  }

  private static String stripTrailingSpaces(String line) {
    int end = line.length();
    while (end > 0 && line.charAt(end - 1) == ' ') {
      int backslashes = 0;
      for (int i = end - 2; i >= 0 && line.charAt(i) == '\\'; i--) {
        backslashes++;
      }
      if (backslashes % 2 == 1) {
        break; // "\ " keeps the space
      }
      end--;
    }
    return line.substring(0, end);
  }

  /**
   * What the rules say about {@code relative}, a {@code /}-separated path relative to the
   * .gitignore file's folder; {@code dir}: whether it is a folder.
   */
  public Match match(String relative, boolean dir) {
    String name = relative.substring(relative.lastIndexOf('/') + 1);
    for (int i = rules.size() - 1; i >= 0; i--) {
      Rule r = rules.get(i);
      if (r.dirOnly() && !dir) {
        continue;
      }
      if (r.pattern().matches(r.anchored() ? relative : name)) {
        return r.negate() ? Match.NOT_IGNORED : Match.IGNORED;
      }
    }
    return Match.UNDECIDED;
  }
}
