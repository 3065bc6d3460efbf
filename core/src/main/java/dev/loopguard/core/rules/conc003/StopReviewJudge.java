package dev.loopguard.core.rules.conc003;

import dev.loopguard.core.analysis.SemanticModel;
import dev.loopguard.core.diff.review.ReviewResult.EvidenceItem;
import dev.loopguard.core.diff.review.ReviewResult.Verdict;
import dev.loopguard.core.ir.FunctionIr;
import dev.loopguard.core.model.Confidence;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.rules.ReviewJudge;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * conc-003's judgement of a change: a changed function fails when it has a loop that nothing can
 * stop or a handler that swallows cancellation (new, or already there in a function the change
 * modifies); it passes when its unconditional loops have a way out; anything else is not this
 * rule's to judge.
 */
final class StopReviewJudge implements ReviewJudge {

  @Override
  public Judgement judge(ChangedPath t, Change change) {
    FunctionIr f = t.function().ir();
    String path = t.function().module().path();
    String kind = change.paths().kindOf(path);
    if (kind != null && !change.includeContexts().contains(kind)) {
      return new Judgement(Verdict.UNKNOWN, kind + " code", null,
          List.of(kind + " code (" + path + "): the rule does not judge it"), List.of(), List.of());
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
    String context = f.async() ? "coroutine" : "function";
    if (!mine.isEmpty()) {
      List<String> reasons = new ArrayList<>();
      Confidence c = Confidence.LOW;
      for (Finding x : mine) {
        c = x.confidence().ordinal() < c.ordinal() ? x.confidence() : c;
        reasons.add(x.message() + (added.contains(x.fingerprint()) ? "" : " (already at base)"));
      }
      return new Judgement(Verdict.FAIL, context, c, List.copyOf(reasons), List.of(), List.copyOf(mine));
    }
    if (t.direct() && spawned(change).contains(f.id()) && hasLoopWithWayOut(f)) {
      String text = "it runs in a task or thread, and its unconditional loops have a way out (a break, return or raise)";
      return new Judgement(Verdict.PASS, context, Confidence.MEDIUM, List.of(text + "."),
          List.of(new EvidenceItem("loop-exit", f.qualifiedName(), path, f.nameSpan().line(), null, text)),
          List.of());
    }
    return new Judgement(Verdict.UNKNOWN, context, null,
        List.of("no background loop or cancellation handler in " + f.qualifiedName()), List.of(), List.of());
  }

  private static final SemanticModel.Key<Set<String>> SPAWNED = new SemanticModel.Key<>("conc-003 spawned");

  /** Ids of the functions a task or thread runs. */
  private static Set<String> spawned(Change change) {
    return change.head().derived(SPAWNED, m -> {
      Set<String> ids = new HashSet<>();
      for (Spawns.Spawn s : new Spawns(m).all()) {
        ids.add(s.function().id());
      }
      return Set.copyOf(ids);
    });
  }

  /** An unconditional loop that something inside leaves. */
  private static boolean hasLoopWithWayOut(FunctionIr f) {
    var c = f.events().cursor();
    int loops = 0;
    while (c.next()) {
      if (c.kind() == dev.loopguard.core.ir.EventList.Kind.LOOP
          && c.loopKind() == dev.loopguard.core.ir.CallSite.LoopKind.WHILE_TRUE) {
        loops++;
      }
    }
    return loops > LoopExits.foreverLoops(f.events(), !f.async()).size();
  }

  @Override
  public List<String> unknownReasons(Unjudged what) {
    // Nothing to add: a change with no background loop or cancellation handler is not this
    // rule's to judge, and the other rules say why they could not judge it.
    return List.of();
  }
}
