package dev.loopguard.python;

import dev.loopguard.core.frontend.LanguageSemantics;
import java.util.List;
import java.util.Set;

/**
 * Python's semantics as the semantic model needs them: {@code Cls(...)} runs {@code __init__},
 * calling an instance runs {@code __call__}, member lookup follows the bases depth first (each
 * class at its first place, close to the C3 order for the hierarchies applications use), special
 * methods ({@code __enter__}, {@code __truediv__}, ...) are called by statements and operators,
 * and libraries name the async twin of {@code Cls.m} {@code Cls.am}, {@code Cls.async_m} or
 * {@code AsyncCls.m}.
 */
public final class PythonSemantics implements LanguageSemantics {
  /** Special methods that a call expression names, so facts may match them by wildcard. */
  private static final Set<String> CALLED_BY_NAME = Set.of("__call__", "__init__", "__new__");

  @Override
  public String constructorMember() {
    return "__init__";
  }

  @Override
  public String callOperatorMember() {
    return "__call__";
  }

  @Override
  public boolean isImplicitMember(String member) {
    return member.length() > 4 && member.startsWith("__") && member.endsWith("__")
        && !CALLED_BY_NAME.contains(member);
  }

  /** Every {@code __x__} name: Python reserves them for its own protocols. */
  @Override
  public boolean isReservedMember(String member) {
    return member.length() > 4 && member.startsWith("__") && member.endsWith("__");
  }

  @Override
  public <T> List<T> linearise(T self, List<List<T>> bases) {
    return LanguageSemantics.depthFirst(self, bases);
  }

  @Override
  public List<String> asyncTwinNames(String owner, String prefix, String cls, String method) {
    return List.of(owner + ".a" + method, owner + ".async_" + method, prefix + "Async" + cls + "." + method);
  }
}
