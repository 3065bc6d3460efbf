package dev.loopguard.core.analysis;

/** An abstract value: what a reference may denote at run time, as far as the analysis can tell. */
public sealed interface Val {
  /** A project function or lambda (bound or unbound). */
  record Func(String id) implements Val {}

  /** A project class object. */
  record Class(String qualifiedName) implements Val {}

  /** A project module: its dotted name and, to tell apart same-named modules, its path. */
  record Module(String name, String path) implements Val {}

  /** An instance of a class; {@code project} when the class is defined in the scanned tree. */
  record Instance(String type, boolean project) implements Val {}

  /** A named thing outside the project: module, function, class or a member of one. */
  record External(String name) implements Val {}

  /** {@code functools.partial(target, ...)} and the like: calling it calls the target. */
  record Partial(Val target) implements Val {}

  /** {@code super()} inside a method of a project class: attribute reads skip that class. */
  record Super(String classQName) implements Val {}

  /** A method of a receiver whose type is unknown: known only by its name. */
  record UnknownMember(String name) implements Val {}
}
