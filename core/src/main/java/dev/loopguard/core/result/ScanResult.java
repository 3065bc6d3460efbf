package dev.loopguard.core.result;

import dev.loopguard.core.analysis.ExecutionContext;
import dev.loopguard.core.analysis.SemanticModel;
import dev.loopguard.core.ir.Diagnostic;
import dev.loopguard.core.model.EvidenceSite;
import dev.loopguard.core.model.Finding;
import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of a scan.
 *
 * @param findings reported findings, sorted by path, line, column
 * @param suppressed findings silenced by a suppression comment
 * @param diagnostics problems reading or parsing files
 * @param stats counts and time
 * @param model the semantic model behind the findings (call graph, execution context), for
 *     reviews; null when the scan reused an earlier result
 * @param evidence what event-loop code already does right (offloads, awaited async APIs)
 * @param modules the lowered modules
 * @param reused whether nothing changed since the last scan, so its result was reused
 */
public record ScanResult(
    List<Finding> findings,
    List<Finding> suppressed,
    List<Diagnostic> diagnostics,
    Stats stats,
    SemanticModel model,
    List<EvidenceSite> evidence,
    ModuleSource modules,
    boolean reused) {

  /** A fresh result: evidence and modules come from {@code model} (may be null). */
  public ScanResult(List<Finding> findings, List<Finding> suppressed, List<Diagnostic> diagnostics,
      Stats stats, SemanticModel model) {
    this(findings, suppressed, diagnostics, stats, model, evidenceOf(model),
        model == null ? ModuleSource.NONE : ModuleSource.of(model.project().modules()), false);
  }

  /** This result with other findings and suppressed findings. */
  public ScanResult withFindings(List<Finding> findings, List<Finding> suppressed) {
    return new ScanResult(findings, suppressed, diagnostics, stats, model, evidence, modules, reused);
  }

  /** This result with other diagnostics. */
  public ScanResult withDiagnostics(List<Diagnostic> diagnostics) {
    return new ScanResult(findings, suppressed, diagnostics, stats, model, evidence, modules, reused);
  }

  /**
   * What was scanned, and how long it took. {@code foldersResolved}: folders whose calls were
   * resolved in this scan; {@code foldersReused}: folders whose call targets a scan with the
   * cache took from the last scan, since nothing they depend on changed.
   */
  public record Stats(int files, long lines, int functions, int asyncFunctions, double seconds,
      int foldersResolved, int foldersReused) {
    public Stats(int files, long lines, int functions, int asyncFunctions, double seconds) {
      this(files, lines, functions, asyncFunctions, seconds, 0, 0);
    }
  }

  /** The evidence of a model's execution context, in its order. */
  public static List<EvidenceSite> evidenceOf(SemanticModel model) {
    if (model == null) {
      return List.of();
    }
    List<EvidenceSite> out = new ArrayList<>(model.context().evidence().size());
    for (ExecutionContext.Evidence e : model.context().evidence()) {
      out.add(new EvidenceSite(e.kind(), e.module().path(), e.site().index(), e.site().span().line(),
          e.function().ir().qualifiedName(), e.api()));
    }
    return List.copyOf(out);
  }
}
