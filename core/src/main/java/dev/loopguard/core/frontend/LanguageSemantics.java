package dev.loopguard.core.frontend;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the semantic model must know of a language to resolve calls and reason about APIs, and
 * nothing of its syntax: which member a constructor call runs, which member calling an instance
 * runs, how a class's ancestors are ordered for member lookup, which members statements and
 * operators call implicitly, and how a library names the async twin of a sync method.
 */
public interface LanguageSemantics {

  /** The member a call of a class runs to initialise the instance, or null when none. */
  String constructorMember();

  /** The member that calling an instance runs, or null when instances cannot be called. */
  String callOperatorMember();

  /**
   * Whether {@code member} is one that statements and operators call without naming it (so a
   * wildcard fact about a class should not match it), as opposed to one a call names.
   */
  boolean isImplicitMember(String member);

  /**
   * Whether {@code member} is a name the language reserves for members it gives a meaning of its
   * own (constructors, operators, item access): not a name a user would declare as an API.
   */
  boolean isReservedMember(String member);

  /**
   * The order in which member lookup visits {@code self} and its ancestors, given the lookup
   * order of each of its direct bases, in declaration order.
   */
  <T> List<T> linearise(T self, List<List<T>> bases);

  /**
   * The names under which a library would offer the async twin of {@code method} of class
   * {@code cls} (qualified {@code owner}, in package {@code prefix}, which ends with a dot or is
   * empty), most likely first; empty when the language has no such convention.
   */
  List<String> asyncTwinNames(String owner, String prefix, String cls, String method);

  /**
   * Semantics for a language with no conventions of its own: no constructor or call members,
   * depth-first linearisation, no implicit members, no twin names.
   */
  LanguageSemantics NONE = new LanguageSemantics() {
    @Override
    public String constructorMember() {
      return null;
    }

    @Override
    public String callOperatorMember() {
      return null;
    }

    @Override
    public boolean isImplicitMember(String member) {
      return false;
    }

    @Override
    public boolean isReservedMember(String member) {
      return false;
    }

    @Override
    public <T> List<T> linearise(T self, List<List<T>> bases) {
      return depthFirst(self, bases);
    }

    @Override
    public List<String> asyncTwinNames(String owner, String prefix, String cls, String method) {
      return List.of();
    }
  };

  /** {@code self}, then each base's order in turn, each ancestor at its first place. */
  static <T> List<T> depthFirst(T self, List<List<T>> bases) {
    Set<T> out = new LinkedHashSet<>();
    out.add(self);
    for (List<T> b : bases) {
      out.addAll(b);
    }
    return List.copyOf(new ArrayList<>(out));
  }
}
