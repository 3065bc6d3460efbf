package dev.loopguard.core.rules.conc001;

import dev.loopguard.core.analysis.Project;
import dev.loopguard.core.analysis.SemanticModel;
import dev.loopguard.core.analysis.Target;
import dev.loopguard.core.diff.review.ReviewResult.EvidenceItem;
import dev.loopguard.core.diff.review.ReviewResult.Verdict;
import dev.loopguard.core.ir.Arg;
import dev.loopguard.core.ir.Binding;
import dev.loopguard.core.ir.CallSite;
import dev.loopguard.core.ir.FunctionIr;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.ir.Ref;
import dev.loopguard.core.model.Confidence;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.rules.ChangedFindings;
import dev.loopguard.core.rules.ReviewJudge;
import java.util.ArrayList;
import java.util.List;

/**
 * conc-001's judgement of a change. It compares each changed function with what it was at base:
 * a function made async whose callers still call it as a plain function (they now get a
 * coroutine and drop or misuse it) fails, and so does a function made sync that callers still
 * await; a change whose callers follow the new signature passes. A changed function with
 * conc-001 findings (a dropped coroutine, a loop run on a running loop) fails with them.
 */
final class BoundaryReviewJudge implements ReviewJudge {
  private static final String CONTEXT = "async boundary";

  @Override
  public Judgement judge(ChangedPath path, Change change) {
    List<String> reasons = new ArrayList<>();
    List<Finding> mine = ChangedFindings.of(path, change);
    Confidence confidence = ChangedFindings.best(mine);
    for (Finding f : mine) {
      reasons.add(f.message() + (ChangedFindings.isNew(f, change) ? "" : " (already at base)"));
    }
    List<EvidenceItem> evidence = new ArrayList<>();
    // The function itself, and the changed helpers the path reaches.
    List<Project.Fn> changed = new ArrayList<>();
    if (path.direct()) {
      changed.add(path.function());
    }
    for (String name : path.via()) {
      changed.addAll(change.head().project().functionsNamed(name));
    }
    for (Project.Fn fn : changed) {
      Boolean wasAsync = asyncAtBase(change.base(), fn);
      boolean isAsync = Boundaries.isCoroutineFunction(fn.ir());
      if (wasAsync == null || wasAsync == isAsync || fn.ir().kind() != FunctionIr.Kind.FUNCTION) {
        continue;
      }
      List<String> mismatched = new ArrayList<>();
      int matched = 0;
      for (Boundaries.Caller c : Boundaries.callers(change.head()).getOrDefault(fn.id(), List.of())) {
        Project.Fn caller = change.head().project().function(c.site().scope());
        String at = c.module().path() + ":" + c.site().line();
        String who = caller != null ? caller.ir().qualifiedName() : c.module().module();
        if (isAsync ? plainCall(change.head(), c) : c.site().awaited() && !returnsAwaitable(change.head(), fn)) {
          mismatched.add(who + " (" + at + ")");
        } else {
          matched++;
        }
      }
      String name = fn.ir().qualifiedName();
      if (!mismatched.isEmpty()) {
        reasons.add(isAsync
            ? name + " is made async, but " + list(mismatched) + " still call it as a plain "
                + "function: they get a coroutine that never runs."
            : name + " is made sync, but " + list(mismatched) + " still await it: awaiting its "
                + "result raises TypeError.");
        confidence = Confidence.HIGH;
      } else {
        evidence.add(new EvidenceItem("signature", name, fn.module().path(), fn.ir().nameSpan().line(),
            null, name + " is made " + (isAsync ? "async" : "sync") + " and its " + matched
                + (matched == 1 ? " caller follows" : " callers follow")));
      }
    }
    if (!reasons.isEmpty()) {
      return new Judgement(Verdict.FAIL, CONTEXT, confidence, List.copyOf(reasons),
          List.of(), List.copyOf(mine));
    }
    if (!evidence.isEmpty()) {
      List<String> said = new ArrayList<>();
      evidence.forEach(e -> said.add(e.text()));
      return new Judgement(Verdict.PASS, CONTEXT, Confidence.HIGH,
          List.of("callers match the changed signatures: " + String.join("; ", said) + "."),
          List.copyOf(evidence), List.of());
    }
    return new Judgement(Verdict.UNKNOWN, CONTEXT, null, List.of(), List.of(), List.of());
  }

  @Override
  public List<String> unknownReasons(Unjudged what) {
    // Nothing of this rule's to add: the reasons why no path was judged are the review's and
    // the blocking rule's (no analysed change, no async code, only tests or scripts touched).
    return List.of();
  }

  /** Whether the function of the same name in the same file was async at base; null if new. */
  private static Boolean asyncAtBase(SemanticModel base, Project.Fn fn) {
    if (base == null) {
      return null;
    }
    for (Project.Fn b : base.project().functionsNamed(fn.ir().qualifiedName())) {
      if (b.module().path().equals(fn.module().path())) {
        return Boundaries.isCoroutineFunction(b.ir());
      }
    }
    return null;
  }

  /**
   * A call of a coroutine function used as a plain call: not awaited, not handed to another call
   * (create_task, gather, run), not returned and not kept; or called from sync code, whose use of
   * the value (anything but passing it on or returning it) treats a coroutine as a result.
   */
  private static boolean plainCall(SemanticModel head, Boundaries.Caller c) {
    CallSite cs = c.site();
    if (cs.awaited() || cs.hasFlag(CallSite.CallFlag.DECORATOR)) {
      return false;
    }
    if (cs.hasFlag(CallSite.CallFlag.DISCARDED)) {
      return true;
    }
    ModuleIr m = c.module();
    Ref.Call me = new Ref.Call(cs.index());
    for (CallSite other : m.calls()) {
      for (Arg a : other.args()) {
        if (me.equals(a.value())) {
          return false;
        }
      }
    }
    for (Binding b : m.bindings()) {
      if (me.equals(b.value()) && (b.kind() == Binding.Kind.RETURN || b.kind() == Binding.Kind.ASSIGN)) {
        // Returned, or kept to be awaited later: the caller passes the coroutine on.
        Project.Fn caller = head.project().function(cs.scope());
        return caller != null && SemanticModel.isSync(caller) && b.kind() == Binding.Kind.ASSIGN
            && !returnsVar(head, caller, b.target());
      }
    }
    // Used in place (an attribute read, an operand): a coroutine is not the result it expects.
    return true;
  }

  private static boolean returnsVar(SemanticModel head, Project.Fn fn, Ref var) {
    for (Binding r : head.project().returnsOf(fn.id())) {
      if (var != null && var.equals(r.value())) {
        return true;
      }
    }
    return false;
  }

  /** Whether a sync function returns an awaitable (a coroutine or task it makes). */
  private static boolean returnsAwaitable(SemanticModel head, Project.Fn fn) {
    for (Binding r : head.project().returnsOf(fn.id())) {
      if (r.value() instanceof Ref.Call call && call.site() < fn.module().calls().size()) {
        CallSite cs = fn.module().calls().get(call.site());
        if (Boundaries.coroutine(head, fn.module(), cs) != null) {
          return true;
        }
        for (Target t : head.graph().targets(fn.module(), cs)) {
          if (t instanceof Target.Api api && api.fact() != null && api.fact().returns() != null) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static String list(List<String> items) {
    return items.size() <= 3 ? String.join(", ", items)
        : String.join(", ", items.subList(0, 3)) + " and " + (items.size() - 3) + " more";
  }
}
