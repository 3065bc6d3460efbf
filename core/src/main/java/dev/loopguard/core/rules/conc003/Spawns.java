package dev.loopguard.core.rules.conc003;

import dev.loopguard.core.analysis.Project;
import dev.loopguard.core.analysis.SemanticModel;
import dev.loopguard.core.analysis.Target;
import dev.loopguard.core.analysis.Val;
import dev.loopguard.core.ir.Binding;
import dev.loopguard.core.ir.CallSite;
import dev.loopguard.core.ir.EventList;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.ir.Ref;
import dev.loopguard.core.knowledge.Fact;
import dev.loopguard.core.knowledge.FactIndex;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where the project starts work that runs on its own (tasks and threads, by the packs'
 * {@code spawns} facts), what runs there, and who can stop it: a group that owns the task, a
 * kept handle that something cancels (by the packs' {@code cancels} facts), or nobody.
 */
final class Spawns {

  /** Who can stop what a spawn starts. */
  enum Owner {
    /** A task group or nursery owns it. */
    GROUP,
    /** The spawner awaits it, or hands the handle on (returns it, passes it, stores it in an item). */
    HANDED_ON,
    /** The handle is kept under a name that something cancels. */
    CANCELLED,
    /** A thread that dies with the process (a daemon thread). */
    DIES_WITH_PROCESS,
    /** The handle is kept, but nothing cancels anything of that name. */
    KEPT_NOT_CANCELLED,
    /** The handle is dropped: nothing can cancel the task. */
    DROPPED,
    /** A thread: nothing can cancel it. */
    THREAD;

    boolean stops() {
      return this == GROUP || this == HANDED_ON || this == CANCELLED || this == DIES_WITH_PROCESS;
    }
  }

  /** One call that starts {@code function} running on its own. */
  record Spawn(ModuleIr module, CallSite site, String api, Fact fact, Project.Fn spawner,
      Project.Fn function, Owner owner, String keptAs) {}

  private final SemanticModel model;
  private final FactIndex facts;
  private Set<String> cancelledNames;

  Spawns(SemanticModel model) {
    this.model = model;
    this.facts = model.facts();
  }

  /** Every spawn of a project function, in module and call order. */
  List<Spawn> all() {
    List<Spawn> out = new ArrayList<>();
    Project project = model.project();
    for (ModuleIr m : project.modules()) {
      List<CallSite> calls = m.calls();
      for (int i = 0; i < calls.size(); i++) {
        CallSite cs = calls.get(i);
        if (cs.args().isEmpty()) {
          continue;
        }
        for (String api : calleeNames(m, cs)) {
          Fact fact = facts.spawn(api);
          if (fact == null) {
            continue;
          }
          for (Target t : model.graph().callableTargets(m, cs, fact)) {
            if (t instanceof Target.ProjectFunction pf) {
              Project.Fn fn = project.function(pf.id());
              if (fn != null) {
                Project.Fn spawner = project.function(cs.scope());
                String kept = keptName(m, cs);
                out.add(new Spawn(m, cs, api, fact, spawner, fn, owner(m, cs, fact, spawner, kept),
                    kept));
              }
            }
          }
          break;
        }
      }
    }
    return out;
  }

  /** The names a call resolves to: external APIs, and {@code ?.name} for an untyped receiver. */
  private List<String> calleeNames(ModuleIr m, CallSite cs) {
    Set<String> names = new LinkedHashSet<>();
    for (Target t : model.graph().targets(m, cs)) {
      if (t instanceof Target.Api api) {
        names.add(api.name());
      }
    }
    if (names.isEmpty() && cs.callee() instanceof Ref.Attr) {
      for (Val v : model.values().eval(m, cs.callee())) {
        if (v instanceof Val.UnknownMember u) {
          names.add("?." + u.name());
        } else if (v instanceof Val.External e) {
          names.add(e.name());
        }
      }
    }
    return List.copyOf(names);
  }

  private Owner owner(ModuleIr m, CallSite cs, Fact fact, Project.Fn spawner, String kept) {
    switch (fact.category()) {
      case "group" -> {
        return Owner.GROUP;
      }
      case "thread" -> {
        return diesWithProcess(m, cs, fact, spawner, kept) ? Owner.DIES_WITH_PROCESS : Owner.THREAD;
      }
      default -> {
        if (cs.awaited()) {
          return Owner.HANDED_ON;
        }
        if (cs.hasFlag(CallSite.CallFlag.DISCARDED)) {
          return Owner.DROPPED;
        }
        if (kept == null || passedOn(m, cs, kept)) {
          return Owner.HANDED_ON;
        }
        return cancelledNames().contains(kept) ? Owner.CANCELLED : Owner.KEPT_NOT_CANCELLED;
      }
    }
  }

  /**
   * Whether the module passes something named {@code kept} to a call after the spawn
   * ({@code loop.run_until_complete(main_task)}, {@code gather(task)}, a helper that cancels it):
   * whoever receives it may await or cancel it.
   */
  private static boolean passedOn(ModuleIr m, CallSite spawn, String kept) {
    for (CallSite cs : m.calls()) {
      if (cs.index() == spawn.index()) {
        continue;
      }
      for (dev.loopguard.core.ir.Arg a : cs.args()) {
        if (kept.equals(baseName(a.value())) && !(a.value() instanceof Ref.QName)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The name the call's result is assigned to (a variable, or an attribute's name), or null when
   * it is not assigned to one.
   */
  private static String keptName(ModuleIr m, CallSite cs) {
    Ref.Call result = new Ref.Call(cs.index());
    for (Binding b : m.bindings()) {
      if (b.kind() == Binding.Kind.ASSIGN && result.equals(b.value()) && b.scope().equals(cs.scope())) {
        if (b.target() instanceof Ref.Var v) {
          return v.name();
        }
        if (b.target() instanceof Ref.Attr a) {
          return a.name();
        }
      }
    }
    return null;
  }

  /**
   * Whether the spawn's arguments say that what it starts dies with the process (the fact's
   * {@code non-blocking-if}), or the spawner assigns the attribute a keyword condition names on
   * the kept object afterwards ({@code t.daemon = True}), or calls its setter
   * ({@code t.setDaemon(True)}).
   */
  private boolean diesWithProcess(ModuleIr m, CallSite cs, Fact fact, Project.Fn spawner,
      String kept) {
    if (model.argConditions().nonBlocking(fact, m, cs)) {
      return true;
    }
    if (kept == null || spawner == null) {
      return false;
    }
    Set<String> keywords = new HashSet<>();
    for (Fact.ArgCondition c : fact.nonBlockingIf()) {
      if (c.keyword() != null) {
        keywords.add(c.keyword());
      }
    }
    Set<String> setters = new HashSet<>();
    for (String k : keywords) {
      setters.add("set" + Character.toUpperCase(k.charAt(0)) + k.substring(1));
    }
    EventList.Cursor c = spawner.ir().events().cursor();
    while (c.next()) {
      if (c.kind() == EventList.Kind.WRITE_ATTR && c.ref() instanceof Ref.Attr a
          && keywords.contains(a.name()) && kept.equals(baseName(a.base()))) {
        return true;
      }
      // Or its setter, as the convention names it (t.setDaemon(True)).
      if (c.kind() == EventList.Kind.CALL && c.site() < m.calls().size()
          && m.calls().get(c.site()).callee() instanceof Ref.Attr a
          && setters.contains(a.name()) && kept.equals(baseName(a.base()))) {
        return true;
      }
    }
    return false;
  }

  /** Names on which the project calls something that cancels (a task, a future, a scope). */
  private Set<String> cancelledNames() {
    if (cancelledNames == null) {
      Set<String> names = new HashSet<>();
      for (ModuleIr m : model.project().modules()) {
        for (CallSite cs : m.calls()) {
          if (cs.callee() instanceof Ref.Attr a && cancels(m, cs, a)) {
            String n = baseName(a.base());
            if (n != null) {
              names.add(n);
            }
          }
        }
      }
      cancelledNames = names;
    }
    return cancelledNames;
  }

  private boolean cancels(ModuleIr m, CallSite cs, Ref.Attr callee) {
    if (facts.cancels("?." + callee.name()) != null) {
      return true;
    }
    for (Target t : model.graph().targets(m, cs)) {
      if (t instanceof Target.Api api && facts.cancels(api.name()) != null) {
        return true;
      }
    }
    return false;
  }

  /** The last name of a variable or attribute reference ({@code task}, {@code self._task}). */
  static String baseName(Ref r) {
    if (r instanceof Ref.Var v) {
      return v.name();
    }
    if (r instanceof Ref.Attr a) {
      return a.name();
    }
    if (r instanceof Ref.QName q) {
      String n = q.name();
      return n.substring(n.lastIndexOf('.') + 1);
    }
    return null;
  }
}
