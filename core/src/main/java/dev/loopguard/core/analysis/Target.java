package dev.loopguard.core.analysis;

import dev.loopguard.core.knowledge.Fact;

/** What a call site may call. */
public sealed interface Target {
  /** A function or method defined in the scanned tree (constructors resolve to {@code __init__}). */
  record ProjectFunction(String id) implements Target {
    @Override
    public boolean equals(Object o) {
      return o == this || o instanceof ProjectFunction p && p.id.equals(id);
    }

    @Override
    public int hashCode() {
      return id.hashCode();
    }
  }

  /** An API outside the tree, by qualified name, with the fact known about it (or null). */
  record Api(String name, Fact fact) implements Target {
    @Override
    public boolean equals(Object o) {
      return o == this || o instanceof Api a && a.name.equals(name) && a.fact == fact;
    }

    @Override
    public int hashCode() {
      return name.hashCode() * 31 + System.identityHashCode(fact);
    }
  }
}
