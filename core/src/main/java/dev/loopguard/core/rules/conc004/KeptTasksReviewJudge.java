package dev.loopguard.core.rules.conc004;

import dev.loopguard.core.analysis.SemanticModel;
import dev.loopguard.core.analysis.Target;
import dev.loopguard.core.diff.review.ReviewResult.EvidenceItem;
import dev.loopguard.core.diff.review.ReviewResult.Verdict;
import dev.loopguard.core.ir.CallSite;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.model.Confidence;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.rules.ChangedFindings;
import dev.loopguard.core.rules.ReviewJudge;
import java.util.ArrayList;
import java.util.List;

/**
 * conc-004's judgement of a change: a changed function fails with the tasks it drops, passes
 * when every task it starts is kept (stored, awaited, returned or passed on), and is not judged
 * when it starts none.
 */
final class KeptTasksReviewJudge implements ReviewJudge {

  @Override
  public Judgement judge(ChangedPath path, Change change) {
    String context = "code that starts background tasks";
    List<Finding> mine = ChangedFindings.of(path, change);
    if (!mine.isEmpty()) {
      List<String> reasons = new ArrayList<>();
      for (Finding f : mine) {
        reasons.add(f.message() + (ChangedFindings.isNew(f, change) ? "" : " (already at base)"));
      }
      return new Judgement(Verdict.FAIL, context, ChangedFindings.best(mine), List.copyOf(reasons),
          List.of(), List.copyOf(mine));
    }
    SemanticModel head = change.head();
    ModuleIr m = path.function().module();
    List<EvidenceItem> evidence = new ArrayList<>();
    for (CallSite cs : head.project().callsIn(path.function().id())) {
      Target.Api api = KeptTasksRule.spawner(head, m, cs);
      if (api != null && !cs.hasFlag(CallSite.CallFlag.DISCARDED)) {
        evidence.add(new EvidenceItem("task-kept", path.function().ir().qualifiedName(), m.path(),
            cs.line(), api.name(), "keeps the task " + api.name() + " starts (line " + cs.line()
                + ")"));
      }
    }
    if (evidence.isEmpty()) {
      return new Judgement(Verdict.UNKNOWN, context, null, List.of(), List.of(), List.of());
    }
    return new Judgement(Verdict.PASS, context, Confidence.HIGH,
        List.of("every background task it starts is kept."), List.copyOf(evidence), List.of());
  }

  @Override
  public List<String> unknownReasons(Unjudged what) {
    // Nothing of this rule's to add: the reasons why no path was judged are the review's and
    // the blocking rule's (no analysed change, no async code, only tests or scripts touched).
    return List.of();
  }
}
