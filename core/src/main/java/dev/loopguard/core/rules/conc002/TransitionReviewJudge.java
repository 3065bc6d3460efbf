package dev.loopguard.core.rules.conc002;

import dev.loopguard.core.analysis.ExecutionContext;
import dev.loopguard.core.diff.review.ReviewResult.EvidenceItem;
import dev.loopguard.core.diff.review.ReviewResult.Verdict;
import dev.loopguard.core.ir.FunctionIr;
import dev.loopguard.core.model.Confidence;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.rules.DoNotFlag;
import dev.loopguard.core.rules.ReviewJudge;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * conc-002's judgement of a change: a changed async function fails when it checks, awaits and
 * writes shared state (the change introduced it, or modified a function that has it), passes when
 * it has no such sequence, and is not judged in tests, scripts and start-up code or when it is
 * not async.
 */
final class TransitionReviewJudge implements ReviewJudge {

  @Override
  public Judgement judge(ChangedPath t, Change change) {
    FunctionIr f = t.function().ir();
    String path = t.function().module().path();
    ExecutionContext.HeatInfo heat = change.head().context().heatOf(f.id());
    String excluded = DoNotFlag.contextOf(change.paths(), path, f, heat.heat(), null);
    String context = excluded != null ? excluded + " code" : heat.heat().description();
    if (!f.async()) {
      return new Judgement(Verdict.UNKNOWN, context, null,
          List.of("not an async function: it cannot suspend between a check and a write"),
          List.of(), List.of());
    }
    if (excluded != null && !change.includeContexts().contains(excluded)) {
      return new Judgement(Verdict.UNKNOWN, context, null,
          List.of(excluded + " code (" + path + "): the rule does not judge it"), List.of(),
          List.of());
    }
    Set<String> added = new HashSet<>();
    change.added().forEach(x -> added.add(x.fingerprint()));
    List<Finding> mine = new ArrayList<>();
    for (Finding x : change.findings()) {
      if (x.path().equals(path) && x.function().equals(f.qualifiedName())
          && (t.direct() || added.contains(x.fingerprint()))) {
        mine.add(x);
      }
    }
    if (!mine.isEmpty()) {
      Confidence c = Confidence.MEDIUM;
      List<String> reasons = new ArrayList<>();
      for (Finding x : mine) {
        if (x.confidence() == Confidence.HIGH) {
          c = Confidence.HIGH;
        }
        reasons.add(x.message() + (added.contains(x.fingerprint()) ? "" : " (already at base)"));
      }
      return new Judgement(Verdict.FAIL, context, c, List.copyOf(reasons), List.of(),
          List.copyOf(mine));
    }
    List<EvidenceItem> evidence = new ArrayList<>();
    for (Finding x : change.fixed()) {
      if (x.path().equals(path) && x.function().equals(f.qualifiedName())) {
        evidence.add(new EvidenceItem("fixed", f.qualifiedName(), path, x.line(),
            x.attribute(RaceSafeTransitionRule.STATE),
            "no longer checks, awaits and writes " + x.attribute(RaceSafeTransitionRule.STATE)
                + " (line " + x.line() + " at base)"));
      }
    }
    for (Finding x : change.suppressed()) {
      if (x.path().equals(path) && x.function().equals(f.qualifiedName())) {
        evidence.add(new EvidenceItem("suppressed", f.qualifiedName(), path, x.line(),
            x.attribute(RaceSafeTransitionRule.STATE), "a check/await/write of "
                + x.attribute(RaceSafeTransitionRule.STATE) + " is suppressed by a comment"));
      }
    }
    if (evidence.isEmpty()) {
      evidence.add(new EvidenceItem("no-race", f.qualifiedName(), path, f.nameSpan().line(), null,
          "no write of shared state depends on a read made before an await"));
    }
    return new Judgement(Verdict.PASS, context, Confidence.MEDIUM,
        List.of("no check/await/write of shared state without a lock, transaction, conditional "
            + "write or re-check"), List.copyOf(evidence), List.of());
  }

  /**
   * Nothing conc-002 could add: when no path was judged, the reasons are the review's general
   * ones (no analysed file changed, no async code, only tests or start-up code), which the other
   * judges already give; a second wording of them would only repeat them.
   */
  @Override
  public List<String> unknownReasons(Unjudged what) {
    return List.of();
  }
}
