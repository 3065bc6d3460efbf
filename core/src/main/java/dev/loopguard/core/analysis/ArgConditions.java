package dev.loopguard.core.analysis;

import dev.loopguard.core.ir.Arg;
import dev.loopguard.core.ir.Binding;
import dev.loopguard.core.ir.CallSite;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.ir.Ref;
import dev.loopguard.core.knowledge.Fact;
import java.math.BigDecimal;
import java.util.List;

/**
 * Evaluates a fact's argument conditions ({@code non-blocking-if}, {@code sync-handler-if})
 * against a call's arguments.
 *
 * <p>An {@code instance-of} condition holds when the argument is made by a call of one of the
 * types ({@code Image.open(io.BytesIO(data))}), or is a variable every binding of which is such a
 * call or an annotation naming one of the types. It reads only call targets already resolved and
 * the project's bindings, so it may run on several threads at once.
 */
public final class ArgConditions {
  // Variables bound to variables: a few hops are plenty, and cycles end.
  private static final int MAX_HOPS = 4;

  private final Project project;
  private final CallGraph graph;

  ArgConditions(Project project, CallGraph graph) {
    this.project = project;
    this.graph = graph;
  }

  /** Whether the arguments of {@code cs} (a call in {@code m}) make the call non-blocking per {@code fact}. */
  public boolean nonBlocking(Fact fact, ModuleIr m, CallSite cs) {
    for (Fact.ArgCondition c : fact.nonBlockingIf()) {
      if (holds(c, m, cs)) {
        return true;
      }
    }
    return false;
  }

  /**
   * How a plain handler registered by {@code cs} (a decorator or registration call in {@code m},
   * or null when the handler is matched by name) runs: the first {@code sync-handler-if}
   * condition that holds decides, else the fact's {@code sync-handler}.
   */
  public String syncHandler(Fact fact, ModuleIr m, CallSite cs) {
    if (cs != null) {
      for (Fact.ArgCondition c : fact.syncHandlerIf()) {
        if (holds(c, m, cs)) {
          return c.syncHandler();
        }
      }
    }
    return fact.syncHandler();
  }

  private boolean holds(Fact.ArgCondition c, ModuleIr m, CallSite cs) {
    Arg a = c.keyword() != null ? cs.keyword(c.keyword()) : null;
    if (a == null && c.position() != null) {
      a = cs.arg(c.position());
    }
    if (a == null) {
      return false;
    }
    return equalsOne(a.value(), c.values()) || instanceOf(a.value(), m, c.types(), 0);
  }

  private static boolean equalsOne(Ref v, List<String> values) {
    for (String want : values) {
      if (v instanceof Ref.QName q && q.name().equals(want)) {
        return true;
      }
      if (v instanceof Ref.Literal lit) {
        if (lit.text().equals(want)) {
          return true;
        }
        if (lit.kind() == Ref.LiteralKind.NUMBER && sameNumber(lit.text(), want)) {
          return true;
        }
      }
    }
    return false;
  }

  private boolean instanceOf(Ref v, ModuleIr m, List<String> types, int hops) {
    if (types.isEmpty() || hops > MAX_HOPS || m == null) {
      return false;
    }
    if (v instanceof Ref.Call c) {
      if (c.site() < 0 || c.site() >= m.calls().size()) {
        return false;
      }
      for (Target t : graph.targets(m, m.calls().get(c.site()))) {
        if (t instanceof Target.Api api && types.contains(api.name())) {
          return true;
        }
      }
      return false;
    }
    if (v instanceof Ref.Var var) {
      List<Binding> bindings = project.bindingsOf(var.scope(), var.name());
      if (bindings.isEmpty()) {
        return false;
      }
      for (Binding b : bindings) {
        ModuleIr bm = project.moduleOf(b);
        boolean ok = switch (b.kind()) {
          case ASSIGN, WITH -> instanceOf(b.value(), bm != null ? bm : m, types, hops + 1);
          case ANNOTATION -> b.value() instanceof Ref.QName q && types.contains(q.name());
          default -> false;
        };
        if (!ok) {
          return false;
        }
      }
      return true;
    }
    return false;
  }

  private static boolean sameNumber(String a, String b) {
    try {
      return new BigDecimal(a.replace("_", "")).compareTo(new BigDecimal(b)) == 0;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
