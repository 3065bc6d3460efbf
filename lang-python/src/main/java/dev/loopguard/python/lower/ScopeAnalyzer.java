package dev.loopguard.python.lower;

import dev.loopguard.python.ast.Ast;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pre-pass: builds the scope tree of a module, names every IR scope (qualified name and
 * unique id, in source pre-order) and collects the names each scope binds, following Python's
 * rules (class bodies do not enclose their methods, comprehension targets are local to the
 * comprehension, walrus binds in the enclosing non-comprehension scope, {@code global} and
 * {@code nonlocal} move bindings to their owners).
 */
final class ScopeAnalyzer {

  private static final int ASSIGN = 0;
  private static final int IMPORT = 1;
  private static final int DEF = 2;

  private record Pending(Scope scope, String name, int kind, Object payload) {}

  private final String module;
  private final boolean packageInit;
  private final IdentityHashMap<Ast.Node, Scope> scopeOf = new IdentityHashMap<>();
  private final List<Scope> irScopes = new ArrayList<>();
  private final Map<String, Integer> qnameCounts = new HashMap<>();
  private final List<Pending> pending = new ArrayList<>();

  ScopeAnalyzer(String module, boolean packageInit) {
    this.module = module;
    this.packageInit = packageInit;
  }

  Scopes analyze(Ast.Mod mod) {
    Scope moduleScope = new Scope(Scope.Kind.MODULE, null, mod, 0, module, module, "<module>");
    irScopes.add(moduleScope);
    if (mod != null) {
      scopeOf.put(mod, moduleScope);
      stmts(mod.body(), moduleScope);
    }
    applyPending(moduleScope);
    return new Scopes(module, moduleScope, scopeOf, irScopes);
  }

  // ------------------------------------------------------------------ scope creation

  private Scope newIrScope(Scope.Kind kind, Scope parent, Ast.Node node, String name,
      Ast.Loc loc) {
    Scope owner = parent.irScope();
    String qname;
    if (kind == Scope.Kind.LAMBDA) {
      qname = owner.qualifiedName + ".<lambda@" + loc.line() + ":" + (loc.col() + 1) + ">";
    } else if (owner.kind == Scope.Kind.MODULE || owner.globals.contains(name)) {
      qname = module + "." + name;
    } else if (owner.kind == Scope.Kind.CLASS) {
      qname = owner.qualifiedName + "." + name;
    } else {
      qname = owner.qualifiedName + ".<locals>." + name;
    }
    int n = qnameCounts.merge(qname, 1, Integer::sum);
    String id = n == 1 ? qname : qname + "#" + n;
    Scope s = new Scope(kind, parent, node, irScopes.size(), id, qname,
        kind == Scope.Kind.LAMBDA ? "<lambda>" : name);
    irScopes.add(s);
    scopeOf.put(node, s);
    return s;
  }

  private Scope newComprehension(Scope parent, Ast.Node node) {
    Scope s = new Scope(Scope.Kind.COMPREHENSION, parent, node, -1, null, null, null);
    scopeOf.put(node, s);
    return s;
  }

  // ------------------------------------------------------------------ bindings

  private void bind(Scope s, String name, int kind, Object payload) {
    if (name != null) {
      pending.add(new Pending(s, name, kind, payload));
    }
  }

  /** Applies bindings once every global/nonlocal declaration is known. */
  private void applyPending(Scope moduleScope) {
    List<Pending> nonlocal = new ArrayList<>();
    for (Pending p : pending) {
      Scope s = p.scope();
      if (s.kind != Scope.Kind.MODULE && s.globals.contains(p.name())) {
        apply(moduleScope, p);
      } else if (s.kind != Scope.Kind.MODULE && s.nonlocals.contains(p.name())) {
        nonlocal.add(p);
      } else {
        apply(s, p);
      }
    }
    for (Pending p : nonlocal) {
      Scope owner = Scopes.nonlocalOwner(p.scope(), p.name());
      apply(owner != null ? owner : p.scope(), p);
    }
    pending.clear();
  }

  private static void apply(Scope s, Pending p) {
    Scope.Binder b = s.binder(p.name());
    switch (p.kind()) {
      case IMPORT -> {
        String target = (String) p.payload();
        if (b.importTarget == null) {
          b.importTarget = target;
        } else if (!b.importTarget.equals(target)) {
          b.importConflict = true;
        }
      }
      case DEF -> b.lastDef = (Scope) p.payload();
      default -> b.assigned = true;
    }
  }

  private void bindTarget(Ast.Expr t, Scope s) {
    if (t instanceof Ast.Name n) {
      bind(s, n.id(), ASSIGN, null);
    } else if (t instanceof Ast.Tuple tu) {
      for (Ast.Expr e : tu.elts()) {
        bindTarget(e, s);
      }
    } else if (t instanceof Ast.ListExpr l) {
      for (Ast.Expr e : l.elts()) {
        bindTarget(e, s);
      }
    } else if (t instanceof Ast.Starred st) {
      bindTarget(st.value(), s);
    } else {
      expr(t, s);
    }
  }

  // ------------------------------------------------------------------ statements

  private void stmts(List<Ast.Stmt> body, Scope s) {
    for (Ast.Stmt st : body) {
      stmt(st, s);
    }
  }

  private void stmt(Ast.Stmt st, Scope s) {
    if (st instanceof Ast.ExprStmt e) {
      expr(e.value(), s);
    } else if (st instanceof Ast.Assign a) {
      for (Ast.Expr t : a.targets()) {
        bindTarget(t, s);
      }
      expr(a.value(), s);
    } else if (st instanceof Ast.FunctionDef f) {
      exprs(f.decorators(), s);
      Scope fs = newIrScope(Scope.Kind.FUNCTION, s, f, f.name(), f.loc());
      arguments(f.args(), s, fs);
      expr(f.returns(), s);
      bind(s, f.name(), DEF, fs);
      stmts(f.body(), fs);
    } else if (st instanceof Ast.ClassDef c) {
      exprs(c.decorators(), s);
      exprs(c.bases(), s);
      for (Ast.Keyword k : c.keywords()) {
        expr(k.value(), s);
      }
      Scope cs = newIrScope(Scope.Kind.CLASS, s, c, c.name(), c.loc());
      bind(s, c.name(), DEF, cs);
      stmts(c.body(), cs);
    } else if (st instanceof Ast.Return r) {
      expr(r.value(), s);
    } else if (st instanceof Ast.If i) {
      // elif chains nest in orelse without bound: walk them iteratively.
      Ast.If cur = i;
      while (true) {
        expr(cur.test(), s);
        stmts(cur.body(), s);
        if (cur.orelse().size() == 1 && cur.orelse().get(0) instanceof Ast.If next) {
          cur = next;
        } else {
          stmts(cur.orelse(), s);
          break;
        }
      }
    } else if (st instanceof Ast.For f) {
      bindTarget(f.target(), s);
      expr(f.iter(), s);
      stmts(f.body(), s);
      stmts(f.orelse(), s);
    } else if (st instanceof Ast.While w) {
      expr(w.test(), s);
      stmts(w.body(), s);
      stmts(w.orelse(), s);
    } else if (st instanceof Ast.With w) {
      for (Ast.WithItem item : w.items()) {
        expr(item.contextExpr(), s);
        if (item.optionalVars() != null) {
          bindTarget(item.optionalVars(), s);
        }
      }
      stmts(w.body(), s);
    } else if (st instanceof Ast.Try t) {
      stmts(t.body(), s);
      for (Ast.ExceptHandler h : t.handlers()) {
        expr(h.type(), s);
        bind(s, h.name(), ASSIGN, null);
        stmts(h.body(), s);
      }
      stmts(t.orelse(), s);
      stmts(t.finalbody(), s);
    } else if (st instanceof Ast.Import im) {
      for (Ast.Alias a : im.names()) {
        if (a.asname() != null) {
          bind(s, a.asname(), IMPORT, a.name());
        } else {
          int dot = a.name().indexOf('.');
          String first = dot < 0 ? a.name() : a.name().substring(0, dot);
          bind(s, first, IMPORT, first);
        }
      }
    } else if (st instanceof Ast.ImportFrom im) {
      if (im.level() == 0 && "__future__".equals(im.module())) {
        return;
      }
      String from = Imports.resolveFrom(module, packageInit, im.level(), im.module());
      for (Ast.Alias a : im.names()) {
        if (!a.name().equals("*")) {
          bind(s, a.asname() != null ? a.asname() : a.name(), IMPORT,
              Imports.join(from, a.name()));
        }
      }
    } else if (st instanceof Ast.AugAssign a) {
      bindTarget(a.target(), s);
      expr(a.value(), s);
    } else if (st instanceof Ast.AnnAssign a) {
      bindTarget(a.target(), s);
      expr(a.annotation(), s);
      expr(a.value(), s);
    } else if (st instanceof Ast.Global g) {
      for (String n : g.names()) {
        s.declareGlobal(n);
      }
    } else if (st instanceof Ast.Nonlocal n) {
      for (String name : n.names()) {
        s.declareNonlocal(name);
      }
    } else if (st instanceof Ast.Delete d) {
      for (Ast.Expr t : d.targets()) {
        bindTarget(t, s);
      }
    } else if (st instanceof Ast.Raise r) {
      expr(r.exc(), s);
      expr(r.cause(), s);
    } else if (st instanceof Ast.Assert a) {
      expr(a.test(), s);
      expr(a.msg(), s);
    } else if (st instanceof Ast.Match m) {
      expr(m.subject(), s);
      for (Ast.MatchCase c : m.cases()) {
        pattern(c.pattern(), s);
        expr(c.guard(), s);
        stmts(c.body(), s);
      }
    } else if (st instanceof Ast.TypeAlias ta) {
      bindTarget(ta.name(), s);
      expr(ta.value(), s);
    }
    // Pass, Break, Continue: nothing.
  }

  private void arguments(Ast.Arguments args, Scope outer, Scope fn) {
    if (args == null) {
      return;
    }
    for (Ast.Arg a : args.posonly()) {
      expr(a.annotation(), outer);
    }
    for (Ast.Arg a : args.args()) {
      expr(a.annotation(), outer);
    }
    exprs(args.defaults(), outer);
    if (args.vararg() != null) {
      expr(args.vararg().annotation(), outer);
    }
    for (Ast.Arg a : args.kwonly()) {
      expr(a.annotation(), outer);
    }
    for (Ast.Expr d : args.kwDefaults()) {
      expr(d, outer);
    }
    if (args.kwarg() != null) {
      expr(args.kwarg().annotation(), outer);
    }
    bindParams(args, fn);
  }

  private void bindParams(Ast.Arguments args, Scope fn) {
    for (Ast.Arg a : args.posonly()) {
      bind(fn, a.name(), ASSIGN, null);
    }
    for (Ast.Arg a : args.args()) {
      bind(fn, a.name(), ASSIGN, null);
    }
    if (args.vararg() != null) {
      bind(fn, args.vararg().name(), ASSIGN, null);
    }
    for (Ast.Arg a : args.kwonly()) {
      bind(fn, a.name(), ASSIGN, null);
    }
    if (args.kwarg() != null) {
      bind(fn, args.kwarg().name(), ASSIGN, null);
    }
  }

  private void pattern(Ast.Pattern p, Scope s) {
    if (p == null) {
      return;
    }
    if (p instanceof Ast.MatchAs m) {
      pattern(m.pattern(), s);
      bind(s, m.name(), ASSIGN, null);
    } else if (p instanceof Ast.MatchStar m) {
      bind(s, m.name(), ASSIGN, null);
    } else if (p instanceof Ast.MatchValue m) {
      expr(m.value(), s);
    } else if (p instanceof Ast.MatchSequence m) {
      for (Ast.Pattern q : m.patterns()) {
        pattern(q, s);
      }
    } else if (p instanceof Ast.MatchMapping m) {
      exprs(m.keys(), s);
      for (Ast.Pattern q : m.patterns()) {
        pattern(q, s);
      }
      bind(s, m.rest(), ASSIGN, null);
    } else if (p instanceof Ast.MatchClass m) {
      expr(m.cls(), s);
      for (Ast.Pattern q : m.patterns()) {
        pattern(q, s);
      }
      for (Ast.Pattern q : m.kwdPatterns()) {
        pattern(q, s);
      }
    } else if (p instanceof Ast.MatchOr m) {
      for (Ast.Pattern q : m.patterns()) {
        pattern(q, s);
      }
    }
  }

  // ------------------------------------------------------------------ expressions

  private void exprs(List<Ast.Expr> es, Scope s) {
    for (Ast.Expr e : es) {
      expr(e, s);
    }
  }

  /**
   * Visits an expression tree with an explicit stack (expression trees may be 1000 levels high):
   * creates lambda and comprehension scopes, binds walrus and comprehension targets, notes
   * {@code yield}. Children are visited in source order.
   */
  private void expr(Ast.Expr root, Scope scope) {
    if (root == null || root instanceof Ast.Name || root instanceof Ast.Constant) {
      return;
    }
    ArrayDeque<Object> stack = new ArrayDeque<>();
    stack.push(root);
    stack.push(scope);
    ArrayList<Ast.Expr> kids = new ArrayList<>();
    ArrayList<Scope> kidScopes = new ArrayList<>();
    while (!stack.isEmpty()) {
      Scope s = (Scope) stack.pop();
      Ast.Expr e = (Ast.Expr) stack.pop();
      kids.clear();
      kidScopes.clear();
      children(e, s, kids, kidScopes);
      for (int i = kids.size() - 1; i >= 0; i--) {
        Ast.Expr k = kids.get(i);
        if (k != null && !(k instanceof Ast.Name) && !(k instanceof Ast.Constant)) {
          stack.push(k);
          stack.push(kidScopes.get(i));
        }
      }
    }
  }

  /** Does what {@code e} itself binds or creates, and lists its children with their scopes. */
  private void children(Ast.Expr e, Scope s, List<Ast.Expr> out, List<Scope> scopes) {
    if (e instanceof Ast.Attribute a) {
      add(out, scopes, a.value(), s);
    } else if (e instanceof Ast.Call c) {
      add(out, scopes, c.func(), s);
      for (Ast.Expr x : c.args()) {
        add(out, scopes, x, s);
      }
      for (Ast.Keyword k : c.keywords()) {
        add(out, scopes, k.value(), s);
      }
    } else if (e instanceof Ast.BinOp b) {
      add(out, scopes, b.left(), s);
      add(out, scopes, b.right(), s);
    } else if (e instanceof Ast.Subscript sub) {
      add(out, scopes, sub.value(), s);
      add(out, scopes, sub.slice(), s);
    } else if (e instanceof Ast.Await a) {
      add(out, scopes, a.value(), s);
    } else if (e instanceof Ast.Tuple t) {
      addAll(out, scopes, t.elts(), s);
    } else if (e instanceof Ast.ListExpr l) {
      addAll(out, scopes, l.elts(), s);
    } else if (e instanceof Ast.Dict d) {
      for (int i = 0; i < d.values().size(); i++) {
        add(out, scopes, i < d.keys().size() ? d.keys().get(i) : null, s);
        add(out, scopes, d.values().get(i), s);
      }
    } else if (e instanceof Ast.SetExpr se) {
      addAll(out, scopes, se.elts(), s);
    } else if (e instanceof Ast.JoinedStr j) {
      addAll(out, scopes, j.values(), s);
    } else if (e instanceof Ast.FormattedValue f) {
      add(out, scopes, f.value(), s);
      add(out, scopes, f.formatSpec(), s);
    } else if (e instanceof Ast.BoolOp b) {
      addAll(out, scopes, b.values(), s);
    } else if (e instanceof Ast.Compare c) {
      add(out, scopes, c.left(), s);
      addAll(out, scopes, c.comparators(), s);
    } else if (e instanceof Ast.UnaryOp u) {
      add(out, scopes, u.operand(), s);
    } else if (e instanceof Ast.IfExp i) {
      add(out, scopes, i.body(), s);
      add(out, scopes, i.test(), s);
      add(out, scopes, i.orelse(), s);
    } else if (e instanceof Ast.Lambda l) {
      Scope ls = newIrScope(Scope.Kind.LAMBDA, s, l, "<lambda>", l.loc());
      Ast.Arguments args = l.args();
      if (args != null) {
        // Defaults are evaluated in the enclosing scope; lambdas have no annotations.
        addAll(out, scopes, args.defaults(), s);
        for (Ast.Expr d : args.kwDefaults()) {
          add(out, scopes, d, s);
        }
        bindParams(args, ls);
      }
      add(out, scopes, l.body(), ls);
    } else if (e instanceof Ast.NamedExpr n) {
      if (n.target() instanceof Ast.Name name) {
        bind(s.irScope(), name.id(), ASSIGN, null);
      } else {
        add(out, scopes, n.target(), s);
      }
      add(out, scopes, n.value(), s);
    } else if (e instanceof Ast.ListComp c) {
      comprehension(c, List.of(c.elt()), c.generators(), s, out, scopes);
    } else if (e instanceof Ast.GeneratorExp c) {
      comprehension(c, List.of(c.elt()), c.generators(), s, out, scopes);
    } else if (e instanceof Ast.SetComp c) {
      comprehension(c, List.of(c.elt()), c.generators(), s, out, scopes);
    } else if (e instanceof Ast.DictComp c) {
      comprehension(c, List.of(c.key(), c.value()), c.generators(), s, out, scopes);
    } else if (e instanceof Ast.Yield y) {
      s.irScope().hasYield = true;
      add(out, scopes, y.value(), s);
    } else if (e instanceof Ast.YieldFrom y) {
      s.irScope().hasYield = true;
      add(out, scopes, y.value(), s);
    } else if (e instanceof Ast.Starred st) {
      add(out, scopes, st.value(), s);
    } else if (e instanceof Ast.Slice sl) {
      add(out, scopes, sl.lower(), s);
      add(out, scopes, sl.upper(), s);
      add(out, scopes, sl.step(), s);
    }
  }

  private static void add(List<Ast.Expr> out, List<Scope> scopes, Ast.Expr e, Scope s) {
    out.add(e);
    scopes.add(s);
  }

  private static void addAll(List<Ast.Expr> out, List<Scope> scopes, List<Ast.Expr> es,
      Scope s) {
    for (Ast.Expr e : es) {
      add(out, scopes, e, s);
    }
  }

  /**
   * Source order: the element(s), then each generator. The first iterable is evaluated in the
   * enclosing scope; targets are bound in the comprehension's own scope.
   */
  private void comprehension(Ast.Expr node, List<Ast.Expr> elts, List<Ast.Comprehension> gens,
      Scope s, List<Ast.Expr> out, List<Scope> scopes) {
    Scope cs = newComprehension(s, node);
    addAll(out, scopes, elts, cs);
    for (int i = 0; i < gens.size(); i++) {
      Ast.Comprehension g = gens.get(i);
      bindTarget(g.target(), cs);
      add(out, scopes, g.iter(), i == 0 ? s : cs);
      addAll(out, scopes, g.ifs(), cs);
    }
  }
}
