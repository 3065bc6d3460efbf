package dev.loopguard.core.report.sarif;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loopguard.core.result.ScanResult;
import dev.loopguard.core.result.UnusedSuppression;
import dev.loopguard.core.ir.Diagnostic;
import dev.loopguard.core.ir.Span;
import dev.loopguard.core.model.ChainHop;
import dev.loopguard.core.model.Confidence;
import dev.loopguard.core.model.BlockingAttributes;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.model.Priority;
import dev.loopguard.core.report.Report;
import dev.loopguard.core.rules.Rules;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** loopguard's SARIF validates against the official SARIF 2.1.0 schema. */
class SarifSchemaTest {
  static List<Finding> findings() {
    Finding direct = new Finding("perf-004", "app/api.py", Span.of(10, 5, 10, 42), "app.api.notify", "requests.post blocks the event loop in async function app.api.notify.",
        Confidence.HIGH, Priority.P1, "request app.api.notify in app/api.py:9", null, List.of(new ChainHop("app/api.py", 10, 5, "app.api.notify", "requests.post")),
        "Use httpx.AsyncClient.post instead.", BlockingAttributes.of("http", "requests.post", "none", "httpx.AsyncClient.post", "https://www.python-httpx.org/async/", "py:requests.api", false), "0a1b2c3d4e5f");
    Finding chain = new Finding("perf-004", "my app/api.py", Span.of(11, 5, 11, 15), "app.api.notify", "backoff() blocks the event loop in async function app.api.notify: it reaches time.sleep through 1 helper.",
        Confidence.MEDIUM, Priority.P0, "websocket loop in my app/api.py:9", null, List.of(new ChainHop("my app/api.py", 11, 5, "app.api.notify", "app.util.backoff"),
            new ChainHop("app/util.py", 4, 5, "app.util.backoff", "time.sleep")),
        "Make app.util.backoff async.", BlockingAttributes.of("sleep", "time.sleep", null, null, null, "py:time.sleep", false), "ffeeddccbbaa");
    Finding low = new Finding("perf-004", "tests/test_x.py", Span.of(3, 1, 3, 9), "tests.test_x.t", "vendor.Client.get blocks the event loop in async function tests.test_x.t.",
        Confidence.LOW, Priority.P3, "async code with no known entry point", "test", List.of(new ChainHop("tests/test_x.py", 3, 1, "tests.test_x.t", "vendor.Client.get")),
        "Use an async equivalent.", BlockingAttributes.of("sdk", "vendor.Client.get", null, null, null, "py:vendor", true), "123456789abc");
    return List.of(direct, chain, low);
  }

  static String render(Report report) throws IOException {
    StringWriter w = new StringWriter();
    new SarifReporter().write(report, w);
    return w.toString();
  }

  @Test
  void findingsChainsNotesAndBaselineStateValidate() throws IOException {
    ScanResult r = new ScanResult(findings(), List.of(),
        List.of(new Diagnostic("bad.py", 3, 7, "syntax-error", "Expected ':'."),
            new Diagnostic("big.py", 0, 0, "too-large", "File is too large; skipped.")),
        new ScanResult.Stats(4, 120, 10, 3, 0.5), null);
    Report report = new Report(r, Path.of("/tmp/project"), Rules.all(), false, List.of(), 2,
        List.of(new UnusedSuppression("app/x.py", 12, "loopguard: ignore[perf-004] stale")));
    String sarif = render(report);
    assertThat(SarifSchema.violations(sarif)).isEmpty();

    JsonNode run = new ObjectMapper().readTree(sarif).get("runs").get(0);
    JsonNode rule = null;
    for (JsonNode r2 : run.at("/tool/driver/rules")) {
      if (r2.get("id").asText().equals("perf-004")) {
        rule = r2;
      }
    }
    assertThat(rule).as("perf-004 in rules[]").isNotNull();
    assertThat(rule.at("/help/markdown").asText()).contains("### Remediation");
    assertThat(rule.at("/properties/precision").asText()).isEqualTo("high");
    JsonNode results = run.get("results");
    assertThat(results).hasSize(3);
    assertThat(results.get(0).get("level").asText()).isEqualTo("error");
    assertThat(results.get(0).at("/partialFingerprints/loopguard~1v1").asText()).isEqualTo("0a1b2c3d4e5f");
    assertThat(results.get(0).has("codeFlows")).isFalse();
    assertThat(results.get(1).at("/codeFlows/0/threadFlows/0/locations")).hasSize(2);
    assertThat(results.get(1).at("/locations/0/physicalLocation/artifactLocation/uri").asText())
        .isEqualTo("my%20app/api.py");
    assertThat(results.get(2).get("level").asText()).isEqualTo("note");
    assertThat(results.get(2).at("/properties/precision").asText()).isEqualTo("low");
    assertThat(results.get(0).get("baselineState").asText()).isEqualTo("new");
    assertThat(run.at("/invocations/0/toolExecutionNotifications")).hasSize(3);
  }

  @Test
  void anEmptyScanValidates() throws IOException {
    ScanResult r = new ScanResult(List.of(), List.of(), List.of(), new ScanResult.Stats(0, 0, 0, 0, 0), null);
    String sarif = render(new Report(r, Path.of("."), Rules.all(), false));
    assertThat(SarifSchema.violations(sarif)).isEmpty();
    assertThat(new ObjectMapper().readTree(sarif).at("/runs/0/results")).isEmpty();
  }

  @Test
  void theSchemaRejectsBrokenLogs() {
    assertThat(SarifSchema.violations("{\"version\": \"2.1.0\"}")).isNotEmpty();
    assertThat(SarifSchema.violations(
        "{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {\"name\": \"x\"}},"
            + " \"results\": [{\"message\": {\"text\": \"m\"}, \"level\": \"fatal\"}]}]}")).isNotEmpty();
  }
}
