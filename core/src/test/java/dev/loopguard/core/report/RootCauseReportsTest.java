package dev.loopguard.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loopguard.core.ir.Span;
import dev.loopguard.core.model.BlockingAttributes;
import dev.loopguard.core.model.Cause;
import dev.loopguard.core.model.ChainHop;
import dev.loopguard.core.model.Confidence;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.model.Priority;
import dev.loopguard.core.report.sarif.SarifSchema;
import dev.loopguard.core.result.ScanResult;
import dev.loopguard.core.rules.Rules;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The formats for people group findings by root cause: a helper reached from seven handlers is
 * one root cause listing its first paths and naming the rest; a handler that reaches several root
 * causes shows under each; a root cause reached only once per process says so at P3.
 */
class RootCauseReportsTest {
  private static final int HANDLERS = 7;

  /** Handler {@code h<i>} at app/h.py:<10 i> calls lib.helper, which sleeps (lib.py:5). */
  private static Cause sleep(int i) {
    return new Cause("rc-sleep", "lib.py", 5, 5, "lib.helper", 4, "time.sleep", "sleep",
        Confidence.MEDIUM, false, List.of(entry(i, "lib.helper"),
            new ChainHop("lib.py", 5, 5, "lib.helper", "time.sleep")));
  }

  private static ChainHop entry(int i, String call) {
    return new ChainHop("app/h.py", 10 * i, 5, "app.h" + i, call);
  }

  private static List<Finding> findings() {
    List<Finding> out = new ArrayList<>();
    for (int i = 1; i <= HANDLERS; i++) {
      List<Cause> causes = new ArrayList<>(List.of(sleep(i)));
      if (i == 1) {
        // h1 also reaches an HTTP call in the helper, and a client made once per process.
        causes.add(new Cause("rc-http", "lib.py", 6, 12, "lib.helper", 4, "requests.get", "http",
            Confidence.MEDIUM, false, List.of(entry(1, "lib.helper"),
                new ChainHop("lib.py", 6, 12, "lib.helper", "requests.get"))));
        causes.add(new Cause("rc-once", "lib.py", 12, 12, "lib.client", 11, "boto3.client", "sdk",
            Confidence.MEDIUM, true, List.of(entry(1, "lib.helper"),
                new ChainHop("lib.py", 7, 5, "lib.helper", "lib.client"),
                new ChainHop("lib.py", 12, 12, "lib.client", "boto3.client"))));
      }
      out.add(new Finding("perf-004", "app/h.py", Span.of(10 * i, 5, 10 * i, 18), "app.h" + i,
          "helper() blocks the event loop in async function app.h" + i + ".", Confidence.MEDIUM,
          Priority.P1, "request handler app.h" + i, null, sleep(i).chain(),
          "Make lib.helper async.", BlockingAttributes.of("sleep", "time.sleep", null, null, null,
              "py:time.sleep", false), "fp" + i, causes));
    }
    return out;
  }

  private static Report report() {
    ScanResult r = new ScanResult(findings(), List.of(), List.of(),
        new ScanResult.Stats(2, 100, 9, 7, 0.1), null);
    return new Report(r, Path.of("/nonexistent"), Rules.all(), false);
  }

  private static String render(String format) throws IOException {
    StringWriter w = new StringWriter();
    Reporters.create(format, false).write(report(), w);
    return w.toString();
  }

  private static long count(String text, String needle) {
    return Arrays.stream(text.split("\n", -1)).filter(l -> l.contains(needle)).count();
  }

  @Test
  void textListsTheFirstPathsOfARootCauseAndNamesTheRest() throws IOException {
    String text = render("text");
    assertThat(text).contains("lib.py:5:5: perf-004 [medium P1] root cause time.sleep in lib.helper: 7 paths\n")
        .contains("    and 2 more paths, from app.h6 (app/h.py:60), app.h7 (app/h.py:70)\n")
        .contains("root cause boto3.client in lib.client: 1 path, one-time initialisation")
        .contains("[medium P3] request handler app.h1; one-time initialisation")
        .contains("also reaches requests.get (lib.py:6), boto3.client (lib.py:12)")
        .contains("7 findings reaching 3 root causes in 1 file");
    // 5 paths to the sleep, 1 each to the HTTP call and the one-time client.
    assertThat(count(text, "    path from ")).isEqualTo(7);
    // The fix of the findings whose chain leads to the sleep, under the sleep only.
    assertThat(count(text, "    fix: Make lib.helper async.")).isEqualTo(1);
    assertThat(text.indexOf("time.sleep in lib.helper")).isLessThan(text.indexOf("requests.get in lib.helper"));
    assertThat(text.indexOf("── P1")).isLessThan(text.indexOf("── P3"));
  }

  @Test
  void githubAnnotatesEachRootCauseOnceAtItsPlace() throws IOException {
    String gh = render("github");
    List<String> annotations = Arrays.stream(gh.split("\n")).filter(l -> l.startsWith("::")).toList();
    assertThat(annotations).hasSize(3);
    assertThat(annotations.get(0)).startsWith("::error file=lib.py,line=5,col=5,title=perf-004 [medium P1] time.sleep%3A 7 paths::")
        .contains("hottest: app.h1 at app/h.py:10:5").contains("%0Aand 2 more paths");
    assertThat(annotations.get(2)).startsWith("::warning file=lib.py,line=12,");
    assertThat(annotations.get(0)).contains("; also reaches requests.get (lib.py:6), boto3.client (lib.py:12)%0A");
  }

  @Test
  void sarifRelatesEachResultToItsRootCausesWithOneCodeFlowEach() throws IOException {
    String sarif = render("sarif");
    assertThat(SarifSchema.violations(sarif)).isEmpty();
    JsonNode first = new ObjectMapper().readTree(sarif).at("/runs/0/results/0");
    assertThat(first.get("relatedLocations")).hasSize(3);
    assertThat(first.at("/relatedLocations/0/message/text").asText())
        .isEqualTo("Root cause: time.sleep in lib.helper (P1, medium confidence, 7 paths).");
    assertThat(first.at("/relatedLocations/2/physicalLocation/region/startLine").asInt()).isEqualTo(12);
    assertThat(first.get("codeFlows")).hasSize(3);
    assertThat(first.at("/codeFlows/2/threadFlows/0/locations")).hasSize(3);
    assertThat(first.at("/properties/rootCauses").toString()).isEqualTo("[\"rc-sleep\",\"rc-http\",\"rc-once\"]");
    JsonNode second = new ObjectMapper().readTree(sarif).at("/runs/0/results/1");
    assertThat(second.get("relatedLocations")).hasSize(1);
    assertThat(second.get("codeFlows")).hasSize(1);
  }

  @Test
  void inventoryHasOneRowPerRootCauseWithItsEntryPoints() throws IOException {
    String inv = render("inventory");
    assertThat(count(inv, "| `lib.py:5` | `time.sleep` in `lib.helper` | `app.h1` (`app/h.py:10`), "
        + "`app.h2` (`app/h.py:20`), `app.h3` (`app/h.py:30`), `app.h4` (`app/h.py:40`), "
        + "`app.h5` (`app/h.py:50`) and 2 more |")).isEqualTo(1);
    assertThat(inv).contains("3 blocking calls to change (P1: 2, P3: 1), reached from 7 call sites")
        .contains("| **P3** | `lib.py:12` | `boto3.client` in `lib.client` | `app.h1` (`app/h.py:10`) |")
        .contains("rarely, once per process |");
  }

  @Test
  void auditsKeyFindingsAreTheHottestRootCauses() throws IOException {
    String audit = render("audit");
    assertThat(audit).contains("1. **P1** `lib.py:5` — `time.sleep` in `lib.helper` is reached on 7 paths from "
            + "`app.h1`, `app.h2`, `app.h3` and 4 more. (Sleep, medium confidence)")
        .contains("3. **P3** `lib.py:12` — `boto3.client`")
        .contains("2 blocking calls run on hot paths (P0 or P1) of the event loop, reached from 7 call sites");
  }

  @Test
  void htmlListsRootCausesAndLinksFindingsToThem() throws IOException {
    String html = render("html");
    assertThat(html).contains("<tr class=\"root-cause\" id=\"rc-rc-sleep\" data-priority=\"P1\">")
        .contains("<summary>7 paths</summary>").contains("<summary>1 path, one-time initialisation</summary>")
        .contains("<a href=\"#rc-rc-once\"><code>boto3.client</code> lib.py:12</a>");
  }

  @Test
  void operationsOfOneHelperReachedByTheSamePathsReadAsOneBlock() throws IOException {
    List<Finding> findings = new ArrayList<>();
    for (int i = 1; i <= 2; i++) {
      List<Cause> causes = new ArrayList<>();
      for (int line = 5; line <= 7; line++) {
        causes.add(new Cause("rc-" + line, "lib.py", line, 5, "lib.helper", 4, "os.op" + line,
            "file", Confidence.MEDIUM, false, List.of(entry(i, "lib.helper"),
                new ChainHop("lib.py", line, 5, "lib.helper", "os.op" + line))));
      }
      findings.add(new Finding("perf-004", "app/h.py", Span.of(10 * i, 5, 10 * i, 18), "app.h" + i,
          "helper() blocks the event loop in async function app.h" + i + ".", Confidence.MEDIUM,
          Priority.P1, "request handler app.h" + i, null, causes.get(0).chain(),
          "Make lib.helper async.", BlockingAttributes.of("file", "os.op5", null, null, null,
              "py:os", false), "fp" + i, causes));
    }
    ScanResult r = new ScanResult(findings, List.of(), List.of(),
        new ScanResult.Stats(2, 100, 9, 2, 0.1), null);
    StringWriter w = new StringWriter();
    Reporters.create("text", false).write(new Report(r, Path.of("/nonexistent"), Rules.all(), false), w);
    String text = w.toString();
    assertThat(text).contains("lib.py:5:5: perf-004 [medium P1] 3 root causes in lib.helper: 2 paths each\n"
            + "    lib.py:5:5 os.op5 [medium]\n    lib.py:6:5 os.op6 [medium]\n    lib.py:7:5 os.op7 [medium]\n"
            + "    path from app.h1 at app/h.py:10:5 [medium P1] request handler app.h1\n"
            + "      app.h1 calls lib.helper  (app/h.py:10)\n")
        .contains("── P1: per request (3 root causes)")
        .contains("2 findings reaching 3 root causes");
    assertThat(count(text, "    path from ")).isEqualTo(2);
    assertThat(count(text, "also reaches")).isZero();
    assertThat(count(text, "    fix: Make lib.helper async.")).isEqualTo(1);
  }

  @Test
  void theCaretRunsToTheCallsClosingBracket() {
    assertThat(RootCauses.callWidth("    x = requests.get(f(a), b=[1]) or 2", 9)).isEqualTo(25);
    assertThat(RootCauses.callWidth("    fh.read", 5)).isEqualTo(7);
    assertThat(RootCauses.callWidth("    call(a,", 5)).isEqualTo(7);
  }
}
