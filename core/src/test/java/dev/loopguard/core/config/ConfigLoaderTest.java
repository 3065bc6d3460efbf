package dev.loopguard.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loopguard.core.knowledge.Fact;
import dev.loopguard.core.knowledge.FactKind;
import dev.loopguard.core.model.Confidence;
import dev.loopguard.core.model.Priority;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  private final ConfigLoader loader = new ConfigLoader(List.of(new FakeFrontend()));

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
    return p;
  }

  @Test
  void lowConfidenceFindingsAreReportedOnlyWhenAskedFor() throws IOException {
    assertThat(Config.DEFAULT.minConfidence()).isEqualTo(Confidence.MEDIUM);
    Config unset = loader.load(write("a/loopguard.toml", "min-priority = \"P2\"\n"));
    assertThat(unset.minConfidence()).isEqualTo(Confidence.MEDIUM);
    Config asked = loader.load(write("b/loopguard.toml", "min-confidence = \"low\"\n"));
    assertThat(asked.minConfidence()).isEqualTo(Confidence.LOW);
  }

  @Test
  void readsEveryKeyOfLoopguardToml() throws IOException {
    write("packs/internal.yaml", "pack: x/internal\nfacts: []\n");
    Path f = write("loopguard.toml", """
        include = ["src/**"]
        exclude = ["src/legacy/**"]
        include-contexts = ["tests", "startup"]
        min-confidence = "medium"
        min-priority = "p2"
        fail-on = { priority = "P1", confidence = "high" }
        knowledge = ["packs/internal.yaml"]
        disable-facts = ["py:time.sleep"]

        [paths."tests/**"]
        report = true
        priority = "P3"

        [paths."src/batch/**"]
        min-confidence = "high"

        [blocking]
        "billing.Client.charge" = "billing.AsyncClient.charge"
        "vendor.sdk.*" = { suggestion = "vendor.aio", category = "sdk", reference = "https://example.org/sdk" }

        [offloaders]
        "workers.run_blocking" = 1
        "workers.submit" = "fn"
        """);
    Config c = loader.load(f);
    assertThat(c.file()).isEqualTo(f.toAbsolutePath().normalize());
    assertThat(c.table()).isEmpty();
    assertThat(c.include()).containsExactly("src/**");
    assertThat(c.exclude()).containsExactly("src/legacy/**");
    assertThat(c.includeContexts()).containsExactlyInAnyOrder("test", "startup");
    assertThat(c.minConfidence()).isEqualTo(Confidence.MEDIUM);
    assertThat(c.minPriority()).isEqualTo(Priority.P2);
    assertThat(c.failOn()).isEqualTo(new FailOn(Priority.P1, Confidence.HIGH, false));
    assertThat(c.knowledge()).containsExactly(dir.resolve("packs/internal.yaml").toAbsolutePath().normalize());
    assertThat(c.disabledFacts()).containsExactly("py:time.sleep");
    assertThat(c.paths()).containsExactly(
        new PathPolicy("tests/**", true, Priority.P3, null),
        new PathPolicy("src/batch/**", null, null, Confidence.HIGH));
    List<Fact> facts = c.facts();
    assertThat(facts).hasSize(4);
    Fact charge = facts.get(0);
    assertThat(charge.kind()).isEqualTo(FactKind.BLOCKING);
    assertThat(charge.match()).containsExactly("billing.Client.charge");
    assertThat(charge.category()).isEqualTo("other");
    assertThat(charge.replacement()).isEqualTo("billing.AsyncClient.charge");
    assertThat(facts.get(1).category()).isEqualTo("sdk");
    assertThat(facts.get(1).reference()).isEqualTo("https://example.org/sdk");
    assertThat(facts.get(2).kind()).isEqualTo(FactKind.OFFLOADS);
    assertThat(facts.get(2).callableArg()).isEqualTo(1);
    assertThat(facts.get(3).callableKeyword()).isEqualTo("fn");
    assertThat(facts.get(3).callableArg()).isNull();
  }

  @Test
  void offloadersMayBeAList() throws IOException {
    Config c = loader.load(write("loopguard.toml", "offloaders = [\"pool.run\"]\n"));
    assertThat(c.facts()).singleElement().satisfies(f -> {
      assertThat(f.kind()).isEqualTo(FactKind.OFFLOADS);
      assertThat(f.callableArg()).isZero();
    });
  }

  @Test
  void rulesAreSelectedAndDisabledByTheirIdsAndAnUnknownIdIsAnError() throws IOException {
    Config c = loader.load(write("r/loopguard.toml", "rules = [\"PERF-004\"]\ndisable-rules = [\"perf-004\"]\n"));
    assertThat(c.rules()).containsExactly("perf-004");
    assertThat(c.disabledRules()).containsExactly("perf-004");
    Path bad = write("s/loopguard.toml", "disable-rules = [\"perf-999\"]\n");
    assertThatThrownBy(() -> loader.load(bad)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("disable-rules").hasMessageContaining("no such rule: perf-999");
  }

  @Test
  void failOnWords() throws IOException {
    assertThat(loader.load(write("a/loopguard.toml", "fail-on = \"never\"\n")).failOn()).isEqualTo(FailOn.NEVER);
    assertThat(loader.load(write("b/loopguard.toml", "fail-on = \"P1\"\n")).failOn())
        .isEqualTo(new FailOn(Priority.P1, Confidence.LOW, false));
    assertThat(loader.load(write("c/loopguard.toml", "fail-on = \"medium\"\n")).failOn())
        .isEqualTo(new FailOn(Priority.P3, Confidence.MEDIUM, false));
    assertThat(loader.load(write("d/loopguard.toml", "")).failOn()).isEqualTo(FailOn.ANY);
  }

  @Test
  void readsTheFrontendsProjectFileTable() throws IOException {
    Path f = write("build.toml", """
        [project]
        name = "x"

        [tool.loopguard]
        exclude = ["gen/**"]
        """);
    Config c = loader.load(f);
    assertThat(c.table()).isEqualTo("tool.loopguard");
    assertThat(c.exclude()).containsExactly("gen/**");
    assertThat(c.describe()).endsWith("build.toml [tool.loopguard]");
  }

  @Test
  void discoversUpwardsAndPrefersLoopguardToml() throws IOException {
    write("build.toml", "[tool.loopguard]\nexclude = [\"a\"]\n");
    Files.createDirectories(dir.resolve("src/app"));
    Config c = loader.discover(dir.resolve("src/app"));
    assertThat(c).isNotNull();
    assertThat(c.file().getFileName().toString()).isEqualTo("build.toml");
    write("loopguard.toml", "exclude = [\"b\"]\n");
    assertThat(loader.discover(dir.resolve("src/app")).exclude()).containsExactly("b");
  }

  @Test
  void aProjectFileWithoutTheTableIsNotAConfiguration() throws IOException {
    write("build.toml", "[project]\nname = \"x\"\n");
    Files.createDirectories(dir.resolve(".git"));
    assertThat(loader.discover(dir)).isNull();
    assertThatThrownBy(() -> loader.load(dir.resolve("build.toml")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("build.toml")
        .hasMessageContaining("has no [tool.loopguard] table");
  }

  @Test
  void searchStopsAtTheRepositoryTop() throws IOException {
    write("loopguard.toml", "exclude = [\"x\"]\n");
    Files.createDirectories(dir.resolve("repo/.git"));
    Files.createDirectories(dir.resolve("repo/src"));
    assertThat(loader.discover(dir.resolve("repo/src"))).isNull();
  }

  @Test
  void unknownKeysNameTheFileAndTheKey() throws IOException {
    Path f = write("loopguard.toml", "fail_on = \"P1\"\n");
    assertThatThrownBy(() -> loader.load(f))
        .isInstanceOf(ConfigException.class)
        .hasMessage(f.toAbsolutePath().normalize() + ": fail_on: unknown key; did you mean 'fail-on'?");
    Path g = write("x/build.toml", "[tool.loopguard]\nfrobnicate = 1\n");
    assertThatThrownBy(() -> loader.load(g))
        .hasMessageContaining("build.toml: tool.loopguard.frobnicate: unknown key (known keys: include, exclude,");
    Path h = write("y/loopguard.toml", "[paths.\"tests/**\"]\nreprot = true\n");
    assertThatThrownBy(() -> loader.load(h))
        .hasMessageContaining("loopguard.toml: paths.\"tests/**\".reprot: unknown key (known keys: report, priority, min-confidence)");
  }

  @Test
  void badValuesNameTheFileAndTheKey() throws IOException {
    assertError("min-confidence = \"sure\"\n", "min-confidence: must be \"high\", \"medium\" or \"low\" (got \"sure\")");
    assertError("min-priority = 1\n", "min-priority: must be \"P0\", \"P1\", \"P2\" or \"P3\" (got 1)");
    assertError("fail-on = \"sometimes\"\n", "fail-on: must be \"any\", \"never\"");
    assertError("fail-on = { priority = \"P9\" }\n", "fail-on.priority: must be \"P0\"");
    assertError("exclude = \"tests/**\"\n", "exclude: must be a list of strings");
    assertError("include = [1]\n", "include: must be a list of strings (got 1 in it)");
    assertError("include-contexts = [\"docs\"]\n", "include-contexts: each must be one of test, script, cli, startup (got \"docs\")");
    assertError("paths = { \"tests/**\" = { report = \"yes\" } }\n", "paths.\"tests/**\".report: must be true or false");
    assertError("paths = [\"tests\"]\n", "paths: must be a table of path globs to policies");
    assertError("blocking = { \"a.b\" = { category = \"disk\" } }\n", "blocking.\"a.b\".category: must be one of http, sleep, file");
    assertError("blocking = { \"a.{b\" = \"x\" }\n", "blocking.\"a.{b\": bad name pattern");
    assertError("blocking = { \"a.b\" = 3 }\n", "blocking.\"a.b\": must be a suggestion (a string)");
    assertError("offloaders = { \"a.run\" = -1 }\n", "offloaders.\"a.run\": must be the callable's position");
    assertError("knowledge = [\"missing.yaml\"]\n", "knowledge: no such knowledge pack file: missing.yaml");
  }

  @Test
  void invalidTomlNamesTheFileAndLine() throws IOException {
    Path f = write("loopguard.toml", "exclude = [\"a\"]\nfail-on = \n");
    assertThatThrownBy(() -> loader.load(f))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(f.toAbsolutePath().normalize() + ":2: not valid TOML:");
  }

  @Test
  void aMissingExplicitFileIsAnError() {
    assertThatThrownBy(() -> loader.load(dir.resolve("nope.toml")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("nope.toml: no such configuration file");
  }

  private void assertError(String toml, String expected) throws IOException {
    Path f = write("e" + Math.abs(toml.hashCode()) + "/loopguard.toml", toml);
    assertThatThrownBy(() -> loader.load(f))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(f.toAbsolutePath().normalize() + ": ")
        .hasMessageContaining(expected);
  }
}
