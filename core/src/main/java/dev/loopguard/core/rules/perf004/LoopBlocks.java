package dev.loopguard.core.rules.perf004;

import dev.loopguard.core.analysis.ExecutionContext;
import dev.loopguard.core.analysis.ImplicitCalls;
import dev.loopguard.core.analysis.Parallel;
import dev.loopguard.core.analysis.Project;
import dev.loopguard.core.analysis.SemanticModel;
import dev.loopguard.core.analysis.Target;
import dev.loopguard.core.ir.CallSite;
import dev.loopguard.core.ir.FunctionIr;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.knowledge.Fact;
import dev.loopguard.core.knowledge.FactKind;
import dev.loopguard.core.model.Confidence;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * perf-004's derived facts over the semantic model: the blocking summaries of sync functions
 * (to a fixpoint, with witness chains), and every blocking call made on the event loop, directly
 * or through sync helpers. Computed once per scan ({@link #of}) and shared by the rule and its
 * review judge.
 */
final class LoopBlocks {

  /** One call in a chain: {@code site} in {@code module}, labelled with what it calls. */
  record Step(ModuleIr module, CallSite site, String label) {}

  /** Why a sync function may block: the chain from its own call to the blocking API. */
  record Witness(List<Step> steps, String api, Fact fact) {
    int length() {
      return steps.size();
    }
  }

  /** A blocking call made on the event loop. {@code chain.get(0).site()} stands in {@code root}. */
  record LoopBlock(
      Project.Fn root,
      List<Step> chain,
      String api,
      Fact fact,
      Confidence confidence,
      ExecutionContext.HeatInfo heat,
      CallSite.LoopKind loop) {}

  private static final SemanticModel.Key<LoopBlocks> KEY = new SemanticModel.Key<>("perf-004 loop blocks");

  private final SemanticModel model;
  private final Project project;
  private final Map<String, Witness> summaries = new HashMap<>();
  private final List<LoopBlock> blocks = new ArrayList<>();
  // Async twins by API name (empty: none); read by several threads while summaries are computed.
  private final Map<String, Optional<Fact>> twins = new ConcurrentHashMap<>();
  // Calls that run project code without naming it (callbacks, waits, overrides).
  private final ImplicitCalls implicit;

  private LoopBlocks(SemanticModel model) {
    this.model = model;
    this.project = model.project();
    this.implicit = ImplicitCalls.of(model);
  }

  /** The loop blocks of {@code model}, computed the first time a scan asks. */
  static LoopBlocks of(SemanticModel model) {
    return model.derived(KEY, m -> {
      LoopBlocks b = new LoopBlocks(m);
      b.computeSummaries();
      b.findLoopBlocks();
      return b;
    });
  }

  List<LoopBlock> blocks() {
    return blocks;
  }

  Witness summary(String functionId) {
    return summaries.get(functionId);
  }

  // ------------------------------------------------------------------ async twins

  /**
   * For a method of an external class with no fact: a low-confidence blocking fact when the class
   * offers an async twin (named as the language's libraries name them), known from the knowledge
   * packs or from awaited calls elsewhere in the project. Null otherwise.
   */
  Fact asyncTwin(String apiName) {
    Optional<Fact> known = twins.get(apiName);
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
        for (String twin : model.semantics().asyncTwinNames(owner, prefix, cls, method)) {
          Fact tf = model.facts().lookup(twin);
          if ((tf != null && tf.kind() == FactKind.ASYNC_API) || model.awaitedApis().contains(twin)) {
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
    twins.put(apiName, Optional.ofNullable(result));
    return result;
  }

  /**
   * The fact that makes the call of {@code api} at {@code cs} blocking: a blocking fact (unless
   * its arguments say otherwise), an inferred async twin, or null.
   */
  private Fact blockingFact(Target.Api api, ModuleIr m, CallSite cs) {
    if (api.fact() != null) {
      return api.fact().kind() == FactKind.BLOCKING
          && !model.argConditions().nonBlocking(api.fact(), m, cs)
          ? api.fact() : null;
    }
    return asyncTwin(api.name());
  }

  // ------------------------------------------------------------------ summaries

  /**
   * What one module contributes to the summaries: direct witnesses (strong: of facts without a
   * low confidence; weak: the rest, for functions without a strong one) and calls between sync
   * functions.
   */
  private record ModuleSummaries(List<String> direct, List<Witness> witnesses,
      List<String> weakDirect, List<Witness> weakWitnesses, List<String> callees,
      List<Step> edges, List<ImplicitCalls.Edge> via) {}

  /** Whether a witness of {@code fact} is weak: the fact caps findings at low confidence. */
  private static boolean weak(Fact fact) {
    return fact.confidence() != null && Confidence.parse(fact.confidence()) == Confidence.LOW;
  }

  private ModuleSummaries summariesOf(ModuleIr m) {
    ModuleSummaries out = new ModuleSummaries(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
        new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    for (FunctionIr f : m.functions()) {
      Project.Fn fn = project.function(f.id());
      if (fn == null || fn.module() != m || !SemanticModel.isSync(fn)) {
        continue;
      }
      Witness direct = null;
      Witness weakDirect = null;
      for (CallSite cs : project.callsIn(f.id())) {
        if (cs.awaited() || model.skipped(cs)) {
          continue;
        }
        for (Target t : model.graph().targets(m, cs)) {
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
            if (callee != null && SemanticModel.isSync(callee) && !callee.id().equals(f.id())) {
              out.callees().add(pf.id());
              out.edges().add(new Step(m, cs, f.id()));
              out.via().add(null);
            }
          }
        }
        for (ImplicitCalls.Edge e : implicit.at(m, cs)) {
          Project.Fn callee = project.function(e.functionId());
          if (callee != null && SemanticModel.isSync(callee) && !callee.id().equals(f.id())) {
            out.callees().add(e.functionId());
            out.edges().add(new Step(m, cs, f.id()));
            out.via().add(e);
          }
        }
      }
      for (ImplicitCalls.PropertyRead r : implicit.readsIn(f.id())) {
        Project.Fn getter = project.function(r.edge().functionId());
        if (getter != null && SemanticModel.isSync(getter) && !getter.id().equals(f.id())) {
          out.callees().add(getter.id());
          out.edges().add(new Step(m, r.site(), f.id()));
          out.via().add(r.edge());
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

  private void computeSummaries() {
    // Reverse edges among sync functions, and direct witnesses: per module in parallel, merged
    // in module order.
    List<ModuleIr> modules = project.modules();
    ModuleSummaries[] parts = new ModuleSummaries[modules.size()];
    Runnable[] tasks = new Runnable[modules.size()];
    for (int i = 0; i < tasks.length; i++) {
      int k = i;
      tasks[i] = () -> parts[k] = summariesOf(modules.get(k));
    }
    Parallel.run(tasks, model.threads());
    Map<String, List<Step>> callers = new HashMap<>();
    Map<List<Object>, ImplicitCalls.Edge> via = new HashMap<>();
    ArrayDeque<String> queue = new ArrayDeque<>();
    for (ModuleSummaries part : parts) {
      for (int i = 0; i < part.edges().size(); i++) {
        callers.computeIfAbsent(part.callees().get(i), k -> new ArrayList<>()).add(part.edges().get(i));
        if (part.via().get(i) != null) {
          via.put(List.of(part.edges().get(i), part.callees().get(i)), part.via().get(i));
        }
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
    propagate(queue, callers, via);
    for (ModuleSummaries part : parts) {
      for (int i = 0; i < part.weakDirect().size(); i++) {
        if (summaries.putIfAbsent(part.weakDirect().get(i), part.weakWitnesses().get(i)) == null) {
          queue.add(part.weakDirect().get(i));
        }
      }
    }
    propagate(queue, callers, via);
  }

  /** Gives the callers of the functions in {@code queue}, transitively, the shortest witness. */
  private void propagate(ArrayDeque<String> queue, Map<String, List<Step>> callers,
      Map<List<Object>, ImplicitCalls.Edge> via) {
    while (!queue.isEmpty()) {
      String calleeId = queue.poll();
      Witness w = summaries.get(calleeId);
      Project.Fn callee = project.function(calleeId);
      for (Step edge : callers.getOrDefault(calleeId, List.of())) {
        String callerId = edge.label();
        ImplicitCalls.Edge implicitEdge = via.get(List.of(edge, calleeId));
        if (summaries.containsKey(callerId) || !carries(implicitEdge, w)) {
          continue;
        }
        List<Step> steps = new ArrayList<>(w.length() + 1);
        steps.add(step(edge.module(), edge.site(), callee, implicitEdge));
        steps.addAll(w.steps());
        summaries.put(callerId, new Witness(List.copyOf(steps), w.api(), w.fact()));
        queue.add(callerId);
      }
    }
  }

  /**
   * Whether the implicit call {@code e} (null: a named call) carries witness {@code w}: never a
   * weak one (two guesses make a poor finding), and through a property only a getter's own
   * blocking call (a getter that reaches blocking code through helpers is mostly incidental: on
   * the standard library, tracebacks' line property reached file reads from every logging call).
   */
  private static boolean carries(ImplicitCalls.Edge e, Witness w) {
    return e == null || (!weak(w.fact())
        && (e.kind() != ImplicitCalls.Kind.PROPERTY || w.length() == 1));
  }

  /** The step of a chain that calls {@code callee} at {@code site}, named as {@code via} reaches it. */
  private Step step(ModuleIr m, CallSite site, Project.Fn callee, ImplicitCalls.Edge via) {
    if (via == null) {
      return new Step(m, site, callee.ir().qualifiedName());
    }
    return new Step(m, site, via.label(callee.ir().qualifiedName()));
  }

  /**
   * The blocking call on the loop through a call that runs project code without naming it, or
   * null. A wait that is itself a blocking call (a join, a result) stays the stronger witness of
   * its site; the work it waits for is reached through it all the same.
   */
  private LoopBlock implicitBlock(Project.Fn fn, ModuleIr m, CallSite cs, ImplicitCalls.Edge e,
      ExecutionContext.HeatInfo h) {
    Project.Fn callee = project.function(e.functionId());
    Witness w = summaries.get(e.functionId());
    // An awaited call runs a callback only through an async helper that calls it on the loop.
    if (w == null || callee == null || !SemanticModel.isSync(callee) || !carries(e, w)
        || (cs.awaited() && e.kind() != ImplicitCalls.Kind.CALLBACK)) {
      return null;
    }
    List<Step> steps = new ArrayList<>(w.length() + 1);
    steps.add(step(m, cs, callee, e));
    steps.addAll(w.steps());
    return new LoopBlock(fn, List.copyOf(steps), w.api(), w.fact(),
        cap(Confidence.MEDIUM, w.fact()), h, cs.loopKind());
  }

  // ------------------------------------------------------------------ blocking calls on the loop

  private void findLoopBlocks() {
    ExecutionContext ctx = model.context();
    for (ModuleIr m : project.modules()) {
      for (FunctionIr f : m.functions()) {
        Project.Fn fn = project.function(f.id());
        if (fn == null || fn.module() != m || !ctx.runsOnLoop(fn)) {
          continue;
        }
        ExecutionContext.HeatInfo h = ctx.loopHeat(fn);
        for (CallSite cs : project.callsIn(f.id())) {
          if (model.skipped(cs)) {
            continue;
          }
          LoopBlock best = null;
          for (Target t : model.graph().targets(m, cs)) {
            LoopBlock b = null;
            if (t instanceof Target.Api api && api.fact() == null && !cs.awaited()) {
              Fact twin = asyncTwin(api.name());
              if (twin != null) {
                b = new LoopBlock(fn, List.of(new Step(m, cs, api.name())), api.name(), twin,
                    Confidence.LOW, h, cs.loopKind());
              }
            } else if (t instanceof Target.Api api && api.fact() != null) {
              if (!cs.awaited() && api.fact().kind() == FactKind.BLOCKING
                  && !model.argConditions().nonBlocking(api.fact(), m, cs)) {
                b = new LoopBlock(fn, List.of(new Step(m, cs, api.name())), api.name(), api.fact(),
                    cap(Confidence.HIGH, api.fact()), h, cs.loopKind());
              }
            } else if (t instanceof Target.ProjectFunction pf && !cs.awaited()) {
              Witness w = summaries.get(pf.id());
              Project.Fn callee = project.function(pf.id());
              if (w != null && callee != null && SemanticModel.isSync(callee)) {
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
          for (ImplicitCalls.Edge e : implicit.at(m, cs)) {
            LoopBlock b = implicitBlock(fn, m, cs, e, h);
            if (b != null && (best == null || better(b, best))) {
              best = b;
            }
          }
          if (best != null) {
            blocks.add(best);
          }
        }
        for (ImplicitCalls.PropertyRead r : implicit.readsIn(f.id())) {
          LoopBlock b = implicitBlock(fn, m, r.site(), r.edge(), h);
          if (b != null) {
            blocks.add(b);
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
