package dev.loopguard.core.diff.review;

import dev.loopguard.core.ir.CallSite;
import dev.loopguard.core.ir.FunctionIr;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.ir.Ref;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A function the change adds, modifies or removes, matched between base and head by its id (the
 * qualified name). A function is modified when a changed line falls in its definition (its
 * decorators included, as far as they are calls) or its signature (async, decorators,
 * parameters) changed. Lambdas count as part of the function that holds them.
 *
 * @param kind added, modified or removed
 * @param path the file (head side; base side for removed functions)
 * @param id function id
 * @param function qualified name
 * @param line line of the definition's name (head side; base side for removed functions)
 * @param async an async function
 */
public record FunctionChange(Kind kind, String path, String id, String function, int line, boolean async) {

  public enum Kind {
    ADDED,
    MODIFIED,
    REMOVED;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * The function changes in one file. {@code base} or {@code head} is null when the file is absent
   * on that side; {@code headIncomplete} (the head file could not be read whole) keeps functions
   * missing from the head from counting as removed.
   */
  public static List<FunctionChange> of(ModuleIr base, ModuleIr head, LineChanges lines, boolean headIncomplete) {
    Map<String, FunctionIr> before = functions(base);
    Map<String, FunctionIr> after = functions(head);
    List<FunctionChange> out = new ArrayList<>();
    for (FunctionIr f : after.values()) {
      FunctionIr old = before.get(f.id());
      Kind kind = null;
      if (old == null) {
        kind = Kind.ADDED;
      } else if (touches(head, f, lines, false) || touches(base, old, lines, true)
          || !signature(base, old).equals(signature(head, f))) {
        kind = Kind.MODIFIED;
      }
      if (kind != null) {
        out.add(new FunctionChange(kind, head.path(), f.id(), f.qualifiedName(), f.nameSpan().line(), f.async()));
      }
    }
    if (!headIncomplete) {
      for (FunctionIr f : before.values()) {
        if (!after.containsKey(f.id())) {
          out.add(new FunctionChange(Kind.REMOVED, base.path(), f.id(), f.qualifiedName(),
              f.nameSpan().line(), f.async()));
        }
      }
    }
    return out;
  }

  private static Map<String, FunctionIr> functions(ModuleIr m) {
    Map<String, FunctionIr> out = new LinkedHashMap<>();
    if (m != null) {
      for (FunctionIr f : m.functions()) {
        if (f.kind() == FunctionIr.Kind.FUNCTION) {
          out.putIfAbsent(f.id(), f);
        }
      }
    }
    return out;
  }

  private static boolean touches(ModuleIr m, FunctionIr f, LineChanges lines, boolean baseSide) {
    int from = f.span().line();
    for (Ref d : f.decorators()) {
      if (d instanceof Ref.Call c && c.site() >= 0 && c.site() < m.calls().size()) {
        from = Math.min(from, m.calls().get(c.site()).span().line());
      }
    }
    int to = f.span().endLine();
    return baseSide ? lines.baseTouches(from, to) : lines.headTouches(from, to);
  }

  /** What callers and frameworks see of a function: async, decorators, parameters. */
  static String signature(ModuleIr m, FunctionIr f) {
    StringBuilder sb = new StringBuilder(f.async() ? "async " : "");
    for (Ref d : f.decorators()) {
      sb.append('@').append(render(m, d)).append(' ');
    }
    sb.append('(');
    for (FunctionIr.Param p : f.params()) {
      sb.append(p.kind()).append(' ').append(p.name()).append(',');
    }
    return sb.append(')').toString();
  }

  private static String render(ModuleIr m, Ref r) {
    if (r instanceof Ref.Call c && c.site() >= 0 && c.site() < m.calls().size()) {
      CallSite cs = m.calls().get(c.site());
      StringBuilder sb = new StringBuilder(cs.calleeText()).append('(');
      cs.args().forEach(a -> sb.append(a.keyword() == null ? "" : a.keyword() + "=").append(a.text()).append(','));
      return sb.append(')').toString();
    }
    return String.valueOf(r);
  }
}
