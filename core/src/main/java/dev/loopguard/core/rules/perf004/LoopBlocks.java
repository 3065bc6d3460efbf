package dev.loopguard.core.rules.perf004;

import dev.loopguard.core.analysis.ExecutionContext;
import dev.loopguard.core.analysis.ImplicitCalls;
import dev.loopguard.core.analysis.OneTimeWork;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * perf-004's derived facts over the semantic model: the blocking summaries of sync functions
 * (every blocking operation each reaches, with its shortest path), and every call made on the
 * event loop that blocks, directly or through sync helpers, with every operation it reaches. Computed once per scan ({@link #of}) and shared by the rule and its
 * review judge.
 */
final class LoopBlocks {

  /** One call in a chain: {@code site} in {@code module}, labelled with what it calls. */
  record Step(ModuleIr module, CallSite site, String label) {}

  /**
   * A blocking operation in the repository: the call at {@code site} of {@code module}, in function
   * {@code holder}, of the blocking API {@code api} (or of external code presumed to block).
   * {@code key} identifies it without line numbers: its file, holder, API and the how-many-th call
   * of that text in the holder it is.
   */
  record Op(ModuleIr module, CallSite site, Project.Fn holder, String api, Fact fact, String key) {}

  /**
   * How a function reaches an operation: the first call of the path ({@code step}), then the rest
   * ({@code next}, null at the operation); {@code once} when some call on it runs only once (see
   * {@link OneTimeWork}). Tails are shared between the functions of a path.
   */
  record Witness(Step step, Witness next, Op op, int length, boolean once) {
    List<Step> steps() {
      List<Step> out = new ArrayList<>(length);
      for (Witness w = this; w != null; w = w.next) {
        out.add(w.step);
      }
      return out;
    }

    String api() {
      return op.api();
    }

    Fact fact() {
      return op.fact();
    }
  }

  /**
   * What a sync function may block on: every distinct operation it reaches (at most
   * {@link #PER_FUNCTION}, nearest first), each with its shortest path, preferring a path that runs
   * every time over one-time work; {@code more} counts the operations left out.
   */
  static final class Summary {
    final LinkedHashMap<Op, Witness> ops = new LinkedHashMap<>();
    private Set<Op> dropped;

    int more() {
      return dropped == null ? 0 : dropped.size();
    }

    /** The nearest operation's witness. */
    Witness first() {
      return ops.values().iterator().next();
    }

    private boolean drop(Op op) {
      if (dropped == null) {
        dropped = new HashSet<>();
      }
      if (dropped.size() < MAX_DROPPED_COUNTED) {
        dropped.add(op);
      }
      return false;
    }
  }

  /** One blocking operation a call on the loop reaches, and how. */
  record Reach(Op op, List<Step> chain, Confidence confidence, boolean once) {}

  /**
   * A call made on the event loop that blocks. {@code chain.get(0).site()} stands in {@code root};
   * {@code chain} is the representative path, to the first of {@code reaches} (every operation it
   * reaches, the representative first); {@code more} counts the operations beyond them.
   */
  record LoopBlock(
      Project.Fn root,
      List<Step> chain,
      String api,
      Fact fact,
      Confidence confidence,
      ExecutionContext.HeatInfo heat,
      CallSite.LoopKind loop,
      List<Reach> reaches,
      int more) {
    /** Whether every operation it reaches is one-time work. */
    boolean once() {
      for (Reach r : reaches) {
        if (!r.once()) {
          return false;
        }
      }
      return true;
    }
  }

  /** At most this many operations per function are kept with their paths. */
  static final int PER_FUNCTION = 64;
  private static final int MAX_DROPPED_COUNTED = 10_000;

  private static final SemanticModel.Key<LoopBlocks> KEY = new SemanticModel.Key<>("perf-004 loop blocks");

  private final SemanticModel model;
  private final Project project;
  private final OneTimeWork oneTime;
  // Calls that run project code without naming it (callbacks, waits, overrides, properties).
  private final ImplicitCalls implicit;
  private final Map<String, Summary> summaries = new HashMap<>();
  private Set<String> reachedFromLoop = Set.of();
  private final List<LoopBlock> blocks = new ArrayList<>();
  // Async twins by API name (empty: none); read by several threads while summaries are computed.
  private final Map<String, Optional<Fact>> twins = new ConcurrentHashMap<>();

  private LoopBlocks(SemanticModel model) {
    this.model = model;
    this.project = model.project();
    this.oneTime = OneTimeWork.of(model);
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

  /** What function {@code functionId} may block on, or null. */
  Summary summary(String functionId) {
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
   * The operation at {@code cs}, the {@code n}-th call (from 0) of its text in {@code holder}: its
   * key has no line number.
   */
  private static Op op(ModuleIr m, CallSite cs, Project.Fn holder, String api, Fact fact, int n) {
    return new Op(m, cs, holder, api, fact,
        m.path() + '\0' + holder.ir().qualifiedName() + '\0' + api + '\0' + n);
  }

  /** Counts the calls of each text in one function, in order, for {@link #op}. */
  private static int nth(Map<String, Integer> seen, CallSite cs) {
    return seen.merge(cs.calleeText(), 1, Integer::sum) - 1;
  }

  /**
   * What one module contributes to the summaries: the blocking operations of its sync functions
   * (strong: of facts without a low confidence; weak: the rest) and the calls between sync
   * functions.
   */
  private record ModuleSummaries(List<String> direct, List<Witness> witnesses,
      List<String> weakDirect, List<Witness> weakWitnesses, List<String> callees,
      List<Step> edges, List<Boolean> edgeOnce, List<ImplicitCalls.Edge> via) {}

  /** Whether a witness of {@code fact} is weak: the fact caps findings at low confidence. */
  private static boolean weak(Fact fact) {
    return fact.confidence() != null && Confidence.parse(fact.confidence()) == Confidence.LOW;
  }

  private ModuleSummaries summariesOf(ModuleIr m) {
    ModuleSummaries out = new ModuleSummaries(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
        new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    for (FunctionIr f : m.functions()) {
      Project.Fn fn = project.function(f.id());
      if (fn == null || fn.module() != m || !SemanticModel.isSync(fn)) {
        continue;
      }
      Map<String, Integer> seen = new HashMap<>();
      for (CallSite cs : project.callsIn(f.id())) {
        int n = nth(seen, cs);
        if (cs.awaited() || model.skipped(cs)) {
          continue;
        }
        for (Target t : model.graph().targets(m, cs)) {
          Fact blocking = t instanceof Target.Api api ? blockingFact(api, m, cs) : null;
          if (blocking != null) {
            String name = ((Target.Api) t).name();
            Witness w = new Witness(new Step(m, cs, name), null, op(m, cs, fn, name, blocking, n),
                1, oneTime.once(m, cs, null));
            if (weak(blocking)) {
              out.weakDirect().add(f.id());
              out.weakWitnesses().add(w);
            } else {
              out.direct().add(f.id());
              out.witnesses().add(w);
            }
            break;
          } else if (t instanceof Target.ProjectFunction pf) {
            Project.Fn callee = project.function(pf.id());
            if (callee != null && SemanticModel.isSync(callee) && !callee.id().equals(f.id())) {
              out.callees().add(pf.id());
              out.edges().add(new Step(m, cs, f.id()));
              out.edgeOnce().add(oneTime.once(m, cs, pf.id()));
              out.via().add(null);
            }
          }
        }
        for (ImplicitCalls.Edge e : implicit.at(m, cs)) {
          Project.Fn callee = project.function(e.functionId());
          if (callee != null && SemanticModel.isSync(callee) && !callee.id().equals(f.id())) {
            out.callees().add(e.functionId());
            out.edges().add(new Step(m, cs, f.id()));
            out.edgeOnce().add(oneTime.once(m, cs, e.functionId()));
            out.via().add(e);
          }
        }
      }
      for (ImplicitCalls.PropertyRead r : implicit.readsIn(f.id())) {
        Project.Fn getter = project.function(r.edge().functionId());
        if (getter != null && SemanticModel.isSync(getter) && !getter.id().equals(f.id())) {
          out.callees().add(getter.id());
          out.edges().add(new Step(m, r.site(), f.id()));
          out.edgeOnce().add(oneTime.memoised(getter.id()));
          out.via().add(r.edge());
        }
      }
    }
    return out;
  }

  /**
   * Whether the implicit call {@code e} (null: a named call) carries witness {@code w}: never one
   * of a weak fact (two guesses make a poor finding), and through a property only a getter's own
   * blocking call (a getter that reaches blocking code through helpers is mostly incidental: on
   * the standard library, tracebacks' line property reached file reads from every logging call).
   */
  private static boolean carries(ImplicitCalls.Edge e, Witness w) {
    return e == null || (!weak(w.fact())
        && (e.kind() != ImplicitCalls.Kind.PROPERTY || w.length() == 1));
  }

  /** The step of a chain that calls {@code callee} at {@code site}, named as {@code via} reaches it. */
  private static Step step(ModuleIr m, CallSite site, Project.Fn callee, ImplicitCalls.Edge via) {
    return new Step(m, site, via == null ? callee.ir().qualifiedName()
        : via.label(callee.ir().qualifiedName()));
  }

  /**
   * A caller's call of a sync function: {@code step.label()} is the caller's id; {@code via} the
   * implicit call it is, or null for a named one.
   */
  private record Edge(Step step, boolean once, ImplicitCalls.Edge via) {}

  private void computeSummaries() {
    // Reverse edges among sync functions, and direct operations: per module in parallel, merged
    // in module order.
    List<ModuleIr> modules = project.modules();
    ModuleSummaries[] parts = new ModuleSummaries[modules.size()];
    Runnable[] tasks = new Runnable[modules.size()];
    for (int i = 0; i < tasks.length; i++) {
      int k = i;
      tasks[i] = () -> parts[k] = summariesOf(modules.get(k));
    }
    Parallel.run(tasks, model.threads());
    Map<String, List<Edge>> callers = new HashMap<>();
    Map<String, List<String>> callees = new HashMap<>();
    for (ModuleSummaries part : parts) {
      for (int i = 0; i < part.edges().size(); i++) {
        callers.computeIfAbsent(part.callees().get(i), k -> new ArrayList<>())
            .add(new Edge(part.edges().get(i), part.edgeOnce().get(i), part.via().get(i)));
        callees.computeIfAbsent(part.edges().get(i).label(), k -> new ArrayList<>())
            .add(part.callees().get(i));
      }
    }
    reachedFromLoop = reachedFromLoop(callees);
    // Breadth-first over reverse edges, so each function gets the shortest path to each
    // operation: the strong operations first, then the weak ones in the room left.
    ArrayDeque<Witness> queue = new ArrayDeque<>();
    ArrayDeque<String> holders = new ArrayDeque<>();
    for (ModuleSummaries part : parts) {
      for (int i = 0; i < part.direct().size(); i++) {
        offer(part.direct().get(i), part.witnesses().get(i), queue, holders);
      }
    }
    propagate(queue, holders, callers);
    for (ModuleSummaries part : parts) {
      for (int i = 0; i < part.weakDirect().size(); i++) {
        offer(part.weakDirect().get(i), part.weakWitnesses().get(i), queue, holders);
      }
    }
    propagate(queue, holders, callers);
  }

  /**
   * Adds {@code w} to the summary of {@code fnId} when it reaches a new operation (room allowing)
   * or reaches a known one without one-time work where the known path had some; queues it then.
   */
  private void offer(String fnId, Witness w, ArrayDeque<Witness> queue, ArrayDeque<String> holders) {
    if (!reachedFromLoop.contains(fnId)) {
      return; // no path from the loop goes through it: its summary would never be asked
    }
    Summary s = summaries.computeIfAbsent(fnId, k -> new Summary());
    Witness known = s.ops.get(w.op());
    boolean added;
    if (known == null) {
      added = s.ops.size() < PER_FUNCTION ? s.ops.put(w.op(), w) == null : s.drop(w.op());
    } else {
      added = known.once() && !w.once();
      if (added) {
        s.ops.put(w.op(), w);
      }
    }
    if (added) {
      queue.add(w);
      holders.add(fnId);
    }
  }

  /**
   * The sync functions a call on the loop reaches, directly or through other sync functions
   * ({@code callees}: the sync functions each sync function calls).
   */
  private Set<String> reachedFromLoop(Map<String, List<String>> callees) {
    ExecutionContext ctx = model.context();
    Set<String> out = new HashSet<>();
    ArrayDeque<String> work = new ArrayDeque<>();
    for (ModuleIr m : project.modules()) {
      for (FunctionIr f : m.functions()) {
        Project.Fn fn = project.function(f.id());
        if (fn == null || fn.module() != m || !ctx.runsOnLoop(fn)) {
          continue;
        }
        if (SemanticModel.isSync(fn) && out.add(fn.id())) {
          work.add(fn.id());
        }
        for (CallSite cs : project.callsIn(f.id())) {
          if (cs.awaited() || model.skipped(cs)) {
            continue;
          }
          for (Target t : model.graph().targets(m, cs)) {
            if (t instanceof Target.ProjectFunction pf && out.add(pf.id())) {
              work.add(pf.id());
            }
          }
        }
        for (CallSite cs : project.callsIn(f.id())) {
          for (ImplicitCalls.Edge e : implicit.at(m, cs)) {
            if (out.add(e.functionId())) {
              work.add(e.functionId());
            }
          }
        }
        for (ImplicitCalls.PropertyRead r : implicit.readsIn(f.id())) {
          if (out.add(r.edge().functionId())) {
            work.add(r.edge().functionId());
          }
        }
      }
    }
    while (!work.isEmpty()) {
      for (String callee : callees.getOrDefault(work.poll(), List.of())) {
        if (out.add(callee)) {
          work.add(callee);
        }
      }
    }
    return out;
  }

  /** Gives the callers of the functions queued, transitively, their paths to the operations. */
  private void propagate(ArrayDeque<Witness> queue, ArrayDeque<String> holders,
      Map<String, List<Edge>> callers) {
    while (!queue.isEmpty()) {
      Witness w = queue.poll();
      String calleeId = holders.poll();
      Summary calleeSummary = summaries.get(calleeId);
      if (calleeSummary.ops.get(w.op()) != w) {
        continue; // replaced by a path without one-time work since it was queued
      }
      Project.Fn callee = project.function(calleeId);
      for (Edge edge : callers.getOrDefault(calleeId, List.of())) {
        if (!carries(edge.via(), w)) {
          continue;
        }
        Step call = edge.step();
        offer(call.label(), new Witness(step(call.module(), call.site(), callee, edge.via()), w,
            w.op(), w.length() + 1, edge.once() || w.once()), queue, holders);
      }
    }
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
        Map<String, Integer> seen = new HashMap<>();
        for (CallSite cs : project.callsIn(f.id())) {
          int n = nth(seen, cs);
          if (model.skipped(cs)) {
            continue;
          }
          LoopBlock b = loopBlockAt(m, fn, cs, h, n, implicit.at(m, cs));
          if (b != null) {
            blocks.add(b);
          }
        }
        for (ImplicitCalls.PropertyRead r : implicit.readsIn(f.id())) {
          LoopBlock b = loopBlockAt(m, fn, r.site(), h, 0, List.of(r.edge()));
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

  /** What the call {@code cs} in {@code fn}, on the loop, blocks on; null when nothing. */
  private LoopBlock loopBlockAt(ModuleIr m, Project.Fn fn, CallSite cs,
      ExecutionContext.HeatInfo h, int n, List<ImplicitCalls.Edge> implicitEdges) {
    Map<Op, Reach> reaches = new LinkedHashMap<>();
    int more = 0;
    // Project code the call runs without naming it. An awaited call runs a callback only through
    // an async helper that calls it on the loop.
    for (ImplicitCalls.Edge e : implicitEdges) {
      Summary s = summaries.get(e.functionId());
      Project.Fn callee = project.function(e.functionId());
      if (s == null || callee == null || !SemanticModel.isSync(callee)
          || (cs.awaited() && e.kind() != ImplicitCalls.Kind.CALLBACK)) {
        continue;
      }
      more = Math.max(more, reach(m, cs, callee, e, s, reaches));
    }
    // A property read has no call site of its own (index -1): only its getter is reached.
    for (Target t : cs.index() < 0 ? List.<Target>of() : model.graph().targets(m, cs)) {
      if (t instanceof Target.Api api && !cs.awaited()) {
        Fact fact = blockingFact(api, m, cs);
        if (fact != null) {
          Confidence c = api.fact() == null ? Confidence.LOW : cap(Confidence.HIGH, fact);
          Op op = op(m, cs, fn, api.name(), fact, n);
          reaches.putIfAbsent(op, new Reach(op, List.of(new Step(m, cs, api.name())), c,
              oneTime.once(m, cs, null)));
        }
      } else if (t instanceof Target.ProjectFunction pf && !cs.awaited()) {
        Summary s = summaries.get(pf.id());
        Project.Fn callee = project.function(pf.id());
        if (s != null && callee != null && SemanticModel.isSync(callee)) {
          more = Math.max(more, reach(m, cs, callee, null, s, reaches));
        }
      }
    }
    if (reaches.isEmpty()) {
      return null;
    }
    List<Reach> ordered = new ArrayList<>(reaches.values());
    ordered.sort(LoopBlocks::compare);
    Reach best = ordered.get(0);
    return new LoopBlock(fn, best.chain(), best.op().api(), best.op().fact(), best.confidence(), h,
        cs.loopKind(), List.copyOf(ordered), more);
  }

  /**
   * Adds to {@code reaches} the operations the call {@code cs} reaches through sync function
   * {@code callee} (whose summary is {@code s}), called by name ({@code via} null) or implicitly;
   * returns how many operations the summary left out.
   */
  private int reach(ModuleIr m, CallSite cs, Project.Fn callee, ImplicitCalls.Edge via, Summary s,
      Map<Op, Reach> reaches) {
    boolean callOnce = oneTime.once(m, cs, callee.id());
    Step first = step(m, cs, callee, via);
    for (Witness w : s.ops.values()) {
      if (!carries(via, w)) {
        continue;
      }
      List<Step> steps = new ArrayList<>(w.length() + 1);
      steps.add(first);
      steps.addAll(w.steps());
      Reach r = new Reach(w.op(), List.copyOf(steps), cap(Confidence.MEDIUM, w.fact()),
          callOnce || w.once());
      Reach known = reaches.get(w.op());
      if (known == null || better(r, known)) {
        reaches.put(w.op(), r);
      }
    }
    return s.more();
  }

  /**
   * Representative first: a path that runs every time before one-time work, then the more
   * confident, then the shorter; ties keep the order found.
   */
  private static int compare(Reach a, Reach b) {
    if (a.once() != b.once()) {
      return a.once() ? 1 : -1;
    }
    if (a.confidence() != b.confidence()) {
      return Integer.compare(a.confidence().ordinal(), b.confidence().ordinal());
    }
    return Integer.compare(a.chain().size(), b.chain().size());
  }

  private static boolean better(Reach a, Reach b) {
    return compare(a, b) < 0;
  }

  private static Confidence cap(Confidence c, Fact fact) {
    if (fact.confidence() == null) {
      return c;
    }
    return c.min(Confidence.parse(fact.confidence()));
  }
}
