package dev.loopguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PathGlobTest {
  @Test
  void globsWithoutSlashMatchNamesAtAnyDepth() {
    assertThat(PathGlob.compile("test_*.py").matches("a/b/test_x.py")).isTrue();
    assertThat(PathGlob.compile("test_*.py").matches("test_x.py")).isTrue();
    assertThat(PathGlob.compile("test_*.py").matches("a/b/x_test.py")).isFalse();
    assertThat(PathGlob.compile("conftest.py").matches("pkg/conftest.py")).isTrue();
  }

  @Test
  void doubleStarSpansFolders() {
    assertThat(PathGlob.compile("**/tests/**").matches("a/tests/x.py")).isTrue();
    assertThat(PathGlob.compile("**/tests/**").matches("tests/x.py")).isTrue();
    assertThat(PathGlob.compile("tests/**").matches("a/tests/x.py")).isFalse();
    assertThat(PathGlob.compile("scripts/**").matches("scripts/deep/x.py")).isTrue();
  }

  @Test
  void pathKindsPreferTestsOverScripts() {
    PathKinds k = new PathKinds(List.of("tests/**", "test_*.py"), List.of("scripts/**"));
    assertThat(k.kindOf("tests/scripts/x.py")).isEqualTo("test");
    assertThat(k.kindOf("scripts/test_x.py")).isEqualTo("test");
    assertThat(k.kindOf("scripts/run.py")).isEqualTo("script");
    assertThat(k.kindOf("app/api.py")).isNull();
  }

  @Test
  void theLiteralPrefilterNeverRejectsAMatch() {
    java.util.Random random = new java.util.Random(5);
    String[] globParts = {"a", "b", "ab", "/", "*", "**", "**/", "/**", "?", ".", "_x"};
    String[] pathParts = {"a", "b", "ab", "/", ".", "_x", "ba", "x"};
    int matched = 0;
    for (int i = 0; i < 20_000; i++) {
      StringBuilder g = new StringBuilder();
      for (int k = random.nextInt(5) + 1; k > 0; k--) {
        g.append(globParts[random.nextInt(globParts.length)]);
      }
      StringBuilder p = new StringBuilder();
      for (int k = random.nextInt(7) + 1; k > 0; k--) {
        p.append(pathParts[random.nextInt(pathParts.length)]);
      }
      if (g.toString().replaceFirst("^\\./", "").replaceFirst("^/", "").isEmpty()) {
        continue; // an empty glob is rejected
      }
      PathGlob glob = PathGlob.compile(g.toString());
      boolean expected = glob.matchesPattern(p.toString());
      assertThat(glob.matches(p.toString())).as(g + " on " + p).isEqualTo(expected);
      matched += expected ? 1 : 0;
    }
    assertThat(matched).isGreaterThan(500);
  }
}
