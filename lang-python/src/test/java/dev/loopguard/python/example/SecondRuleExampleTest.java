package dev.loopguard.python.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopguard.core.config.ScanOptions;
import dev.loopguard.core.engine.Knowledge;
import dev.loopguard.core.engine.Scanner;
import dev.loopguard.core.frontend.Frontends;
import dev.loopguard.core.frontend.LanguageFrontend;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.report.Report;
import dev.loopguard.core.report.Reporters;
import dev.loopguard.core.result.ScanResult;
import dev.loopguard.core.rules.Rule;
import dev.loopguard.core.rules.Rules;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/architecture.md's worked example: a second rule, written against the semantic model in
 * one package, runs beside perf-004 through the same scanner, and every report renders it.
 */
class SecondRuleExampleTest {
  private static final String APP = """
      import time
      from fastapi import FastAPI

      app = FastAPI()

      @app.get("/fast")
      async def fast():
          return {"ok": True}

      @app.get("/slow")
      async def slow():
          time.sleep(1)

      async def unused():
          return 1
      """;

  private static ScanResult scan(Path dir, List<Rule> rules) throws IOException {
    Files.writeString(dir.resolve("api.py"), APP);
    List<LanguageFrontend> frontends = Frontends.all();
    Scanner scanner = new Scanner(frontends, new Knowledge(frontends).load(List.of(), Set.of()), rules);
    return scanner.scan(ScanOptions.of(dir).withThreads(1));
  }

  @Test
  void aSecondRuleFindsWhatItIsAboutBesideTheFirst(@TempDir Path dir) throws IOException {
    List<Rule> rules = new ArrayList<>(Rules.all());
    rules.add(new AsyncWithoutAwaitRule());
    ScanResult r = scan(dir, rules);
    assertThat(r.findings()).extracting(Finding::rule, Finding::function, Finding::line)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(AsyncWithoutAwaitRule.ID, "api.fast", 7),
            org.assertj.core.groups.Tuple.tuple(AsyncWithoutAwaitRule.ID, "api.slow", 11),
            org.assertj.core.groups.Tuple.tuple("perf-004", "api.slow", 12));
    Finding fast = r.findings().stream().filter(f -> f.function().equals("api.fast")).findFirst().orElseThrow();
    assertThat(fast.subject()).isEqualTo(AsyncWithoutAwaitRule.ID);
    assertThat(fast.attribute("entry")).isEqualTo("request");
    assertThat(fast.fingerprint()).isNotBlank();
  }

  @Test
  void everyReportRendersTheSecondRule(@TempDir Path dir) throws IOException {
    List<Rule> rules = List.of(new AsyncWithoutAwaitRule());
    ScanResult r = scan(dir, rules);
    assertThat(r.findings()).hasSize(2);
    Report report = new Report(r, dir, rules, false);
    for (String format : List.of("text", "json", "sarif", "github", "audit", "inventory", "html")) {
      StringWriter out = new StringWriter();
      Reporters.create(format, false).write(report, out);
      assertThat(out.toString()).as(format).contains("api.py").containsAnyOf("api.fast", "example-001");
    }
    StringWriter json = new StringWriter();
    Reporters.create("json", false).write(report, json);
    assertThat(json.toString()).contains("\"rule\" : \"example-001\"").contains("\"entry\" : \"request\"")
        .doesNotContain("\"api\"");
    StringWriter inventory = new StringWriter();
    Reporters.create("inventory", false).write(report, inventory);
    assertThat(inventory.toString()).contains("## Async functions await something (example-001) (2)");
  }
}
