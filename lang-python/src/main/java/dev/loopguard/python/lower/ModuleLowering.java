package dev.loopguard.python.lower;

import dev.loopguard.core.ir.Arg;
import dev.loopguard.core.ir.Binding;
import dev.loopguard.core.ir.CallSite;
import dev.loopguard.core.ir.ClassIr;
import dev.loopguard.core.ir.Diagnostic;
import dev.loopguard.core.ir.Directive;
import dev.loopguard.core.ir.EventList;
import dev.loopguard.core.ir.EventList.Kind;
import dev.loopguard.core.ir.FunctionIr;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.ir.Ref;
import dev.loopguard.core.ir.Span;
import dev.loopguard.python.ast.Ast;
import dev.loopguard.python.ast.ParseResult;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lowers one parsed Python module to the core IR: the pre-pass ({@link ScopeAnalyzer}) finds
 * scopes and bindings, then one pass over the tree emits functions, classes, call sites and
 * bindings. An instance lowers one file and is not shared between threads.
 */
public final class ModuleLowering {

  /** Longest callee text kept on a call site. */
  public static final int CALLEE_TEXT_MAX = 60;
  /** Longest argument text kept on an argument. */
  public static final int ARG_TEXT_MAX = 80;

  // Lower case; hasDirectiveWord looks for their first two letters (DIRECTIVE_STARTS).
  private static final List<String> DIRECTIVE_WORDS = List.of("loopguard", "noqa", "expect", "ok:");
  // Indexed by the first two characters of a word (7 bits each): whether a directive word starts so.
  private static final boolean[] DIRECTIVE_STARTS = new boolean[1 << 14];

  static {
    for (String w : DIRECTIVE_WORDS) {
      DIRECTIVE_STARTS[(w.charAt(0) | 0x20) << 7 | (w.charAt(1) | 0x20)] = true; // as the text is read
    }
  }

  /**
   * Lowers a parsed module.
   *
   * @param parsed the parser's result (its syntax errors become diagnostics)
   * @param source the decoded text the parser read
   * @param path path relative to the scan root
   * @param module dotted module name
   * @param aliases other names of the module
   * @param packageInit the file is an {@code __init__.py}
   * @param diagnostics problems met before parsing (decoding), kept first
   */
  public static ModuleIr lower(ParseResult parsed, String source, String path, String module,
      List<String> aliases, boolean packageInit, List<Diagnostic> diagnostics) {
    return new ModuleLowering(parsed, source, path, module, aliases, packageInit, diagnostics)
        .run();
  }

  /**
   * The IR of a file that could not be lowered: the module scope, the directives when comments
   * are known, and the diagnostics.
   */
  public static ModuleIr moduleOnly(String path, String module, List<String> aliases,
      boolean packageInit, String source, ParseResult parsed, List<Diagnostic> diagnostics) {
    SourceText src = sourceText(source == null ? "" : source, parsed);
    FunctionIr moduleFn = FunctionIr.moduleScope(module, src.wholeSpan());
    List<Directive> directives = parsed == null ? List.of() : directives(parsed);
    int lines = parsed != null && parsed.lines() > 0 ? parsed.lines() : src.lineCount();
    return new ModuleIr(path, module, List.copyOf(aliases), "python", packageInit, lines,
        List.of(moduleFn), List.of(), List.of(), List.of(), List.of(), directives,
        List.copyOf(diagnostics));
  }

  /** The source's text, with the parser's line starts when it has them. */
  private static SourceText sourceText(String source, ParseResult parsed) {
    return parsed != null && parsed.lineStarts() != null
        ? new SourceText(source, parsed.lineStarts()) : new SourceText(source);
  }

  private static void addSyntaxErrors(ParseResult parsed, String path, List<Diagnostic> out) {
    for (ParseResult.SyntaxError e : parsed.errors()) {
      out.add(new Diagnostic(path, e.line(), e.col() + 1,
          e.kind() == null ? "syntax-error" : e.kind(), e.message()));
    }
  }

  // ================================================================== state

  private final ParseResult parsed;
  private final SourceText src;
  private final String path;
  private final String module;
  private final List<String> aliases;
  private final boolean packageInit;
  private final List<Diagnostic> diagnostics;
  // The scope analysis' table: names it resolved and texts lowering makes share one copy.
  private StringTable strings;

  private Scopes scopes;
  private FunctionIr[] functions;
  private final List<ClassIr> classes = new ArrayList<>();
  private final List<CallBuilder> calls = new ArrayList<>();
  private final List<Binding> bindings = new ArrayList<>();
  private final LinkedHashSet<String> starImports = new LinkedHashSet<>();
  // Each IR scope's events, by the scope's ordinal (made when the scope has its first event).
  private EventList.Builder[] events;
  // Writes that assignment targets make, in order, waiting for the value to be evaluated first.
  private final ArrayList<Write> writes = new ArrayList<>();
  /** Variables some expression of the module reads (names resolved as loads). */
  private final HashSet<Ref.Var> readVars = new HashSet<>();
  /** {@code x = f()} in a function, x its own local: the call's site and x, until x is read. */
  private final ArrayList<LocalBound> localBound = new ArrayList<>();

  /** A call whose value was bound only to {@code local}, a local of the function. */
  private record LocalBound(int site, Ref.Var local) {}

  /** A write (or delete) of an attribute, item or module variable a target makes. */
  private record Write(Kind kind, Ref ref, Ref key, int line) {}

  private ModuleLowering(ParseResult parsed, String source, String path, String module,
      List<String> aliases, boolean packageInit, List<Diagnostic> diagnostics) {
    this.parsed = parsed;
    this.src = sourceText(source, parsed);
    this.path = path;
    this.module = module;
    this.aliases = aliases == null ? List.of() : aliases;
    this.packageInit = packageInit;
    this.diagnostics = new ArrayList<>(diagnostics == null ? List.of() : diagnostics);
  }

  /** Lowering context: where an expression stands. Immutable. */
  private record Ctx(Scope scope, Scope ir, int loopDepth, CallSite.LoopKind loopKind,
      boolean mainGuard, boolean typeChecking, boolean inTry, boolean decorator) {

    /** The body of a new IR scope: loops, try and decorator context do not carry over. */
    Ctx enter(Scope s) {
      return new Ctx(s, s.irScope(), 0, null, mainGuard, typeChecking, false, false);
    }

    Ctx loop(CallSite.LoopKind kind) {
      return new Ctx(scope, ir, loopDepth + 1, kind, mainGuard, typeChecking, inTry, decorator);
    }

    Ctx resolvingIn(Scope s) {
      return new Ctx(s, ir, loopDepth, loopKind, mainGuard, typeChecking, inTry, decorator);
    }

    Ctx asMainGuard() {
      return new Ctx(scope, ir, loopDepth, loopKind, true, typeChecking, inTry, decorator);
    }

    Ctx asTypeChecking() {
      return new Ctx(scope, ir, loopDepth, loopKind, mainGuard, true, inTry, decorator);
    }

    Ctx inTryBody() {
      return new Ctx(scope, ir, loopDepth, loopKind, mainGuard, typeChecking, true, decorator);
    }

    Ctx asDecorator() {
      return new Ctx(scope, ir, loopDepth, loopKind, mainGuard, typeChecking, inTry, true);
    }
  }

  /** A call site under construction. */
  private static final class CallBuilder {
    final int index;
    final String scope;
    final Span span;
    final int loopDepth;
    final CallSite.LoopKind loopKind;
    final EnumSet<CallSite.CallFlag> flags = EnumSet.noneOf(CallSite.CallFlag.class);
    Ref callee;
    String calleeText;
    boolean awaited;
    List<Arg> args = List.of();
    /** What the call expression stands for when it is not {@code Call(index)} (super()). */
    Ref result;

    CallBuilder(int index, String scope, Span span, int loopDepth, CallSite.LoopKind loopKind) {
      this.index = index;
      this.scope = scope;
      this.span = span;
      this.loopDepth = loopDepth;
      this.loopKind = loopKind;
    }

    CallSite build() {
      return new CallSite(index, scope, callee, calleeText, span, awaited, args, loopDepth,
          loopKind, flags);
    }
  }

  // ================================================================== driver

  private ModuleIr run() {
    Ast.Mod mod = parsed.module();
    scopes = new ScopeAnalyzer(module, packageInit).analyze(mod);
    strings = scopes.strings;
    functions = new FunctionIr[scopes.irScopes.size()];
    events = new EventList.Builder[functions.length];
    functions[0] = FunctionIr.moduleScope(module, src.wholeSpan());
    if (mod != null) {
      Ctx ctx = new Ctx(scopes.moduleScope, scopes.moduleScope, 0, null, false, false, false,
          false);
      stmts(mod.body(), ctx);
    }
    addSyntaxErrors(parsed, path, diagnostics);
    List<Directive> directives = directives(parsed);
    for (Directive d : directives) {
      String problem = dev.loopguard.core.engine.Suppressions.malformed(d.text());
      if (problem != null) {
        diagnostics.add(new Diagnostic(path, d.line(), 0, "bad-suppression", problem));
      }
    }
    List<FunctionIr> fns = new ArrayList<>(functions.length);
    for (int i = 0; i < functions.length; i++) {
      FunctionIr f = functions[i] != null ? functions[i] : placeholder(scopes.irScopes.get(i));
      fns.add(events[i] == null ? f : f.withEvents(events[i].build()));
    }
    for (LocalBound lb : localBound) {
      if (!readVars.contains(lb.local())) {
        calls.get(lb.site()).flags.add(CallSite.CallFlag.DISCARDED);
      }
    }
    List<CallSite> sites = new ArrayList<>(calls.size());
    for (CallBuilder b : calls) {
      sites.add(b.build());
    }
    int lines = parsed.lines() > 0 ? parsed.lines() : src.lineCount();
    return new ModuleIr(path, module, List.copyOf(aliases), "python", packageInit, lines,
        List.copyOf(fns), List.copyOf(classes), List.copyOf(sites), List.copyOf(bindings),
        List.copyOf(starImports), directives, List.copyOf(diagnostics));
  }

  /** A scope the lowering pass did not reach (should not happen): a bare entry keeps ids valid. */
  private FunctionIr placeholder(Scope s) {
    FunctionIr.Kind kind = switch (s.kind) {
      case CLASS -> FunctionIr.Kind.CLASS_BODY;
      case LAMBDA -> FunctionIr.Kind.LAMBDA;
      default -> FunctionIr.Kind.FUNCTION;
    };
    Span span = SourceText.span(s.node.loc());
    return new FunctionIr(s.id, s.qualifiedName, s.name, kind, false, span, span,
        s.parent.irScope().id, null, List.of(), List.of(), null, Set.of());
  }

  static List<Directive> directives(ParseResult parsed) {
    List<Directive> out = new ArrayList<>();
    for (ParseResult.Comment c : parsed.comments()) {
      String text = c.text() == null ? "" : c.text();
      if (hasDirectiveWord(text)) {
        out.add(new Directive(c.line(), text.trim(), !c.afterCode()));
      }
    }
    return List.copyOf(out);
  }

  /**
   * Whether {@code text} contains one of {@link #DIRECTIVE_WORDS}, in any case. Every comment is
   * searched, so this is one pass that compares words only where the first two letters of one
   * stand (most comments are English, where first letters alone are common).
   */
  static boolean hasDirectiveWord(String text) {
    int n = text.length();
    for (int i = 0; i + 1 < n; i++) {
      char c = (char) (text.charAt(i) | 0x20);
      char d = (char) (text.charAt(i + 1) | 0x20);
      // A non-ASCII character may fold to an ASCII letter (the Kelvin sign to k): compared in full.
      boolean ascii = c < 0x80 && d < 0x80;
      if (!ascii || DIRECTIVE_STARTS[c << 7 | d]) {
        for (String w : DIRECTIVE_WORDS) {
          if ((!ascii || w.charAt(0) == c) && text.regionMatches(true, i, w, 0, w.length())) {
            return true;
          }
        }
      }
    }
    return false;
  }

  // ================================================================== statements

  private void stmts(List<Ast.Stmt> body, Ctx ctx) {
    for (Ast.Stmt s : body) {
      stmt(s, ctx);
    }
  }

  private void stmt(Ast.Stmt st, Ctx ctx) {
    if (st instanceof Ast.ExprStmt e) {
      int site = calls.size();
      expr(e.value(), ctx);
      if (e.value() instanceof Ast.Call && site < calls.size()) {
        // The call is the statement (sites are allocated pre-order): its value is dropped.
        calls.get(site).flags.add(CallSite.CallFlag.DISCARDED);
      }
    } else if (st instanceof Ast.Assign a) {
      // Python evaluates the value first: the targets' events are moved after the value's.
      int w0 = writes.size();
      EventList.Builder ev = ev(ctx);
      int m0 = ev.mark();
      List<Tgt> targets = new ArrayList<>(a.targets().size());
      for (Ast.Expr t : a.targets()) {
        targets.add(target(t, ctx));
      }
      int m1 = ev.mark();
      noteLocalBound(targets, a.value(), ctx);
      Val v = value(a.value(), ctx);
      ev.moveToEnd(m0, m1);
      flushWrites(w0, ctx);
      Span span = SourceText.span(a.loc());
      for (Tgt t : targets) {
        bind(t, v, Binding.Kind.ASSIGN, span, ctx);
      }
      // x = typing.cast(T, value): x is declared a T, as by an annotation.
      if (a.value() instanceof Ast.Call c && !c.args().isEmpty()
          && "cast".equals(typingName(pure(c.func(), ctx.scope)))) {
        Ref type = typeRef(c.args().get(0), ctx.scope);
        for (Tgt t : targets) {
          bind(t, new Alts(List.of(type)), Binding.Kind.ANNOTATION, span, ctx);
        }
      }
    } else if (st instanceof Ast.FunctionDef f) {
      functionDef(f, ctx);
    } else if (st instanceof Ast.ClassDef c) {
      classDef(c, ctx);
    } else if (st instanceof Ast.Return r) {
      if (r.value() != null) {
        List<Ref> alts = alternatives(r.value(), ctx);
        if (ctx.ir.isFunctionLike()) {
          Span span = SourceText.span(r.loc());
          for (Ref v : alts) {
            bindings.add(new Binding(ctx.ir.id, Binding.Kind.RETURN, null, v, span));
          }
        }
      }
      event(Kind.RETURN, 0, r, ctx);
    } else if (st instanceof Ast.If i) {
      // elif chains nest in orelse without bound: walk them iteratively.
      Ast.If cur = i;
      event(Kind.BRANCH, EventList.BranchKind.IF.ordinal(), i, ctx);
      while (true) {
        expr(cur.test(), ctx);
        event(Kind.TEST, 0, cur.test(), ctx);
        Ctx body = ctx;
        if (ctx.ir.kind == Scope.Kind.MODULE && isMainGuardTest(cur.test())) {
          body = body.asMainGuard();
        }
        if (isTypeCheckingTest(cur.test())) {
          body = body.asTypeChecking();
        }
        stmts(cur.body(), body);
        if (cur.orelse().size() == 1 && cur.orelse().get(0) instanceof Ast.If next) {
          event(Kind.ARM, 0, next, ctx);
          cur = next;
        } else {
          if (!cur.orelse().isEmpty()) {
            event(Kind.ARM, 0, cur.orelse().get(0), ctx);
            stmts(cur.orelse(), ctx);
          }
          break;
        }
      }
      event(Kind.BRANCH_END, 0, lastLine(i), ctx);
    } else if (st instanceof Ast.For f) {
      CallSite.LoopKind kind = f.isAsync() ? CallSite.LoopKind.ASYNC_FOR : CallSite.LoopKind.FOR;
      Ctx inLoop = ctx.loop(kind);
      // The iterable is evaluated first, once; each step (awaited in an async for) binds the
      // target: the loop's and the target's events are moved after the iterable's.
      int w0 = writes.size();
      EventList.Builder ev = ev(ctx);
      int m0 = ev.mark();
      event(Kind.LOOP, kind.ordinal(), f, ctx);
      if (f.isAsync()) {
        event(Kind.AWAIT, 0, f, ctx);
      }
      target(f.target(), inLoop);
      flushWrites(w0, ctx);
      int m1 = ev.mark();
      Ref iterable;
      if (f.isAsync() && f.iter() instanceof Ast.Call c) {
        int idx = call(c, ctx);
        calls.get(idx).awaited = true;
        iterable = callRef(idx);
      } else {
        iterable = expr(f.iter(), ctx);
      }
      ev.add(Kind.ITER, iterable == null ? unknown(f.iter()) : iterable, line(f));
      ev.moveToEnd(m0, m1);
      stmts(f.body(), inLoop);
      event(Kind.LOOP_END, 0, lastLine(f.body()), ctx);
      stmts(f.orelse(), ctx);
    } else if (st instanceof Ast.While w) {
      CallSite.LoopKind kind = isAlwaysTrue(w.test())
          ? CallSite.LoopKind.WHILE_TRUE : CallSite.LoopKind.WHILE;
      Ctx inLoop = ctx.loop(kind);
      event(Kind.LOOP, kind.ordinal(), w, ctx);
      expr(w.test(), inLoop);
      event(Kind.TEST, 0, w.test(), ctx);
      stmts(w.body(), inLoop);
      event(Kind.LOOP_END, 0, lastLine(w.body()), ctx);
      stmts(w.orelse(), ctx);
    } else if (st instanceof Ast.With w) {
      int[] exits = new int[w.items().size()];
      int n = 0;
      for (Ast.WithItem item : w.items()) {
        Ref cm;
        if (item.contextExpr() instanceof Ast.Call c) {
          int idx = call(c, ctx);
          CallBuilder b = calls.get(idx);
          b.flags.add(CallSite.CallFlag.WITH_ITEM);
          if (w.isAsync()) {
            b.awaited = true;
          }
          cm = callRef(idx);
        } else {
          cm = expr(item.contextExpr(), ctx);
        }
        if (!w.isAsync()) {
          // Entering and leaving call the context manager's __enter__ and __exit__: a lock's
          // acquire, an executor's shutdown(wait=True).
          Span span = SourceText.span(item.contextExpr().loc());
          String text = strings.of("with " + src.shortText(item.contextExpr().loc(),
              CALLEE_TEXT_MAX - 5));
          int enter = implicitCall(attribute(cm, "__enter__"), text, span, ctx);
          exits[n++] = implicitCall(attribute(cm, "__exit__"), text, span, ctx);
          event(Kind.CALL, enter, item.contextExpr(), ctx);
          ev(ctx).add(Kind.WITH, cm != null ? cm : unknown(item.contextExpr()), line(item.contextExpr()));
        } else {
          event(Kind.AWAIT, 0, item.contextExpr(), ctx);
          ev(ctx).add(Kind.ASYNC_WITH, cm != null ? cm : unknown(item.contextExpr()),
              line(item.contextExpr()));
        }
        if (item.optionalVars() != null) {
          int w0 = writes.size();
          Tgt t = target(item.optionalVars(), ctx);
          flushWrites(w0, ctx);
          bind(t, new Alts(List.of(cm)), Binding.Kind.WITH, withSpan(item, w), ctx);
        }
      }
      stmts(w.body(), ctx);
      int end = lastLine(w.body());
      for (int k = w.items().size() - 1; k >= 0; k--) {
        if (w.isAsync()) {
          ev(ctx).add(Kind.AWAIT, 0, end);
        } else {
          ev(ctx).add(Kind.CALL, exits[--n], end);
        }
        ev(ctx).add(Kind.WITH_END, 0, end);
      }
    } else if (st instanceof Ast.Try t) {
      event(Kind.TRY, 0, t, ctx);
      stmts(t.body(), catchesBroadly(t) ? ctx.inTryBody() : ctx);
      for (Ast.ExceptHandler h : t.handlers()) {
        event(Kind.EXCEPT, h.type() == null ? 1 : 0, h, ctx);
        if (h.type() != null) {
          expr(h.type(), ctx);
          List<Ast.Expr> types = h.type() instanceof Ast.Tuple tu ? tu.elts() : List.of(h.type());
          for (Ast.Expr type : types) {
            Ref r = pure(type, ctx.scope);
            ev(ctx).add(Kind.CATCH, r != null ? r : unknown(type), line(type));
          }
        }
        stmts(h.body(), ctx);
      }
      if (!t.orelse().isEmpty()) {
        event(Kind.TRY_ELSE, 0, t.orelse().get(0), ctx);
        stmts(t.orelse(), ctx);
      }
      if (!t.finalbody().isEmpty()) {
        event(Kind.FINALLY, 0, t.finalbody().get(0), ctx);
        stmts(t.finalbody(), ctx);
      }
      event(Kind.TRY_END, 0, lastLine(t), ctx);
    } else if (st instanceof Ast.Import im) {
      for (Ast.Alias a : im.names()) {
        String bound;
        String target;
        if (a.asname() != null) {
          bound = a.asname();
          target = a.name();
        } else {
          int dot = a.name().indexOf('.');
          bound = dot < 0 ? a.name() : a.name().substring(0, dot);
          target = bound;
        }
        importBinding(bound, target, a.loc(), im.loc(), ctx);
      }
    } else if (st instanceof Ast.ImportFrom im) {
      if (im.level() == 0 && "__future__".equals(im.module())) {
        return;
      }
      String from = Imports.resolveFrom(module, packageInit, im.level(), im.module());
      for (Ast.Alias a : im.names()) {
        if (a.name().equals("*")) {
          if (!from.isEmpty()) {
            starImports.add(from);
          }
        } else {
          importBinding(a.asname() != null ? a.asname() : a.name(), Imports.join(from, a.name()),
              a.loc(), im.loc(), ctx);
        }
      }
    } else if (st instanceof Ast.AugAssign a) {
      // The target is read, the value evaluated, the target written.
      int w0 = writes.size();
      if (target(a.target(), ctx) instanceof One one && one.target() instanceof Ref.Var v) {
        readVars.add(v);
      }
      for (int k = w0; k < writes.size(); k++) {
        Write x = writes.get(k);
        Kind read = x.kind() == Kind.WRITE_ATTR ? Kind.READ_ATTR
            : x.kind() == Kind.WRITE_ITEM ? Kind.READ_ITEM : Kind.READ_GLOBAL;
        writeEvent(new Write(read, x.ref(), x.key(), x.line()), ctx);
      }
      expr(a.value(), ctx);
      flushWrites(w0, ctx);
    } else if (st instanceof Ast.AnnAssign a) {
      int w0 = writes.size();
      EventList.Builder ev = ev(ctx);
      int m0 = ev.mark();
      Tgt t = target(a.target(), ctx);
      int m1 = ev.mark();
      expr(a.annotation(), ctx);
      Ref type = typeRef(a.annotation(), ctx.scope);
      Span span = SourceText.span(a.loc());
      bind(t, new Alts(List.of(type)), Binding.Kind.ANNOTATION, span, ctx);
      if (a.value() != null) {
        bind(t, value(a.value(), ctx), Binding.Kind.ASSIGN, span, ctx);
        ev.moveToEnd(m0, m1);
        flushWrites(w0, ctx);
      } else {
        // A bare annotation assigns nothing.
        writes.subList(w0, writes.size()).clear();
      }
    } else if (st instanceof Ast.Delete d) {
      for (Ast.Expr t : d.targets()) {
        deleteTarget(t, ctx);
      }
    } else if (st instanceof Ast.Raise r) {
      expr(r.exc(), ctx);
      expr(r.cause(), ctx);
      event(Kind.RAISE, 0, r, ctx);
    } else if (st instanceof Ast.Assert a) {
      expr(a.test(), ctx);
      expr(a.msg(), ctx);
    } else if (st instanceof Ast.Match m) {
      event(Kind.BRANCH, EventList.BranchKind.MATCH.ordinal(), m, ctx);
      expr(m.subject(), ctx);
      for (Ast.MatchCase c : m.cases()) {
        event(Kind.ARM, 0, c, ctx);
        pattern(c.pattern(), ctx);
        expr(c.guard(), ctx);
        event(Kind.TEST, 0, c.guard() != null ? c.guard() : c, ctx);
        stmts(c.body(), ctx);
      }
      event(Kind.BRANCH_END, 0, lastLine(m), ctx);
    } else if (st instanceof Ast.TypeAlias ta) {
      expr(ta.value(), ctx);
    } else if (st instanceof Ast.Break) {
      event(Kind.BREAK, 0, st, ctx);
    }
    // Global, Nonlocal, Pass, Continue: nothing to lower.
  }

  // ================================================================== events

  /** The event list of the IR scope {@code ctx} stands in. */
  private EventList.Builder ev(Ctx ctx) {
    int o = ctx.ir.ordinal;
    EventList.Builder b = events[o];
    if (b == null) {
      b = new EventList.Builder();
      events[o] = b;
    }
    return b;
  }

  private void event(Kind kind, int operand, Ast.Node at, Ctx ctx) {
    ev(ctx).add(kind, operand, line(at));
  }

  private void event(Kind kind, int operand, int line, Ctx ctx) {
    ev(ctx).add(kind, operand, line);
  }

  private static int line(Ast.Node n) {
    return n == null || n.loc() == null ? 0 : n.loc().line();
  }

  private static int lastLine(Ast.Node n) {
    return n == null || n.loc() == null ? 0 : n.loc().endLine();
  }

  private static int lastLine(List<? extends Ast.Node> body) {
    return body.isEmpty() ? 0 : lastLine(body.get(body.size() - 1));
  }

  private void writeEvent(Write w, Ctx ctx) {
    if (w.kind() == Kind.READ_ITEM || w.kind() == Kind.WRITE_ITEM
        || w.kind() == Kind.DELETE_ITEM) {
      ev(ctx).item(w.kind(), w.ref(), w.key(), w.line());
    } else {
      ev(ctx).add(w.kind(), w.ref(), w.line());
    }
  }

  /** Emits the writes targets recorded since {@code from}, in order, and forgets them. */
  private void flushWrites(int from, Ctx ctx) {
    for (int k = from; k < writes.size(); k++) {
      writeEvent(writes.get(k), ctx);
    }
    writes.subList(from, writes.size()).clear();
  }

  /** The key of an item event: a literal or a name, else null. */
  private static Ref itemKey(Ref slice) {
    return slice instanceof Ref.Literal || slice instanceof Ref.Var || slice instanceof Ref.QName
        ? slice : null;
  }

  /**
   * Notes {@code x = f()} in a function body, x a plain local of the function's own: if nothing
   * reads x, the call's value is dropped as surely as in an expression statement. Called before
   * the value is lowered, so the call's site is the next one allocated.
   */
  private void noteLocalBound(List<Tgt> targets, Ast.Expr value, Ctx ctx) {
    if (targets.size() == 1 && value instanceof Ast.Call && ctx.scope.isFunctionLike()
        && targets.get(0) instanceof One one && one.target() instanceof Ref.Var v
        && v.scope() != null && v.scope().equals(ctx.ir.id) && !isModuleVar(v)) {
      localBound.add(new LocalBound(calls.size(), v));
    }
  }

  /** Whether {@code r} is a variable of the module scope (a module variable). */
  private boolean isModuleVar(Ref r) {
    return r instanceof Ref.Var v && module.equals(v.scope());
  }

  /** {@code del t}: evaluates the target's parts, then deletes. */
  private void deleteTarget(Ast.Expr t, Ctx ctx) {
    if (t instanceof Ast.Attribute a) {
      Ref base = expr(a.value(), ctx);
      ev(ctx).add(Kind.DELETE_ATTR, attribute(base, a.attr()), line(a));
    } else if (t instanceof Ast.Subscript sub) {
      Ref base = expr(sub.value(), ctx);
      Ref key = expr(sub.slice(), ctx);
      ev(ctx).item(Kind.DELETE_ITEM, base, itemKey(key), line(sub));
    } else if (t instanceof Ast.Name n) {
      Ref v = scopes.store(ctx.scope, n.id());
      if (v instanceof Ref.Var var) {
        readVars.add(var);
      }
      if (isModuleVar(v)) {
        ev(ctx).add(Kind.WRITE_GLOBAL, v, line(n));
      }
    } else if (t instanceof Ast.Tuple tu) {
      for (Ast.Expr x : tu.elts()) {
        deleteTarget(x, ctx);
      }
    } else if (t instanceof Ast.ListExpr l) {
      for (Ast.Expr x : l.elts()) {
        deleteTarget(x, ctx);
      }
    } else {
      expr(t, ctx);
    }
  }

  private void importBinding(String bound, String target, Ast.Loc aliasLoc, Ast.Loc stmtLoc,
      Ctx ctx) {
    Ast.Loc loc = aliasLoc != null && aliasLoc.line() > 0 ? aliasLoc : stmtLoc;
    bindings.add(new Binding(ctx.ir.id, Binding.Kind.IMPORT, scopes.store(ctx.scope, bound),
        new Ref.QName(target), SourceText.span(loc)));
  }

  private static Span withSpan(Ast.WithItem item, Ast.With w) {
    Ast.Loc a = item.contextExpr().loc();
    Ast.Loc b = item.optionalVars().loc();
    if (a.line() > 0 && b.line() > 0) {
      return Span.of(a.line(), a.col() + 1, b.endLine(), b.endCol() + 1);
    }
    return SourceText.span(item.loc().line() > 0 ? item.loc() : w.loc());
  }

  private void pattern(Ast.Pattern p, Ctx ctx) {
    if (p == null) {
      return;
    }
    if (p instanceof Ast.MatchAs m) {
      pattern(m.pattern(), ctx);
    } else if (p instanceof Ast.MatchValue m) {
      expr(m.value(), ctx);
    } else if (p instanceof Ast.MatchSequence m) {
      for (Ast.Pattern q : m.patterns()) {
        pattern(q, ctx);
      }
    } else if (p instanceof Ast.MatchMapping m) {
      for (Ast.Expr k : m.keys()) {
        expr(k, ctx);
      }
      for (Ast.Pattern q : m.patterns()) {
        pattern(q, ctx);
      }
    } else if (p instanceof Ast.MatchClass m) {
      expr(m.cls(), ctx);
      for (Ast.Pattern q : m.patterns()) {
        pattern(q, ctx);
      }
      for (Ast.Pattern q : m.kwdPatterns()) {
        pattern(q, ctx);
      }
    } else if (p instanceof Ast.MatchOr m) {
      for (Ast.Pattern q : m.patterns()) {
        pattern(q, ctx);
      }
    }
  }

  // ================================================================== definitions

  private void functionDef(Ast.FunctionDef f, Ctx ctx) {
    Scope fs = scopes.of(f);
    List<Ref> decorators = decorators(f.decorators(), ctx);
    EnumSet<FunctionIr.Flag> flags = EnumSet.noneOf(FunctionIr.Flag.class);
    decoratorFlags(decorators, flags);
    boolean method = fs.isMethod();
    if (!method) {
      // staticmethod/classmethod only mean something in a class body.
      flags.remove(FunctionIr.Flag.STATIC);
      flags.remove(FunctionIr.Flag.CLASSMETHOD);
    }
    List<FunctionIr.Param> params = params(f.args(), ctx, fs);
    Ref returns = null;
    if (f.returns() != null) {
      expr(f.returns(), ctx);
      returns = typeRef(f.returns(), ctx.scope);
    }
    if (fs.hasYield) {
      flags.add(FunctionIr.Flag.GENERATOR);
    }
    if (fs.isNested()) {
      flags.add(FunctionIr.Flag.NESTED);
    }
    if (ctx.mainGuard) {
      flags.add(FunctionIr.Flag.MAIN_GUARD);
    }
    if (isStubBody(f.body())) {
      flags.add(FunctionIr.Flag.STUB);
    }
    String classId = method ? fs.parent.id : null;
    functions[fs.ordinal] = new FunctionIr(fs.id, fs.qualifiedName, f.name(),
        FunctionIr.Kind.FUNCTION, f.isAsync(), SourceText.span(f.loc()),
        SourceText.span(f.nameLoc()), ctx.ir.id, classId, List.copyOf(decorators),
        List.copyOf(params), returns, Collections.unmodifiableSet(flags));
    if (method) {
      receiverBinding(f, fs, flags);
    }
    stmts(f.body(), ctx.enter(fs));
  }

  /** {@code self} is an instance of the class; {@code cls} of a classmethod is the class. */
  private void receiverBinding(Ast.FunctionDef f, Scope fs, Set<FunctionIr.Flag> flags) {
    if (flags.contains(FunctionIr.Flag.STATIC) || f.args() == null) {
      return;
    }
    Ast.Arg first = !f.args().posonly().isEmpty() ? f.args().posonly().get(0)
        : !f.args().args().isEmpty() ? f.args().args().get(0) : null;
    if (first == null) {
      return;
    }
    Ref.QName cls = new Ref.QName(fs.parent.qualifiedName);
    Ref.Var receiver = new Ref.Var(fs.id, first.name());
    Span span = SourceText.span(first.loc());
    boolean implicitClassMethod = f.name().equals("__new__")
        || f.name().equals("__init_subclass__") || f.name().equals("__class_getitem__");
    if (flags.contains(FunctionIr.Flag.CLASSMETHOD) || implicitClassMethod) {
      bindings.add(new Binding(fs.id, Binding.Kind.ASSIGN, receiver, cls, span));
    } else {
      bindings.add(new Binding(fs.id, Binding.Kind.ANNOTATION, receiver, cls, span));
    }
  }

  private void classDef(Ast.ClassDef c, Ctx ctx) {
    Scope cs = scopes.of(c);
    List<Ref> decorators = decorators(c.decorators(), ctx);
    List<Ref> bases = new ArrayList<>(c.bases().size());
    for (Ast.Expr b : c.bases()) {
      bases.add(expr(b, ctx));
    }
    for (Ast.Keyword k : c.keywords()) {
      expr(k.value(), ctx);
    }
    Span span = SourceText.span(c.loc());
    classes.add(new ClassIr(cs.id, cs.qualifiedName, c.name(), span, List.copyOf(bases),
        List.copyOf(decorators), ctx.ir.id));
    EnumSet<FunctionIr.Flag> flags = EnumSet.noneOf(FunctionIr.Flag.class);
    if (cs.isNested()) {
      flags.add(FunctionIr.Flag.NESTED);
    }
    if (ctx.mainGuard) {
      flags.add(FunctionIr.Flag.MAIN_GUARD);
    }
    functions[cs.ordinal] = new FunctionIr(cs.id, cs.qualifiedName, c.name(),
        FunctionIr.Kind.CLASS_BODY, false, span, SourceText.span(c.nameLoc()), ctx.ir.id, null,
        List.of(), List.of(), null, Collections.unmodifiableSet(flags));
    stmts(c.body(), ctx.enter(cs));
  }

  private List<Ref> decorators(List<Ast.Expr> decorators, Ctx ctx) {
    if (decorators.isEmpty()) {
      return List.of();
    }
    Ctx dctx = ctx.asDecorator();
    List<Ref> out = new ArrayList<>(decorators.size());
    for (Ast.Expr d : decorators) {
      out.add(expr(d, dctx));
    }
    return out;
  }

  private static void decoratorFlags(List<Ref> decorators, Set<FunctionIr.Flag> flags) {
    for (Ref d : decorators) {
      String name = d instanceof Ref.QName q ? q.name() : null;
      String last = d instanceof Ref.Attr a ? a.name()
          : name != null ? name.substring(name.lastIndexOf('.') + 1) : null;
      if (name != null) {
        switch (name) {
          case "builtins.staticmethod", "abc.abstractstaticmethod" ->
              flags.add(FunctionIr.Flag.STATIC);
          case "builtins.classmethod", "abc.abstractclassmethod" ->
              flags.add(FunctionIr.Flag.CLASSMETHOD);
          case "builtins.property", "abc.abstractproperty", "functools.cached_property",
              "types.DynamicClassAttribute" -> flags.add(FunctionIr.Flag.PROPERTY);
          case "typing.overload", "typing_extensions.overload" -> flags.add(FunctionIr.Flag.STUB);
          default -> {
            if ("cached_property".equals(last)) {
              flags.add(FunctionIr.Flag.PROPERTY);
            }
          }
        }
      }
      if (last != null && (last.equals("setter") || last.equals("getter")
          || last.equals("deleter"))) {
        flags.add(FunctionIr.Flag.PROPERTY);
      }
    }
  }

  /** Only a docstring, {@code ...}, {@code pass} or {@code raise NotImplementedError}. */
  private static boolean isStubBody(List<Ast.Stmt> body) {
    if (body.isEmpty()) {
      return false;
    }
    for (Ast.Stmt s : body) {
      if (s instanceof Ast.Pass) {
        continue;
      }
      if (s instanceof Ast.ExprStmt e && e.value() instanceof Ast.Constant c
          && (c.kind() == Ast.ConstKind.STR || c.kind() == Ast.ConstKind.ELLIPSIS)) {
        continue;
      }
      if (s instanceof Ast.Raise r && r.exc() != null) {
        Ast.Expr exc = r.exc() instanceof Ast.Call call ? call.func() : r.exc();
        if ("NotImplementedError".equals(lastName(exc))) {
          continue;
        }
      }
      return false;
    }
    return true;
  }

  private List<FunctionIr.Param> params(Ast.Arguments a, Ctx outer, Scope fn) {
    if (a == null) {
      return List.of();
    }
    List<FunctionIr.Param> out = new ArrayList<>();
    int positional = a.posonly().size() + a.args().size();
    int firstDefault = positional - a.defaults().size();
    int i = 0;
    for (Ast.Arg p : a.posonly()) {
      Ast.Expr def = i >= firstDefault ? a.defaults().get(i - firstDefault) : null;
      out.add(param(p, FunctionIr.ParamKind.POSITIONAL_ONLY, def, outer, fn, true));
      i++;
    }
    for (Ast.Arg p : a.args()) {
      Ast.Expr def = i >= firstDefault ? a.defaults().get(i - firstDefault) : null;
      out.add(param(p, FunctionIr.ParamKind.POSITIONAL, def, outer, fn, true));
      i++;
    }
    if (a.vararg() != null) {
      out.add(param(a.vararg(), FunctionIr.ParamKind.VAR_POSITIONAL, null, outer, fn, false));
    }
    int k = 0;
    for (Ast.Arg p : a.kwonly()) {
      Ast.Expr def = k < a.kwDefaults().size() ? a.kwDefaults().get(k) : null;
      out.add(param(p, FunctionIr.ParamKind.KEYWORD_ONLY, def, outer, fn, true));
      k++;
    }
    if (a.kwarg() != null) {
      out.add(param(a.kwarg(), FunctionIr.ParamKind.VAR_KEYWORD, null, outer, fn, false));
    }
    return out;
  }

  private FunctionIr.Param param(Ast.Arg p, FunctionIr.ParamKind kind, Ast.Expr def, Ctx outer,
      Scope fn, boolean bindAnnotation) {
    Ref type = null;
    if (p.annotation() != null) {
      expr(p.annotation(), outer);
      type = typeRef(p.annotation(), outer.scope);
      if (bindAnnotation) {
        bindings.add(new Binding(fn.id, Binding.Kind.ANNOTATION, new Ref.Var(fn.id, p.name()),
            type, SourceText.span(p.loc())));
      }
    }
    Ref defaultValue = def == null ? null : expr(def, outer);
    return new FunctionIr.Param(p.name(), kind, type, defaultValue);
  }

  /** A lambda, and the lambdas that are directly its body ({@code lambda: lambda: ...}). */
  private Ref lambda(Ast.Lambda l, Ctx ctx) {
    Ast.Lambda cur = l;
    Ctx outer = ctx;
    while (true) {
      Scope ls = scopes.of(cur);
      List<FunctionIr.Param> params = params(cur.args(), outer, ls);
      EnumSet<FunctionIr.Flag> flags = EnumSet.noneOf(FunctionIr.Flag.class);
      if (ls.hasYield) {
        flags.add(FunctionIr.Flag.GENERATOR);
      }
      if (ls.isNested()) {
        flags.add(FunctionIr.Flag.NESTED);
      }
      if (outer.mainGuard) {
        flags.add(FunctionIr.Flag.MAIN_GUARD);
      }
      Span span = SourceText.span(cur.loc());
      functions[ls.ordinal] = new FunctionIr(ls.id, ls.qualifiedName, "<lambda>",
          FunctionIr.Kind.LAMBDA, false, span, span, outer.ir.id, null, List.of(),
          List.copyOf(params), null, Collections.unmodifiableSet(flags));
      Ctx inner = outer.enter(ls);
      Span bodySpan = SourceText.span(cur.body().loc());
      if (cur.body() instanceof Ast.Lambda next) {
        bindings.add(new Binding(ls.id, Binding.Kind.RETURN, null,
            new Ref.Func(scopes.of(next).id), bodySpan));
        cur = next;
        outer = inner;
        continue;
      }
      for (Ref r : alternatives(cur.body(), inner)) {
        bindings.add(new Binding(ls.id, Binding.Kind.RETURN, null, r, bodySpan));
      }
      return new Ref.Func(scopes.of(l).id);
    }
  }

  // ================================================================== assignment shapes

  /** What an assignment's right-hand side holds. */
  private sealed interface Val permits Alts, Seq {}

  /** The value is one of these (several for {@code a or b}, {@code a if c else b}). */
  private record Alts(List<Ref> refs) implements Val {}

  /** A tuple or list display, element by element. */
  private record Seq(List<Val> elts, Ref whole) implements Val {}

  /** An assignment target. */
  private sealed interface Tgt permits One, TSeq {}

  /** A single target; null when it cannot be bound (subscript, ...). */
  private record One(Ref target) implements Tgt {}

  private record TSeq(List<Tgt> elts, boolean starred) implements Tgt {}

  /**
   * An assignment target: evaluates its parts (an attribute's object, an item's container and
   * key) and records the write it makes in {@link #writes}, for the caller to emit once the value
   * is evaluated.
   */
  private Tgt target(Ast.Expr t, Ctx ctx) {
    if (t instanceof Ast.Name n) {
      Ref.Var v = scopes.store(ctx.scope, n.id());
      if (isModuleVar(v)) {
        writes.add(new Write(Kind.WRITE_GLOBAL, v, null, line(n)));
      }
      return new One(v);
    }
    if (t instanceof Ast.Attribute a) {
      Ref.Attr attr = new Ref.Attr(expr(a.value(), ctx), a.attr());
      writes.add(new Write(Kind.WRITE_ATTR, strings.ref(attr), null, line(a)));
      return new One(attr);
    }
    if (t instanceof Ast.Subscript sub) {
      Ref base = expr(sub.value(), ctx);
      Ref key = expr(sub.slice(), ctx);
      writes.add(new Write(Kind.WRITE_ITEM, base, itemKey(key), line(sub)));
      return new One(null);
    }
    if (t instanceof Ast.Tuple || t instanceof Ast.ListExpr) {
      List<Ast.Expr> elts = t instanceof Ast.Tuple tu ? tu.elts() : ((Ast.ListExpr) t).elts();
      List<Tgt> out = new ArrayList<>(elts.size());
      boolean starred = false;
      for (Ast.Expr e : elts) {
        if (e instanceof Ast.Starred st) {
          starred = true;
          out.add(target(st.value(), ctx));
        } else {
          out.add(target(e, ctx));
        }
      }
      return new TSeq(out, starred);
    }
    if (t instanceof Ast.Starred st) {
      target(st.value(), ctx);
      return new One(null);
    }
    expr(t, ctx);
    return new One(null);
  }

  private Val value(Ast.Expr e, Ctx ctx) {
    List<Ast.Expr> elts = e instanceof Ast.Tuple tu ? tu.elts()
        : e instanceof Ast.ListExpr l ? l.elts() : null;
    if (elts != null) {
      boolean starred = false;
      for (Ast.Expr x : elts) {
        starred |= x instanceof Ast.Starred;
      }
      if (!starred) {
        List<Val> vals = new ArrayList<>(elts.size());
        for (Ast.Expr x : elts) {
          vals.add(value(x, ctx));
        }
        return new Seq(vals, unknown(e));
      }
    }
    return new Alts(alternatives(e, ctx));
  }

  private void bind(Tgt t, Val v, Binding.Kind kind, Span span, Ctx ctx) {
    if (t instanceof One one) {
      if (one.target() == null) {
        return;
      }
      if (v instanceof Alts alts) {
        for (Ref r : alts.refs()) {
          bindings.add(new Binding(ctx.ir.id, kind, one.target(), r, span));
        }
      } else {
        bindings.add(new Binding(ctx.ir.id, kind, one.target(), ((Seq) v).whole(), span));
      }
    } else if (t instanceof TSeq ts && !ts.starred() && v instanceof Seq seq
        && seq.elts().size() == ts.elts().size()) {
      for (int i = 0; i < ts.elts().size(); i++) {
        bind(ts.elts().get(i), seq.elts().get(i), kind, span, ctx);
      }
    }
  }

  /** The values an expression may have: both sides of {@code or} and of {@code x if c else y}. */
  private List<Ref> alternatives(Ast.Expr e, Ctx ctx) {
    if (e instanceof Ast.BoolOp b && b.op().equals("or")) {
      List<Ref> out = new ArrayList<>();
      for (Ast.Expr v : b.values()) {
        out.addAll(alternatives(v, ctx));
      }
      return out;
    }
    if (e instanceof Ast.IfExp i) {
      List<Ref> out = new ArrayList<>();
      conditional(i, ctx, out);
      return out;
    }
    return List.of(expr(e, ctx));
  }

  /**
   * A chain of conditional expressions ({@code a if c else b if d else e}), walked without
   * recursion on the else side. With {@code out}, collects the alternatives of each arm. The walk
   * visits an arm's value before its test; its events are moved after the test's.
   */
  private void conditional(Ast.IfExp top, Ctx ctx, List<Ref> out) {
    EventList.Builder ev = ev(ctx);
    event(Kind.BRANCH, EventList.BranchKind.CONDITIONAL.ordinal(), top, ctx);
    Ast.Expr cur = top;
    while (cur instanceof Ast.IfExp i) {
      int m0 = ev.mark();
      if (out != null) {
        out.addAll(alternatives(i.body(), ctx));
      } else {
        expr(i.body(), ctx);
      }
      int m1 = ev.mark();
      expr(i.test(), ctx);
      event(Kind.TEST, 0, i.test(), ctx);
      ev.moveToEnd(m0, m1);
      cur = i.orelse();
      event(Kind.ARM, 0, cur, ctx);
    }
    if (out != null) {
      out.addAll(alternatives(cur, ctx));
    } else {
      expr(cur, ctx);
    }
    event(Kind.BRANCH_END, 0, lastLine(top), ctx);
  }

  // ================================================================== expressions

  /**
   * Lowers an expression: registers its call sites (pre-order) and returns its Ref. The common
   * leaves are handled here; chains (attribute/call/subscript spines, unary, conditional, lambda
   * and binary-operator chains) are walked iteratively, as expression trees may be 1000 levels
   * high.
   */
  private Ref expr(Ast.Expr e, Ctx ctx) {
    if (e == null) {
      return null;
    }
    if (e instanceof Ast.Name n) {
      Ref r = scopes.resolve(ctx.scope, n.id());
      if (r instanceof Ref.Var v) {
        readVars.add(v);
      }
      if (isModuleVar(r)) {
        ev(ctx).add(Kind.READ_GLOBAL, r, line(n));
      }
      return r;
    }
    if (e instanceof Ast.Constant c) {
      return literal(c);
    }
    if (e instanceof Ast.Attribute || e instanceof Ast.Call || e instanceof Ast.Subscript) {
      return spine(e, ctx);
    }
    return compound(e, ctx);
  }

  /**
   * An attribute/call/subscript chain ({@code a.b(c).d[e].f()}), without recursion along the
   * chain. Call sites are allocated top-down (pre-order) and completed bottom-up.
   */
  private static final String GETITEM = "__getitem__";

  private Ref spine(Ast.Expr top, Ctx ctx) {
    ArrayList<Ast.Expr> nodes = new ArrayList<>();
    ArrayList<CallBuilder> builders = new ArrayList<>();
    Ast.Expr cur = top;
    while (true) {
      if (cur instanceof Ast.Attribute a) {
        nodes.add(a);
        builders.add(null);
        cur = a.value();
      } else if (cur instanceof Ast.Call c) {
        nodes.add(c);
        builders.add(newSite(SourceText.span(c.loc()), ctx));
        cur = c.func();
      } else if (cur instanceof Ast.Subscript sub) {
        nodes.add(sub);
        builders.add(null);
        cur = sub.value();
      } else {
        break;
      }
    }
    Ref ref = expr(cur, ctx);
    for (int i = nodes.size() - 1; i >= 0; i--) {
      Ast.Expr node = nodes.get(i);
      if (node instanceof Ast.Attribute a) {
        ref = attribute(ref, a.attr());
        // A read, unless the attribute is called right away (the call event stands for it).
        boolean called = i > 0 && nodes.get(i - 1) instanceof Ast.Call;
        if (!called) {
          if (ref instanceof Ref.Attr) {
            ev(ctx).add(Kind.READ_ATTR, ref, line(a));
          } else if (ref instanceof Ref.QName) {
            // An attribute of a module: a module variable of another module (or a class's).
            ev(ctx).add(Kind.READ_GLOBAL, ref, line(a));
          }
        }
      } else if (node instanceof Ast.Call c) {
        CallBuilder b = builders.get(i);
        b.callee = ref;
        b.calleeText = strings.of(src.shortText(c.func().loc(), CALLEE_TEXT_MAX));
        b.args = args(c, ctx);
        if (ref instanceof Ref.QName q && q.name().equals("builtins.super")) {
          b.result = superRef(b.args, ctx);
        }
        event(Kind.CALL, b.index, c, ctx);
        ref = callRef(b.index);
      } else {
        // obj[key] reads what obj's __getitem__ gives: its type is pack data (a `kind: type`
        // fact matching Type.__getitem__, e.g. pymongo's client["db"]["coll"]).
        Ast.Subscript sub = (Ast.Subscript) node;
        Ref key = expr(sub.slice(), ctx);
        ev(ctx).item(Kind.READ_ITEM, ref, itemKey(key), line(sub));
        // A slice is a window the program chose, not the container: described as no value.
        ref = ref instanceof Ref.Unknown || sub.slice() instanceof Ast.Slice
            ? unknown(sub) : attribute(ref, GETITEM);
      }
    }
    return ref;
  }

  /** Everything but names, constants and chains. */
  private Ref compound(Ast.Expr e, Ctx ctx) {
    if (e instanceof Ast.Await a) {
      if (a.value() instanceof Ast.Call c) {
        int idx = call(c, ctx);
        calls.get(idx).awaited = true;
        event(Kind.AWAIT, idx + 1, a, ctx);
        return callRef(idx);
      }
      Ref r = expr(a.value(), ctx);
      event(Kind.AWAIT, 0, a, ctx);
      return r;
    }
    if (e instanceof Ast.BinOp b && b.op().equals("/")) {
      return divisions(b, ctx);
    }
    if (e instanceof Ast.BinOp) {
      java.math.BigInteger folded = constantInt(e, 0);
      if (folded != null) {
        return strings.ref(new Ref.Literal(Ref.LiteralKind.NUMBER, strings.of(folded.toString())));
      }
      binOps(e, ctx);
      return unknown(e);
    }
    if (e instanceof Ast.Lambda l) {
      return lambda(l, ctx);
    }
    if (e instanceof Ast.NamedExpr n) {
      Ref target = n.target() instanceof Ast.Name name
          ? scopes.store(ctx.scope.irScope(), name.id()) : null;
      if (target == null) {
        expr(n.target(), ctx);
      }
      List<Ref> alts = alternatives(n.value(), ctx);
      if (target != null) {
        Span span = SourceText.span(n.loc());
        for (Ref r : alts) {
          bindings.add(new Binding(ctx.ir.id, Binding.Kind.ASSIGN, target, r, span));
        }
      }
      return alts.size() == 1 ? alts.get(0) : unknown(e);
    }
    if (e instanceof Ast.UnaryOp) {
      Ast.Expr cur = e;
      while (cur instanceof Ast.UnaryOp u) {
        cur = u.operand();
      }
      expr(cur, ctx);
    } else if (e instanceof Ast.IfExp i) {
      conditional(i, ctx, null);
    } else if (e instanceof Ast.ListComp c) {
      comprehension(c, List.of(c.elt()), c.generators(), ctx);
    } else if (e instanceof Ast.GeneratorExp c) {
      comprehension(c, List.of(c.elt()), c.generators(), ctx);
    } else if (e instanceof Ast.SetComp c) {
      comprehension(c, List.of(c.elt()), c.generators(), ctx);
    } else if (e instanceof Ast.DictComp c) {
      comprehension(c, List.of(c.key(), c.value()), c.generators(), ctx);
    } else if (e instanceof Ast.Tuple t) {
      exprs(t.elts(), ctx);
    } else if (e instanceof Ast.ListExpr l) {
      exprs(l.elts(), ctx);
    } else if (e instanceof Ast.SetExpr s) {
      exprs(s.elts(), ctx);
    } else if (e instanceof Ast.Dict d) {
      for (int i = 0; i < d.values().size(); i++) {
        expr(i < d.keys().size() ? d.keys().get(i) : null, ctx);
        expr(d.values().get(i), ctx);
      }
    } else if (e instanceof Ast.JoinedStr j) {
      exprs(j.values(), ctx);
    } else if (e instanceof Ast.FormattedValue f) {
      expr(f.value(), ctx);
      expr(f.formatSpec(), ctx);
    } else if (e instanceof Ast.BoolOp b) {
      exprs(b.values(), ctx);
    } else if (e instanceof Ast.Compare c) {
      expr(c.left(), ctx);
      exprs(c.comparators(), ctx);
    } else if (e instanceof Ast.Yield y) {
      expr(y.value(), ctx);
      event(Kind.YIELD, 0, y, ctx);
    } else if (e instanceof Ast.YieldFrom y) {
      expr(y.value(), ctx);
      event(Kind.YIELD, 0, y, ctx);
    } else if (e instanceof Ast.Starred s) {
      expr(s.value(), ctx);
    } else if (e instanceof Ast.Slice s) {
      expr(s.lower(), ctx);
      expr(s.upper(), ctx);
      expr(s.step(), ctx);
    }
    return unknown(e);
  }

  /**
   * A chain of divisions, {@code a / b / c}: each is an {@link CallSite.CallFlag#IMPLICIT implicit}
   * call of {@code __truediv__} on its left operand, so that what the operator gives has a type
   * where the left operand's type says (a {@code pathlib.Path} joined with a name is a path).
   * The left-nested chain is walked without recursion; sites are allocated outermost first, as
   * for a chain of calls.
   */
  private Ref divisions(Ast.BinOp top, Ctx ctx) {
    ArrayList<Ast.BinOp> chain = new ArrayList<>();
    ArrayList<CallBuilder> builders = new ArrayList<>();
    Ast.Expr cur = top;
    while (cur instanceof Ast.BinOp b && b.op().equals("/")) {
      chain.add(b);
      CallBuilder builder = newSite(SourceText.span(b.loc()), ctx);
      builder.flags.add(CallSite.CallFlag.IMPLICIT);
      builders.add(builder);
      cur = b.left();
    }
    Ref ref = expr(cur, ctx);
    for (int i = chain.size() - 1; i >= 0; i--) {
      Ast.BinOp b = chain.get(i);
      CallBuilder builder = builders.get(i);
      builder.callee = attribute(ref, "__truediv__");
      builder.calleeText = strings.of(src.shortText(b.loc(), CALLEE_TEXT_MAX));
      builder.args = List.of(new Arg(null, 0, expr(b.right(), ctx), null));
      event(Kind.CALL, builder.index, b, ctx);
      ref = callRef(builder.index);
    }
    return ref;
  }

  /** Adds an {@link CallSite.CallFlag#IMPLICIT implicit} call without arguments; its index. */
  private int implicitCall(Ref callee, String text, Span span, Ctx ctx) {
    CallBuilder b = newSite(span, ctx);
    b.flags.add(CallSite.CallFlag.IMPLICIT);
    b.callee = callee;
    b.calleeText = text;
    return b.index;
  }

  /**
   * The value of an integer expression made of literals and {@code + - * ** // <<} ({@code 10**6},
   * {@code 1_000 * 1_000}), so that a trip count or a size written as arithmetic is a literal;
   * null for anything else, a negative exponent, or a value beyond 64 bits.
   */
  private static java.math.BigInteger constantInt(Ast.Expr e, int depth) {
    if (depth > 16) {
      return null;
    }
    if (e instanceof Ast.Constant c && c.kind() == Ast.ConstKind.INT && c.value() != null) {
      String t = c.value().replace("_", "").toLowerCase(java.util.Locale.ROOT);
      try {
        if (t.startsWith("0x")) {
          return new java.math.BigInteger(t.substring(2), 16);
        } else if (t.startsWith("0o")) {
          return new java.math.BigInteger(t.substring(2), 8);
        } else if (t.startsWith("0b")) {
          return new java.math.BigInteger(t.substring(2), 2);
        }
        return new java.math.BigInteger(t);
      } catch (NumberFormatException ex) {
        return null;
      }
    }
    if (!(e instanceof Ast.BinOp b)) {
      return null;
    }
    java.math.BigInteger l = constantInt(b.left(), depth + 1);
    java.math.BigInteger r = l == null ? null : constantInt(b.right(), depth + 1);
    if (r == null) {
      return null;
    }
    java.math.BigInteger v = switch (b.op()) {
      case "+" -> l.add(r);
      case "-" -> l.subtract(r);
      case "*" -> l.multiply(r);
      case "//" -> r.signum() == 0 ? null : l.divide(r);
      case "<<" -> r.signum() < 0 || r.compareTo(java.math.BigInteger.valueOf(64)) > 0
          ? null : l.shiftLeft(r.intValue());
      case "**" -> r.signum() < 0 || r.compareTo(java.math.BigInteger.valueOf(64)) > 0
          || l.abs().compareTo(java.math.BigInteger.valueOf(1L << 20)) > 0
          ? null : l.pow(r.intValue());
      default -> null;
    };
    return v == null || v.bitLength() > 63 ? null : v;
  }

  /** The operands of a binary-operator tree, in source order, without recursion on operators. */
  private void binOps(Ast.Expr root, Ctx ctx) {
    ArrayDeque<Ast.Expr> stack = new ArrayDeque<>();
    stack.push(root);
    while (!stack.isEmpty()) {
      Ast.Expr x = stack.pop();
      if (x instanceof Ast.BinOp b) {
        stack.push(b.right());
        stack.push(b.left());
      } else {
        expr(x, ctx);
      }
    }
  }

  private void exprs(List<Ast.Expr> es, Ctx ctx) {
    for (Ast.Expr e : es) {
      expr(e, ctx);
    }
  }

  private Ref attribute(Ref base, String attr) {
    if (base instanceof Ref.QName q) {
      return strings.ref(new Ref.QName(strings.of(q.name() + "." + attr)));
    }
    return strings.ref(new Ref.Attr(base, attr));
  }

  private Ref unknown(Ast.Expr e) {
    return strings.ref(new Ref.Unknown(strings.of(src.shortText(e.loc(), CALLEE_TEXT_MAX))));
  }

  private Ref literal(Ast.Constant c) {
    return strings.ref(switch (c.kind()) {
      case STR -> new Ref.Literal(Ref.LiteralKind.STRING, c.value() == null ? "" : strings.of(c.value()));
      case INT, FLOAT, COMPLEX -> new Ref.Literal(Ref.LiteralKind.NUMBER, strings.of(c.value()));
      case TRUE -> new Ref.Literal(Ref.LiteralKind.BOOL, "True");
      case FALSE -> new Ref.Literal(Ref.LiteralKind.BOOL, "False");
      case NONE -> new Ref.Literal(Ref.LiteralKind.NONE, "None");
      case ELLIPSIS -> new Ref.Literal(Ref.LiteralKind.OTHER, "...");
      case BYTES -> new Ref.Literal(Ref.LiteralKind.OTHER,
          "b'" + (c.value() == null ? "" : c.value()) + "'");
    });
  }

  /**
   * Comprehension parts in source order: the element(s), then each {@code for}: its target, its
   * iterable (the first one is evaluated in the enclosing scope, outside the loop) and its
   * conditions. Generator {@code i} (0-based) runs at loop depth +i+1; the element at +n.
   */
  private void comprehension(Ast.Expr node, List<Ast.Expr> elts, List<Ast.Comprehension> gens,
      Ctx ctx) {
    Scope cs = scopes.of(node);
    Ctx inner = ctx.resolvingIn(cs);
    Ctx eltCtx = inner;
    for (int i = 0; i < gens.size(); i++) {
      eltCtx = eltCtx.loop(CallSite.LoopKind.COMPREHENSION);
    }
    // The walk visits the elements first; they run innermost, after each loop's iterable, step
    // and conditions: their events are moved after the loops'.
    EventList.Builder ev = ev(ctx);
    int m0 = ev.mark();
    for (Ast.Expr elt : elts) {
      expr(elt, eltCtx);
    }
    int m1 = ev.mark();
    Ctx level = inner;
    for (int i = 0; i < gens.size(); i++) {
      Ast.Comprehension g = gens.get(i);
      Ctx iterCtx = i == 0 ? ctx : level;
      Ctx body = level.loop(CallSite.LoopKind.COMPREHENSION);
      int w0 = writes.size();
      int t0 = ev.mark();
      event(Kind.LOOP, CallSite.LoopKind.COMPREHENSION.ordinal(), g, ctx);
      if (g.isAsync()) {
        event(Kind.AWAIT, 0, g, ctx);
      }
      target(g.target(), body);
      // A comprehension's variables are its own, even at module level.
      writes.subList(w0, writes.size()).removeIf(x -> x.kind() == Kind.WRITE_GLOBAL);
      flushWrites(w0, ctx);
      int t1 = ev.mark();
      Ref iterable;
      if (g.isAsync() && g.iter() instanceof Ast.Call c) {
        int idx = call(c, iterCtx);
        calls.get(idx).awaited = true;
        iterable = callRef(idx);
      } else {
        iterable = expr(g.iter(), iterCtx);
      }
      ev.add(Kind.ITER, iterable == null ? unknown(g.iter()) : iterable, line(g));
      ev.moveToEnd(t0, t1);
      exprs(g.ifs(), body);
      level = body;
    }
    ev.moveToEnd(m0, m1);
    for (int i = 0; i < gens.size(); i++) {
      event(Kind.LOOP_END, 0, lastLine(node), ctx);
    }
  }

  // ================================================================== calls

  /** Lowers a call expression; returns its site index. */
  private int call(Ast.Call c, Ctx ctx) {
    int idx = calls.size();
    spine(c, ctx);
    return idx;
  }

  /** Allocates the site of a call (pre-order), with the flags of where it stands. */
  /** Allocates a call site spanning {@code span}, with the flags of where {@code ctx} stands. */
  private CallBuilder newSite(Span span, Ctx ctx) {
    CallBuilder b = new CallBuilder(calls.size(), ctx.ir.id, span, ctx.loopDepth, ctx.loopKind);
    calls.add(b);
    if (ctx.mainGuard) {
      b.flags.add(CallSite.CallFlag.MAIN_GUARD);
    }
    if (ctx.typeChecking) {
      b.flags.add(CallSite.CallFlag.TYPE_CHECKING_ONLY);
    }
    if (ctx.inTry) {
      b.flags.add(CallSite.CallFlag.IN_TRY);
    }
    if (ctx.decorator) {
      b.flags.add(CallSite.CallFlag.DECORATOR);
    }
    return b;
  }

  private Ref callRef(int idx) {
    Ref r = calls.get(idx).result;
    return r != null ? r : new Ref.Call(idx);
  }

  /** Positional arguments and keywords, merged in source order. */
  private List<Arg> args(Ast.Call c, Ctx ctx) {
    List<Ast.Expr> pos = c.args();
    List<Ast.Keyword> kws = c.keywords();
    if (pos.isEmpty() && kws.isEmpty()) {
      return List.of();
    }
    List<Arg> out = new ArrayList<>(pos.size() + kws.size());
    int i = 0;
    int k = 0;
    int position = 0;
    while (i < pos.size() || k < kws.size()) {
      boolean takeKeyword = i >= pos.size()
          || (k < kws.size() && before(kws.get(k).loc(), pos.get(i).loc()));
      if (takeKeyword) {
        Ast.Keyword kw = kws.get(k++);
        Ref v = expr(kw.value(), ctx);
        out.add(new Arg(kw.arg() == null ? "**" : strings.of(kw.arg()), -1, v, argText(kw.value())));
      } else {
        Ast.Expr a = pos.get(i++);
        // Positional texts only where something reads them (review compares decorators by
        // their text); most arguments are positional, and their texts would be a large part of
        // the IR.
        if (a instanceof Ast.Starred st) {
          Ref v = expr(st.value(), ctx);
          out.add(new Arg("*", -1, v, ctx.decorator ? argText(st.value()) : null));
        } else {
          Ref v = expr(a, ctx);
          out.add(new Arg(null, position++, v, ctx.decorator ? argText(a) : null));
        }
      }
    }
    return List.copyOf(out);
  }

  private String argText(Ast.Expr e) {
    return strings.of(src.shortText(e.loc(), ARG_TEXT_MAX));
  }

  private static boolean before(Ast.Loc a, Ast.Loc b) {
    if (a.line() <= 0 || b.line() <= 0) {
      return false;
    }
    return a.line() < b.line() || (a.line() == b.line() && a.col() < b.col());
  }

  /** {@code super()} in a method, or {@code super(C, self)} naming an enclosing class. */
  private Ref superRef(List<Arg> args, Ctx ctx) {
    if (args.isEmpty()) {
      Scope cls = Scopes.methodClass(ctx.scope);
      return cls == null ? null : new Ref.Super(cls.id);
    }
    if (args.size() == 2 && args.get(0).value() instanceof Ref.QName q) {
      for (Scope s = ctx.scope; s != null; s = s.parent) {
        if (s.kind == Scope.Kind.CLASS && s.qualifiedName.equals(q.name())) {
          return new Ref.Super(s.id);
        }
      }
    }
    return null;
  }

  // ================================================================== types

  private static final Pattern DOTTED =
      Pattern.compile("[\\p{L}_][\\p{L}\\p{N}_]*(?:\\s*\\.\\s*[\\p{L}_][\\p{L}\\p{N}_]*)*");
  private static final Pattern STRING_GENERIC =
      Pattern.compile("(?s)^(?:[\\p{L}_][\\p{L}\\p{N}_]*\\.)*"
          + "(Optional|Union|Annotated|Final|ClassVar|Required|NotRequired|ReadOnly)\\[(.*)]$");

  private static final Set<String> TYPING_MODULES = Set.of("typing", "typing_extensions");
  private static final Set<String> WRAPPERS =
      Set.of("Annotated", "Final", "ClassVar", "Required", "NotRequired", "ReadOnly");

  /**
   * The type an annotation names: {@code Optional[X]}, {@code X | None}, {@code Union[X, None]},
   * {@code Annotated[X, ...]}, {@code Final[X]}, {@code ClassVar[X]} unwrap to X; string
   * annotations are read the same way; another subscript {@code G[...]} names {@code G}; a
   * union of several types and anything else is Unknown. Pure: registers no call sites.
   */
  private Ref typeRef(Ast.Expr e, Scope scope) {
    if (e == null) {
      return null;
    }
    if (e instanceof Ast.Constant c) {
      if (c.kind() == Ast.ConstKind.NONE) {
        return new Ref.Literal(Ref.LiteralKind.NONE, "None");
      }
      if (c.kind() == Ast.ConstKind.STR && c.value() != null) {
        return stringType(c.value(), scope, 0);
      }
      return unknown(e);
    }
    if (e instanceof Ast.Name || e instanceof Ast.Attribute) {
      return pure(e, scope);
    }
    if (e instanceof Ast.BinOp b && b.op().equals("|")) {
      List<Ast.Expr> parts = new ArrayList<>();
      flattenUnion(b, parts);
      Ast.Expr only = null;
      int count = 0;
      for (Ast.Expr p : parts) {
        if (!isNone(p)) {
          only = p;
          count++;
        }
      }
      return count == 1 ? typeRef(only, scope) : unknown(e);
    }
    if (e instanceof Ast.Subscript s) {
      Ref base = pure(s.value(), scope);
      String special = typingName(base);
      List<Ast.Expr> items = s.slice() instanceof Ast.Tuple t ? t.elts() : List.of(s.slice());
      if ("Optional".equals(special)) {
        return items.size() == 1 ? typeRef(items.get(0), scope) : unknown(e);
      }
      if ("Union".equals(special)) {
        Ast.Expr only = null;
        int count = 0;
        for (Ast.Expr p : items) {
          if (!isNone(p)) {
            only = p;
            count++;
          }
        }
        return count == 1 ? typeRef(only, scope) : unknown(e);
      }
      if (special != null && WRAPPERS.contains(special)) {
        return items.isEmpty() ? unknown(e) : typeRef(items.get(0), scope);
      }
      if (base instanceof Ref.QName || base instanceof Ref.Var || base instanceof Ref.Attr) {
        return base;
      }
      return unknown(e);
    }
    return unknown(e);
  }

  private static void flattenUnion(Ast.Expr e, List<Ast.Expr> out) {
    ArrayDeque<Ast.Expr> stack = new ArrayDeque<>();
    stack.push(e);
    while (!stack.isEmpty()) {
      Ast.Expr x = stack.pop();
      if (x instanceof Ast.BinOp b && b.op().equals("|")) {
        stack.push(b.right());
        stack.push(b.left());
      } else {
        out.add(x);
      }
    }
  }

  private static boolean isNone(Ast.Expr e) {
    return (e instanceof Ast.Constant c && c.kind() == Ast.ConstKind.NONE)
        || (e instanceof Ast.Constant s && s.kind() == Ast.ConstKind.STR
            && "None".equals(s.value() == null ? null : s.value().trim()));
  }

  /** The simple name of a typing special form, or null. */
  private static String typingName(Ref base) {
    if (base instanceof Ref.QName q) {
      int dot = q.name().lastIndexOf('.');
      if (dot > 0 && TYPING_MODULES.contains(q.name().substring(0, dot))) {
        return q.name().substring(dot + 1);
      }
      return null;
    }
    if (base instanceof Ref.Unknown u) {
      // Unresolved (e.g. a missing import): accept the bare special-form names.
      return u.text();
    }
    return null;
  }

  /** A string annotation: {@code "pkg.X"}, {@code "X"}, {@code "Optional[X]"}, {@code "X | None"}. */
  private Ref stringType(String text, Scope scope, int depth) {
    String t = text.strip();
    if (depth > 20 || t.isEmpty()) {
      return new Ref.Unknown(SourceText.shorten(text, CALLEE_TEXT_MAX));
    }
    List<String> union = splitTopLevel(t, '|');
    if (union.size() > 1) {
      String only = null;
      int count = 0;
      for (String p : union) {
        if (!p.strip().equals("None")) {
          only = p;
          count++;
        }
      }
      return count == 1 ? stringType(only, scope, depth + 1)
          : new Ref.Unknown(SourceText.shorten(t, CALLEE_TEXT_MAX));
    }
    Matcher m = STRING_GENERIC.matcher(t);
    if (m.matches()) {
      List<String> items = splitTopLevel(m.group(2), ',');
      switch (m.group(1)) {
        case "Optional" -> {
          return items.size() == 1 ? stringType(items.get(0), scope, depth + 1)
              : new Ref.Unknown(SourceText.shorten(t, CALLEE_TEXT_MAX));
        }
        case "Union" -> {
          String only = null;
          int count = 0;
          for (String p : items) {
            if (!p.strip().equals("None")) {
              only = p;
              count++;
            }
          }
          return count == 1 ? stringType(only, scope, depth + 1)
              : new Ref.Unknown(SourceText.shorten(t, CALLEE_TEXT_MAX));
        }
        default -> {
          return stringType(items.get(0), scope, depth + 1);
        }
      }
    }
    if (DOTTED.matcher(t).matches()) {
      String[] parts = t.split("\\s*\\.\\s*");
      Ref r = scopes.resolve(scope, parts[0]);
      for (int i = 1; i < parts.length; i++) {
        r = attribute(r, parts[i]);
      }
      return r;
    }
    int bracket = t.indexOf('[');
    if (bracket > 0 && t.endsWith("]") && DOTTED.matcher(t.substring(0, bracket)).matches()) {
      // Another generic: its origin.
      return stringType(t.substring(0, bracket), scope, depth + 1);
    }
    return new Ref.Unknown(SourceText.shorten(t, CALLEE_TEXT_MAX));
  }

  private static List<String> splitTopLevel(String s, char sep) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '[' || c == '(') {
        depth++;
      } else if (c == ']' || c == ')') {
        depth--;
      } else if (c == sep && depth == 0) {
        out.add(s.substring(start, i));
        start = i + 1;
      }
    }
    out.add(s.substring(start));
    return out;
  }

  /** Name and attribute chains resolved without registering call sites. */
  private Ref pure(Ast.Expr e, Scope scope) {
    if (e instanceof Ast.Name n) {
      Ref r = scopes.resolve(scope, n.id());
      if (r instanceof Ref.Var v) {
        readVars.add(v);
      }
      return r;
    }
    if (e instanceof Ast.Attribute a) {
      return attribute(pure(a.value(), scope), a.attr());
    }
    if (e instanceof Ast.Constant c) {
      return literal(c);
    }
    return unknown(e);
  }

  // ================================================================== conditions

  private static boolean isMainGuardTest(Ast.Expr test) {
    if (test instanceof Ast.Compare c && c.ops().size() == 1 && c.ops().get(0).equals("==")
        && c.comparators().size() == 1) {
      Ast.Expr l = c.left();
      Ast.Expr r = c.comparators().get(0);
      return (isDunderName(l) && isMainString(r)) || (isMainString(l) && isDunderName(r));
    }
    return false;
  }

  private static boolean isDunderName(Ast.Expr e) {
    return e instanceof Ast.Name n && n.id().equals("__name__");
  }

  private static boolean isMainString(Ast.Expr e) {
    return e instanceof Ast.Constant c && c.kind() == Ast.ConstKind.STR
        && "__main__".equals(c.value());
  }

  private static boolean isTypeCheckingTest(Ast.Expr test) {
    return "TYPE_CHECKING".equals(lastName(test));
  }

  private static boolean isAlwaysTrue(Ast.Expr test) {
    if (test instanceof Ast.Constant c) {
      if (c.kind() == Ast.ConstKind.TRUE) {
        return true;
      }
      if (c.kind() == Ast.ConstKind.INT && c.value() != null) {
        String digits = c.value().replace("_", "");
        for (int i = 0; i < digits.length(); i++) {
          char ch = digits.charAt(i);
          if (ch != '0' && ch != 'x' && ch != 'X' && ch != 'o' && ch != 'O' && ch != 'b'
              && ch != 'B') {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** A try whose handlers catch broadly: a bare except, Exception or BaseException. */
  private static boolean catchesBroadly(Ast.Try t) {
    for (Ast.ExceptHandler h : t.handlers()) {
      if (h.type() == null) {
        return true;
      }
      List<Ast.Expr> types = h.type() instanceof Ast.Tuple tu ? tu.elts() : List.of(h.type());
      for (Ast.Expr x : types) {
        String n = lastName(x);
        if ("Exception".equals(n) || "BaseException".equals(n)) {
          return true;
        }
      }
    }
    return false;
  }

  /** {@code x} for a Name x or an Attribute {@code ... .x}; else null. */
  private static String lastName(Ast.Expr e) {
    if (e instanceof Ast.Name n) {
      return n.id();
    }
    if (e instanceof Ast.Attribute a) {
      return a.attr();
    }
    return null;
  }
}
