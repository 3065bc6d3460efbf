package dev.loopguard.core.analysis;

import dev.loopguard.core.ir.CallSite;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.knowledge.Fact;
import dev.loopguard.core.knowledge.FactIndex;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Resolves call sites to their targets, once each. Unresolvable calls have no targets. */
public final class CallGraph {
  private final Values values;
  private final FactIndex facts;
  private final Map<ModuleIr, List<Target>[]> cache;
  // A fork stores the targets of these modules only (others' slots are their tasks'); see
  // resolveAll. Null: all.
  private final Set<ModuleIr> owned;

  public CallGraph(Values values) {
    this(values, new IdentityHashMap<>(), null);
  }

  private CallGraph(Values values, Map<ModuleIr, List<Target>[]> cache, Set<ModuleIr> owned) {
    this.values = values;
    this.facts = values.facts();
    this.cache = cache;
    this.owned = owned;
  }

  /**
   * Resolves every call of {@code modules} on {@code threads} threads, one task per folder: a
   * task evaluates with an evaluator of its own ({@link Values#fork()}), shared by the modules of
   * its folder (which mostly need the same names), in path and call order. What a task computes
   * depends only on the tree, so the targets do not depend on the number of threads or on timing.
   */
  @SuppressWarnings("unchecked")
  public void resolveAll(List<ModuleIr> modules, int threads) {
    Map<String, List<ModuleIr>> byFolder = new java.util.TreeMap<>();
    for (ModuleIr m : modules) {
      cache.computeIfAbsent(m, k -> new List[k.calls().size()]);
      int slash = m.path().lastIndexOf('/');
      byFolder.computeIfAbsent(slash < 0 ? "" : m.path().substring(0, slash), k -> new ArrayList<>())
          .add(m);
    }
    // Largest folders first, so that one does not start last and hold up the end.
    List<List<ModuleIr>> folders = new ArrayList<>(byFolder.values());
    folders.sort(java.util.Comparator.comparingLong((List<ModuleIr> f) -> -callCount(f)));
    List<Runnable> tasks = new ArrayList<>(folders.size());
    for (List<ModuleIr> folder : folders) {
      folder.sort(java.util.Comparator.comparing(ModuleIr::path));
      Set<ModuleIr> owned = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
      owned.addAll(folder);
      tasks.add(() -> {
        CallGraph g = new CallGraph(values.fork(), cache, owned);
        for (ModuleIr m : folder) {
          for (CallSite cs : m.calls()) {
            g.targets(m, cs);
          }
        }
      });
    }
    Parallel.run(tasks.toArray(Runnable[]::new), threads);
  }

  private static long callCount(List<ModuleIr> folder) {
    long calls = 0;
    for (ModuleIr m : folder) {
      calls += m.calls().size();
    }
    return calls;
  }

  public Values values() {
    return values;
  }

  @SuppressWarnings("unchecked")
  public List<Target> targets(ModuleIr m, CallSite cs) {
    if (owned != null && !owned.contains(m)) {
      // Another task's module: its slots are that task's to fill.
      return compute(m, cs);
    }
    List<Target>[] arr = cache.computeIfAbsent(m, k -> new List[k.calls().size()]);
    List<Target> t = arr[cs.index()];
    if (t == null) {
      t = compute(m, cs);
      arr[cs.index()] = t;
    }
    return t;
  }

  private List<Target> compute(ModuleIr m, CallSite cs) {
    Set<Target> out = new LinkedHashSet<>();
    for (Val v : values.eval(m, cs.callee())) {
      addTargets(v, out, 0);
    }
    return List.copyOf(out);
  }

  /** Targets of calling the value {@code v}. */
  public List<Target> targetsOfValue(Val v) {
    Set<Target> out = new LinkedHashSet<>();
    addTargets(v, out, 0);
    return List.copyOf(out);
  }

  private void addTargets(Val v, Set<Target> out, int depth) {
    if (depth > 4) {
      return;
    }
    if (v instanceof Val.Func f) {
      out.add(new Target.ProjectFunction(f.id()));
    } else if (v instanceof Val.Class c) {
      constructor(c.qualifiedName(), out);
    } else if (v instanceof Val.Instance inst) {
      if (inst.project()) {
        for (Val call : values.member(inst, "__call__")) {
          if (call instanceof Val.Func) {
            addTargets(call, out, depth + 1);
          }
        }
      } else {
        String name = inst.type() + ".__call__";
        Fact f = facts.lookup(name);
        if (f != null) {
          out.add(new Target.Api(name, f));
        }
      }
    } else if (v instanceof Val.External e) {
      out.add(new Target.Api(e.name(), facts.lookup(e.name())));
    } else if (v instanceof Val.Partial p) {
      addTargets(p.target(), out, depth + 1);
    } else if (v instanceof Val.UnknownMember u) {
      String name = "?." + u.name();
      Fact f = facts.lookup(name);
      if (f != null) {
        out.add(new Target.Api(name, f));
      }
    }
  }

  private void constructor(String classQName, Set<Target> out) {
    List<Val> mro = values.mro(classQName);
    for (Val k : mro) {
      if (k instanceof Val.Class kc) {
        Project.Cls cls = values.project().classNamed(kc.qualifiedName());
        if (cls == null) {
          continue;
        }
        boolean found = false;
        for (Project.Fn method : values.project().methodsNamed(cls.ir().id(), "__init__")) {
          out.add(new Target.ProjectFunction(method.id()));
          found = true;
        }
        if (found) {
          return;
        }
      } else if (k instanceof Val.External e) {
        out.add(new Target.Api(e.name(), facts.lookup(e.name())));
        return;
      }
    }
  }

  /** Every target the callable argument of {@code cs} (per {@code fact}) may run. */
  public List<Target> callableTargets(ModuleIr m, CallSite cs, Fact fact) {
    var arg = Values.callableArg(cs, fact);
    if (arg == null) {
      return List.of();
    }
    List<Target> out = new ArrayList<>();
    if (arg.value() instanceof dev.loopguard.core.ir.Ref.Call c
        && c.site() >= 0 && c.site() < m.calls().size()) {
      // create_task(coro()): the coroutine's function is what runs.
      CallSite inner = m.calls().get(c.site());
      for (Target t : targets(m, inner)) {
        if (t instanceof Target.ProjectFunction pf) {
          var fn = values.project().function(pf.id());
          if (fn != null && fn.ir().async()) {
            out.add(t);
            continue;
          }
        }
        // partial(f, ...) passed as the callable
        for (Val v : values.eval(m, arg.value())) {
          if (v instanceof Val.Partial) {
            addTargetsTo(v, out);
          }
        }
      }
      return dedupe(out);
    }
    for (Val v : values.eval(m, arg.value())) {
      addTargetsTo(v, out);
    }
    return dedupe(out);
  }

  private void addTargetsTo(Val v, List<Target> out) {
    Set<Target> s = new LinkedHashSet<>();
    addTargets(v, s, 0);
    out.addAll(s);
  }

  private static List<Target> dedupe(List<Target> in) {
    return List.copyOf(new LinkedHashSet<>(in));
  }
}
