package dev.loopguard.python.lower;

import dev.loopguard.python.ast.Ast;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** One Python scope found by the pre-pass, with the names bound in it. */
final class Scope {

  enum Kind {
    MODULE,
    CLASS,
    FUNCTION,
    LAMBDA,
    COMPREHENSION
  }

  /** What binds one name in one scope. */
  static final class Binder {
    /** Bound by something other than def, class or import (assignment, parameter, for ...). */
    boolean assigned;
    /** The first import's qualified name. */
    String importTarget;
    /** Imports of different names. */
    boolean importConflict;
    /** The last def or class statement binding the name (its FUNCTION or CLASS scope). */
    Scope lastDef;
  }

  final Kind kind;
  final Scope parent;
  final Ast.Node node;
  /** Position in the IR function list, -1 for comprehensions. */
  final int ordinal;
  final String id;
  final String qualifiedName;
  final String name;
  final Map<String, Binder> names = new HashMap<>();
  Set<String> globals = Set.of();
  Set<String> nonlocals = Set.of();
  /** Contains {@code yield} in its own body. */
  boolean hasYield;

  Scope(Kind kind, Scope parent, Ast.Node node, int ordinal, String id, String qualifiedName,
      String name) {
    this.kind = kind;
    this.parent = parent;
    this.node = node;
    this.ordinal = ordinal;
    this.id = id;
    this.qualifiedName = qualifiedName;
    this.name = name;
  }

  boolean isFunctionLike() {
    return kind == Kind.FUNCTION || kind == Kind.LAMBDA;
  }

  /** The nearest scope that is an IR scope (not a comprehension). */
  Scope irScope() {
    Scope s = this;
    while (s.kind == Kind.COMPREHENSION) {
      s = s.parent;
    }
    return s;
  }

  /** A def directly in a class body. */
  boolean isMethod() {
    return kind == Kind.FUNCTION && parent != null && parent.kind == Kind.CLASS;
  }

  /** Defined inside a function or lambda (at any depth). */
  boolean isNested() {
    for (Scope s = parent; s != null; s = s.parent) {
      if (s.isFunctionLike()) {
        return true;
      }
    }
    return false;
  }

  Binder binder(String n) {
    return names.computeIfAbsent(n, k -> new Binder());
  }

  void declareGlobal(String n) {
    if (globals.isEmpty()) {
      globals = new HashSet<>();
    }
    globals.add(n);
  }

  void declareNonlocal(String n) {
    if (nonlocals.isEmpty()) {
      nonlocals = new HashSet<>();
    }
    nonlocals.add(n);
  }

  @Override
  public String toString() {
    return kind + " " + (id != null ? id : "<comprehension>");
  }
}
