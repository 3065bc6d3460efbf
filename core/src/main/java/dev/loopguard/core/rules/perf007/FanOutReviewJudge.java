package dev.loopguard.core.rules.perf007;

import dev.loopguard.core.analysis.ExecutionContext;
import dev.loopguard.core.analysis.Heat;
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
 * perf-007's judgement of a change: a changed async path fails when it fans out over request
 * data without a bound (new, or already there in a function the change modifies), passes when
 * it runs on the loop and starts no such fan-out, and is not judged in tests, scripts and
 * start-up code or off the loop.
 */
final class FanOutReviewJudge implements ReviewJudge {

  @Override
  public Judgement judge(ChangedPath t, Change change) {
    FunctionIr f = t.function().ir();
    String path = t.function().module().path();
    ExecutionContext ctx = change.head().context();
    ExecutionContext.HeatInfo heat = ctx.loopHeat(t.function());
    Heat h = heat == null ? Heat.NONE : heat.heat();
    String excluded = DoNotFlag.contextOf(change.paths(), path, f, h, null);
    String context = excluded != null ? excluded + " code" : h.description();
    if (excluded != null && !change.includeContexts().contains(excluded)) {
      return new Judgement(Verdict.UNKNOWN, context, null,
          List.of(path + " is " + excluded + " code, which perf-007 does not judge."), List.of(),
          List.of());
    }
    if (!f.async() || !ctx.runsOnLoop(t.function())) {
      return new Judgement(Verdict.UNKNOWN, context, null,
          List.of(f.qualifiedName() + " does not run on an event loop."), List.of(), List.of());
    }
    Set<String> added = new HashSet<>();
    change.added().forEach(x -> added.add(x.fingerprint()));
    List<Finding> mine = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    for (Finding x : change.findings()) {
      if (x.path().equals(path) && x.function().equals(f.qualifiedName())
          && (t.direct() || added.contains(x.fingerprint()))) {
        mine.add(x);
        reasons.add(x.message() + (added.contains(x.fingerprint()) ? "" : " (already at base)"));
      }
    }
    if (!mine.isEmpty()) {
      return new Judgement(Verdict.FAIL, context, mine.get(0).confidence(), List.copyOf(reasons),
          List.of(), List.copyOf(mine));
    }
    return new Judgement(Verdict.PASS, context, Confidence.MEDIUM,
        List.of(f.qualifiedName() + " starts no unbounded fan-out over request-sized data."),
        List.of(), List.of());
  }

  /**
   * Nothing of its own: why no changed path runs on the loop is the same for every rule of the
   * loop, and the review already says it.
   */
  @Override
  public List<String> unknownReasons(Unjudged what) {
    return List.of();
  }
}
