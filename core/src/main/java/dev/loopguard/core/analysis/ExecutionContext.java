package dev.loopguard.core.analysis;

import dev.loopguard.core.ir.CallSite;
import dev.loopguard.core.ir.FunctionIr;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.ir.Ref;
import dev.loopguard.core.knowledge.Fact;
import dev.loopguard.core.knowledge.FactIndex;
import dev.loopguard.core.knowledge.FactKind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Where code runs and how hot: the entry points the knowledge names, the heat of every
 * event-loop function (propagated along calls between them), the sync functions the loop runs
 * itself (loop callbacks, sync handlers a framework runs on the loop), the offload boundaries
 * (functions handed to a worker thread) and the places where event-loop code does the right
 * thing (offloads, awaited async APIs). Rule-neutral: every rule that asks "does this run on the
 * loop, and how often?" reads it.
 */
public final class ExecutionContext {

  /** How hot a function runs and why. */
  public record HeatInfo(Heat heat, String origin, String originPath, int originLine, String entry) {}

  /** Evidence that event-loop code does the right thing (for reports and reviews). */
  public record Evidence(String kind, Project.Fn function, ModuleIr module, CallSite site, String api) {}

  private static final HeatInfo NO_HEAT = new HeatInfo(Heat.NONE, null, null, 0, null);

  private final Project project;
  private final FactIndex facts;
  private final Values values;
  private final CallGraph graph;
  private final ArgConditions argConditions;
  private final Map<String, HeatInfo> heat = new HashMap<>();
  private final Map<String, HeatInfo> syncLoopRoots = new LinkedHashMap<>();
  private final Map<String, Integer> offloadedFunctions = new HashMap<>();
  private final Map<String, HeatInfo> threadHandlers = new LinkedHashMap<>();
  private final List<Evidence> evidence = new ArrayList<>();

  ExecutionContext(Project project, FactIndex facts, Values values, CallGraph graph,
      ArgConditions argConditions) {
    this.project = project;
    this.facts = facts;
    this.values = values;
    this.graph = graph;
    this.argConditions = argConditions;
  }

  /** How hot event-loop function {@code functionId} runs (NONE when no entry reaches it). */
  public HeatInfo heatOf(String functionId) {
    HeatInfo h = heat.get(functionId);
    return h != null ? h : NO_HEAT;
  }

  /** Sync functions that run on the event loop, with their heat. */
  public Map<String, HeatInfo> syncLoopRoots() {
    return Collections.unmodifiableMap(syncLoopRoots);
  }

  /**
   * Plain handlers an entry point marks that the framework runs in a worker thread of the service
   * ({@code sync-handler: threadpool}), with their heat: off the loop, but part of the service.
   */
  public Map<String, HeatInfo> threadHandlers() {
    return Collections.unmodifiableMap(threadHandlers);
  }

  /** Number of places that hand this function to an offloader. */
  public int offloadCount(String functionId) {
    return offloadedFunctions.getOrDefault(functionId, 0);
  }

  /** Offloads and awaited async APIs in event-loop functions, in source order. */
  public List<Evidence> evidence() {
    return Collections.unmodifiableList(evidence);
  }

  /** An async function, or a sync function the loop runs; never a stub. */
  public boolean runsOnLoop(Project.Fn fn) {
    FunctionIr f = fn.ir();
    if (f.hasFlag(FunctionIr.Flag.STUB)) {
      return false;
    }
    return isAsyncFunction(f) || syncLoopRoots.containsKey(f.id());
  }

  /** The heat of a function that runs on the loop: its own, or its sync root's; null otherwise. */
  public HeatInfo loopHeat(Project.Fn fn) {
    FunctionIr f = fn.ir();
    if (isAsyncFunction(f)) {
      return heatOf(f.id());
    }
    return syncLoopRoots.get(f.id());
  }

  static boolean isAsyncFunction(FunctionIr f) {
    return f.async() && f.kind() == FunctionIr.Kind.FUNCTION;
  }

  // ------------------------------------------------------------------ computation

  void compute(Predicate<CallSite> skipCall) {
    computeEntriesAndHeat(skipCall);
    collectEvidence(skipCall);
  }

  private void computeEntriesAndHeat(Predicate<CallSite> skipCall) {
    ArrayDeque<String> work = new ArrayDeque<>();
    for (ModuleIr m : project.modules()) {
      for (FunctionIr f : m.functions()) {
        Project.Fn fn = project.function(f.id());
        if (fn == null || fn.module() != m) {
          continue;
        }
        List<Fact> byName = facts.functionEntries(f.qualifiedName());
        for (Fact fact : byName) {
          mark(fn, fact, m, null, f.nameSpan().line(), work);
        }
        for (Ref d : f.decorators()) {
          for (String name : decoratorNames(m, d)) {
            Fact fact = facts.lookup(name);
            if (fact != null && fact.kind() == FactKind.ENTRY_POINT
                && "decorator".equals(fact.appliesTo()) && !namedBySamePack(byName, fact)) {
              CallSite decoratorCall = d instanceof Ref.Call c && c.site() >= 0
                  && c.site() < m.calls().size() ? m.calls().get(c.site()) : null;
              mark(fn, fact, m, decoratorCall, f.nameSpan().line(), work);
            } else if (fact != null && fact.kind() == FactKind.RUNS_ON_LOOP && !f.async()) {
              markSyncRoot(fn, new HeatInfo(Heat.HOT_LOOP, f.id(), m.path(), f.nameSpan().line(), "per-event"));
            }
          }
        }
      }
      for (CallSite cs : m.calls()) {
        if (skipCall.test(cs) && !cs.hasFlag(CallSite.CallFlag.MAIN_GUARD)) {
          continue;
        }
        for (Target t : graph.targets(m, cs)) {
          if (!(t instanceof Target.Api api) || api.fact() == null) {
            continue;
          }
          Fact fact = api.fact();
          if (fact.kind() == FactKind.ENTRY_POINT && "call".equals(fact.appliesTo())) {
            for (Target c : graph.callableTargets(m, cs, fact)) {
              if (c instanceof Target.ProjectFunction pf && project.function(pf.id()) != null) {
                mark(project.function(pf.id()), fact, m, cs, cs.span().line(), work);
              }
            }
          } else if (fact.kind() == FactKind.RUNS_ON_LOOP) {
            for (Target c : graph.callableTargets(m, cs, fact)) {
              if (c instanceof Target.ProjectFunction pf && project.function(pf.id()) != null) {
                Project.Fn fn = project.function(pf.id());
                HeatInfo h = new HeatInfo(Heat.HOT_LOOP, fn.id(), m.path(), cs.span().line(), "loop callback");
                if (fn.ir().async()) {
                  raise(fn.id(), h, work);
                } else {
                  markSyncRoot(fn, h);
                }
              }
            }
          } else if (fact.kind() == FactKind.OFFLOADS) {
            for (Target c : graph.callableTargets(m, cs, fact)) {
              if (c instanceof Target.ProjectFunction pf) {
                offloadedFunctions.merge(pf.id(), 1, Integer::sum);
              }
            }
          }
        }
      }
    }
    // Names like close/shutdown mark rarely run paths unless something hotter reaches them.
    // Propagate along calls between event-loop functions.
    for (ModuleIr m : project.modules()) {
      for (FunctionIr f : m.functions()) {
        if (isAsyncFunction(f) && !heat.containsKey(f.id())) {
          work.add(f.id());
        }
      }
    }
    int guard = 0;
    while (!work.isEmpty() && guard++ < 5_000_000) {
      String id = work.poll();
      Project.Fn fn = project.function(id);
      if (fn == null || !fn.ir().async()) {
        continue;
      }
      HeatInfo h = heatOf(id);
      for (CallSite cs : project.callsIn(id)) {
        if (skipCall.test(cs)) {
          continue;
        }
        for (Target t : graph.targets(fn.module(), cs)) {
          if (t instanceof Target.ProjectFunction pf) {
            Project.Fn callee = project.function(pf.id());
            if (callee != null && callee.ir().async() && !callee.id().equals(id)) {
              Heat passed = h.heat().passedOn(cs.loopKind());
              if (passed.compareTo(heatOf(callee.id()).heat()) > 0) {
                raise(callee.id(), new HeatInfo(passed, h.origin(), h.originPath(), h.originLine(), h.entry()), work);
              }
            }
          }
        }
      }
    }
  }

  /** Offloads and awaited async APIs in the functions that run on the loop. */
  private void collectEvidence(Predicate<CallSite> skipCall) {
    for (ModuleIr m : project.modules()) {
      for (FunctionIr f : m.functions()) {
        Project.Fn fn = project.function(f.id());
        if (fn == null || fn.module() != m || !runsOnLoop(fn)) {
          continue;
        }
        for (CallSite cs : project.callsIn(f.id())) {
          if (skipCall.test(cs)) {
            continue;
          }
          for (Target t : graph.targets(m, cs)) {
            if (t instanceof Target.Api api && api.fact() != null) {
              FactKind k = api.fact().kind();
              if (k == FactKind.OFFLOADS) {
                evidence.add(new Evidence("offload", fn, m, cs, api.name()));
              } else if (cs.awaited() && k == FactKind.ASYNC_API) {
                evidence.add(new Evidence("async-api", fn, m, cs, api.name()));
              }
            }
          }
        }
      }
    }
  }

  /** What decorator {@code d} in {@code m} resolves to: external names ({@code ?.name} for an unknown member). */
  List<String> decoratorNames(ModuleIr m, Ref d) {
    Ref callee = d;
    if (d instanceof Ref.Call c && c.site() >= 0 && c.site() < m.calls().size()) {
      callee = m.calls().get(c.site()).callee();
    }
    List<String> names = new ArrayList<>();
    for (Val v : values.eval(m, callee)) {
      if (v instanceof Val.External e) {
        names.add(e.name());
      } else if (v instanceof Val.UnknownMember u) {
        names.add("?." + u.name());
      }
    }
    return names;
  }

  /**
   * Whether a pack that marks handlers with {@code decorator} also names this function's role
   * ({@code byName}, e.g. discord.py's {@code @bot.event} on {@code on_ready}, a startup event):
   * the library's own word on that function wins over its generic decorator.
   */
  private static boolean namedBySamePack(List<Fact> byName, Fact decorator) {
    for (Fact f : byName) {
      if (f.pack().equals(decorator.pack())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Marks {@code fn} as an entry point per {@code fact}, registered at {@code line} of {@code m}
   * by {@code registration} (a decorator or registration call; null when matched by name).
   */
  private void mark(Project.Fn fn, Fact fact, ModuleIr m, CallSite registration, int line,
      ArrayDeque<String> work) {
    Heat h = Heat.fromEntry(fact.entry());
    HeatInfo info = new HeatInfo(h, fn.id(), m.path(), line, fact.entry());
    if (fn.ir().async()) {
      raise(fn.id(), info, work);
    } else {
      String handler = argConditions.syncHandler(fact, m, registration);
      if ("loop".equals(handler)) {
        markSyncRoot(fn, info);
      } else if ("threadpool".equals(handler)) {
        HeatInfo cur = threadHandlers.get(fn.id());
        if (cur == null || h.compareTo(cur.heat()) > 0) {
          threadHandlers.put(fn.id(), info);
        }
      }
    }
  }

  private void raise(String id, HeatInfo info, ArrayDeque<String> work) {
    HeatInfo cur = heat.get(id);
    if (cur == null || info.heat().compareTo(cur.heat()) > 0) {
      heat.put(id, info);
      work.add(id);
    }
  }

  private void markSyncRoot(Project.Fn fn, HeatInfo info) {
    HeatInfo cur = syncLoopRoots.get(fn.id());
    if (cur == null || info.heat().compareTo(cur.heat()) > 0) {
      syncLoopRoots.put(fn.id(), info);
    }
  }
}
