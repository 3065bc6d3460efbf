package dev.loopguard.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceMapTest {
  @TempDir Path root;
  private SourceMap map;

  @BeforeEach
  void tree() throws IOException {
    Files.createDirectories(root.resolve("custom_components/meter"));
    Files.writeString(root.resolve("custom_components/meter/store.src"), "");
    Files.createDirectories(root.resolve("app"));
    Files.writeString(root.resolve("app/routing.src"), "");
    Files.writeString(root.resolve("routing.src"), "");
    map = new SourceMap(root);
  }

  @Test
  void pathsUnderTheRootAreMadeRelative() {
    assertThat(map.map(root.resolve("app/routing.src").toString())).isEqualTo("app/routing.src");
    assertThat(map.map("app/routing.src")).isEqualTo("app/routing.src");
  }

  @Test
  void installPrefixesAreStrippedToTheLongestTailInTheTree() {
    assertThat(map.map("/config/custom_components/meter/store.src")).isEqualTo("custom_components/meter/store.src");
    assertThat(map.map("/usr/lib/site-packages/app/routing.src")).isEqualTo("app/routing.src");
    assertThat(map.map("C:\\srv\\app\\routing.src")).isEqualTo("app/routing.src");
  }

  @Test
  void aFileNameAloneOrAFileOutsideTheTreeIsNotMapped() {
    assertThat(map.map("/usr/lib/framework/routing.src")).isNull();
    assertThat(map.map("/elsewhere/custom_components/other/store.src")).isNull();
    assertThat(map.map("<frozen importlib._bootstrap>")).isNull();
    assertThat(map.map("../outside/app/routing.src")).isEqualTo("app/routing.src");
    assertThat(map.map("")).isNull();
  }
}
