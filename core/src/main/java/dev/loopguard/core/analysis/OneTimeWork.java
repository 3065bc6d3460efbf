package dev.loopguard.core.analysis;

import dev.loopguard.core.ir.Binding;
import dev.loopguard.core.ir.CallSite;
import dev.loopguard.core.ir.EventList;
import dev.loopguard.core.ir.FunctionIr;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.ir.Ref;
import dev.loopguard.core.knowledge.Fact;
import dev.loopguard.core.knowledge.FactKind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Work a process does once rather than per call: the body of a memoised function (a decorator
 * that a {@code memoises} fact describes), and calls under a first-use guard, an {@code if} whose
 * condition reads an attribute or module variable that its arm then assigns from something other
 * than a constant ({@code if self._client is None: self._client = make()}, a
 * {@code global} singleton, a double-checked lock). Rule-neutral: a derived fact of the model.
 */
public final class OneTimeWork {
  private static final SemanticModel.Key<OneTimeWork> KEY = new SemanticModel.Key<>("one-time work");

  private final Project project;
  private final Set<String> memoised;
  // Guarded call sites per function id, computed when first asked (by several threads).
  private final Map<String, BitSet> guarded = new ConcurrentHashMap<>();

  private OneTimeWork(SemanticModel model) {
    this.project = model.project();
    Set<String> ids = new HashSet<>();
    ExecutionContext ctx = model.context();
    for (ModuleIr m : project.modules()) {
      for (FunctionIr f : m.functions()) {
        for (Ref d : f.decorators()) {
          if (memoises(model, ctx.decoratorNames(m, d))) {
            ids.add(f.id());
            break;
          }
        }
      }
    }
    this.memoised = Set.copyOf(ids);
  }

  private static boolean memoises(SemanticModel model, List<String> names) {
    for (String n : names) {
      Fact fact = model.facts().lookup(n);
      if (fact != null && fact.kind() == FactKind.MEMOISES) {
        return true;
      }
    }
    return false;
  }

  /** The one-time work of {@code model}. */
  public static OneTimeWork of(SemanticModel model) {
    return model.derived(KEY, OneTimeWork::new);
  }

  /** Whether function {@code functionId}'s result is memoised, so its body runs once. */
  public boolean memoised(String functionId) {
    return memoised.contains(functionId);
  }

  /**
   * Whether the call {@code cs} of module {@code m} into {@code calleeId} (null for an API) runs
   * once rather than each time its function runs: the callee is memoised or the call stands under
   * a first-use guard.
   */
  public boolean once(ModuleIr m, CallSite cs, String calleeId) {
    if (calleeId != null && memoised(calleeId)) {
      return true;
    }
    Project.Fn fn = project.function(cs.scope());
    if (fn == null || cs.index() < 0 || fn.ir().events().isEmpty()) {
      return false;
    }
    BitSet sites = guarded.computeIfAbsent(fn.id(), id -> guardedSites(m, fn.ir()));
    return sites.get(cs.index());
  }

  /** One arm of a branch being walked: what its condition read and what its body did. */
  private static final class Arm {
    final Set<Ref> tested = new HashSet<>();
    final List<Integer> sites = new ArrayList<>();
    final Map<Ref, Integer> writes = new HashMap<>();
    boolean inBody;
  }

  private static BitSet guardedSites(ModuleIr m, FunctionIr f) {
    BitSet out = new BitSet();
    Map<Ref, List<Binding>> assigned = null;
    ArrayDeque<Arm> arms = new ArrayDeque<>();
    String receiver = f.isMethod() && !f.hasFlag(FunctionIr.Flag.STATIC) && !f.params().isEmpty()
        ? f.params().get(0).name() : null;
    EventList.Cursor c = f.events().cursor();
    while (c.next()) {
      switch (c.kind()) {
        case BRANCH -> arms.push(new Arm());
        case ARM -> {
          Arm done = arms.poll();
          if (done != null) {
            assigned = close(m, f, done, out, assigned);
          }
          arms.push(new Arm());
        }
        case TEST -> {
          Arm a = arms.peek();
          if (a != null) {
            a.inBody = true;
          }
        }
        case BRANCH_END -> {
          Arm done = arms.poll();
          if (done != null) {
            assigned = close(m, f, done, out, assigned);
          }
        }
        case READ_ATTR, READ_GLOBAL -> {
          Arm a = arms.peek();
          if (a != null && !a.inBody && longLived(c.ref(), receiver)) {
            a.tested.add(c.ref());
          }
        }
        case WRITE_ATTR, WRITE_GLOBAL -> {
          for (Arm a : arms) {
            if (a.inBody && longLived(c.ref(), receiver)) {
              a.writes.putIfAbsent(c.ref(), c.line());
            }
          }
        }
        case CALL -> {
          for (Arm a : arms) {
            if (a.inBody && c.site() >= 0) {
              a.sites.add(c.site());
            }
          }
        }
        default -> { }
      }
    }
    return out;
  }

  /**
   * Whether {@code ref} outlives a call of the function: a module variable, or an attribute of the
   * method's receiver or of a module-level name (a parameter's or a local's attribute belongs to
   * an object that may be new on every call: guarding it is not first use of the process).
   */
  private static boolean longLived(Ref ref, String receiver) {
    Ref base = ref;
    while (base instanceof Ref.Attr a) {
      base = a.base();
    }
    if (base == ref) {
      return true; // a module variable (READ_GLOBAL / WRITE_GLOBAL)
    }
    return base instanceof Ref.QName
        || (base instanceof Ref.Var v && receiver != null && v.name().equals(receiver));
  }

  /**
   * Marks the sites of a finished arm guarded when it assigns what its condition read, from
   * something other than a constant (a constant is a state transition, not a first use).
   */
  private static Map<Ref, List<Binding>> close(ModuleIr m, FunctionIr f, Arm arm, BitSet out,
      Map<Ref, List<Binding>> assigned) {
    if (arm.sites.isEmpty() || arm.tested.isEmpty() || arm.writes.isEmpty()) {
      return assigned;
    }
    for (Map.Entry<Ref, Integer> w : arm.writes.entrySet()) {
      if (!arm.tested.contains(w.getKey())) {
        continue;
      }
      if (assigned == null) {
        assigned = assignmentsIn(m, f);
      }
      if (!constantAt(assigned.get(w.getKey()), w.getValue())) {
        for (int site : arm.sites) {
          out.set(site);
        }
        return assigned;
      }
    }
    return assigned;
  }

  private static Map<Ref, List<Binding>> assignmentsIn(ModuleIr m, FunctionIr f) {
    Map<Ref, List<Binding>> out = new HashMap<>();
    for (Binding b : m.bindings()) {
      if (b.kind() == Binding.Kind.ASSIGN && f.id().equals(b.scope()) && b.target() != null) {
        out.computeIfAbsent(b.target(), k -> new ArrayList<>()).add(b);
      }
    }
    return out;
  }

  /** Whether the assignment on {@code line} (the write's) stores a constant. */
  private static boolean constantAt(List<Binding> bindings, int line) {
    if (bindings == null) {
      return false;
    }
    for (Binding b : bindings) {
      if (line >= b.line() && line <= b.endLine() && b.value() instanceof Ref.Literal) {
        return true;
      }
    }
    return false;
  }
}
