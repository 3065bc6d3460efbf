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
}
