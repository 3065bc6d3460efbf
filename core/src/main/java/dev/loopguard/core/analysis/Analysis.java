package dev.loopguard.core.analysis;

import dev.loopguard.core.ir.CallSite;
import dev.loopguard.core.ir.FunctionIr;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.ir.Ref;
import dev.loopguard.core.knowledge.Fact;
import dev.loopguard.core.knowledge.FactIndex;
import dev.loopguard.core.knowledge.FactKind;
import dev.loopguard.core.model.Confidence;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The whole-program analysis: blocking summaries of sync functions (to a fixpoint, with witness
 * chains), entry points and how hot each event-loop function runs, and every blocking call made
 * on the event loop. Language-neutral: it reads the IR and the knowledge facts only.
 */
public final class Analysis {

  /** One call in a chain: {@code site} in {@code module}, standing in function {@code scope}. */
  public record Step(ModuleIr module, CallSite site, String label) {}

  /** Why a sync function may block: the chain from its own call to the blocking API. */
  public record Witness(List<Step> steps, String api, Fact fact) {
    int length() {
      return steps.size();
    }
  }

  /** How hot a function runs and why. */
  public record HeatInfo(Heat heat, String origin, String originPath, int originLine, String entry) {}

  /** A blocking call made on the event loop. {@code chain.get(0).site()} stands in {@code root}. */
  public record LoopBlock(
      Project.Fn root,
      List<Step> chain,
      String api,
      Fact fact,
      Confidence confidence,
      HeatInfo heat,
      CallSite.LoopKind loop) {}

  /** Evidence that event-loop code does the right thing (for reports and reviews). */
  public record Evidence(String kind, Project.Fn function, ModuleIr module, CallSite site, String api) {}

  private final Project project;
  private final FactIndex facts;
  private final Values values;
  private final CallGraph graph;
  private final ArgConditions argConditions;
  private final Map<String, Witness> summaries = new HashMap<>();
  private final Map<String, HeatInfo> heat = new HashMap<>();
  private final Map<String, HeatInfo> syncLoopRoots = new LinkedHashMap<>();
  private final List<LoopBlock> blocks = new ArrayList<>();
  private final List<Evidence> evidence = new ArrayList<>();
  private final Map<String, Integer> offloadedFunctions = new HashMap<>();
  private final java.util.Set<String> awaitedApis = new java.util.HashSet<>();
  // Async twins by API name (empty: none); read by several threads while summaries are computed.
  private final Map<String, java.util.Optional<Fact>> twins = new java.util.concurrent.ConcurrentHashMap<>();
  private int threads = 1;

  public Analysis(Project project, FactIndex facts) {
    this.project = project;
    this.facts = facts;
    this.values = new Values(project, facts);
    this.graph = new CallGraph(values);
    this.argConditions = new ArgConditions(project, graph);
  }

  public Project project() {
    return project;
  }

  public CallGraph graph() {
    return graph;
  }

  public List<LoopBlock> blocks() {
    return blocks;
  }

  public List<Evidence> evidence() {
    return evidence;
  }

  public Witness summary(String functionId) {
    return summaries.get(functionId);
  }

  public HeatInfo heatOf(String functionId) {
    HeatInfo h = heat.get(functionId);
    return h != null ? h : new HeatInfo(Heat.NONE, null, null, 0, null);
  }

  /**
   * Sync functions that run on the event loop (loop callbacks, sync handlers a framework runs on
   * the loop), with their heat. Read-only; filled by {@link #run}.
   */
  public Map<String, HeatInfo> syncLoopRoots() {
    return java.util.Collections.unmodifiableMap(syncLoopRoots);
  }

  /** Runs every stage on one thread. {@code skipCall} leaves out calls that never run on a hot path. */
  public Analysis run(Predicate<CallSite> skipCall) {
    return run(skipCall, 1);
  }

  /**
   * Runs every stage; call resolution, the bulk of the work, on {@code threads} threads. The
   * result does not depend on the number of threads.
   */
  public Analysis run(Predicate<CallSite> skipCall, int threads) {
    return run(skipCall, threads, null);
  }

  /**
   * As {@link #run(Predicate, int)}, taking call targets that {@code memory} (when not null) kept
   * from an earlier scan and still holds valid; see {@link CallGraph#resolveAll(List, int,
   * CallGraph.Memory)}.
   */
  public Analysis run(Predicate<CallSite> skipCall, int threads, CallGraph.Memory memory) {
    this.threads = threads;
    graph.resolveAll(project.modules(), threads, memory);
    collectAwaitedApis();
    computeSummaries(skipCall);
    computeEntriesAndHeat(skipCall);
    findLoopBlocks(skipCall);
    return this;
  }

  // ------------------------------------------------------------------ async twins

  private void collectAwaitedApis() {
    for (ModuleIr m : project.modules()) {
      for (CallSite cs : m.calls()) {
        if (cs.awaited()) {
          for (Target t : graph.targets(m, cs)) {
            if (t instanceof Target.Api api) {
              awaitedApis.add(api.name());
            }
          }
        }
      }
    }
  }

  /**
   * For a method of an external class with no fact: a low-confidence blocking fact when the class
   * offers an async twin ({@code m} beside {@code am}, class {@code X} beside {@code AsyncX}), known
   * from the knowledge packs or from awaited calls elsewhere in the project. Null otherwise.
   */
  Fact asyncTwin(String apiName) {
    java.util.Optional<Fact> known = twins.get(apiName);
    if (known != null) {
      return known.orElse(null);
    }
    Fact result = null;
    int dot = apiName.lastIndexOf('.');
    if (dot > 0 && !apiName.startsWith("?.")) {
      String owner = apiName.substring(0, dot);
      String method = apiName.substring(dot + 1);
      int ownerDot = owner.lastIndexOf('.');
      String cls = owner.substring(ownerDot + 1);
      if (!method.isEmpty() && !method.startsWith("_") && !cls.isEmpty()
          && Character.isUpperCase(cls.charAt(0))) {
        String prefix = ownerDot < 0 ? "" : owner.substring(0, ownerDot + 1);
        String[] candidates = {
          owner + ".a" + method,
          owner + ".async_" + method,
          prefix + "Async" + cls + "." + method,
        };
        for (String twin : candidates) {
          Fact tf = facts.lookup(twin);
          if ((tf != null && tf.kind() == FactKind.ASYNC_API) || awaitedApis.contains(twin)) {
            result = new Fact("inferred:async-twin", List.of(apiName), FactKind.BLOCKING, "sdk",
                twin + " (await it)", tf != null ? tf.reference() : null, null, null, null, null,
                null, null, null, null, "low",
                "Inferred: the class offers an async twin, " + twin + ", so this sync method probably blocks.",
                "inferred", "async-twin heuristic");
            break;
          }
        }
      }
    }
    twins.put(apiName, java.util.Optional.ofNullable(result));
    return result;
  }

  /**
   * The fact that makes the call of {@code api} at {@code cs} blocking: a blocking fact (unless
   * its arguments say otherwise), an inferred async twin, or null.
   */
  private Fact blockingFact(Target.Api api, ModuleIr m, CallSite cs) {
    if (api.fact() != null) {
      return api.fact().kind() == FactKind.BLOCKING && !argConditions.nonBlocking(api.fact(), m, cs)
          ? api.fact() : null;
    }
    return asyncTwin(api.name());
  }

  // ------------------------------------------------------------------ summaries

  private boolean isSync(Project.Fn fn) {
    FunctionIr f = fn.ir();
    return !f.async() && (f.kind() == FunctionIr.Kind.FUNCTION || f.kind() == FunctionIr.Kind.LAMBDA)
        && !f.hasFlag(FunctionIr.Flag.STUB);
  }

  /**
   * What one module contributes to the summaries: direct witnesses (strong: of facts without a
   * low confidence; weak: the rest, for functions without a strong one) and calls between sync
   * functions.
   */
  private record ModuleSummaries(List<String> direct, List<Witness> witnesses,
      List<String> weakDirect, List<Witness> weakWitnesses, List<String> callees,
      List<Step> edges) {}

  /** Whether a witness of {@code fact} is weak: the fact caps findings at low confidence. */
  private static boolean weak(Fact fact) {
    return fact.confidence() != null && Confidence.parse(fact.confidence()) == Confidence.LOW;
  }

  private ModuleSummaries summariesOf(ModuleIr m, Predicate<CallSite> skipCall) {
    ModuleSummaries out = new ModuleSummaries(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
        new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    for (FunctionIr f : m.functions()) {
      Project.Fn fn = project.function(f.id());
      if (fn == null || fn.module() != m || !isSync(fn)) {
        continue;
      }
      Witness direct = null;
      Witness weakDirect = null;
      for (CallSite cs : project.callsIn(f.id())) {
        if (cs.awaited() || skipCall.test(cs)) {
          continue;
        }
        for (Target t : graph.targets(m, cs)) {
          Fact blocking = t instanceof Target.Api api ? blockingFact(api, m, cs) : null;
          if (blocking != null) {
            boolean isWeak = weak(blocking);
            if (isWeak ? weakDirect == null : direct == null) {
              Witness w = new Witness(List.of(new Step(m, cs, ((Target.Api) t).name())),
                  ((Target.Api) t).name(), blocking);
              if (isWeak) {
                weakDirect = w;
              } else {
                direct = w;
              }
            }
          } else if (t instanceof Target.ProjectFunction pf) {
            Project.Fn callee = project.function(pf.id());
            if (callee != null && isSync(callee) && !callee.id().equals(f.id())) {
              out.callees().add(pf.id());
              out.edges().add(new Step(m, cs, f.id()));
            }
          }
        }
      }
      if (direct != null) {
        out.direct().add(f.id());
        out.witnesses().add(direct);
      } else if (weakDirect != null) {
        out.weakDirect().add(f.id());
        out.weakWitnesses().add(weakDirect);
      }
    }
    return out;
  }

  private void computeSummaries(Predicate<CallSite> skipCall) {
    // Reverse edges among sync functions, and direct witnesses: per module in parallel, merged
    // in module order.
    List<ModuleIr> modules = project.modules();
    ModuleSummaries[] parts = new ModuleSummaries[modules.size()];
    Runnable[] tasks = new Runnable[modules.size()];
    for (int i = 0; i < tasks.length; i++) {
      int k = i;
      tasks[i] = () -> parts[k] = summariesOf(modules.get(k), skipCall);
    }
    Parallel.run(tasks, threads);
    Map<String, List<Step>> callers = new HashMap<>();
    ArrayDeque<String> queue = new ArrayDeque<>();
    for (ModuleSummaries part : parts) {
      for (int i = 0; i < part.edges().size(); i++) {
        callers.computeIfAbsent(part.callees().get(i), k -> new ArrayList<>()).add(part.edges().get(i));
      }
    }
    for (ModuleSummaries part : parts) {
      for (int i = 0; i < part.direct().size(); i++) {
        summaries.put(part.direct().get(i), part.witnesses().get(i));
        queue.add(part.direct().get(i));
      }
    }
    // Breadth-first over reverse edges: each function gets its shortest strong witness, then
    // the functions still without one their shortest weak witness.
    propagate(queue, callers);
    for (ModuleSummaries part : parts) {
      for (int i = 0; i < part.weakDirect().size(); i++) {
        if (summaries.putIfAbsent(part.weakDirect().get(i), part.weakWitnesses().get(i)) == null) {
          queue.add(part.weakDirect().get(i));
        }
      }
    }
    propagate(queue, callers);
  }

  /** Gives the callers of the functions in {@code queue}, transitively, the shortest witness. */
  private void propagate(ArrayDeque<String> queue, Map<String, List<Step>> callers) {
    while (!queue.isEmpty()) {
      String calleeId = queue.poll();
      Witness w = summaries.get(calleeId);
      Project.Fn callee = project.function(calleeId);
      for (Step edge : callers.getOrDefault(calleeId, List.of())) {
        String callerId = edge.label();
        if (summaries.containsKey(callerId)) {
          continue;
        }
        List<Step> steps = new ArrayList<>(w.length() + 1);
        steps.add(new Step(edge.module(), edge.site(), callee.ir().qualifiedName()));
        steps.addAll(w.steps());
        summaries.put(callerId, new Witness(List.copyOf(steps), w.api(), w.fact()));
        queue.add(callerId);
      }
    }
  }

  // ------------------------------------------------------------------ entries and heat

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
        if (f.async() && f.kind() == FunctionIr.Kind.FUNCTION && !heat.containsKey(f.id())) {
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

  private List<String> decoratorNames(ModuleIr m, Ref d) {
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
   * Marks {@code fn} as an entry point per {@code fact}, registered at {@code line} of {@code m}
   * by {@code registration} (a decorator or registration call; null when matched by name).
   */
  private void mark(Project.Fn fn, Fact fact, ModuleIr m, CallSite registration, int line,
      ArrayDeque<String> work) {
    Heat h = Heat.fromEntry(fact.entry());
    HeatInfo info = new HeatInfo(h, fn.id(), m.path(), line, fact.entry());
    if (fn.ir().async()) {
      raise(fn.id(), info, work);
    } else if ("loop".equals(argConditions.syncHandler(fact, m, registration))) {
      markSyncRoot(fn, info);
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

  /** Number of places that hand this function to an offloader. */
  public int offloadCount(String functionId) {
    return offloadedFunctions.getOrDefault(functionId, 0);
  }

  // ------------------------------------------------------------------ blocking calls on the loop

  private void findLoopBlocks(Predicate<CallSite> skipCall) {
    for (ModuleIr m : project.modules()) {
      for (FunctionIr f : m.functions()) {
        Project.Fn fn = project.function(f.id());
        if (fn == null || fn.module() != m || f.hasFlag(FunctionIr.Flag.STUB)) {
          continue;
        }
        HeatInfo h;
        if (f.async() && f.kind() == FunctionIr.Kind.FUNCTION) {
          h = heatOf(f.id());
        } else if (syncLoopRoots.containsKey(f.id())) {
          h = syncLoopRoots.get(f.id());
        } else {
          continue;
        }
        for (CallSite cs : project.callsIn(f.id())) {
          if (skipCall.test(cs)) {
            continue;
          }
          LoopBlock best = null;
          for (Target t : graph.targets(m, cs)) {
            LoopBlock b = null;
            if (t instanceof Target.Api api && api.fact() == null && !cs.awaited()) {
              Fact twin = asyncTwin(api.name());
              if (twin != null) {
                b = new LoopBlock(fn, List.of(new Step(m, cs, api.name())), api.name(), twin,
                    Confidence.LOW, h, cs.loopKind());
              }
            } else if (t instanceof Target.Api api && api.fact() != null) {
              FactKind k = api.fact().kind();
              if (k == FactKind.OFFLOADS) {
                evidence.add(new Evidence("offload", fn, m, cs, api.name()));
              } else if (cs.awaited()) {
                if (k == FactKind.ASYNC_API) {
                  evidence.add(new Evidence("async-api", fn, m, cs, api.name()));
                }
              } else if (k == FactKind.BLOCKING && !argConditions.nonBlocking(api.fact(), m, cs)) {
                b = new LoopBlock(fn, List.of(new Step(m, cs, api.name())), api.name(), api.fact(),
                    cap(Confidence.HIGH, api.fact()), h, cs.loopKind());
              }
            } else if (t instanceof Target.ProjectFunction pf && !cs.awaited()) {
              Witness w = summaries.get(pf.id());
              Project.Fn callee = project.function(pf.id());
              if (w != null && callee != null && isSync(callee)) {
                List<Step> steps = new ArrayList<>(w.length() + 1);
                steps.add(new Step(m, cs, callee.ir().qualifiedName()));
                steps.addAll(w.steps());
                b = new LoopBlock(fn, List.copyOf(steps), w.api(), w.fact(),
                    cap(Confidence.MEDIUM, w.fact()), h, cs.loopKind());
              }
            }
            if (b != null && (best == null || better(b, best))) {
              best = b;
            }
          }
          if (best != null) {
            blocks.add(best);
          }
        }
      }
    }
    blocks.sort(Comparator.comparing((LoopBlock b) -> b.chain().get(0).module().path())
        .thenComparingInt(b -> b.chain().get(0).site().span().line())
        .thenComparingInt(b -> b.chain().get(0).site().span().column()));
  }

  private static boolean better(LoopBlock a, LoopBlock b) {
    if (a.confidence() != b.confidence()) {
      return a.confidence().ordinal() < b.confidence().ordinal();
    }
    return a.chain().size() < b.chain().size();
  }

  private static Confidence cap(Confidence c, Fact fact) {
    if (fact.confidence() == null) {
      return c;
    }
    return c.min(Confidence.parse(fact.confidence()));
  }
}
