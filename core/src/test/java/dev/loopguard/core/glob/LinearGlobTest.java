package dev.loopguard.core.glob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loopguard.core.analysis.PathGlob;
import dev.loopguard.core.engine.GitIgnore;
import dev.loopguard.core.knowledge.NamePattern;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Globs a user or a repository writes are matched in linear time: the pathological patterns
 * that made backtracking regexes hang answer at once, and the NFA agrees with a regex
 * translation of the same glob on random small inputs.
 */
class LinearGlobTest {
  private static final String EVIL = "a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b";

  @Test
  void pathologicalPatternsAnswerAtOnce() {
    String path = "a".repeat(5_000);
    long start = System.nanoTime();
    assertThat(PathGlob.compile(EVIL).matches(path)).isFalse();
    assertThat(GitIgnore.parse(EVIL + "\n").match(path, false)).isEqualTo(GitIgnore.Match.UNDECIDED);
    assertThat(GitIgnore.parse("/" + EVIL.replace("*", "**/") + "\n").match(path, false))
        .isEqualTo(GitIgnore.Match.UNDECIDED);
    assertThat(NamePattern.compile(EVIL.replace('b', 'c') + ".x").matches(path)).isFalse();
    assertThat(NamePattern.compile("{a,a*}{a,a*}{a,a*}{a,a*}{a,a*}{a,a*}{a,a*}{a,a*}{a,a*}b").matches(path)).isFalse();
    // Backtracking took minutes; the NFA takes milliseconds. A generous bound keeps this stable.
    assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
  }

  @Test
  void pathGlobsAgreeWithARegexTranslation() {
    Random random = new Random(20);
    String[] globParts = {"a", "b", "/", "*", "**", "**/", "?", "[ab]", "[!a]", "\\*"};
    String[] pathParts = {"a", "b", "/", "*", "ab", "ba"};
    int matched = 0;
    for (int i = 0; i < 20_000; i++) {
      String g = join(random, globParts, 5);
      String p = join(random, pathParts, 7);
      if (g.replace("./", "").replaceFirst("^/", "").isEmpty()) {
        continue;
      }
      boolean expected = regexFor(g).matcher(p).matches();
      assertThat(PathGlob.compile(g).matches(p)).as(g + " on " + p).isEqualTo(expected);
      matched += expected ? 1 : 0;
    }
    assertThat(matched).isGreaterThan(500);
  }

  @Test
  void namePatternsAgreeWithARegexTranslation() {
    Random random = new Random(21);
    String[] globParts = {"a", "b", ".", "*", "**", "**.", "{a,b}", "{a*,b.}"};
    String[] nameParts = {"a", "b", ".", "ab", "ba"};
    int matched = 0;
    for (int i = 0; i < 20_000; i++) {
      String g = join(random, globParts, 4);
      String n = join(random, nameParts, 6);
      boolean expected = nameRegexFor(g).matcher(n).matches() && !special(n, g);
      assertThat(NamePattern.compile(g).matches(n)).as(g + " on " + n).isEqualTo(expected);
      matched += expected ? 1 : 0;
    }
    assertThat(matched).isGreaterThan(500);
  }

  @Test
  void malformedGlobsAreRejectedWithTheirProblem() {
    assertThatThrownBy(() -> PathGlob.compile("src/[abc")).hasMessageContaining("never closed");
    assertThatThrownBy(() -> PathGlob.compile("x\\")).hasMessageContaining("backslash");
    assertThatThrownBy(() -> PathGlob.compile("[[:nope:]]")).hasMessageContaining("unknown class");
    assertThatThrownBy(() -> PathGlob.compile("")).hasMessageContaining("empty");
  }

  @Test
  void gitignoreFollowsGitsRules() {
    GitIgnore g = GitIgnore.parse("# comment\n*.log\n!keep.log\nbuild/\n/top.py\ndocs/**/gen\n\\#hash\ntrail\\ \n[\n");
    assertThat(g.match("a/b/x.log", false)).isEqualTo(GitIgnore.Match.IGNORED);
    assertThat(g.match("a/keep.log", false)).isEqualTo(GitIgnore.Match.NOT_IGNORED);
    assertThat(g.match("a/build", true)).isEqualTo(GitIgnore.Match.IGNORED);
    assertThat(g.match("a/build", false)).isEqualTo(GitIgnore.Match.UNDECIDED);
    assertThat(g.match("top.py", false)).isEqualTo(GitIgnore.Match.IGNORED);
    assertThat(g.match("a/top.py", false)).isEqualTo(GitIgnore.Match.UNDECIDED);
    assertThat(g.match("docs/gen", true)).isEqualTo(GitIgnore.Match.IGNORED);
    assertThat(g.match("docs/a/b/gen", true)).isEqualTo(GitIgnore.Match.IGNORED);
    assertThat(g.match("#hash", false)).isEqualTo(GitIgnore.Match.IGNORED);
    assertThat(g.match("trail ", false)).isEqualTo(GitIgnore.Match.IGNORED);
    assertThat(g.match("comment", false)).isEqualTo(GitIgnore.Match.UNDECIDED);
  }

  private static String join(Random random, String[] parts, int max) {
    StringBuilder sb = new StringBuilder();
    for (int k = random.nextInt(max) + 1; k > 0; k--) {
      sb.append(parts[random.nextInt(parts.length)]);
    }
    return sb.toString();
  }

  /** The regex PathGlob used before the NFA (plus classes and escapes). */
  private static Pattern regexFor(String glob) {
    String g = glob.startsWith("./") ? glob.substring(2) : glob;
    if (g.startsWith("/")) {
      g = g.substring(1);
    }
    boolean anyDepth = g.indexOf('/') < 0;
    StringBuilder re = new StringBuilder(anyDepth ? "(?:.*/)?" : "");
    for (int i = 0; i < g.length(); i++) {
      char c = g.charAt(i);
      if (c == '*') {
        int j = i;
        while (j < g.length() && g.charAt(j) == '*') {
          j++;
        }
        boolean atStart = i == 0 || g.charAt(i - 1) == '/';
        if (j - i >= 2 && atStart && j < g.length() && g.charAt(j) == '/') {
          re.append("(?:.*/)?");
          i = j;
        } else {
          re.append(j - i >= 2 ? ".*" : "[^/]*");
          i = j - 1;
        }
      } else if (c == '?') {
        re.append("[^/]");
      } else if (c == '[') {
        int close = g.indexOf(']', i + 2);
        String body = g.substring(i + 1, close);
        re.append(body.startsWith("!") ? "[^/" + Pattern.quote(body.substring(1)).replace("\\Q", "").replace("\\E", "") + "]"
            : "(?![/])[" + body + "]");
        i = close;
      } else if (c == '\\') {
        re.append(Pattern.quote(String.valueOf(g.charAt(++i))));
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    re.append(anyDepth ? "(?:/.*)?" : "");
    return Pattern.compile(re.toString());
  }

  /** The regex NamePattern used before the NFA. */
  private static Pattern nameRegexFor(String g) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < g.length(); i++) {
      char c = g.charAt(i);
      if (c == '*' && i + 1 < g.length() && g.charAt(i + 1) == '*') {
        if (i + 2 < g.length() && g.charAt(i + 2) == '.') {
          re.append("(?:[^.]+\\.)*");
          i += 2;
        } else {
          re.append(".*");
          i++;
        }
      } else if (c == '*') {
        re.append("[^.]*");
      } else if (c == '{') {
        re.append("(?:");
      } else if (c == '}') {
        re.append(')');
      } else if (c == ',') {
        re.append('|');
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString());
  }

  private static boolean special(String name, String glob) {
    String last = name.substring(name.lastIndexOf('.') + 1);
    return !glob.contains("__") && last.length() > 4 && last.startsWith("__") && last.endsWith("__");
  }
}
