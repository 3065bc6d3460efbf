package dev.loopguard.python.report;

import dev.loopguard.core.config.Settings;
import dev.loopguard.core.engine.Knowledge;
import dev.loopguard.core.engine.Pipeline;
import dev.loopguard.core.frontend.Frontends;
import dev.loopguard.core.result.ScanResult;
import dev.loopguard.core.engine.Suppressions;
import dev.loopguard.core.result.UnusedSuppression;
import dev.loopguard.core.report.Report;
import dev.loopguard.core.report.Reporter;
import dev.loopguard.core.report.Reporters;
import dev.loopguard.core.rules.Rule;
import dev.loopguard.core.rules.Rules;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The multi-file fixture project of the report golden files, scanned as the CLI scans it. */
final class GoldenProject {
  static final Path BASE = Path.of("src/test/resources/report-golden");
  static final Path PROJECT = BASE.resolve("project");
  static final Path EXPECTED = BASE.resolve("expected");

  private GoldenProject() {}

  /** Scans {@code project} with its configuration, one thread, no timing, unused suppressions on. */
  static Report report(Path project) {
    Settings s = Settings.resolve(Frontends.all(), project.toAbsolutePath().normalize(), List.of(),
        Settings.Overrides.none().withThreads(1));
    List<Rule> rules = Rules.all();
    ScanResult raw = new Pipeline(s, new Knowledge(s.frontends()), rules).scanner().scan(s.options());
    ScanResult r = s.apply(raw);
    Set<String> ids = rules.stream().map(Rule::id).collect(Collectors.toSet());
    return new Report(r, s.root(), rules, false, s.evidence(r), null,
        Suppressions.unused(raw, s.frontends(), ids, ids, Suppressions.claimsOf(Rules.all())));
  }

  static String render(String format, Report report) throws IOException {
    Reporter reporter = Reporters.create(format, false);
    StringWriter w = new StringWriter();
    reporter.write(report, w);
    return w.toString();
  }
}
