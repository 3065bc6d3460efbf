package dev.loopguard.python.lower;

import dev.loopguard.core.ir.Ref;
import dev.loopguard.python.ast.Ast;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * The result of the pre-pass and name resolution over it.
 *
 * <p>A name read in scope S resolves to:
 *
 * <ul>
 *   <li>a local of S or of an enclosing function ({@code Var(owner, name)}), except that a name
 *       bound in its owner only by {@code def}/{@code class} statements is the last such
 *       definition ({@code Func(id)} for a def in a function, else {@code QName(qualified
 *       name)}), and a name bound only by imports of one qualified name is that {@code QName};
 *   <li>a name owned by a comprehension: {@code Unknown(name)} (comprehension variables have no
 *       IR scope and no bindings);
 *   <li>a module-level name: the import's {@code QName} if any import binds it, else the def or
 *       class {@code QName(module.name)}, else {@code Var(module, name)};
 *   <li>a builtin: {@code QName(builtins.name)}; otherwise {@code Unknown(name)}.
 * </ul>
 */
final class Scopes {
  final String module;
  final Scope moduleScope;
  private final IdentityHashMap<Ast.Node, Scope> scopeOf;
  final List<Scope> irScopes;
  /** The module's shared strings (see {@link StringTable}); lowering uses the same table. */
  final StringTable strings = new StringTable();

  Scopes(String module, Scope moduleScope, IdentityHashMap<Ast.Node, Scope> scopeOf,
      List<Scope> irScopes) {
    this.module = module;
    this.moduleScope = moduleScope;
    this.scopeOf = scopeOf;
    this.irScopes = irScopes;
  }

  Scope of(Ast.Node node) {
    return scopeOf.get(node);
  }

  // ------------------------------------------------------------------ loads

  Ref resolve(Scope s, String name) {
    if (s.kind == Scope.Kind.MODULE) {
      return moduleLevel(name);
    }
    if (s.globals.contains(name)) {
      return moduleLevel(name);
    }
    if (s.nonlocals.contains(name)) {
      return enclosing(s.parent, name);
    }
    if (s.names.containsKey(name)) {
      return owned(s, name);
    }
    return enclosing(s.parent, name);
  }

  /** Free-variable lookup from {@code start} outwards; class bodies are skipped. */
  private Ref enclosing(Scope start, String name) {
    for (Scope s = start; s != null; s = s.parent) {
      if (s.kind == Scope.Kind.CLASS) {
        continue;
      }
      if (s.kind == Scope.Kind.MODULE || s.globals.contains(name)) {
        return moduleLevel(name);
      }
      if (s.nonlocals.contains(name)) {
        continue;
      }
      if (s.names.containsKey(name)) {
        return owned(s, name);
      }
    }
    return moduleLevel(name);
  }

  private Ref owned(Scope s, String name) {
    if (s.kind == Scope.Kind.MODULE) {
      return moduleLevel(name);
    }
    if (s.kind == Scope.Kind.COMPREHENSION) {
      return strings.ref(new Ref.Unknown(name));
    }
    Scope.Binder b = s.names.get(name);
    if (!b.assigned && b.importTarget == null && b.lastDef != null) {
      Scope d = b.lastDef;
      if (d.kind == Scope.Kind.FUNCTION && s.isFunctionLike()) {
        return new Ref.Func(d.id);
      }
      return strings.ref(new Ref.QName(d.qualifiedName));
    }
    if (!b.assigned && b.lastDef == null && b.importTarget != null && !b.importConflict) {
      return strings.ref(new Ref.QName(b.importTarget));
    }
    return strings.ref(new Ref.Var(s.id, name));
  }

  Ref moduleLevel(String name) {
    Scope.Binder b = moduleScope.names.get(name);
    if (b == null) {
      return strings.ref(Builtins.NAMES.contains(name)
          ? new Ref.QName(strings.of("builtins." + name))
          : new Ref.Unknown(name));
    }
    if (b.importTarget != null) {
      return strings.ref(new Ref.QName(b.importTarget));
    }
    if (b.lastDef != null) {
      return strings.ref(new Ref.QName(strings.of(module + "." + name)));
    }
    return strings.ref(new Ref.Var(moduleScope.id, name));
  }

  // ------------------------------------------------------------------ stores

  /** The variable a store to {@code name} in scope {@code s} writes. */
  Ref.Var store(Scope s, String name) {
    Scope ir = s.irScope();
    if (ir.kind == Scope.Kind.MODULE || ir.globals.contains(name)) {
      return strings.ref(new Ref.Var(moduleScope.id, name));
    }
    if (ir.nonlocals.contains(name)) {
      Scope owner = nonlocalOwner(ir, name);
      if (owner != null) {
        return strings.ref(new Ref.Var(owner.id, name));
      }
    }
    return strings.ref(new Ref.Var(ir.id, name));
  }

  /** The function scope that owns a name declared nonlocal in {@code s}, or null. */
  static Scope nonlocalOwner(Scope s, String name) {
    for (Scope p = s.parent; p != null; p = p.parent) {
      if (p.kind == Scope.Kind.CLASS || p.kind == Scope.Kind.COMPREHENSION) {
        continue;
      }
      if (p.kind == Scope.Kind.MODULE) {
        return null;
      }
      if (p.nonlocals.contains(name)) {
        continue;
      }
      if (p.names.containsKey(name)) {
        return p;
      }
    }
    return null;
  }

  /** The class scope enclosing a method (through comprehensions), or null. */
  static Scope methodClass(Scope s) {
    Scope fn = s.irScope();
    return fn.isMethod() ? fn.parent : null;
  }
}
