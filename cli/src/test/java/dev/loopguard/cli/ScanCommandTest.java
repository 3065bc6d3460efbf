package dev.loopguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scan and baseline commands end to end: formats, outputs, configuration, exit codes. */
class ScanCommandTest {
  @TempDir Path dir;

  private String out;
  private String err;

  @BeforeEach
  void project() throws IOException {
    write("pyproject.toml", """
        [project]
        name = "svc"

        [tool.loopguard]
        fail-on = "P1"
        """);
    write("app/__init__.py", "");
    write("app/api.py", """
        import time

        import requests
        from fastapi import FastAPI

        app = FastAPI()


        @app.post("/notify")
        async def notify(url: str):
            requests.post(url, json={"ok": True}, timeout=5)


        async def nightly():
            time.sleep(5)
        """);
  }

  private void write(String rel, String text) throws IOException {
    Path p = dir.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  private int run(String... args) {
    return run(false, Map.of(), args);
  }

  private int run(boolean terminal, Map<String, String> env, String... args) {
    CliRun r = CliRun.of(dir, env, terminal, args);
    out = r.out();
    err = r.err();
    return r.code();
  }

  @Test
  void textByDefaultGroupedByRootCauseWithASummaryTable() {
    assertThat(run("scan", "--no-timing", "--threads", "1")).isEqualTo(1);
    assertThat(out).contains("── P1: per request (1 root cause)")
        .contains("── P2: background or other async work (1 root cause)")
        .contains("app/api.py:11:5: perf-004 [high P1] requests.post blocks the event loop")
        .contains("Findings by category and priority:")
        .contains("2 findings reaching 2 root causes in 1 file");
    assertThat(err).isEmpty();
    assertThat(out).doesNotContain("\u001b[");
  }

  @Test
  void lowConfidenceFindingsAreShownOnlyWhenAskedFor() throws IOException {
    write("app/plugins.py", """
        import importlib


        async def load(name: str):
            return importlib.import_module("app.plugins." + name)
        """);
    assertThat(run("scan", "--no-timing", "--format", "json")).isEqualTo(1);
    assertThat(out).contains("\"requests.post\"").doesNotContain("importlib.import_module");
    // the user is told what the default leaves out, and how to see it
    assertThat(err).contains("loopguard: 1 finding below the minimum confidence (medium) not reported;"
        + " --min-confidence low shows it.");
    assertThat(run("scan", "--no-timing", "--format", "json", "--min-confidence", "low"))
        .isEqualTo(1);
    assertThat(out).contains("\"api\" : \"importlib.import_module\"")
        .contains("\"confidence\" : \"low\"");
    assertThat(err).doesNotContain("below the minimum confidence");
  }

  @Test
  void failOnDecidesTheExitCode() {
    assertThat(run("scan", "--fail-on", "P0")).isZero();
    assertThat(run("scan", "--fail-on", "never")).isZero();
    assertThat(run("scan", "--fail-on", "any")).isEqualTo(1);
    assertThat(run("scan", "--min-priority", "P1", "--fail-on", "P2")).isEqualTo(1);
    assertThat(run("scan", "--fail-on", "sometimes")).isEqualTo(2);
    assertThat(err).contains("--fail-on takes any, never");
  }

  @Test
  void severalFormatsAtOnce() throws IOException {
    assertThat(run("scan", "--no-timing", "--format", "text", "--format", "json=reports/out.json",
        "--format", "sarif=reports/out.sarif")).isEqualTo(1);
    assertThat(out).contains("2 findings reaching 2 root causes in 1 file");
    JsonNode json = new ObjectMapper().readTree(dir.resolve("reports/out.json").toFile());
    assertThat(json.get("findings")).hasSize(2);
    assertThat(json.at("/findings/0/priority").asText()).isEqualTo("P1");
    assertThat(json.at("/findings/0/timeout").asText()).isEqualTo("5s");
    assertThat(Files.readString(dir.resolve("reports/out.sarif"))).contains("\"version\" : \"2.1.0\"");

    assertThat(run("scan", "--no-timing", "--output-dir", "all", "--format",
        "text,json,sarif,github,audit,inventory,html")).isEqualTo(1);
    assertThat(out).isEmpty();
    assertThat(dir.resolve("all")).isDirectoryContaining("glob:**/loopguard.txt")
        .isDirectoryContaining("glob:**/loopguard.sarif").isDirectoryContaining("glob:**/loopguard-audit.md")
        .isDirectoryContaining("glob:**/loopguard-inventory.md").isDirectoryContaining("glob:**/loopguard.html")
        .isDirectoryContaining("glob:**/loopguard-github.txt").isDirectoryContaining("glob:**/loopguard.json");
    assertThat(Files.readString(dir.resolve("all/loopguard-github.txt"))).startsWith("::error file=app/api.py,line=11");

    assertThat(run("scan", "--format", "text,json")).isEqualTo(2);
    assertThat(err).contains("several formats (text, json) need --output-dir DIR or FORMAT=FILE");
    assertThat(run("scan", "--format", "pdf")).isEqualTo(2);
    assertThat(err).contains("--format takes text, json, sarif, github, audit, inventory, html (got pdf)");
  }

  @Test
  void colourOnlyOnATerminalAndNeverWithNoColor() {
    run(true, Map.of(), "scan", "--no-timing");
    assertThat(out).contains("\u001b[");
    run(true, Map.of("NO_COLOR", "1"), "scan", "--no-timing");
    assertThat(out).doesNotContain("\u001b[");
    run(false, Map.of(), "scan", "--no-timing", "--color", "always");
    assertThat(out).contains("\u001b[");
    assertThat(err).isEmpty(); // a scan under a second shows no progress bar
  }

  @Test
  void configurationErrorsNameTheFileAndKey() throws IOException {
    write("pyproject.toml", "[tool.loopguard]\nmin_confidence = \"high\"\n");
    assertThat(run("scan")).isEqualTo(2);
    assertThat(err).contains("pyproject.toml: tool.loopguard.min_confidence: unknown key; did you mean 'min-confidence'?");
    write("pyproject.toml", "[tool.loopguard]\nmin-confidence = \"sure\"\n");
    assertThat(run("scan")).isEqualTo(2);
    assertThat(err).contains("pyproject.toml: tool.loopguard.min-confidence: must be \"high\", \"medium\" or \"low\"");
    assertThat(run("scan", "--no-config")).isEqualTo(1);
  }

  @Test
  void configurationAddsBlockingFunctionsAndPathPolicies() throws IOException {
    write("loopguard.toml", """
        [blocking]
        "vendor.fetch" = { suggestion = "vendor.aio.fetch", category = "http" }
        [paths."app/api.py"]
        priority = "P2"
        """);
    write("app/jobs.py", """
        import vendor


        async def sync_all():
            vendor.fetch("x")
        """);
    assertThat(run("scan", "--no-timing", "--format", "json", "--fail-on", "P1")).isZero();
    assertThat(out).contains("\"api\" : \"vendor.fetch\"").contains("\"replacement\" : \"vendor.aio.fetch\"");
    assertThat(out).doesNotContain("\"priority\" : \"P1\",\n    \"context\" : \"request");
  }

  @Test
  void baselineWriteThenOnlyNewFindings() throws IOException {
    assertThat(run("baseline", "write", "loopguard-baseline.json")).isZero();
    assertThat(err).contains("wrote 2 findings to loopguard-baseline.json");
    assertThat(run("scan", "--baseline", "loopguard-baseline.json", "--no-timing")).isZero();
    assertThat(out).contains("No blocking calls found on the event loop").contains("2 in the baseline");

    String api = Files.readString(dir.resolve("app/api.py"));
    write("app/api.py", "# a comment that moves every line\n\n" + api.replace(
        "    requests.post(url, json={\"ok\": True}, timeout=5)\n",
        "    requests.post(url, json={\"ok\": True}, timeout=5)\n    open(\"/tmp/x\").read()\n"));
    assertThat(run("scan", "--baseline", "loopguard-baseline.json", "--no-timing", "--format", "json")).isEqualTo(1);
    JsonNode json = new ObjectMapper().readTree(out);
    assertThat(json.get("findings")).allSatisfy(f -> assertThat(f.get("line").asInt()).isEqualTo(14));
    assertThat(json.at("/stats/baselined").asInt()).isEqualTo(2);
  }

  @Test
  void aCorruptOrMissingBaselineIsAnError() throws IOException {
    write("bad.json", "{\"loopguard-baseline\": 1, \"findings\": [}");
    assertThat(run("scan", "--baseline", "bad.json")).isEqualTo(2);
    assertThat(err).contains("bad.json").contains("not valid JSON");
    assertThat(run("scan", "--baseline", "nope.json")).isEqualTo(2);
    assertThat(err).contains("nope.json: cannot read the baseline: no such file");
  }

  @Test
  void unusedSuppressionsOnRequest() throws IOException {
    write("app/util.py", "def f():\n    return 1  # loopguard: ignore[perf-004] stale\n");
    assertThat(run("scan", "--no-timing")).isEqualTo(1);
    assertThat(out).doesNotContain("unused-suppression");
    assertThat(run("scan", "--no-timing", "--report-unused-suppressions")).isEqualTo(1);
    assertThat(out).contains("app/util.py:2: unused-suppression: 'loopguard: ignore[perf-004] stale' silences nothing.")
        .contains("1 unused suppression");
  }
}
