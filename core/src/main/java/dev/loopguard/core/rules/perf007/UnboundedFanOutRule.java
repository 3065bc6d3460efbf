package dev.loopguard.core.rules.perf007;

import dev.loopguard.core.analysis.ExecutionContext;
import dev.loopguard.core.analysis.Heat;
import dev.loopguard.core.analysis.Project;
import dev.loopguard.core.ir.FunctionIr;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.model.Attributes;
import dev.loopguard.core.model.ChainHop;
import dev.loopguard.core.model.Confidence;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.model.Priority;
import dev.loopguard.core.rules.CardedRule;
import dev.loopguard.core.rules.DoNotFlag;
import dev.loopguard.core.rules.Fingerprints;
import dev.loopguard.core.rules.RuleContext;
import java.util.ArrayList;
import java.util.List;

/**
 * perf-007: fan-out is bounded. A gather, or a task started per item, over a request-sized or
 * unbounded collection (a list from a request, a query's rows, a directory listing), with no
 * semaphore or limiter in the spawned work and no wait in the spawning loop, starts as many
 * concurrent operations as the data has items.
 */
public final class UnboundedFanOutRule extends CardedRule {
  static final String ID = "perf-007";

  public UnboundedFanOutRule() {
    super(ID, new FanOutReviewJudge());
  }
  /** The attribute naming the collection the fan-out is over. */
  static final String COLLECTION = "collection";
  /** The attribute naming the work started per item. */
  static final String SPAWNED = "spawned";

  @Override
  public List<Finding> check(RuleContext ctx) {
    List<Finding> out = new ArrayList<>();
    Project project = ctx.model().project();
    ExecutionContext ec = ctx.model().context();
    FanOuts fanOuts = new FanOuts(ctx.model());
    for (ModuleIr m : project.modules()) {
      for (FunctionIr f : m.functions()) {
        Project.Fn fn = project.function(f.id());
        if (fn == null || fn.module() != m || !f.async() || f.events().isEmpty()
            || !ec.runsOnLoop(fn)) {
          continue;
        }
        ExecutionContext.HeatInfo h = ec.loopHeat(fn);
        Heat heat = h == null ? Heat.NONE : h.heat();
        String excluded = DoNotFlag.contextOf(ctx.paths(), m.path(), f, heat, null);
        if (excluded != null && !ctx.includeContexts().contains(excluded)) {
          continue;
        }
        for (FanOuts.FanOut x : fanOuts.of(m, fn)) {
          out.add(toFinding(m, fn, x, h, excluded));
        }
      }
    }
    return Fingerprints.assign(out);
  }

  private Finding toFinding(ModuleIr m, Project.Fn fn, FanOuts.FanOut x,
      ExecutionContext.HeatInfo h, String excluded) {
    FunctionIr f = fn.ir();
    String message = x.api() + " starts " + x.spawned() + " once per item of " + x.source().what()
        + " in " + f.qualifiedName() + ", with no bound on how many run at once.";
    Confidence confidence = x.source().origin() == dev.loopguard.core.analysis.RequestSized.Origin.FACT
        ? Confidence.HIGH : Confidence.MEDIUM;
    Heat heat = h == null ? Heat.NONE : h.heat();
    Priority priority = excluded != null ? Priority.P3 : heat.priority(null);
    String context = h == null || h.origin() == null ? "async code with no known entry point"
        : heat.description() + " " + shortName(h.origin());
    List<ChainHop> chain = List.of(
        new ChainHop(m.path(), x.loopLine(), 1, f.qualifiedName(), "over " + x.source().what()),
        new ChainHop(m.path(), x.site().line(), x.site().column(), f.qualifiedName(), x.api()));
    Attributes attributes = Attributes.builder()
        .put(Attributes.API, x.api(), Attributes.Slot.SUBJECT)
        .put(COLLECTION, x.source().what(), Attributes.Slot.DETAIL)
        .put(SPAWNED, x.spawned(), Attributes.Slot.DETAIL)
        .put(Attributes.REFERENCE, x.fact().reference(), Attributes.Slot.REFERENCE)
        .put(Attributes.FACT, x.fact().id(), Attributes.Slot.REFERENCE)
        .build();
    return new Finding(ID, m.path(), x.site().span(), f.qualifiedName(), message, confidence,
        priority, context, excluded, chain,
        "Bound the concurrency: hold a semaphore in the spawned coroutine, process the items in"
            + " chunks, or use a bounded worker pool (a queue with N workers).",
        attributes, null);
  }

  private static String shortName(String id) {
    int hash = id.indexOf('#');
    return hash < 0 ? id : id.substring(0, hash);
  }
}
