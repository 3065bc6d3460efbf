package dev.loopguard.core.analysis;

import dev.loopguard.core.knowledge.Fact;

/** What a call site may call. */
public sealed interface Target {
  /** A function or method defined in the scanned tree (constructors resolve to {@code __init__}). */
  record ProjectFunction(String id) implements Target {}

  /** An API outside the tree, by qualified name, with the fact known about it (or null). */
  record Api(String name, Fact fact) implements Target {}
}
