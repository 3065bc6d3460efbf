package dev.loopguard.python.ast;

import dev.loopguard.python.ast.Ast.*;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Iterative (explicit-stack) traversal of {@link Ast} trees: safe for arbitrarily deep trees
 * (long {@code elif} chains, deeply nested expressions) without Java recursion.
 *
 * <p>Children are visited in source order (decorators before the definition's parameters, the
 * body of a conditional expression before its test, call arguments and keywords merged by
 * position, dict keys before their values, ...). {@code null} children are skipped.
 */
public final class AstWalker {
  private AstWalker() {}

  /** Callback for {@link #walk}. */
  public interface Visitor {
    /** Called before the children of {@code node}; return false to skip them. */
    boolean enter(Node node);

    /** Called after the children of {@code node} (also when they were skipped). */
    default void leave(Node node) {}
  }

  /** Pre-order traversal calling {@code action} on every node, {@code root} included. */
  public static void forEach(Node root, Consumer<? super Node> action) {
    Node[] stack = new Node[64];
    int top = 0;
    stack[top++] = root;
    ArrayList<Node> kids = new ArrayList<>();
    while (top > 0) {
      Node n = stack[--top];
      stack[top] = null;
      action.accept(n);
      kids.clear();
      addChildren(n, kids);
      int k = kids.size();
      if (top + k > stack.length) {
        stack = Arrays.copyOf(stack, Math.max(stack.length * 2, top + k));
      }
      for (int i = k - 1; i >= 0; i--) {
        stack[top++] = kids.get(i);
      }
    }
  }

  /** Pre-order traversal with enter/leave callbacks (leave is post-order). */
  public static void walk(Node root, Visitor visitor) {
    Node[] stack = new Node[64];
    boolean[] exit = new boolean[64];
    int top = 0;
    stack[top] = root;
    exit[top++] = false;
    ArrayList<Node> kids = new ArrayList<>();
    while (top > 0) {
      Node n = stack[--top];
      boolean isExit = exit[top];
      stack[top] = null;
      if (isExit) {
        visitor.leave(n);
        continue;
      }
      boolean descend = visitor.enter(n);
      kids.clear();
      if (descend) {
        addChildren(n, kids);
      }
      int k = kids.size();
      if (top + k + 1 > stack.length) {
        int cap = Math.max(stack.length * 2, top + k + 1);
        stack = Arrays.copyOf(stack, cap);
        exit = Arrays.copyOf(exit, cap);
      }
      stack[top] = n;
      exit[top++] = true;
      for (int i = k - 1; i >= 0; i--) {
        stack[top] = kids.get(i);
        exit[top++] = false;
      }
    }
  }

  /** The direct children of {@code node} in source order. */
  public static List<Node> children(Node node) {
    List<Node> out = new ArrayList<>();
    addChildren(node, out);
    return out;
  }

  private static void add(List<Node> out, Node n) {
    if (n != null) {
      out.add(n);
    }
  }

  private static void addAll(List<Node> out, List<? extends Node> list) {
    for (Node n : list) {
      if (n != null) {
        out.add(n);
      }
    }
  }

  private static boolean before(Loc a, Loc b) {
    return a.line() < b.line() || (a.line() == b.line() && a.col() < b.col());
  }

  /** Appends the direct children of {@code n} to {@code out} in source order. */
  public static void addChildren(Node n, List<Node> out) {
    // expressions first (most frequent)
    if (n instanceof Name || n instanceof Constant) {
      return;
    }
    if (n instanceof Attribute) {
      add(out, ((Attribute) n).value());
    } else if (n instanceof Call) {
      Call c = (Call) n;
      add(out, c.func());
      List<Expr> args = c.args();
      List<Keyword> kws = c.keywords();
      int i = 0;
      int j = 0;
      while (i < args.size() || j < kws.size()) {
        if (j >= kws.size() || (i < args.size() && before(args.get(i).loc(), kws.get(j).loc()))) {
          add(out, args.get(i++));
        } else {
          add(out, kws.get(j++));
        }
      }
    } else if (n instanceof ExprStmt) {
      add(out, ((ExprStmt) n).value());
    } else if (n instanceof Assign) {
      Assign a = (Assign) n;
      addAll(out, a.targets());
      add(out, a.value());
    } else if (n instanceof Keyword) {
      add(out, ((Keyword) n).value());
    } else if (n instanceof BinOp) {
      add(out, ((BinOp) n).left());
      add(out, ((BinOp) n).right());
    } else if (n instanceof Subscript) {
      add(out, ((Subscript) n).value());
      add(out, ((Subscript) n).slice());
    } else if (n instanceof Tuple) {
      addAll(out, ((Tuple) n).elts());
    } else if (n instanceof ListExpr) {
      addAll(out, ((ListExpr) n).elts());
    } else if (n instanceof Compare) {
      add(out, ((Compare) n).left());
      addAll(out, ((Compare) n).comparators());
    } else if (n instanceof BoolOp) {
      addAll(out, ((BoolOp) n).values());
    } else if (n instanceof UnaryOp) {
      add(out, ((UnaryOp) n).operand());
    } else if (n instanceof Arg) {
      add(out, ((Arg) n).annotation());
    } else if (n instanceof Arguments) {
      Arguments a = (Arguments) n;
      int np = a.posonly().size() + a.args().size();
      int firstDefault = np - a.defaults().size();
      for (int i = 0; i < np; i++) {
        add(out, i < a.posonly().size() ? a.posonly().get(i) : a.args().get(i - a.posonly().size()));
        if (i >= firstDefault) {
          add(out, a.defaults().get(i - firstDefault));
        }
      }
      add(out, a.vararg());
      for (int i = 0; i < a.kwonly().size(); i++) {
        add(out, a.kwonly().get(i));
        if (i < a.kwDefaults().size()) {
          add(out, a.kwDefaults().get(i));
        }
      }
      add(out, a.kwarg());
    } else if (n instanceof FunctionDef) {
      FunctionDef f = (FunctionDef) n;
      addAll(out, f.decorators());
      addAll(out, f.typeParams());
      add(out, f.args());
      add(out, f.returns());
      addAll(out, f.body());
    } else if (n instanceof ClassDef) {
      ClassDef c = (ClassDef) n;
      addAll(out, c.decorators());
      addAll(out, c.typeParams());
      addAll(out, c.bases());
      addAll(out, c.keywords());
      addAll(out, c.body());
    } else if (n instanceof Return) {
      add(out, ((Return) n).value());
    } else if (n instanceof If) {
      If s = (If) n;
      add(out, s.test());
      addAll(out, s.body());
      addAll(out, s.orelse());
    } else if (n instanceof For) {
      For s = (For) n;
      add(out, s.target());
      add(out, s.iter());
      addAll(out, s.body());
      addAll(out, s.orelse());
    } else if (n instanceof While) {
      While s = (While) n;
      add(out, s.test());
      addAll(out, s.body());
      addAll(out, s.orelse());
    } else if (n instanceof With) {
      addAll(out, ((With) n).items());
      addAll(out, ((With) n).body());
    } else if (n instanceof WithItem) {
      add(out, ((WithItem) n).contextExpr());
      add(out, ((WithItem) n).optionalVars());
    } else if (n instanceof Try) {
      Try s = (Try) n;
      addAll(out, s.body());
      addAll(out, s.handlers());
      addAll(out, s.orelse());
      addAll(out, s.finalbody());
    } else if (n instanceof ExceptHandler) {
      add(out, ((ExceptHandler) n).type());
      addAll(out, ((ExceptHandler) n).body());
    } else if (n instanceof AugAssign) {
      add(out, ((AugAssign) n).target());
      add(out, ((AugAssign) n).value());
    } else if (n instanceof AnnAssign) {
      AnnAssign a = (AnnAssign) n;
      add(out, a.target());
      add(out, a.annotation());
      add(out, a.value());
    } else if (n instanceof Delete) {
      addAll(out, ((Delete) n).targets());
    } else if (n instanceof Raise) {
      add(out, ((Raise) n).exc());
      add(out, ((Raise) n).cause());
    } else if (n instanceof Assert) {
      add(out, ((Assert) n).test());
      add(out, ((Assert) n).msg());
    } else if (n instanceof Import) {
      addAll(out, ((Import) n).names());
    } else if (n instanceof ImportFrom) {
      addAll(out, ((ImportFrom) n).names());
    } else if (n instanceof TypeAlias) {
      TypeAlias t = (TypeAlias) n;
      add(out, t.name());
      addAll(out, t.typeParams());
      add(out, t.value());
    } else if (n instanceof Match) {
      add(out, ((Match) n).subject());
      addAll(out, ((Match) n).cases());
    } else if (n instanceof MatchCase) {
      MatchCase c = (MatchCase) n;
      add(out, c.pattern());
      add(out, c.guard());
      addAll(out, c.body());
    } else if (n instanceof Mod) {
      addAll(out, ((Mod) n).body());
    } else if (n instanceof NamedExpr) {
      add(out, ((NamedExpr) n).target());
      add(out, ((NamedExpr) n).value());
    } else if (n instanceof Lambda) {
      add(out, ((Lambda) n).args());
      add(out, ((Lambda) n).body());
    } else if (n instanceof IfExp) {
      IfExp e = (IfExp) n;
      add(out, e.body());
      add(out, e.test());
      add(out, e.orelse());
    } else if (n instanceof Dict) {
      Dict d = (Dict) n;
      for (int i = 0; i < d.values().size(); i++) {
        if (i < d.keys().size()) {
          add(out, d.keys().get(i));
        }
        add(out, d.values().get(i));
      }
    } else if (n instanceof SetExpr) {
      addAll(out, ((SetExpr) n).elts());
    } else if (n instanceof ListComp) {
      add(out, ((ListComp) n).elt());
      addAll(out, ((ListComp) n).generators());
    } else if (n instanceof SetComp) {
      add(out, ((SetComp) n).elt());
      addAll(out, ((SetComp) n).generators());
    } else if (n instanceof GeneratorExp) {
      add(out, ((GeneratorExp) n).elt());
      addAll(out, ((GeneratorExp) n).generators());
    } else if (n instanceof DictComp) {
      DictComp d = (DictComp) n;
      add(out, d.key());
      add(out, d.value());
      addAll(out, d.generators());
    } else if (n instanceof Comprehension) {
      Comprehension c = (Comprehension) n;
      add(out, c.target());
      add(out, c.iter());
      addAll(out, c.ifs());
    } else if (n instanceof Await) {
      add(out, ((Await) n).value());
    } else if (n instanceof Yield) {
      add(out, ((Yield) n).value());
    } else if (n instanceof YieldFrom) {
      add(out, ((YieldFrom) n).value());
    } else if (n instanceof FormattedValue) {
      add(out, ((FormattedValue) n).value());
      add(out, ((FormattedValue) n).formatSpec());
    } else if (n instanceof JoinedStr) {
      addAll(out, ((JoinedStr) n).values());
    } else if (n instanceof Starred) {
      add(out, ((Starred) n).value());
    } else if (n instanceof Slice) {
      Slice s = (Slice) n;
      add(out, s.lower());
      add(out, s.upper());
      add(out, s.step());
    } else if (n instanceof MatchValue) {
      add(out, ((MatchValue) n).value());
    } else if (n instanceof MatchSequence) {
      addAll(out, ((MatchSequence) n).patterns());
    } else if (n instanceof MatchMapping) {
      MatchMapping m = (MatchMapping) n;
      for (int i = 0; i < m.patterns().size(); i++) {
        if (i < m.keys().size()) {
          add(out, m.keys().get(i));
        }
        add(out, m.patterns().get(i));
      }
    } else if (n instanceof MatchClass) {
      MatchClass m = (MatchClass) n;
      add(out, m.cls());
      addAll(out, m.patterns());
      addAll(out, m.kwdPatterns());
    } else if (n instanceof MatchAs) {
      add(out, ((MatchAs) n).pattern());
    } else if (n instanceof MatchOr) {
      addAll(out, ((MatchOr) n).patterns());
    } else if (n instanceof TypeVar) {
      add(out, ((TypeVar) n).bound());
      add(out, ((TypeVar) n).defaultValue());
    } else if (n instanceof ParamSpec) {
      add(out, ((ParamSpec) n).defaultValue());
    } else if (n instanceof TypeVarTuple) {
      add(out, ((TypeVarTuple) n).defaultValue());
    }
    // Pass, Break, Continue, Global, Nonlocal, Alias, MatchSingleton, MatchStar: no children
  }
}
