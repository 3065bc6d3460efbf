package dev.loopguard.core.rules.perf006;

import dev.loopguard.core.analysis.Clients;
import dev.loopguard.core.analysis.HotPaths;
import dev.loopguard.core.analysis.Project;
import dev.loopguard.core.analysis.SemanticModel;
import dev.loopguard.core.analysis.ServiceReach;
import dev.loopguard.core.analysis.Target;
import dev.loopguard.core.analysis.Val;
import dev.loopguard.core.ir.Binding;
import dev.loopguard.core.ir.CallSite;
import dev.loopguard.core.ir.EventList;
import dev.loopguard.core.ir.FunctionIr;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.ir.Ref;
import dev.loopguard.core.knowledge.Fact;
import dev.loopguard.core.knowledge.FactKind;
import dev.loopguard.core.model.Confidence;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * perf-006's derived fact: clients (types a {@code client} fact names) that service code makes
 * each time it runs, instead of sharing one. A construction counts unless its function keeps the
 * result (stores it in an attribute, a module variable or a container: a lazily made shared
 * client) or caches it (a {@code caches} decorator), and a project factory that returns a fresh
 * client counts where it is called. The rule decides which heats are reported. Computed once per
 * scan ({@link #of}).
 */
final class PerCallClients {

  /**
   * A client made per call: {@code site} in {@code at}'s function makes {@code made} (directly,
   * or through project factory {@code factory}, null when direct).
   */
  record PerCall(ServiceReach.Reached at, ModuleIr module, CallSite site, Clients.Construction made,
      String factory, boolean scoped, Confidence confidence) {}

  private static final SemanticModel.Key<PerCallClients> KEY =
      new SemanticModel.Key<>("perf-006 per-call clients");

  private final SemanticModel model;
  private final Clients clients;
  private final List<PerCall> found = new ArrayList<>();
  // Function id -> the fresh client it returns (null: it returns none); memoised.
  private final Map<String, Clients.Construction> factories = new HashMap<>();
  private final Map<String, Boolean> cached = new HashMap<>();

  static PerCallClients of(SemanticModel model) {
    return model.derived(KEY, PerCallClients::new);
  }

  List<PerCall> all() {
    return found;
  }

  private PerCallClients(SemanticModel model) {
    this.model = model;
    this.clients = new Clients(model);
    Project project = model.project();
    for (ServiceReach.Reached r : ServiceReach.of(model).all()) {
      FunctionIr f = r.fn().ir();
      if (f.hasFlag(FunctionIr.Flag.STUB) || cached(r.fn())) {
        continue;
      }
      ModuleIr m = r.fn().module();
      Set<Integer> kept = null;
      for (CallSite cs : project.callsIn(f.id())) {
        if (model.skipped(cs) || HotPaths.neverHot(cs)) {
          continue;
        }
        Clients.Construction made = null;
        String factory = null;
        for (Target t : model.graph().targets(m, cs)) {
          if (t instanceof Target.Api) {
            made = made == null ? clients.made(m, cs) : made;
          } else if (t instanceof Target.ProjectFunction pf && made == null) {
            Project.Fn callee = project.function(pf.id());
            Clients.Construction c = callee == null ? null : freshClientOf(callee);
            if (c != null) {
              made = c;
              factory = callee.ir().qualifiedName();
            }
          }
        }
        if (made == null) {
          continue;
        }
        if (kept == null) {
          kept = keptResults(m, f);
        }
        if (kept.contains(cs.index()) || (factory == null && returned(m, f, cs))) {
          continue;
        }
        Confidence c = r.how() == ServiceReach.How.HELPER || factory != null
            ? Confidence.MEDIUM : Confidence.HIGH;
        found.add(new PerCall(r, m, cs, made, factory, cs.hasFlag(CallSite.CallFlag.WITH_ITEM), c));
      }
    }
    found.sort(Comparator.comparing((PerCall x) -> x.module().path())
        .thenComparingInt(x -> x.site().line()).thenComparingInt(x -> x.site().column()));
  }

  /** Whether a decorator of {@code fn} keeps its result (a {@code caches} fact). */
  private boolean cached(Project.Fn fn) {
    Boolean known = cached.get(fn.id());
    if (known != null) {
      return known;
    }
    boolean out = false;
    ModuleIr m = fn.module();
    for (Ref d : fn.ir().decorators()) {
      Ref callee = d;
      if (d instanceof Ref.Call c && c.site() >= 0 && c.site() < m.calls().size()) {
        callee = m.calls().get(c.site()).callee();
      }
      for (Val v : clients.values().eval(m, callee)) {
        Fact fact = v instanceof Val.External e ? model.facts().lookup(e.name()) : null;
        out |= fact != null && fact.kind() == FactKind.MEMOISES;
      }
    }
    cached.put(fn.id(), out);
    return out;
  }

  /**
   * The fresh client project function {@code fn} returns (a construction it makes and returns,
   * not keeps), or null. A cached function returns the same client each time: null.
   */
  private Clients.Construction freshClientOf(Project.Fn fn) {
    if (factories.containsKey(fn.id())) {
      return factories.get(fn.id());
    }
    factories.put(fn.id(), null);
    Clients.Construction out = null;
    if (!cached(fn)) {
      ModuleIr m = fn.module();
      Set<Integer> kept = null;
      for (CallSite cs : model.project().callsIn(fn.id())) {
        if (!returned(m, fn.ir(), cs)) {
          continue;
        }
        Clients.Construction c = clients.made(m, cs);
        if (c != null) {
          kept = kept == null ? keptResults(m, fn.ir()) : kept;
          if (!kept.contains(cs.index())) {
            out = c;
            break;
          }
        }
      }
    }
    factories.put(fn.id(), out);
    return out;
  }

  /** Whether the result of {@code cs} is what {@code f} returns (directly or through a local). */
  private boolean returned(ModuleIr m, FunctionIr f, CallSite cs) {
    Ref call = new Ref.Call(cs.index());
    for (Binding b : model.project().returnsOf(f.id())) {
      if (call.equals(b.value())) {
        return true;
      }
      if (b.value() instanceof Ref.Var v && v.scope().equals(f.id())) {
        for (Binding a : model.project().bindingsOf(v.scope(), v.name())) {
          if (call.equals(a.value())) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * The calls of {@code f} whose result it keeps beyond the call: stored in an attribute, a module
   * variable or a container item right away ({@code self._client = Client()}), or through a local
   * that is then stored ({@code client = Client(); self._client = client}).
   */
  private Set<Integer> keptResults(ModuleIr m, FunctionIr f) {
    Set<Integer> out = new HashSet<>();
    // Through the event list: a call whose value is written to an attribute, global or item
    // before anything else is called or awaited.
    EventList.Cursor c = f.events().cursor();
    int pending = -1;
    while (c.next()) {
      EventList.Kind k = c.kind();
      if (k == EventList.Kind.CALL) {
        pending = c.site();
      } else if (pending >= 0 && (k == EventList.Kind.WRITE_ATTR || k == EventList.Kind.WRITE_ITEM
          || k == EventList.Kind.WRITE_GLOBAL)) {
        out.add(pending);
        pending = -1;
      } else if (k != EventList.Kind.READ_ATTR && k != EventList.Kind.READ_GLOBAL
          && k != EventList.Kind.READ_ITEM) {
        pending = -1;
      }
    }
    // Through a local: bindings of f whose target is an attribute or a variable of another scope
    // and whose value is a local of f bound to a call.
    for (Binding b : m.bindings()) {
      if (!b.scope().equals(f.id()) || b.kind() != Binding.Kind.ASSIGN) {
        continue;
      }
      boolean escapes = b.target() instanceof Ref.Attr
          || (b.target() instanceof Ref.Var tv && !f.id().equals(tv.scope()));
      if (!escapes) {
        continue;
      }
      if (b.value() instanceof Ref.Call call) {
        out.add(call.site());
      } else if (b.value() instanceof Ref.Var v && f.id().equals(v.scope())) {
        for (Binding a : model.project().bindingsOf(v.scope(), v.name())) {
          if (a.value() instanceof Ref.Call call) {
            out.add(call.site());
          }
        }
      }
    }
    return out;
  }
}
