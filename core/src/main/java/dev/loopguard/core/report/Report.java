package dev.loopguard.core.report;

import dev.loopguard.core.model.RootCause;
import dev.loopguard.core.result.ScanResult;
import dev.loopguard.core.result.UnusedSuppression;
import dev.loopguard.core.model.EvidenceSite;
import dev.loopguard.core.model.Observations;
import dev.loopguard.core.model.UndescribedCall;
import dev.loopguard.core.rules.Rule;
import java.nio.file.Path;
import java.util.List;

/**
 * What a reporter renders: a scan's result, the root its paths are relative to (to show source
 * lines), the rules that ran (for their cards), and whether timing may appear in the output.
 *
 * @param evidence what event-loop code already does right (offloads, awaited async APIs), in the
 *     files whose findings are reported
 * @param baselined number of findings left out because the baseline holds them, or null when no
 *     baseline was used
 * @param unusedSuppressions suppression comments that silenced nothing, or null when not asked for
 * @param observed run-time observations of findings ({@code scan --evidence}); never null
 * @param unknownCalls external calls on the event loop that no fact describes, or null when not
 *     computed
 */
public record Report(
    ScanResult result,
    Path root,
    List<Rule> rules,
    boolean timing,
    List<EvidenceSite> evidence,
    Integer baselined,
    List<UnusedSuppression> unusedSuppressions,
    Observations observed,
    List<UndescribedCall> unknownCalls) {

  public Report {
    observed = observed == null ? Observations.NONE : observed;
  }

  /** A report without the calls no fact describes (not computed). */
  public Report(ScanResult result, Path root, List<Rule> rules, boolean timing,
      List<EvidenceSite> evidence, Integer baselined, List<UnusedSuppression> unusedSuppressions,
      Observations observed) {
    this(result, root, rules, timing, evidence, baselined, unusedSuppressions, observed, null);
  }

  /** A report without run-time observations. */
  public Report(ScanResult result, Path root, List<Rule> rules, boolean timing,
      List<EvidenceSite> evidence, Integer baselined, List<UnusedSuppression> unusedSuppressions) {
    this(result, root, rules, timing, evidence, baselined, unusedSuppressions, Observations.NONE);
  }

  /** A report of every finding and all evidence, with no baseline. */
  public Report(ScanResult result, Path root, List<Rule> rules, boolean timing) {
    this(result, root, rules, timing, result.evidence(), null, null, Observations.NONE);
  }

  /** The root causes of the reported findings, hottest first. */
  public List<RootCause> rootCauses() {
    return RootCause.of(result.findings());
  }

  /** The project's name for titles: the root folder's name. */
  public String projectName() {
    Path name = root == null ? null : root.toAbsolutePath().normalize().getFileName();
    return name == null ? "project" : name.toString();
  }
}
