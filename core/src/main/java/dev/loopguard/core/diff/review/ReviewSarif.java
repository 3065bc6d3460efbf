package dev.loopguard.core.diff.review;

import dev.loopguard.core.diff.review.ReviewResult.SideDiagnostic;
import dev.loopguard.core.result.ScanResult;
import dev.loopguard.core.ir.Diagnostic;
import dev.loopguard.core.model.ChainHop;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.report.Report;
import dev.loopguard.core.report.sarif.SarifReporter;
import dev.loopguard.core.rules.Rule;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * SARIF for a review: the findings the change adds (and the head's diagnostics in changed
 * files), written by the scan's {@link SarifReporter}, so that code scanning annotates only what
 * the pull request introduces.
 */
public final class ReviewSarif {
  private ReviewSarif() {}

  /**
   * Writes the new findings of {@code r}. {@code uriPrefix} is put before every path (the reviewed
   * folder relative to the repository root, {@code /}-terminated, or empty), so that locations
   * are relative to the repository as code scanning expects.
   */
  public static void write(ReviewResult r, List<Rule> rules, Path root, String uriPrefix, Writer out)
      throws IOException {
    List<Finding> findings = new ArrayList<>();
    for (Finding f : r.newFindings()) {
      findings.add(prefixed(f, uriPrefix));
    }
    List<Diagnostic> diagnostics = new ArrayList<>();
    for (SideDiagnostic d : r.diagnostics()) {
      if (d.side().equals("head")) {
        Diagnostic x = d.diagnostic();
        diagnostics.add(new Diagnostic(uriPrefix + x.path(), x.line(), x.column(), x.kind(), x.message()));
      }
    }
    ScanResult.Stats stats = new ScanResult.Stats(r.stats().headFiles(), 0, 0, 0, r.stats().seconds());
    ScanResult result = new ScanResult(List.copyOf(findings), List.of(), List.copyOf(diagnostics), stats, null);
    new SarifReporter().write(new Report(result, root, rules, false), out);
  }

  private static Finding prefixed(Finding f, String prefix) {
    if (prefix.isEmpty()) {
      return f;
    }
    List<ChainHop> chain = new ArrayList<>();
    for (ChainHop h : f.chain()) {
      chain.add(new ChainHop(prefix + h.path(), h.line(), h.column(), h.function(), h.call()));
    }
    return f.withPath(prefix + f.path(), List.copyOf(chain));
  }
}
