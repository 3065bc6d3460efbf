package dev.loopguard.core.analysis;

/**
 * An abstract value: what a reference may denote at run time, as far as the analysis can tell.
 * Values are map and set keys in the analysis' inner loops, so equals and hashCode are written
 * out (see {@link dev.loopguard.core.ir.Ref}).
 */
public sealed interface Val {
  /** A project function or lambda (bound or unbound). */
  record Func(String id) implements Val {
    @Override
    public boolean equals(Object o) {
      return o == this || o instanceof Func f && f.id.equals(id);
    }

    @Override
    public int hashCode() {
      return id.hashCode() + 1;
    }
  }

  /** A project class object. */
  record Class(String qualifiedName) implements Val {
    @Override
    public boolean equals(Object o) {
      return o == this || o instanceof Class c && c.qualifiedName.equals(qualifiedName);
    }

    @Override
    public int hashCode() {
      return qualifiedName.hashCode() + 2;
    }
  }

  /** A project module: its dotted name and, to tell apart same-named modules, its path. */
  record Module(String name, String path) implements Val {
    @Override
    public boolean equals(Object o) {
      return o == this || o instanceof Module m && m.path.equals(path) && m.name.equals(name);
    }

    @Override
    public int hashCode() {
      return path.hashCode() + 3;
    }
  }

  /** An instance of a class; {@code project} when the class is defined in the scanned tree. */
  record Instance(String type, boolean project) implements Val {
    @Override
    public boolean equals(Object o) {
      return o == this || o instanceof Instance i && i.project == project && i.type.equals(type);
    }

    @Override
    public int hashCode() {
      return type.hashCode() + (project ? 5 : 4);
    }
  }

  /** A named thing outside the project: module, function, class or a member of one. */
  record External(String name) implements Val {
    @Override
    public boolean equals(Object o) {
      return o == this || o instanceof External e && e.name.equals(name);
    }

    @Override
    public int hashCode() {
      return name.hashCode() + 6;
    }
  }

  /** {@code functools.partial(target, ...)} and the like: calling it calls the target. */
  record Partial(Val target) implements Val {
    @Override
    public boolean equals(Object o) {
      return o == this || o instanceof Partial p && p.target.equals(target);
    }

    @Override
    public int hashCode() {
      return target.hashCode() * 31 + 7;
    }
  }

  /** {@code super()} inside a method of a project class: attribute reads skip that class. */
  record Super(String classQName) implements Val {
    @Override
    public boolean equals(Object o) {
      return o == this || o instanceof Super x && x.classQName.equals(classQName);
    }

    @Override
    public int hashCode() {
      return classQName.hashCode() + 8;
    }
  }

  /** A method of a receiver whose type is unknown: known only by its name. */
  record UnknownMember(String name) implements Val {
    @Override
    public boolean equals(Object o) {
      return o == this || o instanceof UnknownMember u && u.name.equals(name);
    }

    @Override
    public int hashCode() {
      return name.hashCode() + 9;
    }
  }
}
