package dev.loopguard.core.rules.conc003;

import dev.loopguard.core.analysis.ExecutionContext;
import dev.loopguard.core.analysis.Heat;
import dev.loopguard.core.analysis.Project;
import dev.loopguard.core.analysis.SemanticModel;
import dev.loopguard.core.analysis.Target;
import dev.loopguard.core.analysis.Val;
import dev.loopguard.core.ir.CallSite;
import dev.loopguard.core.ir.FunctionIr;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.ir.Ref;
import dev.loopguard.core.ir.Span;
import dev.loopguard.core.model.Attributes;
import dev.loopguard.core.model.ChainHop;
import dev.loopguard.core.model.Confidence;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.rules.CardedRule;
import dev.loopguard.core.rules.DoNotFlag;
import dev.loopguard.core.rules.Fingerprints;
import dev.loopguard.core.rules.RuleContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * conc-003: background loops stop when asked. A loop that runs forever in a task or thread that
 * nothing can stop (no stop signal in the loop, no owner that cancels the task), and a handler in
 * a coroutine's loop that swallows the task's cancellation.
 */
public final class StopCoordinationRule extends CardedRule {
  /** The card's id (a test checks that they agree), so that a scan need not read the card. */
  static final String ID = "conc-003";

  public StopCoordinationRule() {
    super(ID, new StopReviewJudge());
  }

  /** What the finding is about (its category): {@link #BACKGROUND_LOOP} or {@link #SWALLOWED}. */
  static final String BACKGROUND_LOOP = "background-loop";
  static final String SWALLOWED = "swallowed-cancellation";
  /** Who can stop the loop's task ({@link Spawns.Owner}, in words). */
  static final String OWNER = "owner";
  /** What the handler catches. */
  static final String CATCHES = "catches";

  /** Awaited project calls followed from a spawned function to the loop it runs. */
  private static final int MAX_DEPTH = 2;

  @Override
  public List<Finding> check(RuleContext ctx) {
    List<Finding> out = new ArrayList<>();
    backgroundLoops(ctx, out);
    swallowedCancellation(ctx, out);
    return Fingerprints.assign(out);
  }

  // ------------------------------------------------------------------ background loops

  private static void backgroundLoops(RuleContext ctx, List<Finding> out) {
    SemanticModel model = ctx.model();
    Set<String> reported = new HashSet<>();
    for (Spawns.Spawn s : new Spawns(model).all()) {
      if (s.owner().stops() || excluded(ctx, s.module().path(), s.spawner())
          || s.site().hasFlag(CallSite.CallFlag.MAIN_GUARD)) {
        continue;
      }
      boolean thread = "thread".equals(s.fact().category());
      if (thread == s.function().ir().async()) {
        continue; // a coroutine handed to a thread, or a plain function to a task: not ours
      }
      List<Project.Fn> path = new ArrayList<>();
      path.add(s.function());
      follow(model, s, path, thread, 0, reported, ctx, out);
    }
  }

  /** Reports the forever loops of the last function of {@code path}, then of what it awaits. */
  private static void follow(SemanticModel model, Spawns.Spawn s, List<Project.Fn> path,
      boolean thread, int depth, Set<String> reported, RuleContext ctx, List<Finding> out) {
    Project.Fn fn = path.get(path.size() - 1);
    if (fn.ir().hasFlag(FunctionIr.Flag.STUB) || excluded(ctx, fn.module().path(), fn)) {
      return;
    }
    for (LoopExits.ForeverLoop loop : LoopExits.foreverLoops(fn.ir().events(), thread)) {
      if (reported.add(fn.id() + "|" + loop.line())) {
        out.add(loopFinding(model, s, path, loop));
      }
    }
    if (depth >= MAX_DEPTH) {
      return;
    }
    for (CallSite cs : model.project().callsIn(fn.id())) {
      if (!thread && !cs.awaited() || thread && cs.awaited()) {
        continue;
      }
      for (Target t : model.graph().targets(fn.module(), cs)) {
        if (t instanceof Target.ProjectFunction pf) {
          Project.Fn callee = model.project().function(pf.id());
          if (callee != null && callee.ir().async() == !thread && !path.contains(callee)) {
            path.add(callee);
            follow(model, s, path, thread, depth + 1, reported, ctx, out);
            path.remove(path.size() - 1);
          }
        }
      }
    }
  }

  private static Finding loopFinding(SemanticModel model, Spawns.Spawn s, List<Project.Fn> path,
      LoopExits.ForeverLoop loop) {
    Project.Fn fn = path.get(path.size() - 1);
    FunctionIr f = fn.ir();
    String where = s.module().path() + ":" + s.site().span().line();
    String how = switch (s.owner()) {
      case DROPPED -> "the task " + s.api() + " starts at " + where + " is dropped, so nothing can cancel it";
      case KEPT_NOT_CANCELLED -> "the task " + s.api() + " starts at " + where + " is kept in "
          + s.keptAs() + " but nothing cancels it";
      default -> "it runs on the thread " + s.api() + " starts at " + where
          + ", which nothing can cancel and which keeps the process from exiting";
    };
    String message = f.qualifiedName() + " loops forever (line " + loop.line()
        + ") with no stop signal, and " + how + ".";
    boolean direct = path.size() == 1;
    Confidence confidence = direct && s.owner() != Spawns.Owner.KEPT_NOT_CANCELLED
        ? Confidence.HIGH : Confidence.MEDIUM;
    confidence = capped(confidence, s.fact().confidence());
    List<ChainHop> chain = new ArrayList<>();
    String spawner = s.spawner() != null ? s.spawner().ir().qualifiedName() : s.site().scope();
    chain.add(new ChainHop(s.module().path(), s.site().span().line(), s.site().span().column(),
        spawner, s.site().calleeText()));
    for (Project.Fn step : path) {
      int line = step == fn ? loop.line() : step.ir().nameSpan().line();
      chain.add(new ChainHop(step.module().path(), line, 0, step.ir().qualifiedName(),
          step == fn ? "loop" : step.ir().qualifiedName()));
    }
    ExecutionContext.HeatInfo heat = model.context().heatOf(f.id());
    Heat h = heat.heat().isFlagged() ? heat.heat() : Heat.BACKGROUND;
    Attributes attrs = Attributes.builder()
        .put(Attributes.CATEGORY, BACKGROUND_LOOP, Attributes.Slot.SUBJECT)
        .put(Attributes.API, s.api(), Attributes.Slot.SUBJECT)
        .put(OWNER, ownerText(s.owner()), Attributes.Slot.DETAIL)
        .put(Attributes.FACT, s.fact().id(), Attributes.Slot.REFERENCE)
        .build();
    return new Finding(ID, fn.module().path(), new Span(loop.line(), 0, loop.line(), 0),
        f.qualifiedName(), message, confidence, h.priority(null),
        h.description() + " started at " + where, null, List.copyOf(chain),
        "Give the loop a stop signal (an Event or flag it tests, set on shutdown), or keep the task "
            + "and cancel it on shutdown (or start it in a TaskGroup).",
        attrs, null);
  }

  private static String ownerText(Spawns.Owner o) {
    return switch (o) {
      case DROPPED -> "dropped";
      case KEPT_NOT_CANCELLED -> "never-cancelled";
      case THREAD -> "non-daemon-thread";
      default -> o.name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  // ------------------------------------------------------------------ swallowed cancellation

  private static void swallowedCancellation(RuleContext ctx, List<Finding> out) {
    SemanticModel model = ctx.model();
    for (ModuleIr m : model.project().modules()) {
      for (FunctionIr f : m.functions()) {
        Project.Fn fn = model.project().function(f.id());
        if (fn == null || fn.module() != m || !f.async() || f.kind() != FunctionIr.Kind.FUNCTION
            || f.hasFlag(FunctionIr.Flag.STUB) || f.events().isEmpty()) {
          continue;
        }
        List<LoopExits.Swallow> found = LoopExits.swallowingHandlers(f.events(),
            r -> catchesCancellation(model, m, r), site -> calleeOf(m, site),
            site -> alwaysRaises(model, m, site));
        if (found.isEmpty()) {
          continue;
        }
        ExecutionContext.HeatInfo heat = model.context().heatOf(f.id());
        for (LoopExits.Swallow sw : found) {
          String excluded = DoNotFlag.contextOf(ctx.paths(), m.path(), f, heat.heat(), sw.loop());
          if (excluded != null && !ctx.includeContexts().contains(excluded)) {
            continue;
          }
          out.add(swallowFinding(m, f, heat, sw, excluded));
        }
      }
    }
  }

  private static Finding swallowFinding(ModuleIr m, FunctionIr f, ExecutionContext.HeatInfo heat,
      LoopExits.Swallow sw, String excluded) {
    String caught = sw.all() ? "everything (a bare except)" : typeName(sw.type());
    String loop = switch (sw.loop()) {
      case WHILE_TRUE -> "an unconditional loop";
      case ASYNC_FOR -> "an async for loop";
      default -> "a while loop";
    };
    String message = f.qualifiedName() + " catches " + caught + " inside " + loop
        + " and neither re-raises nor leaves the loop, so its task keeps running when cancelled.";
    Confidence confidence = sw.loop() == CallSite.LoopKind.WHILE_TRUE ? Confidence.HIGH : Confidence.MEDIUM;
    Heat h = heat.heat();
    Attributes attrs = Attributes.builder()
        .put(Attributes.CATEGORY, SWALLOWED, Attributes.Slot.SUBJECT)
        .put(CATCHES, sw.all() ? "all" : typeName(sw.type()), Attributes.Slot.DETAIL)
        .build();
    return new Finding(ID, m.path(), new Span(sw.line(), 0, sw.line(), 0), f.qualifiedName(), message,
        confidence, excluded != null ? dev.loopguard.core.model.Priority.P3 : h.priority(sw.loop()),
        h.description(), excluded, List.of(new ChainHop(m.path(), sw.line(), 0, f.qualifiedName(), "except")),
        "Re-raise the cancellation after any cleanup (except CancelledError: cleanup(); raise), or "
            + "catch Exception instead, which does not catch it.",
        attrs, null);
  }

  private static String typeName(Ref r) {
    return r == null ? "?" : r.toString();
  }

  /**
   * Whether call {@code site} of {@code m} reaches only project functions that raise and never
   * return (a helper that converts the exception it is handed and raises it again).
   */
  private static boolean alwaysRaises(SemanticModel model, ModuleIr m, int site) {
    if (site < 0 || site >= m.calls().size()) {
      return false;
    }
    boolean any = false;
    for (Target t : model.graph().targets(m, m.calls().get(site))) {
      if (!(t instanceof Target.ProjectFunction pf)) {
        return false;
      }
      Project.Fn fn = model.project().function(pf.id());
      if (fn == null || !raisesNeverReturns(fn.ir())) {
        return false;
      }
      any = true;
    }
    return any;
  }

  private static boolean raisesNeverReturns(FunctionIr f) {
    boolean raises = false;
    var c = f.events().cursor();
    while (c.next()) {
      if (c.kind() == dev.loopguard.core.ir.EventList.Kind.RETURN) {
        return false;
      }
      raises |= c.kind() == dev.loopguard.core.ir.EventList.Kind.RAISE;
    }
    return raises;
  }

  private static Ref calleeOf(ModuleIr m, int site) {
    return site >= 0 && site < m.calls().size() ? m.calls().get(site).callee() : null;
  }

  /** Whether catching the type {@code r} names catches a task's cancellation (the packs say). */
  private static boolean catchesCancellation(SemanticModel model, ModuleIr m, Ref r) {
    if (r instanceof Ref.QName q) {
      return model.facts().cancellation(q.name()) != null;
    }
    for (Val v : model.values().eval(m, r)) {
      if (v instanceof Val.External e && model.facts().cancellation(e.name()) != null) {
        return true;
      }
      if (v instanceof Val.Class c && model.facts().cancellation(c.qualifiedName()) != null) {
        return true;
      }
    }
    return false;
  }

  // ------------------------------------------------------------------ policy

  /** Whether code at {@code path} in {@code fn} is test or script code the user did not include. */
  private static boolean excluded(RuleContext ctx, String path, Project.Fn fn) {
    String kind = ctx.paths().kindOf(path);
    if (kind == null && fn != null && fn.ir().hasFlag(FunctionIr.Flag.MAIN_GUARD)) {
      kind = "script";
    }
    return kind != null && !ctx.includeContexts().contains(kind);
  }

  private static Confidence capped(Confidence c, String cap) {
    if (cap == null) {
      return c;
    }
    Confidence limit = Confidence.valueOf(cap.toUpperCase(java.util.Locale.ROOT));
    return c.ordinal() >= limit.ordinal() ? c : limit;
  }
}
