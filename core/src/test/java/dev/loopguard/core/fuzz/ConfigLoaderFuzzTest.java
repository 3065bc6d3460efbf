package dev.loopguard.core.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.loopguard.core.config.Config;
import dev.loopguard.core.config.ConfigException;
import dev.loopguard.core.config.ConfigLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Fuzz target for the configuration loader: any bytes in {@code loopguard.toml} give a
 * {@link Config} or a {@link ConfigException}, nothing else (no Jackson exception, no
 * NullPointerException, no StackOverflowError).
 *
 * <p>{@code mvn verify} runs the seeds under {@code src/test/resources/.../ConfigLoaderFuzzTestInputs/}
 * (regression mode); {@code JAZZER_FUZZ=1} fuzzes (see bench/README.md).
 */
class ConfigLoaderFuzzTest {
  private static final Path DIR;

  static {
    try {
      DIR = Files.createTempDirectory("lg-config-fuzz");
      DIR.toFile().deleteOnExit();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @FuzzTest(maxDuration = "60s")
  void load(byte[] input) throws IOException {
    Path f = DIR.resolve(ConfigLoader.FILE);
    Files.write(f, input);
    ConfigLoader loader = new ConfigLoader(List.of());
    try {
      loader.load(f);
    } catch (ConfigException expected) {
      // a documented result
    }
    try {
      loader.discover(DIR);
    } catch (ConfigException expected) {
      // a documented result
    }
  }
}
