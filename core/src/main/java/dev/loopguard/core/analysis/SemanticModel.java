package dev.loopguard.core.analysis;

import dev.loopguard.core.frontend.LanguageSemantics;
import dev.loopguard.core.ir.CallSite;
import dev.loopguard.core.ir.FunctionIr;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.knowledge.FactIndex;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What every rule queries: the project and its modules, values, the call graph and its targets,
 * and the execution context (entries, heat, loop roots, offload boundaries). Facts derived from
 * it that several rules may need are computed once per scan and memoised by {@link Key}
 * ({@link #derived}). Rule-neutral and language-neutral: it never imports a rule, and what is
 * particular to a language comes from the frontend's {@link LanguageSemantics}.
 */
public final class SemanticModel {

  /**
   * The key of a derived fact: its name and the type of its value. Keys are compared by
   * identity; a rule keeps its keys in constants.
   */
  public static final class Key<T> {
    private final String name;

    public Key(String name) {
      this.name = Objects.requireNonNull(name);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private final Project project;
  private final FactIndex facts;
  private final LanguageSemantics semantics;
  private final Values values;
  private final CallGraph graph;
  private final ArgConditions argConditions;
  private final ExecutionContext context;
  private final Set<String> awaitedApis = new HashSet<>();
  private final Map<Key<?>, Object> derived = new ConcurrentHashMap<>();
  private Predicate<CallSite> skipCall = cs -> false;
  private int threads = 1;

  public SemanticModel(Project project, FactIndex facts, LanguageSemantics semantics) {
    this.project = project;
    this.facts = facts;
    this.semantics = semantics;
    this.values = new Values(project, facts, semantics);
    this.graph = new CallGraph(values);
    this.argConditions = new ArgConditions(project, graph);
    this.context = new ExecutionContext(project, facts, values, graph, argConditions);
  }

  /** Builds the model on one thread. {@code skipCall} leaves out calls that never run on a hot path. */
  public SemanticModel run(Predicate<CallSite> skipCall) {
    return run(skipCall, 1, null);
  }

  /**
   * Resolves every call ({@code threads} threads; the result does not depend on their number),
   * taking call targets that {@code memory} (when not null) kept from an earlier scan and still
   * holds valid, then computes the execution context.
   */
  public SemanticModel run(Predicate<CallSite> skipCall, int threads, CallGraph.Memory memory) {
    this.skipCall = skipCall;
    this.threads = threads;
    graph.resolveAll(project.modules(), threads, memory);
    collectAwaitedApis();
    context.compute(skipCall);
    return this;
  }

  public Project project() {
    return project;
  }

  public FactIndex facts() {
    return facts;
  }

  public LanguageSemantics semantics() {
    return semantics;
  }

  public Values values() {
    return values;
  }

  public CallGraph graph() {
    return graph;
  }

  public ExecutionContext context() {
    return context;
  }

  /** What a call's arguments say about a fact's conditions (non-blocking-if, sync-handler-if). */
  public ArgConditions argConditions() {
    return argConditions;
  }

  /** Threads the model was built with; derived facts may use as many. */
  public int threads() {
    return threads;
  }

  /** Whether a call never runs on a hot path whatever calls its function (a main guard, say). */
  public boolean skipped(CallSite cs) {
    return skipCall.test(cs);
  }

  /** Names of the external APIs the project awaits somewhere. */
  public Set<String> awaitedApis() {
    return Collections.unmodifiableSet(awaitedApis);
  }

  /** A plain (non-async) function or lambda with a body. */
  public static boolean isSync(Project.Fn fn) {
    FunctionIr f = fn.ir();
    return !f.async() && (f.kind() == FunctionIr.Kind.FUNCTION || f.kind() == FunctionIr.Kind.LAMBDA)
        && !f.hasFlag(FunctionIr.Flag.STUB);
  }

  /**
   * The fact derived under {@code key}: computed by {@code compute} the first time it is asked
   * for, then the same object for the rest of the scan.
   */
  @SuppressWarnings("unchecked")
  public <T> T derived(Key<T> key, Function<SemanticModel, T> compute) {
    Object v = derived.get(key);
    if (v == null) {
      // Not computeIfAbsent: a derived fact may ask for another one.
      v = compute.apply(this);
      Object prev = derived.putIfAbsent(key, v);
      if (prev != null) {
        v = prev;
      }
    }
    return (T) v;
  }

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

  /** The modules of the model, for convenience. */
  public List<ModuleIr> modules() {
    return project.modules();
  }
}
