package dev.loopguard.core.report;

import dev.loopguard.core.result.ModuleSource;
import dev.loopguard.core.result.ScanResult;
import dev.loopguard.core.ir.Binding;
import dev.loopguard.core.ir.CallSite;
import dev.loopguard.core.ir.FunctionIr;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.ir.Ref;
import dev.loopguard.core.model.ChainHop;
import dev.loopguard.core.model.Finding;

/**
 * Finds the IR call behind a finding's hop, for details that findings do not carry: whether the
 * call runs in a loop, and how the client object it calls a method on was obtained.
 */
public final class CallSites {
  /** How a call reaches its client. */
  public enum ClientKind {
    /** A module-level function of the library: no client object is kept between calls. */
    MODULE_FUNCTION("module-level function, no shared client"),
    /** The client is constructed in the calling function (or inline) on every call. */
    NEW_PER_CALL("new client per call"),
    /** The client is kept in a module-level name or an attribute and reused. */
    REUSED("reused client"),
    /** The client is a parameter of the calling function. */
    PASSED_IN("client passed in"),
    /** loopguard cannot tell. */
    UNKNOWN("unknown");

    private final String label;

    ClientKind(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  private final ModuleSource modules;

  public CallSites(ScanResult result) {
    this.modules = result.modules();
  }

  public ModuleIr module(String path) {
    return modules.module(path);
  }

  /** The call the hop stands for, or null. */
  public CallSite at(ChainHop hop) {
    ModuleIr m = modules.module(hop.path());
    if (m == null) {
      return null;
    }
    String last = lastSegment(hop.call());
    CallSite best = null;
    for (CallSite cs : m.calls()) {
      if (cs.span().line() != hop.line() || cs.span().column() != hop.column()) {
        continue;
      }
      if (lastSegment(cs.calleeText()).equals(last)) {
        return cs;
      }
      if (best == null || longer(cs, best)) {
        best = cs;
      }
    }
    return best;
  }

  /** Whether the finding's call in the event-loop function stands in a loop. */
  public boolean inLoop(Finding f) {
    CallSite cs = f.chain().isEmpty() ? null : at(f.chain().get(0));
    return cs != null && cs.loopDepth() > 0;
  }

  /**
   * How the call in {@code hop} (a call of {@code api}) reaches its client. Only meaningful for
   * APIs of client libraries.
   */
  public ClientKind clientKind(ChainHop hop, String api) {
    CallSite cs = at(hop);
    ModuleIr m = modules.module(hop.path());
    if (cs == null || m == null) {
      return ClientKind.UNKNOWN;
    }
    return clientKind(m, cs, api);
  }

  /** As {@link #clientKind(ChainHop, String)} for a known call. */
  public static ClientKind clientKind(ModuleIr m, CallSite cs, String api) {
    if (clientOf(api) == null) {
      return ClientKind.MODULE_FUNCTION;
    }
    if (!(cs.callee() instanceof Ref.Attr attr)) {
      return ClientKind.UNKNOWN;
    }
    return origin(m, cs.scope(), attr.base(), 0);
  }

  private static ClientKind origin(ModuleIr m, String scope, Ref base, int depth) {
    if (depth > 4) {
      return ClientKind.UNKNOWN;
    }
    if (base instanceof Ref.Call c) {
      return constructs(m, c) ? ClientKind.NEW_PER_CALL : ClientKind.UNKNOWN;
    }
    if (base instanceof Ref.QName || base instanceof Ref.Attr) {
      return ClientKind.REUSED;
    }
    if (base instanceof Ref.Var v) {
      if (v.scope().equals(m.moduleScope().id())) {
        return ClientKind.REUSED;
      }
      ClientKind found = null;
      for (Binding b : m.bindings()) {
        if (b.target() instanceof Ref.Var t && t.scope().equals(v.scope()) && t.name().equals(v.name())
            && (b.kind() == Binding.Kind.ASSIGN || b.kind() == Binding.Kind.WITH)) {
          ClientKind k = origin(m, scope, b.value(), depth + 1);
          if (found == null || k == ClientKind.NEW_PER_CALL) {
            found = k;
          }
        }
      }
      if (found != null) {
        return found;
      }
      for (FunctionIr f : m.functions()) {
        if (f.id().equals(v.scope()) && f.params().stream().anyMatch(p -> p.name().equals(v.name()))) {
          return ClientKind.PASSED_IN;
        }
      }
    }
    return ClientKind.UNKNOWN;
  }

  /** A call of a class (a constructor): its callee's last name starts with a capital letter. */
  private static boolean constructs(ModuleIr m, Ref.Call c) {
    if (c.site() < 0 || c.site() >= m.calls().size()) {
      return false;
    }
    String name = lastSegment(m.calls().get(c.site()).calleeText());
    return !name.isEmpty() && Character.isUpperCase(name.charAt(0));
  }

  /**
   * The client class of a method API ({@code httpx.AsyncClient} for {@code
   * httpx.AsyncClient.get}), or null for a module-level function.
   */
  public static String clientOf(String api) {
    if (api == null) {
      return null;
    }
    int dot = api.lastIndexOf('.');
    if (dot <= 0) {
      return null;
    }
    String owner = api.substring(0, dot);
    String cls = lastSegment(owner);
    return !cls.isEmpty() && Character.isUpperCase(cls.charAt(0)) ? owner : null;
  }

  private static boolean longer(CallSite a, CallSite b) {
    return a.span().endLine() > b.span().endLine()
        || (a.span().endLine() == b.span().endLine() && a.span().endColumn() > b.span().endColumn());
  }

  static String lastSegment(String name) {
    if (name == null) {
      return "";
    }
    String n = name.endsWith("()") ? name.substring(0, name.length() - 2) : name;
    int dot = n.lastIndexOf('.');
    return dot < 0 ? n : n.substring(dot + 1);
  }
}
