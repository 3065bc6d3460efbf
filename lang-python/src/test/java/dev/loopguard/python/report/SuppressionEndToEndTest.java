package dev.loopguard.python.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopguard.core.config.Settings;
import dev.loopguard.core.engine.Knowledge;
import dev.loopguard.core.engine.Pipeline;
import dev.loopguard.core.frontend.Frontends;
import dev.loopguard.core.result.ScanResult;
import dev.loopguard.core.engine.Suppressions;
import dev.loopguard.core.result.UnusedSuppression;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.rules.Rules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Suppression comments on real Python code: loopguard's own, noqa, whole functions, unused ones. */
class SuppressionEndToEndTest {
  @TempDir Path dir;

  private static final String CODE = """
      import time


      async def handler():
          time.sleep(1)  # loopguard: ignore[perf-004] warm-up, measured at 2 ms
          time.sleep(2)  # noqa
          time.sleep(3)  # noqa: ASYNC251
          time.sleep(4)  # noqa: E501
          time.sleep(5)  # loopguard: ignore[perf-001]
          time.sleep(6)  # loopguard:ignore
          time.sleep(7)  # noqa:perf-004


      async def boot():  # loopguard: ignore[perf-004] runs once before traffic
          time.sleep(8)
          time.sleep(9)


      def helper():
          x = 1  # loopguard: ignore[perf-004] nothing here
          y = 2  # noqa: E731
          return x + y  # loopguard: ignore[perf-001] another rule
      """;

  private ScanResult raw;
  private ScanResult reported;
  private Settings settings;

  private void scan() throws IOException {
    Files.writeString(dir.resolve("svc.py"), CODE);
    settings = Settings.resolve(Frontends.all(), dir, List.of(), Settings.Overrides.none().withThreads(1));
    raw = new Pipeline(settings, new Knowledge(settings.frontends())).scanner().scan(settings.options());
    reported = settings.apply(raw);
  }

  @Test
  void anUnclosedRuleListSilencesNothingAndIsADiagnostic() throws IOException {
    Files.writeString(dir.resolve("svc.py"), "import time\n\nasync def handler():\n"
        + "    time.sleep(1)  # loopguard: ignore[perf-004\n    requests_get = 1\n");
    settings = Settings.resolve(Frontends.all(), dir, List.of(), Settings.Overrides.none().withThreads(1));
    ScanResult r = settings.apply(new Pipeline(settings, new Knowledge(settings.frontends())).scanner().scan(settings.options()));
    assertThat(r.findings()).extracting(Finding::line).containsExactly(4);
    assertThat(r.suppressed()).isEmpty();
    assertThat(r.diagnostics()).anySatisfy(d -> {
      assertThat(d.kind()).isEqualTo("bad-suppression");
      assertThat(d.line()).isEqualTo(4);
    });
  }

  @Test
  void suppressionCommentsSilenceTheirLinesAndFunctions() throws IOException {
    scan();
    assertThat(reported.findings()).extracting(Finding::line).containsExactly(8, 9);
    assertThat(reported.suppressed()).extracting(Finding::line).containsExactly(5, 6, 7, 10, 11, 15, 16);
  }

  @Test
  void unusedSuppressionsAreOnlyLoopguardsOwnForRulesThatRan() throws IOException {
    scan();
    Set<String> ran = Set.of("perf-004");
    List<UnusedSuppression> unused = Suppressions.unused(raw, settings.frontends(), ran, ran, Suppressions.claimsOf(Rules.all()));
    assertThat(unused).extracting(UnusedSuppression::line).containsExactly(9, 20, 22);
    // perf-001 is not a known rule: a typo, reported; a known rule that did not run is left out.
    List<UnusedSuppression> known = Suppressions.unused(raw, settings.frontends(), ran, Set.of("perf-004", "perf-001"), Suppressions.claimsOf(Rules.all()));
    assertThat(known).extracting(UnusedSuppression::line).containsExactly(20);
  }
}
