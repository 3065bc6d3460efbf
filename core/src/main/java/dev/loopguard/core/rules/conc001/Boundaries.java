package dev.loopguard.core.rules.conc001;

import dev.loopguard.core.analysis.Project;
import dev.loopguard.core.analysis.SemanticModel;
import dev.loopguard.core.analysis.Target;
import dev.loopguard.core.ir.CallSite;
import dev.loopguard.core.ir.EventList;
import dev.loopguard.core.ir.FunctionIr;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.knowledge.Fact;
import dev.loopguard.core.knowledge.FactKind;
import dev.loopguard.core.model.Confidence;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What conc-001 asks of the model: whether a call makes a coroutine, and who calls each project
 * function (computed once per scan, under {@link #CALLERS}).
 */
final class Boundaries {
  private Boundaries() {}

  /** A call of a project function: the caller's module and the site. */
  record Caller(ModuleIr module, CallSite site) {}

  static final SemanticModel.Key<Map<String, List<Caller>>> CALLERS =
      new SemanticModel.Key<>("conc-001 callers");

  /** The call sites of every project function, by the callee's id. */
  static Map<String, List<Caller>> callers(SemanticModel model) {
    return model.derived(CALLERS, Boundaries::computeCallers);
  }

  private static Map<String, List<Caller>> computeCallers(SemanticModel model) {
    Map<String, List<Caller>> out = new HashMap<>();
    for (ModuleIr m : model.project().modules()) {
      for (CallSite cs : m.calls()) {
        if (cs.hasFlag(CallSite.CallFlag.TYPE_CHECKING_ONLY) || model.skipped(cs)) {
          continue;
        }
        for (Target t : model.graph().targets(m, cs)) {
          if (t instanceof Target.ProjectFunction pf) {
            out.computeIfAbsent(pf.id(), k -> new ArrayList<>(2)).add(new Caller(m, cs));
          }
        }
      }
    }
    return out;
  }

  /**
   * What calling {@code cs} makes when every function or API it may call is a coroutine function
   * (a project {@code async def} that is not a generator, or an API a pack calls async): the
   * callee's name and how sure that is; null when any target may return something else.
   */
  record Coroutine(String callee, Confidence confidence, Fact fact) {}

  static Coroutine coroutine(SemanticModel model, ModuleIr m, CallSite cs) {
    List<Target> targets = model.graph().targets(m, cs);
    if (targets.isEmpty()) {
      return null;
    }
    Confidence confidence = targets.size() == 1 ? Confidence.HIGH : Confidence.MEDIUM;
    String callee = null;
    Fact fact = null;
    for (Target t : targets) {
      if (t instanceof Target.ProjectFunction pf) {
        Project.Fn fn = model.project().function(pf.id());
        if (fn == null || !isCoroutineFunction(fn.ir())) {
          return null;
        }
        if (rewrappable(fn.ir())) {
          // A decorator may return anything: a sync wrapper (tornado's gen_test, async_to_sync),
          // a task, a scheduled job. Not judged.
          return null;
        }
        callee = callee == null ? fn.ir().qualifiedName() : callee;
      } else if (t instanceof Target.Api api) {
        Fact f = api.fact();
        if (f == null || f.kind() != FactKind.ASYNC_API) {
          return null;
        }
        if ("low".equals(f.confidence())) {
          confidence = Confidence.LOW;
        } else if ("medium".equals(f.confidence()) && confidence == Confidence.HIGH) {
          confidence = Confidence.MEDIUM;
        }
        callee = callee == null ? api.name() : callee;
        fact = fact == null ? f : fact;
      }
    }
    return new Coroutine(callee, confidence, fact);
  }

  /**
   * The plain function an awaited call surely calls when awaiting its result must fail: every
   * target is one sync, undecorated, non-generator function of the project whose body returns
   * nothing (no return with a value) and raises nothing (not a placeholder that subclasses
   * override). Null otherwise.
   */
  static Project.Fn awaitedPlainFunction(SemanticModel model, ModuleIr m, CallSite cs) {
    List<Target> targets = model.graph().targets(m, cs);
    if (targets.size() != 1 || !(targets.get(0) instanceof Target.ProjectFunction pf)) {
      return null;
    }
    Project.Fn fn = model.project().function(pf.id());
    if (fn == null) {
      return null;
    }
    FunctionIr f = fn.ir();
    // A constructor makes an instance, which may well be awaitable; a name defined more than
    // once (a fallback under a condition) may be the async one at run time.
    if (f.name().equals(model.semantics().constructorMember())
        || model.project().functionsNamed(f.qualifiedName()).size() != 1
        || boundOtherwise(model, fn) || !awaitsTheCall(model, m, cs)) {
      return null;
    }
    if (f.async() || f.kind() != FunctionIr.Kind.FUNCTION || rewrappable(f)
        || f.hasFlag(FunctionIr.Flag.GENERATOR) || f.hasFlag(FunctionIr.Flag.STUB)
        || f.hasFlag(FunctionIr.Flag.PROPERTY) || f.events().isEmpty()
        || !model.project().returnsOf(f.id()).isEmpty()) {
      return null;
    }
    EventList.Cursor c = f.events().cursor();
    boolean calls = false;
    while (c.next()) {
      if (c.kind() == EventList.Kind.RAISE) {
        return null;
      }
      calls |= c.kind() == EventList.Kind.CALL || c.kind() == EventList.Kind.WRITE_ATTR
          || c.kind() == EventList.Kind.WRITE_ITEM || c.kind() == EventList.Kind.WRITE_GLOBAL;
    }
    // A body that does nothing at all is a placeholder too.
    return calls ? fn : null;
  }

  /**
   * Whether the module that defines {@code fn} at its top level also binds the name otherwise
   * (an import or an assignment, as in "import the async one if available, else define a
   * fallback"): which one runs is decided at run time.
   */
  private static boolean boundOtherwise(SemanticModel model, Project.Fn fn) {
    FunctionIr f = fn.ir();
    String module = fn.module().module();
    if (!module.equals(f.parent())) {
      return false;
    }
    for (dev.loopguard.core.ir.Binding b : model.project().bindingsOf(module, f.name())) {
      if (b.kind() == dev.loopguard.core.ir.Binding.Kind.IMPORT
          || b.kind() == dev.loopguard.core.ir.Binding.Kind.ASSIGN) {
        return true;
      }
    }
    return false;
  }

  /** Whether the call's own value is awaited ({@code await f()}), not entered or iterated. */
  private static boolean awaitsTheCall(SemanticModel model, ModuleIr m, CallSite cs) {
    if (cs.hasFlag(CallSite.CallFlag.WITH_ITEM)) {
      return false;
    }
    Project.Fn scope = model.project().function(cs.scope());
    if (scope == null) {
      return false;
    }
    EventList.Cursor c = scope.ir().events().cursor();
    while (c.next()) {
      if (c.kind() == EventList.Kind.AWAIT && c.site() == cs.index()) {
        return true;
      }
    }
    return false;
  }

  /** An {@code async def} whose call returns a coroutine (not an async generator). */
  static boolean isCoroutineFunction(FunctionIr f) {
    return f.async() && f.kind() == FunctionIr.Kind.FUNCTION
        && !f.hasFlag(FunctionIr.Flag.GENERATOR);
  }

  /** Decorated by something other than the static and class method markers. */
  static boolean rewrappable(FunctionIr f) {
    int known = (f.hasFlag(FunctionIr.Flag.STATIC) ? 1 : 0)
        + (f.hasFlag(FunctionIr.Flag.CLASSMETHOD) ? 1 : 0);
    return f.decorators().size() > known;
  }
}
