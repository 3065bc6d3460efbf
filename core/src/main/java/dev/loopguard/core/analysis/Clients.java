package dev.loopguard.core.analysis;

import dev.loopguard.core.ir.Binding;
import dev.loopguard.core.ir.CallSite;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.ir.Ref;
import dev.loopguard.core.knowledge.Fact;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Clients of remote services (types a {@code client} fact names): which calls make one, and where
 * the client a call is made on was made, followed through variables, attributes, {@code with}
 * targets and the returns of project factories. Rule-neutral. Not thread-safe: make one per task
 * ({@link #Clients(SemanticModel)} evaluates with a values evaluator of its own).
 */
public final class Clients {
  private static final int MAX_DEPTH = 6;
  private static final int MAX_SITES = 16;

  /** A call that makes a client: {@code site} in {@code module}, of the type {@code client} names. */
  public record Construction(ModuleIr module, CallSite site, String type, Fact client) {}

  private final SemanticModel model;
  private final Values values;

  public Clients(SemanticModel model) {
    this.model = model;
    this.values = model.values().fork();
  }

  /** The values evaluator this object uses (its own fork). */
  public Values values() {
    return values;
  }

  /** The client {@code cs} makes (a constructor or a factory whose result a client fact names), or null. */
  public Construction made(ModuleIr m, CallSite cs) {
    for (Val v : values.eval(m, new Ref.Call(cs.index()))) {
      if (v instanceof Val.Instance inst && !inst.project()) {
        Fact f = model.facts().client(inst.type());
        if (f != null) {
          return new Construction(m, cs, inst.type(), f);
        }
      }
    }
    return null;
  }

  /**
   * The calls in the project that may have made the value {@code ref} denotes in {@code m}: the
   * clients found by following bindings of variables and attributes and the returns of project
   * functions. Empty when the value comes from elsewhere (a parameter, an unknown call).
   */
  public List<Construction> constructionsOf(ModuleIr m, Ref ref, int atLine) {
    Set<Construction> out = new LinkedHashSet<>();
    trace(m, ref, 0, atLine, out, new LinkedHashSet<>());
    return List.copyOf(out);
  }

  /**
   * The bindings of a local variable read at {@code atLine}: the last ones before it when there
   * are such (a variable bound again later, {@code async with A() as c: ...; async with B() as c:}
   * holds the nearer value), else all of them.
   */
  private static List<Binding> nearest(List<Binding> bindings, int atLine) {
    int best = -1;
    for (Binding b : bindings) {
      if (b.line() <= atLine && b.line() > best) {
        best = b.line();
      }
    }
    if (best < 0 || bindings.size() < 2) {
      return bindings;
    }
    List<Binding> out = new ArrayList<>();
    for (Binding b : bindings) {
      if (b.line() == best) {
        out.add(b);
      }
    }
    return out;
  }

  private void trace(ModuleIr m, Ref ref, int depth, int atLine, Set<Construction> out,
      Set<Object> seen) {
    if (ref == null || depth > MAX_DEPTH || out.size() >= MAX_SITES || !seen.add(ref)) {
      return;
    }
    Project project = model.project();
    if (ref instanceof Ref.Call c) {
      if (c.site() < 0 || c.site() >= m.calls().size()) {
        return;
      }
      CallSite cs = m.calls().get(c.site());
      Construction made = made(m, cs);
      if (made != null) {
        out.add(made);
        return;
      }
      for (Target t : model.graph().targets(m, cs)) {
        Project.Fn fn = t instanceof Target.ProjectFunction pf ? project.function(pf.id()) : null;
        if (fn != null) {
          for (Binding b : project.returnsOf(fn.id())) {
            trace(fn.module(), b.value(), depth + 1, -1, out, seen);
          }
        }
      }
    } else if (ref instanceof Ref.Var v) {
      List<Binding> bindings = project.bindingsOf(v.scope(), v.name());
      boolean local = bindings.stream().allMatch(b -> b.scope().equals(v.scope()));
      for (Binding b : atLine >= 0 && local ? nearest(bindings, atLine) : bindings) {
        if (b.kind() == Binding.Kind.ASSIGN || b.kind() == Binding.Kind.WITH) {
          ModuleIr bm = project.moduleOf(b);
          trace(bm != null ? bm : m, b.value(), depth + 1, -1, out, seen);
        }
      }
    } else if (ref instanceof Ref.Attr a) {
      for (Val base : values.eval(m, a.base())) {
        if (base instanceof Val.Instance inst && inst.project()) {
          for (Binding b : project.attributeBindings(inst.type(), a.name())) {
            if (b.kind() == Binding.Kind.ASSIGN || b.kind() == Binding.Kind.WITH) {
              ModuleIr bm = project.moduleOf(b);
              trace(bm != null ? bm : m, b.value(), depth + 1, -1, out, seen);
            }
          }
        }
      }
    }
  }

  /** The client types {@code ref} may hold, by type alone (when no construction is found). */
  public List<Fact> clientTypesOf(ModuleIr m, Ref ref) {
    List<Fact> out = new ArrayList<>();
    for (Val v : values.eval(m, ref)) {
      if (v instanceof Val.Instance inst && !inst.project()) {
        Fact f = model.facts().client(inst.type());
        if (f != null && !out.contains(f)) {
          out.add(f);
        }
      }
    }
    return out;
  }
}
