package dev.loopguard.core.rules.conc001;

import dev.loopguard.core.analysis.ExecutionContext;
import dev.loopguard.core.analysis.Project;
import dev.loopguard.core.analysis.SemanticModel;
import dev.loopguard.core.analysis.Target;
import dev.loopguard.core.ir.CallSite;
import dev.loopguard.core.ir.FunctionIr;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.knowledge.Fact;
import dev.loopguard.core.model.Attributes;
import dev.loopguard.core.model.ChainHop;
import dev.loopguard.core.model.Confidence;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.model.Priority;
import dev.loopguard.core.rules.CardedRule;
import dev.loopguard.core.rules.Fingerprints;
import dev.loopguard.core.rules.RuleContext;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * conc-001: async boundaries match their callers. Two kinds of finding: a coroutine that is made
 * and dropped (an async function or async API called, its value neither awaited, scheduled,
 * returned nor kept), and a call that runs an event loop to completion ({@code effect: runs-loop}
 * in the packs) where a loop is already running: in an async function or loop callback, or in a
 * sync helper one of those calls.
 */
public final class AsyncBoundaryRule extends CardedRule {
  static final String ID = "conc-001";

  public AsyncBoundaryRule() {
    super(ID, new BoundaryReviewJudge());
  }
  /** Sync helpers followed from a loop-running call back to the event-loop code that calls it. */
  private static final int MAX_HELPERS = 5;

  @Override
  public List<Finding> check(RuleContext ctx) {
    SemanticModel model = ctx.model();
    List<Finding> out = new ArrayList<>();
    List<Seed> seeds = new ArrayList<>();
    for (ModuleIr m : model.project().modules()) {
      if (m.isOutline()) {
        continue;
      }
      for (CallSite cs : m.calls()) {
        if (model.skipped(cs) || cs.hasFlag(CallSite.CallFlag.TYPE_CHECKING_ONLY)) {
          continue;
        }
        if (cs.awaited()) {
          Project.Fn plain = Boundaries.awaitedPlainFunction(model, m, cs);
          if (plain != null) {
            add(out, ctx, m, cs, awaitedPlain(model, m, cs, plain));
          }
          continue;
        }
        if (cs.hasFlag(CallSite.CallFlag.DISCARDED)) {
          Boundaries.Coroutine co = Boundaries.coroutine(model, m, cs);
          if (co != null) {
            add(out, ctx, m, cs, dropped(model, m, cs, co));
          }
        }
        Target.Api runner = loopRunner(model, m, cs);
        if (runner != null) {
          Project.Fn fn = model.project().function(cs.scope());
          if (fn == null || fn.ir().kind() == FunctionIr.Kind.MODULE
              || fn.ir().kind() == FunctionIr.Kind.CLASS_BODY || checksForLoop(model, fn)) {
            continue;
          }
          if (model.context().runsOnLoop(fn)) {
            add(out, ctx, m, cs, runsLoop(model, fn, List.of(hop(m, cs, fn)), runner, Confidence.HIGH, cs));
          } else if (SemanticModel.isSync(fn)) {
            seeds.add(new Seed(fn, m, cs, runner));
          }
        }
      }
    }
    for (Seed s : seeds) {
      throughHelpers(ctx, model, s, out);
    }
    out.sort(Comparator.comparing(Finding::path).thenComparingInt(Finding::line)
        .thenComparingInt(f -> f.span().column()).thenComparing(Finding::message));
    // One finding per call: a helper reached along two chains is one problem.
    List<Finding> distinct = new ArrayList<>(out.size());
    Set<String> seen = new HashSet<>();
    for (Finding f : out) {
      if (seen.add(f.path() + ":" + f.span() + ":" + f.attribute(Attributes.API))) {
        distinct.add(f);
      }
    }
    return Fingerprints.assign(distinct);
  }

  private record Seed(Project.Fn fn, ModuleIr module, CallSite site, Target.Api runner) {}

  /** A finding at {@code cs} in {@code m}, unless its place is one the rule does not judge. */
  private static void add(List<Finding> out, RuleContext ctx, ModuleIr m, CallSite cs,
      Finding f) {
    String excluded = excludedAs(ctx, m, cs);
    if (excluded != null && !ctx.includeContexts().contains(excluded)) {
      return;
    }
    if (excluded != null) {
      f = new Finding(f.rule(), f.path(), f.span(), f.function(), f.message(), f.confidence(),
          Priority.P3, f.context(), excluded, f.chain(), f.remediation(), f.attributes(), null);
    }
    out.add(f);
  }

  /** The do-not-flag context of a call: tests and scripts by path, main guards; else null. */
  static String excludedAs(RuleContext ctx, ModuleIr m, CallSite cs) {
    String kind = ctx.paths().kindOf(m.path());
    if (kind != null) {
      return kind;
    }
    Project.Fn fn = ctx.model().project().function(cs.scope());
    if (cs.hasFlag(CallSite.CallFlag.MAIN_GUARD)
        || fn != null && fn.ir().hasFlag(FunctionIr.Flag.MAIN_GUARD)) {
      return "script";
    }
    return null;
  }

  // ------------------------------------------------------------------ dropped coroutines

  private static Finding dropped(SemanticModel model, ModuleIr m, CallSite cs,
      Boundaries.Coroutine co) {
    Project.Fn fn = model.project().function(cs.scope());
    String function = fn != null ? fn.ir().qualifiedName() : m.module();
    boolean async = fn != null && fn.ir().async();
    String where = fn == null || fn.ir().kind() == FunctionIr.Kind.MODULE ? "module " + m.module()
        : (async ? "async function " : "function ") + function;
    String message = shortCall(cs) + " makes a coroutine that " + where + " never awaits: "
        + co.callee() + " is async and the call's result is dropped.";
    String remediation = async
        ? "Await it, or schedule it as a task and keep the task (or start it in a task group)."
        : "Make the caller async and await it, or run the coroutine through the event loop "
            + "(at the program's entry point, or submitted to the loop's thread).";
    Fact fact = co.fact();
    Attributes attributes = Attributes.builder()
        .put(Attributes.CATEGORY, "dropped-coroutine", Attributes.Slot.SUBJECT)
        .put(Attributes.API, co.callee(), Attributes.Slot.SUBJECT)
        .put("caller", async ? "async" : "sync", Attributes.Slot.DETAIL)
        .put(Attributes.REFERENCE, fact != null ? fact.reference() : null, Attributes.Slot.REFERENCE)
        .put(Attributes.FACT, fact != null ? fact.id() : null, Attributes.Slot.REFERENCE)
        .build();
    return new Finding(ID, m.path(), cs.span(), function, message, co.confidence(),
        priorityOf(model, fn, cs), contextOf(model, fn), null,
        List.of(hop(m, cs, fn)), remediation, attributes, null);
  }

  private static Finding awaitedPlain(SemanticModel model, ModuleIr m, CallSite cs,
      Project.Fn plain) {
    Project.Fn fn = model.project().function(cs.scope());
    String function = fn != null ? fn.ir().qualifiedName() : m.module();
    String callee = plain.ir().qualifiedName();
    String message = function + " awaits " + shortCall(cs) + ", but " + callee + " is a plain "
        + "function that returns no awaitable: the await raises TypeError.";
    Attributes attributes = Attributes.builder()
        .put(Attributes.CATEGORY, "awaited-plain-function", Attributes.Slot.SUBJECT)
        .put(Attributes.API, callee, Attributes.Slot.SUBJECT)
        .build();
    return new Finding(ID, m.path(), cs.span(), function, message, Confidence.HIGH,
        priorityOf(model, fn, cs), contextOf(model, fn), null, List.of(hop(m, cs, fn)),
        "Make " + callee + " async again, or stop awaiting its result.", attributes, null);
  }

  private static String shortCall(CallSite cs) {
    return cs.calleeText() + "()";
  }

  // ------------------------------------------------------------------ loops run on a loop

  /** The API {@code cs} calls that runs an event loop to completion, or null. */
  static Target.Api loopRunner(SemanticModel model, ModuleIr m, CallSite cs) {
    Target.Api found = null;
    for (Target t : model.graph().targets(m, cs)) {
      if (t instanceof Target.Api api && api.fact() != null && api.fact().has(Fact.RUNS_LOOP)) {
        found = found == null ? api : found;
      } else {
        return null;
      }
    }
    return found;
  }

  /**
   * Whether the function asks whether a loop is running in its thread ({@code effect:
   * detects-loop}): code that runs a loop only when none is running.
   */
  static boolean checksForLoop(SemanticModel model, Project.Fn fn) {
    for (CallSite cs : model.project().callsIn(fn.id())) {
      for (Target t : model.graph().targets(fn.module(), cs)) {
        if (t instanceof Target.Api api && api.fact() != null
            && api.fact().has(Fact.DETECTS_LOOP)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * From a sync helper that runs a loop back through its sync callers to the event-loop code
   * that calls one of them: one finding per calling site there.
   */
  private static void throughHelpers(RuleContext ctx, SemanticModel model, Seed seed,
      List<Finding> out) {
    Map<String, List<Boundaries.Caller>> callers = Boundaries.callers(model);
    ExecutionContext exec = model.context();
    record Step(Project.Fn fn, List<ChainHop> chain) {}
    ArrayDeque<Step> work = new ArrayDeque<>();
    work.add(new Step(seed.fn(), List.of(hop(seed.module(), seed.site(), seed.fn()))));
    Set<String> seen = new HashSet<>();
    seen.add(seed.fn().id());
    Map<String, Boolean> guarded = new HashMap<>();
    while (!work.isEmpty()) {
      Step step = work.poll();
      for (Boundaries.Caller c : callers.getOrDefault(step.fn().id(), List.of())) {
        CallSite cs = c.site();
        if (cs.hasFlag(CallSite.CallFlag.DECORATOR)) {
          continue;
        }
        Project.Fn caller = model.project().function(cs.scope());
        if (caller == null || !seen.add(caller.id() + "@" + cs.index() + "@" + c.module().path())) {
          continue;
        }
        if (guarded.computeIfAbsent(caller.id(), k -> checksForLoop(model, caller))) {
          continue;
        }
        List<ChainHop> chain = new ArrayList<>(step.chain().size() + 1);
        chain.add(hop(c.module(), cs, caller));
        chain.addAll(step.chain());
        if (exec.runsOnLoop(caller)) {
          add(out, ctx, c.module(), cs,
              runsLoop(model, caller, chain, seed.runner(), Confidence.MEDIUM, cs));
        } else if (SemanticModel.isSync(caller) && chain.size() <= MAX_HELPERS
            && seen.add(caller.id())) {
          work.add(new Step(caller, chain));
        }
      }
    }
  }

  private static Finding runsLoop(SemanticModel model, Project.Fn fn, List<ChainHop> chain,
      Target.Api runner, Confidence confidence, CallSite at) {
    FunctionIr f = fn.ir();
    ChainHop first = chain.get(0);
    String where = (f.async() ? "async function " : "event-loop callback ") + f.qualifiedName();
    String message = chain.size() == 1
        ? runner.name() + " is called in " + where + ", where an event loop is already running: "
            + "it raises RuntimeError."
        : first.call() + "() is called in " + where + " and reaches " + runner.name()
            + " through " + (chain.size() - 1) + (chain.size() == 2 ? " helper" : " helpers")
            + ", where an event loop is already running: it raises RuntimeError.";
    Fact fact = runner.fact();
    Attributes attributes = Attributes.builder()
        .put(Attributes.CATEGORY, "loop-in-loop", Attributes.Slot.SUBJECT)
        .put(Attributes.API, runner.name(), Attributes.Slot.SUBJECT)
        .put(Attributes.REFERENCE, fact.reference(), Attributes.Slot.REFERENCE)
        .put(Attributes.FACT, fact.id(), Attributes.Slot.REFERENCE)
        .build();
    return new Finding(ID, fn.module().path(), at.span(), f.qualifiedName(), message, confidence,
        priorityOf(model, fn, at), contextOf(model, fn), null, List.copyOf(chain),
        "Await the coroutine instead (the loop is already running), or run the sync helper in a "
            + "worker thread, where it may start a loop of its own.",
        attributes, null);
  }

  // ------------------------------------------------------------------ shared

  private static ChainHop hop(ModuleIr m, CallSite cs, Project.Fn fn) {
    String name = fn != null ? fn.ir().qualifiedName() : m.module();
    return new ChainHop(m.path(), cs.line(), cs.column(), name, cs.calleeText());
  }

  /** The heat's priority on the loop (P2 at least: a dropped coroutine or a crash is a bug anywhere). */
  static Priority priorityOf(SemanticModel model, Project.Fn fn, CallSite cs) {
    ExecutionContext.HeatInfo heat = fn != null ? model.context().loopHeat(fn) : null;
    return heat != null && heat.heat().isFlagged() ? heat.heat().priority(cs.loopKind())
        : Priority.P2;
  }

  static String contextOf(SemanticModel model, Project.Fn fn) {
    ExecutionContext.HeatInfo heat = fn != null ? model.context().loopHeat(fn) : null;
    if (heat == null) {
      return "code off the event loop";
    }
    return heat.origin() == null ? "async code with no known entry point"
        : heat.heat().description();
  }
}
