package dev.loopguard.core.analysis;

import dev.loopguard.core.ir.Arg;
import dev.loopguard.core.ir.Binding;
import dev.loopguard.core.ir.CallSite;
import dev.loopguard.core.ir.EventList;
import dev.loopguard.core.ir.FunctionIr;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.ir.Ref;
import dev.loopguard.core.knowledge.Fact;
import dev.loopguard.core.knowledge.FactKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Calls that run project code without naming it: the project functions a call site runs besides
 * its own targets ({@link CallGraph#targets}). A derived fact of the model, computed once per scan
 * and read by any rule that follows calls:
 *
 * <ul>
 *   <li>{@link Kind#CALLBACK}: the call hands a callable (a function, a lambda, a bound method, a
 *       partial) to a project helper that calls that parameter itself, directly or through another
 *       helper (a retry wrapper, a callback). A callable handed to an offloader is not called by
 *       the caller: the offloader is no project helper, so it makes no edge;
 *   <li>{@link Kind#WAIT}: the call waits for work an offloader runs elsewhere: a blocking method
 *       of what an offloading call returned in the same function (a thread's join, a future's
 *       result), a blocking call that takes the callable itself (a pool's map), a blocking wait of
 *       the thread- or process-wait category on futures made in the same function, or an
 *       offloading call whose results are iterated at once. A callable handed to an offloader and
 *       not waited for makes no edge;
 *   <li>{@link Kind#OVERRIDE}: a method called on a receiver typed as a project class runs, when the
 *       receiver is an instance of a project subclass, that subclass's override. Only when the
 *       project has one override, and the overridden method is abstract (a stub, or a body that
 *       makes no call but to build the exception it raises): with several overrides, which one
 *       runs is anybody's guess, and a base method with a body of its own runs for instances of
 *       the base class (on the Debian corpus such edges gave mostly false chains).
 *   <li>{@link Kind#PROPERTY}: reading an attribute that a project class defines as a property runs
 *       its getter. No call site stands for the read: {@link #readsIn} gives one made for it,
 *       flagged implicit, spanning the read's line (the event list knows no column).
 * </ul>
 */
public final class ImplicitCalls {

  /** How a call site runs a project function it does not name. */
  public enum Kind {
    CALLBACK,
    WAIT,
    OVERRIDE,
    PROPERTY
  }

  /** A read of a property, {@code site} made for it, and the getter it runs. */
  public record PropertyRead(CallSite site, Edge edge) {}

  /**
   * A project function {@code functionId} that a call site runs implicitly, {@code via} what
   * (CALLBACK: the helper's qualified name; WAIT: the API that runs the work; OVERRIDE: the
   * overridden method's qualified name; PROPERTY: the property's name).
   */
  public record Edge(String functionId, Kind kind, String via) {
    /** How a chain names the step to {@code calleeName}, saying how it is reached. */
    public String label(String calleeName) {
      return switch (kind) {
        case CALLBACK -> calleeName + " (called by " + via + ")";
        case WAIT -> calleeName + " (run by " + via + " and waited for here)";
        case OVERRIDE -> calleeName + " (overrides " + via + ")";
        case PROPERTY -> calleeName + " (property getter)";
      };
    }
  }

  private static final SemanticModel.Key<ImplicitCalls> KEY = new SemanticModel.Key<>("implicit calls");
  private static final int MAX_FORWARDING = 3;
  private static final Edge[] NONE = new Edge[0];

  private final Map<ModuleIr, Edge[][]> edges = new IdentityHashMap<>();
  private final Map<String, List<PropertyRead>> reads = new HashMap<>();

  private ImplicitCalls() {}

  /** The implicit calls of {@code model}, computed the first time a scan asks. */
  public static ImplicitCalls of(SemanticModel model) {
    return model.derived(KEY, ImplicitCalls::compute);
  }

  /** The project functions {@code cs} (of {@code m}) runs without naming them; often none. */
  public List<Edge> at(ModuleIr m, CallSite cs) {
    Edge[][] perCall = edges.get(m);
    if (perCall == null || cs.index() < 0 || cs.index() >= perCall.length) {
      return List.of();
    }
    Edge[] e = perCall[cs.index()];
    return e == null ? List.of() : List.of(e);
  }

  /** The property reads of function {@code functionId} whose getter is a project function. */
  public List<PropertyRead> readsIn(String functionId) {
    return reads.getOrDefault(functionId, List.of());
  }

  private static ImplicitCalls compute(SemanticModel model) {
    ImplicitCalls out = new ImplicitCalls();
    Map<String, List<String>> subclasses = subclasses(model.project(), model.values().fork());
    Set<String> properties = new java.util.HashSet<>();
    List<ModuleIr> modules = model.project().modules();
    for (ModuleIr m : modules) {
      for (FunctionIr f : m.functions()) {
        if (f.hasFlag(FunctionIr.Flag.PROPERTY)) {
          properties.add(f.name());
        }
      }
    }
    Edge[][][] parts = new Edge[modules.size()][][];
    @SuppressWarnings("unchecked")
    Map<String, List<PropertyRead>>[] readParts = new Map[modules.size()];
    // One task and one evaluator per folder, its modules in path order (as the call graph does):
    // modules of a folder mostly need the same names, and what a task computes does not depend
    // on timing.
    Map<String, List<Integer>> byFolder = new java.util.TreeMap<>();
    for (int i = 0; i < modules.size(); i++) {
      byFolder.computeIfAbsent(Project.folderOf(modules.get(i).path()), k -> new ArrayList<>()).add(i);
    }
    List<Runnable> tasks = new ArrayList<>();
    for (List<Integer> folder : byFolder.values()) {
      folder.sort(java.util.Comparator.comparing(i -> modules.get(i).path()));
      tasks.add(() -> {
        Finder finder = new Finder(model, subclasses);
        for (int k : folder) {
          parts[k] = finder.module(modules.get(k));
          readParts[k] = properties.isEmpty() ? Map.of() : finder.reads(modules.get(k), properties);
        }
      });
    }
    Parallel.run(tasks.toArray(Runnable[]::new), model.threads());
    for (int i = 0; i < parts.length; i++) {
      if (parts[i] != null) {
        out.edges.put(modules.get(i), parts[i]);
      }
      out.reads.putAll(readParts[i]);
    }
    return out;
  }

  /** Every project subclass (direct or not) of each project class, by qualified name. */
  private static Map<String, List<String>> subclasses(Project project, Values values) {
    Map<String, List<String>> subs = new HashMap<>();
    for (ModuleIr m : project.modules()) {
      for (var c : m.classes()) {
        List<Val> mro = values.mro(c.qualifiedName());
        for (int i = 1; i < mro.size(); i++) {
          if (mro.get(i) instanceof Val.Class base && !base.qualifiedName().equals(c.qualifiedName())) {
            List<String> list = subs.computeIfAbsent(base.qualifiedName(), k -> new ArrayList<>());
            if (!list.contains(c.qualifiedName())) {
              list.add(c.qualifiedName());
            }
          }
        }
      }
    }
    return subs;
  }

  /** The edges of one module's calls, with an evaluator of its own (one per task). */
  private static final class Finder {
    private final SemanticModel model;
    private final Project project;
    private final CallGraph graph;
    private final Values values;
    private final Map<String, List<String>> subclasses;
    // Parameters each project function calls (directly or through helpers), by function id.
    private final Map<String, Set<String>> calledParams = new HashMap<>();

    Finder(SemanticModel model, Map<String, List<String>> subclasses) {
      this.model = model;
      this.project = model.project();
      this.graph = model.graph();
      this.values = model.values().fork();
      this.subclasses = subclasses;
    }

    Edge[][] module(ModuleIr m) {
      Edge[][] out = null;
      for (CallSite cs : m.calls()) {
        if (model.skipped(cs)) {
          continue;
        }
        Set<Edge> found = new LinkedHashSet<>();
        for (Target t : graph.targets(m, cs)) {
          if (t instanceof Target.ProjectFunction pf) {
            Project.Fn fn = project.function(pf.id());
            if (fn != null) {
              callbacks(m, cs, fn, found);
              overrides(cs, fn, found);
            }
          } else if (t instanceof Target.Api api && api.fact() != null) {
            waits(m, cs, api, found);
          }
        }
        if (!found.isEmpty()) {
          if (out == null) {
            out = new Edge[m.calls().size()][];
          }
          out[cs.index()] = found.toArray(NONE);
        }
      }
      return out;
    }

    // ---------------------------------------------------------------- property reads

    /** The reads of project properties in the functions of {@code m}, by function id. */
    Map<String, List<PropertyRead>> reads(ModuleIr m, Set<String> properties) {
      Map<String, List<PropertyRead>> out = new HashMap<>();
      for (FunctionIr f : m.functions()) {
        Project.Fn fn = project.function(f.id());
        if (fn == null || fn.module() != m || f.events().isEmpty()) {
          continue;
        }
        EventList.Cursor c = f.events().cursor();
        java.util.ArrayDeque<CallSite.LoopKind> loops = new java.util.ArrayDeque<>();
        while (c.next()) {
          switch (c.kind()) {
            case LOOP -> loops.push(c.loopKind());
            case LOOP_END -> loops.poll();
            case READ_ATTR -> {
              if (c.ref() instanceof Ref.Attr a && properties.contains(a.name())) {
                for (String getter : getters(m, a)) {
                  if (!getter.equals(f.id())) {
                    CallSite site = new CallSite(-1, f.id(), a, a.toString(), c.line(), 1, c.line(), 1,
                        false, List.of(), loops.size(), loops.peek(), Set.of(CallSite.CallFlag.IMPLICIT));
                    out.computeIfAbsent(f.id(), k -> new ArrayList<>())
                        .add(new PropertyRead(site, new Edge(getter, Kind.PROPERTY, a.name())));
                  }
                }
              }
            }
            default -> {}
          }
        }
      }
      return out;
    }

    /** The getters of the project properties that reading {@code a} in {@code m} runs. */
    private List<String> getters(ModuleIr m, Ref.Attr a) {
      List<String> out = new ArrayList<>();
      for (Val base : values.eval(m, a.base())) {
        if (!(base instanceof Val.Instance inst) || !inst.project()) {
          continue;
        }
        for (Val k : values.mro(inst.type())) {
          Project.Cls cls = k instanceof Val.Class kc ? project.classNamed(kc.qualifiedName()) : null;
          if (cls == null) {
            continue;
          }
          List<Project.Fn> named = project.methodsNamed(cls.ir().id(), a.name());
          if (named.isEmpty() && project.bindingsOf(cls.ir().id(), a.name()).isEmpty()) {
            continue;
          }
          // The class that defines the name decides: a property getter, or something else.
          for (Project.Fn g : named) {
            if (g.ir().hasFlag(FunctionIr.Flag.PROPERTY) && g.ir().params().size() == 1
                && !out.contains(g.id())) {
              out.add(g.id());
              break;
            }
          }
          break;
        }
      }
      return out;
    }

    // ---------------------------------------------------------------- callbacks

    private void callbacks(ModuleIr m, CallSite cs, Project.Fn helper, Set<Edge> out) {
      if (cs.args().isEmpty()) {
        return;
      }
      Set<String> called = calledParams(helper, 0);
      if (called.isEmpty()) {
        return;
      }
      int offset = receiverOffset(m, cs, helper.ir());
      for (Arg a : cs.args()) {
        String p = paramFor(helper.ir(), a, offset);
        if (p != null && called.contains(p)) {
          for (String id : functionsOf(m, a.value())) {
            if (!id.equals(helper.id())) {
              out.add(new Edge(id, Kind.CALLBACK, helper.ir().qualifiedName()));
            }
          }
        }
      }
    }

    /** The parameters {@code fn} calls on its own thread: directly, or by passing them on. */
    private Set<String> calledParams(Project.Fn fn, int depth) {
      Set<String> known = calledParams.get(fn.id());
      if (known != null) {
        return known;
      }
      calledParams.put(fn.id(), Set.of()); // a cycle sees nothing
      Set<String> params = new java.util.HashSet<>();
      for (FunctionIr.Param p : fn.ir().params()) {
        if (p.kind() != FunctionIr.ParamKind.VAR_POSITIONAL && p.kind() != FunctionIr.ParamKind.VAR_KEYWORD) {
          params.add(p.name());
        }
      }
      Set<String> out = new java.util.HashSet<>();
      if (!params.isEmpty()) {
        for (CallSite cs : project.callsIn(fn.id())) {
          if (model.skipped(cs)) {
            continue;
          }
          if (cs.callee() instanceof Ref.Var v && fn.id().equals(v.scope()) && params.contains(v.name())) {
            if (!cs.awaited()) {
              out.add(v.name());
            }
            continue;
          }
          if (depth >= MAX_FORWARDING) {
            continue;
          }
          for (Arg a : cs.args()) {
            // A parameter passed on, or a nested function or lambda that calls parameters.
            Set<String> carried;
            if (a.value() instanceof Ref.Var v && fn.id().equals(v.scope()) && params.contains(v.name())) {
              carried = Set.of(v.name());
            } else {
              carried = closureCalls(fn, a.value(), params);
            }
            if (carried.isEmpty() || out.containsAll(carried)) {
              continue;
            }
            for (Target t : graph.targets(fn.module(), cs)) {
              Project.Fn next = t instanceof Target.ProjectFunction pf ? project.function(pf.id()) : null;
              if (next != null && next != fn) {
                String q = paramFor(next.ir(), a, receiverOffset(fn.module(), cs, next.ir()));
                if (q != null && calledParams(next, depth + 1).contains(q)) {
                  out.addAll(carried);
                }
              }
            }
          }
        }
      }
      Set<String> result = out.isEmpty() ? Set.of() : Set.copyOf(out);
      calledParams.put(fn.id(), result);
      return result;
    }

    /**
     * The parameters of {@code fn} that a function defined inside it calls, when {@code value} is
     * that function (a lambda, or a nested def by its name).
     */
    private Set<String> closureCalls(Project.Fn fn, Ref value, Set<String> params) {
      String nested = null;
      if (value instanceof Ref.Func f) {
        nested = f.functionId();
      } else if (value instanceof Ref.Var v && fn.id().equals(v.scope())) {
        for (Binding b : project.bindingsOf(fn.id(), v.name())) {
          if (b.value() instanceof Ref.Func f) {
            nested = f.functionId();
          }
        }
      }
      Project.Fn inner = nested == null ? null : project.function(nested);
      if (inner == null || !fn.id().equals(inner.ir().parent())) {
        return Set.of();
      }
      Set<String> out = new java.util.HashSet<>();
      for (CallSite cs : project.callsIn(inner.id())) {
        if (!cs.awaited() && cs.callee() instanceof Ref.Var v && fn.id().equals(v.scope())
            && params.contains(v.name())) {
          out.add(v.name());
        }
      }
      return out;
    }

    /**
     * How many leading parameters the call does not fill: 1 for the receiver of a method called
     * on an instance (or of a class method, or a constructor), 0 otherwise.
     */
    private int receiverOffset(ModuleIr m, CallSite cs, FunctionIr callee) {
      if (!callee.isMethod() || callee.hasFlag(FunctionIr.Flag.STATIC)) {
        return 0;
      }
      if (callee.hasFlag(FunctionIr.Flag.CLASSMETHOD)) {
        return 1;
      }
      if (cs.callee() instanceof Ref.Attr a) {
        List<Val> bases = values.eval(m, a.base());
        boolean onClass = !bases.isEmpty();
        for (Val b : bases) {
          onClass &= b instanceof Val.Class;
        }
        return onClass ? 0 : 1;
      }
      return 1;
    }

    /** The parameter of {@code f} that argument {@code a} fills, or null. */
    private static String paramFor(FunctionIr f, Arg a, int offset) {
      List<FunctionIr.Param> params = f.params();
      if (a.keyword() == null) {
        int i = a.position() + offset;
        if (a.position() >= 0 && i < params.size()) {
          FunctionIr.Param p = params.get(i);
          if (p.kind() == FunctionIr.ParamKind.POSITIONAL || p.kind() == FunctionIr.ParamKind.POSITIONAL_ONLY) {
            return p.name();
          }
        }
        return null;
      }
      for (FunctionIr.Param p : params) {
        if (p.name().equals(a.keyword()) && (p.kind() == FunctionIr.ParamKind.POSITIONAL
            || p.kind() == FunctionIr.ParamKind.KEYWORD_ONLY)) {
          return p.name();
        }
      }
      return null;
    }

    /** The project functions calling the value of {@code ref} runs. */
    private Set<String> functionsOf(ModuleIr m, Ref ref) {
      Set<String> out = new LinkedHashSet<>();
      for (Val v : values.eval(m, ref)) {
        functionsOf(v, out, 0);
      }
      return out;
    }

    private void functionsOf(Val v, Set<String> out, int depth) {
      if (v instanceof Val.Func f) {
        out.add(f.id());
      } else if (v instanceof Val.Partial p && depth < 4) {
        functionsOf(p.target(), out, depth + 1);
      } else if (v instanceof Val.Instance inst && inst.project() && depth < 4) {
        String call = values.semantics().callOperatorMember();
        if (call != null) {
          for (Val c : values.member(inst, call)) {
            if (c instanceof Val.Func) {
              functionsOf(c, out, depth + 1);
            }
          }
        }
      }
    }

    // ---------------------------------------------------------------- waits

    private void waits(ModuleIr m, CallSite cs, Target.Api api, Set<Edge> out) {
      Fact fact = api.fact();
      if (cs.awaited()) {
        return;
      }
      if (fact.kind() == FactKind.BLOCKING) {
        if (model.argConditions().nonBlocking(fact, m, cs)) {
          return;
        }
        boolean onOffloaded = false;
        // A blocking method of what an offloading call made: thread.join(), future.result().
        if (cs.callee() instanceof Ref.Attr a) {
          for (CallSite maker : makers(m, cs.scope(), a.base())) {
            for (Target t : graph.targets(m, maker)) {
              if (t instanceof Target.Api mk && mk.fact() != null && mk.fact().kind() == FactKind.OFFLOADS) {
                onOffloaded = true;
                offloaded(m, maker, mk, out);
              }
            }
          }
        }
        // A blocking call that runs the callable it is given: pool.map(fn, items).
        if (fact.callableArg() != null || fact.callableKeyword() != null) {
          Arg a = Values.callableArg(cs, fact);
          if (a != null) {
            for (String id : functionsOf(m, a.value())) {
              out.add(new Edge(id, Kind.WAIT, api.name()));
            }
          }
        }
        // A wait on futures: the work offloaded in the same function before it.
        if (!onOffloaded && !cs.args().isEmpty()
            && ("thread-wait".equals(fact.category()) || "process-wait".equals(fact.category()))
            && !(cs.callee() instanceof Ref.Attr)) {
          for (CallSite other : project.callsIn(cs.scope())) {
            if (other.index() >= cs.index() || other.awaited() || model.skipped(other)) {
              continue;
            }
            for (Target t : graph.targets(m, other)) {
              if (t instanceof Target.Api mk && mk.fact() != null && mk.fact().kind() == FactKind.OFFLOADS
                  && mk.fact().returns() != null) {
                offloaded(m, other, mk, out);
              }
            }
          }
        }
      } else if (fact.kind() == FactKind.OFFLOADS && fact.returns() == null && consumedAtOnce(m, cs)) {
        // for r in executor.map(fn, items): iterating the results waits for them.
        offloaded(m, cs, api, out);
      }
    }

    private void offloaded(ModuleIr m, CallSite maker, Target.Api api, Set<Edge> out) {
      Arg a = Values.callableArg(maker, api.fact());
      if (a == null) {
        return;
      }
      for (String id : functionsOf(m, a.value())) {
        out.add(new Edge(id, Kind.WAIT, api.name()));
      }
    }

    /**
     * The calls that made the value of {@code receiver} in scope {@code scope}: the call itself,
     * or the calls assigned to a local variable of that scope.
     */
    private List<CallSite> makers(ModuleIr m, String scope, Ref receiver) {
      List<CallSite> out = new ArrayList<>();
      if (receiver instanceof Ref.Call c) {
        if (c.site() >= 0 && c.site() < m.calls().size()) {
          out.add(m.calls().get(c.site()));
        }
      } else if (receiver instanceof Ref.Var v && scope.equals(v.scope())) {
        for (Binding b : project.bindingsOf(scope, v.name())) {
          if (b.kind() == Binding.Kind.ASSIGN && b.value() instanceof Ref.Call c
              && c.site() >= 0 && c.site() < m.calls().size()) {
            out.add(m.calls().get(c.site()));
          }
        }
      }
      return out;
    }

    /**
     * Whether the result of {@code cs} is iterated as soon as it is made: by the loop that
     * follows the call, or as the only argument of a non-blocking function with no declared
     * result (a constructor of a collection).
     */
    private boolean consumedAtOnce(ModuleIr m, CallSite cs) {
      Project.Fn fn = project.function(cs.scope());
      if (fn == null) {
        return false;
      }
      EventList.Cursor c = fn.ir().events().cursor();
      boolean after = false;
      while (c.next()) {
        if (after) {
          if (c.kind() == EventList.Kind.ITER) {
            continue; // what the loop that follows iterates: this call's result
          }
          if (c.kind() == EventList.Kind.LOOP) {
            return c.loopKind() == CallSite.LoopKind.FOR || c.loopKind() == CallSite.LoopKind.COMPREHENSION;
          }
          if (c.kind() == EventList.Kind.CALL && c.site() >= 0 && c.site() < m.calls().size()) {
            return collects(m, m.calls().get(c.site()), cs);
          }
          return false;
        }
        after = c.kind() == EventList.Kind.CALL && c.site() == cs.index();
      }
      return false;
    }

    private boolean collects(ModuleIr m, CallSite consumer, CallSite cs) {
      if (consumer.callee() instanceof Ref.Attr || consumer.args().size() != 1
          || !(consumer.args().get(0).value() instanceof Ref.Call c) || c.site() != cs.index()) {
        return false;
      }
      List<Target> ts = graph.targets(m, consumer);
      for (Target t : ts) {
        if (!(t instanceof Target.Api api) || api.fact() == null
            || api.fact().kind() != FactKind.NON_BLOCKING || api.fact().returns() != null) {
          return false;
        }
      }
      return !ts.isEmpty();
    }

    // ---------------------------------------------------------------- overrides

    private void overrides(CallSite cs, Project.Fn method, Set<Edge> out) {
      FunctionIr f = method.ir();
      if (!f.isMethod() || f.hasFlag(FunctionIr.Flag.STATIC)
          || !(cs.callee() instanceof Ref.Attr a) || a.base() instanceof Ref.Super
          || f.name().equals(values.semantics().constructorMember())) {
        return;
      }
      Project.Fn cls = project.function(f.classId());
      if (cls == null) {
        return;
      }
      List<String> subs = subclasses.getOrDefault(cls.ir().qualifiedName(), List.of());
      List<Project.Fn> found = new ArrayList<>();
      for (String sub : subs) {
        Project.Cls sc = project.classNamed(sub);
        if (sc == null) {
          continue;
        }
        for (Project.Fn o : project.methodsNamed(sc.ir().id(), f.name())) {
          if (o != method && !found.contains(o)) {
            found.add(o);
          }
        }
      }
      if (found.size() == 1 && abstractBody(f)) {
        out.add(new Edge(found.get(0).id(), Kind.OVERRIDE, f.qualifiedName()));
      }
    }

    /**
     * A method with no body worth running: a stub, an empty body, or one that raises and calls
     * nothing but to build the exception it raises.
     */
    private static boolean abstractBody(FunctionIr f) {
      if (f.hasFlag(FunctionIr.Flag.STUB) || f.events().isEmpty()) {
        return true;
      }
      EventList.Cursor c = f.events().cursor();
      boolean call = false;
      boolean raises = false;
      while (c.next()) {
        if (call && c.kind() != EventList.Kind.RAISE) {
          return false;
        }
        call = c.kind() == EventList.Kind.CALL;
        raises |= c.kind() == EventList.Kind.RAISE;
      }
      return raises && !call;
    }
  }
}
