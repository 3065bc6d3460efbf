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
  // One list per single target, shared by every call with that target and by the forks: most
  // calls have one target, and a large tree has hundreds of thousands of calls to the same few.
  private final Map<Target, List<Target>> singles;

  public CallGraph(Values values) {
    this(values, new IdentityHashMap<>(), null, new java.util.concurrent.ConcurrentHashMap<>());
  }

  private CallGraph(Values values, Map<ModuleIr, List<Target>[]> cache, Set<ModuleIr> owned,
      Map<Target, List<Target>> singles) {
    this.values = values;
    this.facts = values.facts();
    this.cache = cache;
    this.owned = owned;
    this.singles = singles;
  }

  /**
   * Call targets kept from an earlier scan, by folder: {@link #resolveAll(List, int, Memory)}
   * takes a folder's targets from it when they are still valid, and hands it those it resolves.
   */
  public interface Memory {
    /**
     * The targets of the calls of {@code modules} (a folder's, in path order), one array per
     * module indexed by call, or null when they must be resolved.
     */
    List<Target>[][] recall(String folder, List<ModuleIr> modules);

    /**
     * The targets just resolved for a folder's modules, with the hashed keys of the project
     * queries they depended on ({@link Reads}). Called by the folder's task, on its thread, as
     * soon as it is done: calls for different folders may come at the same time, in any order.
     */
    void resolved(String folder, List<ModuleIr> modules, long[] reads, List<Target>[][] targets);
  }

  /**
   * Resolves every call of {@code modules} on {@code threads} threads, one task per folder: a
   * task evaluates with an evaluator of its own ({@link Values#fork()}), shared by the modules of
   * its folder (which mostly need the same names), in path and call order. What a task computes
   * depends only on the tree, so the targets do not depend on the number of threads or on timing.
   */
  public void resolveAll(List<ModuleIr> modules, int threads) {
    resolveAll(modules, threads, null);
  }

  /**
   * As {@link #resolveAll(List, int)}, taking the targets of folders that {@code memory} (when not
   * null) still holds, and recording for the others what they read. A task computes the same
   * whether or not other folders were recalled: it never reads another task's targets.
   */
  @SuppressWarnings("unchecked")
  public void resolveAll(List<ModuleIr> modules, int threads, Memory memory) {
    Map<String, List<ModuleIr>> byFolder = new java.util.TreeMap<>();
    for (ModuleIr m : modules) {
      cache.computeIfAbsent(m, k -> new List[k.calls().size()]);
      byFolder.computeIfAbsent(Project.folderOf(m.path()), k -> new ArrayList<>()).add(m);
    }
    // Largest folders first, so that one does not start last and hold up the end.
    List<Map.Entry<String, List<ModuleIr>>> folders = new ArrayList<>(byFolder.entrySet());
    folders.sort(java.util.Comparator.comparingLong(
        (Map.Entry<String, List<ModuleIr>> f) -> -callCount(f.getValue())));
    List<Runnable> tasks = new ArrayList<>(folders.size());
    for (Map.Entry<String, List<ModuleIr>> entry : folders) {
      List<ModuleIr> folder = entry.getValue();
      folder.sort(java.util.Comparator.comparing(ModuleIr::path));
      List<Target>[][] known = memory == null ? null : memory.recall(entry.getKey(), folder);
      if (known != null) {
        for (int i = 0; i < folder.size(); i++) {
          cache.put(folder.get(i), known[i]);
        }
        continue;
      }
      Set<ModuleIr> owned = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
      owned.addAll(folder);
      Reads reads = memory == null ? null : new Reads();
      String name = entry.getKey();
      tasks.add(() -> {
        CallGraph g = new CallGraph(reads == null ? values.fork() : values.fork(reads), cache, owned,
            singles);
        for (ModuleIr m : folder) {
          for (CallSite cs : m.calls()) {
            g.targets(m, cs);
          }
        }
        if (memory != null) {
          List<Target>[][] targets = new List[folder.size()][];
          for (int i = 0; i < targets.length; i++) {
            targets[i] = cache.get(folder.get(i));
          }
          memory.resolved(name, folder, reads.keys(), targets);
        }
      });
    }
    Parallel.run(tasks.toArray(Runnable[]::new), threads);
    singles.clear(); // the lists stay shared; the table is not needed any more
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
    List<Val> callees = values.eval(m, cs.callee());
    if (callees.isEmpty()) {
      return List.of();
    }
    // Few targets per call: a list that skips duplicates is cheaper than a set.
    Distinct out = new Distinct();
    for (int i = 0; i < callees.size(); i++) {
      addTargets(callees.get(i), out, 0);
    }
    if (out.size() == 1) {
      Target only = out.items[0];
      List<Target> shared = singles.get(only);
      return shared != null ? shared : singles.computeIfAbsent(only, List::of);
    }
    return List.copyOf(out);
  }

  /** A list that keeps the first of equal targets, in order (targets are few). */
  private static final class Distinct extends java.util.AbstractCollection<Target> {
    private Target[] items = new Target[2];
    private int size;

    @Override
    public boolean add(Target t) {
      for (int i = 0; i < size; i++) {
        if (items[i].equals(t)) {
          return false;
        }
      }
      if (size == items.length) {
        items = java.util.Arrays.copyOf(items, size * 2);
      }
      items[size++] = t;
      return true;
    }

    @Override
    public Object[] toArray() {
      return java.util.Arrays.copyOf(items, size, Object[].class);
    }

    @Override
    public java.util.Iterator<Target> iterator() {
      return java.util.Arrays.asList(items).subList(0, size).iterator();
    }

    @Override
    public int size() {
      return size;
    }
  }

  /** Targets of calling the value {@code v}. */
  public List<Target> targetsOfValue(Val v) {
    Set<Target> out = new LinkedHashSet<>();
    addTargets(v, out, 0);
    return List.copyOf(out);
  }

  private void addTargets(Val v, java.util.Collection<Target> out, int depth) {
    if (depth > 4) {
      return;
    }
    if (v instanceof Val.Func f) {
      out.add(new Target.ProjectFunction(f.id()));
    } else if (v instanceof Val.Class c) {
      constructor(c.qualifiedName(), out);
    } else if (v instanceof Val.Instance inst) {
      String callMember = values.semantics().callOperatorMember();
      if (callMember == null) {
        return;
      }
      if (inst.project()) {
        for (Val call : values.member(inst, callMember)) {
          if (call instanceof Val.Func) {
            addTargets(call, out, depth + 1);
          }
        }
      } else {
        String name = inst.type() + "." + callMember;
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

  private void constructor(String classQName, java.util.Collection<Target> out) {
    List<Val> mro = values.mro(classQName);
    for (Val k : mro) {
      if (k instanceof Val.Class kc) {
        Project.Cls cls = values.classNamed(kc.qualifiedName());
        if (cls == null) {
          continue;
        }
        boolean found = false;
        for (Project.Fn method : values.methodsNamed(cls.ir().id(), values.semantics().constructorMember())) {
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
          var fn = values.function(pf.id());
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
