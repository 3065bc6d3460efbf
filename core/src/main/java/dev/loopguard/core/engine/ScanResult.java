package dev.loopguard.core.engine;

import dev.loopguard.core.analysis.Analysis;
import dev.loopguard.core.ir.Diagnostic;
import dev.loopguard.core.model.Finding;
import java.util.List;

/**
 * The outcome of a scan.
 *
 * @param findings reported findings, sorted by path, line, column
 * @param suppressed findings silenced by a suppression comment
 * @param diagnostics problems reading or parsing files
 * @param stats counts and time
 * @param analysis the analysis behind the findings (evidence, summaries), for reports and reviews
 */
public record ScanResult(
    List<Finding> findings,
    List<Finding> suppressed,
    List<Diagnostic> diagnostics,
    Stats stats,
    Analysis analysis) {

  public record Stats(int files, long lines, int functions, int asyncFunctions, double seconds) {}
}
