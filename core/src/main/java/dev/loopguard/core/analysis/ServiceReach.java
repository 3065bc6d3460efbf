package dev.loopguard.core.analysis;

import dev.loopguard.core.ir.CallSite;
import dev.loopguard.core.ir.FunctionIr;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.knowledge.FactKind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The code an async service runs, and how hot: the functions that run on its event loop, the
 * functions it runs in worker threads (handed to an offloader by loop code, or plain handlers a
 * framework runs in its threadpool), and the sync helpers those call, transitively. Each function
 * gets the heat of the hottest root that reaches it and the call that reaches it from there, so a
 * rule can show the path. Rule-neutral: a rule about what service code does on its hot paths
 * (timeouts, per-call clients) reads it. Computed once per scan ({@link #of}).
 */
public final class ServiceReach {

  /** How a function runs in the service. */
  public enum How {
    /** On the event loop (an async function, or a sync function the loop calls). */
    LOOP,
    /** In a worker thread: offloaded by loop code, or a handler the framework runs in a threadpool. */
    WORKER,
    /** A sync helper that loop or worker code calls. */
    HELPER
  }

  /**
   * One function of the service: its heat, how it runs, and the call in {@code parent} that
   * reaches it (null for a root); {@code onLoop} says whether the root that reaches it runs on the
   * event loop (a helper of loop code runs on the loop too) or in a worker thread.
   */
  public record Reached(Project.Fn fn, ExecutionContext.HeatInfo heat, How how, String parent,
      ModuleIr viaModule, CallSite via, boolean onLoop) {}

  private static final SemanticModel.Key<ServiceReach> KEY = new SemanticModel.Key<>("service reach");

  private final Map<String, Reached> reached = new HashMap<>();
  private final List<Reached> ordered = new ArrayList<>();

  /** The service code of {@code model}, computed the first time a scan asks. */
  public static ServiceReach of(SemanticModel model) {
    return model.derived(KEY, ServiceReach::new);
  }

  private ServiceReach(SemanticModel model) {
    Project project = model.project();
    ExecutionContext ctx = model.context();
    List<Reached> roots = new ArrayList<>();
    for (ModuleIr m : project.modules()) {
      for (FunctionIr f : m.functions()) {
        Project.Fn fn = project.function(f.id());
        if (fn == null || fn.module() != m || !ctx.runsOnLoop(fn)) {
          continue;
        }
        ExecutionContext.HeatInfo h = ctx.loopHeat(fn);
        roots.add(new Reached(fn, h, How.LOOP, null, null, null, true));
        // What loop code hands to a worker thread runs in the service, as hot as the loop code.
        for (CallSite cs : project.callsIn(f.id())) {
          if (model.skipped(cs)) {
            continue;
          }
          for (Target t : model.graph().targets(m, cs)) {
            if (t instanceof Target.Api api && api.fact() != null
                && api.fact().kind() == FactKind.OFFLOADS) {
              for (Target c : model.graph().callableTargets(m, cs, api.fact())) {
                Project.Fn worker = c instanceof Target.ProjectFunction pf ? project.function(pf.id()) : null;
                if (worker != null && SemanticModel.isSync(worker)) {
                  roots.add(new Reached(worker, h, How.WORKER, f.id(), m, cs, false));
                }
              }
            }
          }
        }
      }
    }
    for (Map.Entry<String, ExecutionContext.HeatInfo> e : ctx.threadHandlers().entrySet()) {
      Project.Fn fn = project.function(e.getKey());
      if (fn != null && SemanticModel.isSync(fn)) {
        roots.add(new Reached(fn, e.getValue(), How.WORKER, null, null, null, false));
      }
    }
    // Hottest roots first: the first root to reach a function gives it its heat and path.
    roots.sort(Comparator.comparing((Reached r) -> r.heat().heat()).reversed());
    ArrayDeque<Reached> queue = new ArrayDeque<>();
    for (Reached root : roots) {
      if (reached.putIfAbsent(root.fn().id(), root) != null) {
        continue;
      }
      ordered.add(root);
      queue.add(root);
      while (!queue.isEmpty()) {
        Reached r = queue.poll();
        Project.Fn fn = r.fn();
        for (CallSite cs : project.callsIn(fn.id())) {
          if (cs.awaited() || model.skipped(cs)) {
            continue;
          }
          for (Target t : model.graph().targets(fn.module(), cs)) {
            Project.Fn callee = t instanceof Target.ProjectFunction pf ? project.function(pf.id()) : null;
            if (callee != null && SemanticModel.isSync(callee) && !reached.containsKey(callee.id())) {
              Reached next = new Reached(callee, r.heat(), How.HELPER, fn.id(), fn.module(), cs, r.onLoop());
              reached.put(callee.id(), next);
              ordered.add(next);
              queue.add(next);
            }
          }
        }
      }
    }
  }

  /** How function {@code functionId} runs in the service, or null when no service code reaches it. */
  public Reached get(String functionId) {
    return reached.get(functionId);
  }

  /** Every function of the service, roots hottest first, each followed by what it reaches. */
  public List<Reached> all() {
    return ordered;
  }

  /**
   * The path from the root that reaches {@code functionId} down to it: the reached functions,
   * root first.
   */
  public List<Reached> path(String functionId) {
    List<Reached> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    Reached r = reached.get(functionId);
    while (r != null && seen.add(r.fn().id())) {
      out.add(0, r);
      r = r.parent() == null ? null : reached.get(r.parent());
    }
    return out;
  }
}
