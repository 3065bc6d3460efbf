package dev.loopguard.core.rules.conc004;

import dev.loopguard.core.analysis.ExecutionContext;
import dev.loopguard.core.analysis.Project;
import dev.loopguard.core.analysis.SemanticModel;
import dev.loopguard.core.analysis.Target;
import dev.loopguard.core.ir.Binding;
import dev.loopguard.core.ir.CallSite;
import dev.loopguard.core.ir.FunctionIr;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.ir.Ref;
import dev.loopguard.core.knowledge.Fact;
import dev.loopguard.core.model.Attributes;
import dev.loopguard.core.model.ChainHop;
import dev.loopguard.core.model.Confidence;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.model.Priority;
import dev.loopguard.core.rules.CardedRule;
import dev.loopguard.core.rules.Fingerprints;
import dev.loopguard.core.rules.RuleContext;
import java.util.ArrayList;
import java.util.List;

/**
 * conc-004: a background task whose only strong reference is dropped. The APIs that start such
 * tasks are knowledge (facts with {@code effect: spawns-task}); a call to one whose value is
 * discarded (an expression statement, or a local nothing reads) leaves the task to the loop's
 * weak reference: it may be collected before it finishes, and its exception is never retrieved.
 */
public final class KeptTasksRule extends CardedRule {
  static final String ID = "conc-004";

  public KeptTasksRule() {
    super(ID, new KeptTasksReviewJudge());
  }

  @Override
  public List<Finding> check(RuleContext ctx) {
    SemanticModel model = ctx.model();
    List<Finding> out = new ArrayList<>();
    for (ModuleIr m : model.project().modules()) {
      if (m.isOutline()) {
        continue;
      }
      String pathKind = ctx.paths().kindOf(m.path());
      for (CallSite cs : m.calls()) {
        if (!cs.hasFlag(CallSite.CallFlag.DISCARDED) || cs.awaited() || model.skipped(cs)) {
          continue;
        }
        Target.Api api = spawner(model, m, cs);
        if (api == null || ownedByContext(model.project(), cs)) {
          continue;
        }
        Project.Fn fn = model.project().function(cs.scope());
        String excluded = pathKind;
        if (excluded == null && (cs.hasFlag(CallSite.CallFlag.MAIN_GUARD)
            || fn != null && fn.ir().hasFlag(FunctionIr.Flag.MAIN_GUARD))) {
          excluded = "script";
        }
        if (excluded != null && !ctx.includeContexts().contains(excluded)) {
          continue;
        }
        out.add(finding(model, m, cs, fn, api, excluded));
      }
    }
    return Fingerprints.assign(out);
  }

  /**
   * The task-starting API {@code cs} calls: every API it may call starts a task the caller must
   * keep (a call that may reach project code or an API that keeps its tasks is not judged).
   */
  static Target.Api spawner(SemanticModel model, ModuleIr m, CallSite cs) {
    Target.Api found = null;
    for (Target t : model.graph().targets(m, cs)) {
      if (!(t instanceof Target.Api api) || api.fact() == null
          || !api.fact().has(Fact.SPAWNS_TASK)) {
        return null;
      }
      found = found == null ? api : found;
    }
    return found;
  }

  /**
   * Whether the receiver is what a {@code with} statement entered in the function: a task group
   * or nursery owns what it starts and waits for it on exit, whatever its type resolves to.
   */
  static boolean ownedByContext(Project project, CallSite cs) {
    if (!(cs.callee() instanceof Ref.Attr a) || !(a.base() instanceof Ref.Var v)) {
      return false;
    }
    for (Binding b : project.bindingsOf(v.scope(), v.name())) {
      if (b.kind() == Binding.Kind.WITH) {
        return true;
      }
    }
    return false;
  }

  private Finding finding(SemanticModel model, ModuleIr m, CallSite cs, Project.Fn fn,
      Target.Api api, String excluded) {
    ExecutionContext exec = model.context();
    String function = fn != null ? fn.ir().qualifiedName() : m.module();
    ExecutionContext.HeatInfo heat = fn != null ? exec.loopHeat(fn) : null;
    // A task dropped in start-up code is as lost as one dropped per request: P2 at least.
    Priority priority = excluded != null ? Priority.P3
        : heat != null && heat.heat().isFlagged() ? heat.heat().priority(cs.loopKind())
        : Priority.P2;
    String context = heat == null ? "code off the event loop"
        : heat.origin() == null ? "async code with no known entry point"
        : heat.heat().description();
    Fact fact = api.fact();
    boolean local = !isStatement(m, cs);
    String message = api.name() + " starts a task that " + function
        + (local ? " binds to a local it never reads" : " drops")
        + ": the loop keeps only a weak reference to it.";
    Confidence confidence = fact.confidence() == null ? Confidence.HIGH
        : Confidence.valueOf(fact.confidence().toUpperCase(java.util.Locale.ROOT));
    Attributes attributes = Attributes.builder()
        .put(Attributes.API, api.name(), Attributes.Slot.SUBJECT)
        .put("dropped", local ? "unused-local" : "statement", Attributes.Slot.DETAIL)
        .put(Attributes.REFERENCE, fact.reference(), Attributes.Slot.REFERENCE)
        .put(Attributes.FACT, fact.id(), Attributes.Slot.REFERENCE)
        .build();
    List<ChainHop> chain = List.of(new ChainHop(m.path(), cs.line(), cs.column(), function,
        cs.calleeText()));
    return new Finding(ID, m.path(), cs.span(), function, message, confidence, priority, context,
        excluded, chain,
        "Keep a reference to the task until it is done (a set of running tasks it removes "
            + "itself from when done, an attribute), start it in a task group, or await it.",
        attributes, null);
  }

  /** Whether no binding holds the call's value (an expression statement). */
  private static boolean isStatement(ModuleIr m, CallSite cs) {
    Ref.Call me = new Ref.Call(cs.index());
    for (Binding b : m.bindings()) {
      if (b.line() == cs.line() && me.equals(b.value())) {
        return false;
      }
    }
    return true;
  }
}
