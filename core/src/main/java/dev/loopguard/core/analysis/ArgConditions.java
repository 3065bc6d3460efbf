package dev.loopguard.core.analysis;

import dev.loopguard.core.ir.Arg;
import dev.loopguard.core.ir.CallSite;
import dev.loopguard.core.ir.Ref;
import dev.loopguard.core.knowledge.Fact;
import java.math.BigDecimal;

/** Evaluates a fact's {@code non-blocking-if} conditions against a call's arguments. */
public final class ArgConditions {
  private ArgConditions() {}

  /** Whether the arguments of {@code cs} make the call non-blocking per {@code fact}. */
  public static boolean nonBlocking(Fact fact, CallSite cs) {
    for (Fact.ArgCondition c : fact.nonBlockingIf()) {
      Arg a = c.keyword() != null ? cs.keyword(c.keyword()) : null;
      if (a == null && c.position() != null) {
        a = cs.arg(c.position());
      }
      if (a != null && matches(a.value(), c)) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(Ref v, Fact.ArgCondition c) {
    for (String want : c.values()) {
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

  private static boolean sameNumber(String a, String b) {
    try {
      return new BigDecimal(a.replace("_", "")).compareTo(new BigDecimal(b)) == 0;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
