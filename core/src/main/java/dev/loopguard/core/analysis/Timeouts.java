package dev.loopguard.core.analysis;

import dev.loopguard.core.ir.Arg;
import dev.loopguard.core.ir.CallSite;
import dev.loopguard.core.ir.Ref;
import dev.loopguard.core.knowledge.Fact;

/**
 * The timeout of an outbound call as its fact describes it: the argument that carries it (by
 * {@code timeout-keyword}, or at {@code timeout-arg} when passed positionally) and what applies
 * without one ({@code default-timeout}). Rule-neutral: the blocking rule shows it as an attribute,
 * the timeout rule judges it.
 */
public final class Timeouts {
  private Timeouts() {}

  /** The argument of {@code site} that carries the timeout per {@code fact}, or null. */
  public static Arg argument(CallSite site, Fact fact) {
    Arg a = site.keyword(fact.timeoutKeywordOrDefault());
    if (a == null && fact.timeoutArg() != null) {
      a = site.arg(fact.timeoutArg());
    }
    return a;
  }

  /**
   * Whether the call unpacks arguments ({@code **options}, or {@code *args} when the timeout may
   * be positional) that may carry the timeout unseen.
   */
  public static boolean mayCarryUnseen(CallSite site, Fact fact) {
    for (Arg x : site.args()) {
      if ("**".equals(x.keyword()) || ("*".equals(x.keyword()) && fact.timeoutArg() != null)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code a} is the literal that means "no timeout" (the language's null). */
  public static boolean isNone(Arg a) {
    return a != null && a.value() instanceof Ref.Literal lit && lit.kind() == Ref.LiteralKind.NONE;
  }

  /**
   * The timeout of a call, for reports: {@code 15s} (a number of seconds), {@code none} (none
   * passed, or passed as null, where the library has none by default), {@code default} (the
   * library's own), {@code unknown} (options unpacked) or the expression's text.
   */
  public static String describe(CallSite site, Fact fact) {
    Arg a = argument(site, fact);
    if (a == null) {
      if (mayCarryUnseen(site, fact)) {
        return "unknown";
      }
      return "none".equals(fact.defaultTimeout()) ? "none" : "default";
    }
    if (a.value() instanceof Ref.Literal lit) {
      switch (lit.kind()) {
        case NONE:
          return "none";
        case NUMBER:
          return trimNumber(lit.text()) + "s";
        default:
          break;
      }
    }
    return a.text() != null ? a.text() : "given";
  }

  private static String trimNumber(String n) {
    String s = n.replace("_", "");
    if (s.endsWith(".0")) {
      s = s.substring(0, s.length() - 2);
    }
    return s;
  }
}
