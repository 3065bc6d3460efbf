package dev.loopguard.python.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.loopguard.core.model.Finding;
import dev.loopguard.core.report.Report;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads the HTML report of the golden project in headless Chromium and reads the rows it
 * renders: every finding is a row, the script ran (sorted by priority, marked ready), and a
 * filter in the address fragment hides the other rows. Skipped when Chromium is not installed
 * ({@code .ci/run} installs Debian's {@code chromium}).
 */
class HtmlChromiumTest {
  private static final Pattern ROW = Pattern.compile("<tr class=\"finding\"([^>]*)>");

  private static Report report;

  @TempDir Path tmp;

  @BeforeAll
  static void scan() {
    report = GoldenProject.report(GoldenProject.PROJECT);
  }

  private static Path chromium() {
    for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
      for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) {
          return p;
        }
      }
    }
    return null;
  }

  private String dumpDom(Path html, String fragment) throws IOException, InterruptedException {
    Path chrome = chromium();
    assumeTrue(chrome != null, "chromium is not installed: skipping the HTML report check"
        + " (apt-get install chromium; .ci/run installs it)");
    Path profile = Files.createTempDirectory(tmp, "profile");
    Path out = tmp.resolve("dom-" + System.nanoTime() + ".html");
    Path err = tmp.resolve("chromium.log");
    List<String> cmd = new ArrayList<>(List.of(chrome.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync",
        "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--dump-dom",
        html.toUri() + (fragment == null ? "" : "#" + fragment)));
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish within 120 s");
    }
    String dom = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(dom).as("chromium output (exit %d; log %s)", p.exitValue(), Files.readString(err)).contains("</html>");
    return dom;
  }

  private Path htmlFile() throws IOException {
    Path html = tmp.resolve("loopguard.html");
    Files.writeString(html, GoldenProject.render("html", report), StandardCharsets.UTF_8);
    return html;
  }

  private static List<String> rows(String dom) {
    List<String> out = new ArrayList<>();
    Matcher m = ROW.matcher(dom);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static String attr(String attrs, String name) {
    Matcher m = Pattern.compile("\\b" + name + "=\"([^\"]*)\"").matcher(attrs);
    return m.find() ? m.group(1) : null;
  }

  @Test
  void rendersEveryFindingAsARowSortedByPriority() throws Exception {
    String dom = dumpDom(htmlFile(), null);
    assertThat(dom).contains("data-ready=\"true\"").contains("data-sorted=\"priority-asc\"");
    List<String> rows = rows(dom);
    List<Finding> findings = report.result().findings();
    assertThat(rows).hasSize(findings.size());
    List<String> priorities = rows.stream().map(r -> attr(r, "data-priority")).toList();
    assertThat(priorities).isSorted();
    assertThat(priorities).containsExactlyInAnyOrderElementsOf(
        findings.stream().map(f -> f.priority().label()).toList());
    assertThat(rows).noneMatch(r -> r.contains("hidden"));
    assertThat(dom).contains("<span id=\"shown\">" + findings.size() + "</span>");
    assertThat(dom).contains("<details class=\"chain\">");
    assertThat(dom).contains("<svg id=\"chart-svg\"");
  }

  @Test
  void aFilterInTheFragmentHidesTheOtherRows() throws Exception {
    String dom = dumpDom(htmlFile(), "category=sleep");
    List<String> rows = rows(dom);
    long sleeps = report.result().findings().stream().filter(f -> f.category().equals("sleep")).count();
    assertThat(sleeps).isPositive();
    List<String> visible = rows.stream().filter(r -> !r.contains("hidden")).toList();
    assertThat(visible).hasSize((int) sleeps).allMatch(r -> "sleep".equals(attr(r, "data-category")));
    assertThat(dom).contains("<span id=\"shown\">" + sleeps + "</span>");
  }
}
