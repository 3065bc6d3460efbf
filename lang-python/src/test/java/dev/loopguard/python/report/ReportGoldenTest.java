package dev.loopguard.python.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopguard.core.report.Report;
import dev.loopguard.core.report.Reporters;
import dev.loopguard.core.report.sarif.SarifSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every report format on one multi-file project, compared byte for byte with the files in
 * {@code report-golden/expected/}. Regenerate them with {@code -Dloopguard.updateGoldens=true}
 * and review the diff.
 */
class ReportGoldenTest {
  private static final boolean UPDATE = Boolean.getBoolean("loopguard.updateGoldens");
  private static Report report;

  @BeforeAll
  static void scan() {
    report = GoldenProject.report(GoldenProject.PROJECT);
  }

  @TestFactory
  Stream<DynamicTest> everyFormatMatchesItsGoldenFile() {
    return Reporters.FORMATS.stream().map(format -> DynamicTest.dynamicTest(format, () -> {
      String actual = GoldenProject.render(format, report);
      Path golden = GoldenProject.EXPECTED.resolve(Reporters.fileName(format));
      if (UPDATE) {
        Files.createDirectories(golden.getParent());
        Files.writeString(golden, actual, StandardCharsets.UTF_8);
      }
      assertThat(golden).as("golden file %s (regenerate with -Dloopguard.updateGoldens=true)", golden).exists();
      assertThat(actual).as("format %s differs from %s", format, golden)
          .isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }));
  }

  @Test
  void theProjectCoversWhatTheReportsShow() {
    var findings = report.result().findings();
    assertThat(findings).extracting(f -> f.category()).contains("http", "sleep", "file", "subprocess", "sdk", "thread-wait");
    assertThat(findings).anySatisfy(f -> assertThat(f.chain()).hasSizeGreaterThan(1));
    assertThat(findings).anySatisfy(f -> assertThat(f.attribute("timeout")).isEqualTo("5s"));
    assertThat(findings).anySatisfy(f -> assertThat(f.excludedAs()).isEqualTo("test"));
    assertThat(report.evidence()).anySatisfy(e -> assertThat(e.kind()).isEqualTo("offload"));
    assertThat(report.evidence()).anySatisfy(e -> assertThat(e.kind()).isEqualTo("async-api"));
    assertThat(report.result().suppressed()).hasSize(3);
    // app/catalog.py: one helper reached from four handlers, handlers reaching several root
    // causes, and a memoised client reached only once per process.
    assertThat(report.rootCauses()).anySatisfy(rc -> assertThat(rc.paths()).isEqualTo(4));
    assertThat(findings).anySatisfy(f -> assertThat(f.causes()).hasSizeGreaterThan(2));
    assertThat(report.rootCauses()).anySatisfy(rc -> {
      assertThat(rc.once()).isTrue();
      assertThat(rc.paths()).isGreaterThan(1);
    });
    assertThat(report.unusedSuppressions()).singleElement()
        .satisfies(u -> assertThat(u.text()).contains("stale"));
  }

  @Test
  void sarifValidatesAgainstTheOfficialSchema() throws IOException {
    assertThat(SarifSchema.violations(GoldenProject.render("sarif", report))).isEmpty();
  }

  @Test
  void htmlLoadsNothingFromOutside() throws IOException {
    String html = GoldenProject.render("html", report);
    Matcher m = Pattern.compile("(?i)(?:src|href)\\s*=\\s*[\"']?([^\"' >]+)").matcher(html);
    while (m.find()) {
      assertThat(m.group(1)).as("external reference").doesNotContainPattern("^(?i)(https?:)?//");
    }
    assertThat(html).doesNotContain("<link").doesNotContain("@import").doesNotContain("<script src");
  }

  @Test
  void noOutputNamesTheMachine() throws IOException {
    String root = GoldenProject.PROJECT.toAbsolutePath().normalize().toString();
    for (String format : Reporters.FORMATS) {
      assertThat(GoldenProject.render(format, report)).as(format).doesNotContain(root);
    }
  }
}
