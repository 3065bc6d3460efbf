package dev.loopguard.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loopguard.core.ir.Span;
import dev.loopguard.core.model.ChainHop;
import dev.loopguard.core.model.Confidence;
import dev.loopguard.core.model.BlockingAttributes;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.model.Priority;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
  @TempDir Path dir;

  static Finding finding(String path, Confidence c, Priority p, String excludedAs) {
    return new Finding("perf-004", path, Span.of(3, 5, 3, 20), "m.f", "time.sleep blocks the event loop in async function m.f.",
        c, p, "request m.f", excludedAs, List.of(new ChainHop(path, 3, 5, "m.f", "time.sleep")),
        "Use asyncio.sleep.", BlockingAttributes.of("sleep", "time.sleep", null, null, null, "py:time.sleep", false), "fp");
  }

  private Settings settings(String toml, Settings.Overrides o) throws IOException {
    Files.writeString(dir.resolve("loopguard.toml"), toml);
    return Settings.resolve(List.of(new FakeFrontend()), dir, List.of(), o);
  }

  @Test
  void policiesDecideWhatIsReported() throws IOException {
    Settings s = settings("""
        min-confidence = "medium"
        [paths."tests/**"]
        report = true
        priority = "P3"
        [paths."legacy/**"]
        report = false
        [paths."batch/**"]
        priority = "P2"
        """, Settings.Overrides.none());
    assertThat(s.root()).isEqualTo(dir.toAbsolutePath().normalize());
    Finding test = finding("tests/test_a.fake", Confidence.HIGH, Priority.P3, "test");
    Finding script = finding("scripts/run.fake", Confidence.HIGH, Priority.P3, "script");
    Finding legacy = finding("legacy/a.fake", Confidence.HIGH, Priority.P0, null);
    Finding batch = finding("batch/a.fake", Confidence.HIGH, Priority.P0, null);
    Finding low = finding("app/a.fake", Confidence.LOW, Priority.P1, null);
    Finding ok = finding("app/b.fake", Confidence.MEDIUM, Priority.P1, null);
    List<Finding> out = s.apply(List.of(test, script, legacy, batch, low, ok));
    assertThat(out).extracting(Finding::path)
        .containsExactly("tests/test_a.fake", "batch/a.fake", "app/b.fake");
    assertThat(out.get(1).priority()).isEqualTo(Priority.P2);
  }

  @Test
  void commandLineAddsContextsAndOverridesThresholds() throws IOException {
    Settings.Overrides o = new Settings.Overrides(null, null, false, List.of("scripts"), List.of(),
        List.of(), List.of(), List.of(), List.of(), 1, true, "high", "P1", "never");
    Settings s = settings("min-confidence = \"low\"\nfail-on = \"P0\"\n", o);
    Finding script = finding("scripts/run.fake", Confidence.HIGH, Priority.P1, "script");
    Finding p2 = finding("app/a.fake", Confidence.HIGH, Priority.P2, null);
    Finding medium = finding("app/b.fake", Confidence.MEDIUM, Priority.P0, null);
    assertThat(s.apply(List.of(script, p2, medium))).containsExactly(script);
    assertThat(s.failOn()).isEqualTo(FailOn.NEVER);
    assertThat(s.options().threads()).isEqualTo(1);
  }

  @Test
  void noConfigIgnoresTheFile() throws IOException {
    Settings s = settings("fail-on = \"P0\"\n", Settings.Overrides.none().withNoConfig());
    assertThat(s.config()).isSameAs(Config.DEFAULT);
    assertThat(s.failOn()).isEqualTo(FailOn.ANY);
  }

  @Test
  void theConfigFolderIsTheRootOfScansBelowIt() throws IOException {
    Files.createDirectories(dir.resolve("src/app"));
    Files.writeString(dir.resolve("build.toml"), "[tool.loopguard]\ninclude = [\"src/**\"]\n");
    Settings s = Settings.resolve(List.of(new FakeFrontend()), dir.resolve("src"), List.of(Path.of("app")),
        Settings.Overrides.none());
    assertThat(s.root()).isEqualTo(dir.toAbsolutePath().normalize());
    assertThat(s.options().include()).containsExactly("src/**");
    assertThat(s.options().paths()).containsExactly(dir.resolve("src/app").toAbsolutePath().normalize());
  }

  @Test
  void badCommandLineValuesNameTheOption() throws IOException {
    Files.writeString(dir.resolve("loopguard.toml"), "");
    assertThatThrownBy(() -> Settings.resolve(List.of(new FakeFrontend()), dir, List.of(),
        new Settings.Overrides(null, null, false, List.of(), List.of(), List.of(), List.of(), List.of(),
            List.of(), 0, true, "certain", null, null)))
        .isInstanceOf(ConfigException.class)
        .hasMessage("--min-confidence takes high, medium or low (got certain)");
    assertThatThrownBy(() -> Settings.resolve(List.of(new FakeFrontend()), dir, List.of(),
        new Settings.Overrides(null, null, false, List.of("docs"), List.of(), List.of(), List.of(), List.of(),
            List.of(), 0, true, null, null, null)))
        .hasMessage("--include takes test, script, cli, startup (got docs)");
    assertThatThrownBy(() -> Settings.resolve(List.of(new FakeFrontend()), dir, List.of(),
        new Settings.Overrides(null, null, false, List.of(), List.of(), List.of(), List.of(), List.of(),
            List.of(), 0, true, null, null, "often")))
        .hasMessageStartingWith("--fail-on takes any, never");
  }

  @Test
  void failOnThresholds() {
    Finding p1High = finding("a", Confidence.HIGH, Priority.P1, null);
    Finding p2Medium = finding("a", Confidence.MEDIUM, Priority.P2, null);
    assertThat(FailOn.ANY.failsAny(List.of(p2Medium))).isTrue();
    assertThat(FailOn.NEVER.failsAny(List.of(p1High))).isFalse();
    assertThat(FailOn.parseWord("P1").failsAny(List.of(p2Medium))).isFalse();
    assertThat(FailOn.parseWord("P1").failsAny(List.of(p1High))).isTrue();
    assertThat(FailOn.parseWord("high").fails(p2Medium)).isFalse();
    assertThat(new FailOn(Priority.P2, Confidence.MEDIUM, false).fails(p2Medium)).isTrue();
    assertThat(FailOn.parseWord("P1").describe()).isEqualTo("P1 or hotter");
    assertThat(new FailOn(Priority.P1, Confidence.MEDIUM, false).describe())
        .isEqualTo("P1 or hotter with medium or higher confidence");
  }
}
