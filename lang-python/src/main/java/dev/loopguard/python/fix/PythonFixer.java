package dev.loopguard.python.fix;

import dev.loopguard.core.fix.FixOutcome;
import dev.loopguard.core.fix.FixSite;
import dev.loopguard.core.fix.TextEdit;
import dev.loopguard.core.ir.Span;
import dev.loopguard.core.model.Confidence;
import dev.loopguard.python.ast.Ast;
import dev.loopguard.python.ast.Ast.Node;
import dev.loopguard.python.ast.AstWalker;
import dev.loopguard.python.ast.ParseResult;
import dev.loopguard.python.parse.PythonParser;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rewrites {@code loopguard fix} makes in a Python file, as text edits. A site is rewritten
 * only when it is a direct finding of high confidence whose call stands in the body of an
 * {@code async def} itself (not in a lambda, a nested {@code def} or class, a comprehension, a
 * decorator or a default value) as a whole statement, an assigned value or a returned value:
 * <ul>
 *   <li>a call with an awaited twin of the same arguments ({@code fixes.yaml}):
 *       {@code time.sleep(x)} becomes {@code await asyncio.sleep(x)};
 *   <li>any other call of a dotted name that may run in another thread becomes
 *       {@code await asyncio.to_thread(f, args...)} (keyword arguments pass through:
 *       {@code to_thread} forwards them).
 * </ul>
 * An {@code import asyncio} is added once, after the module docstring and the {@code __future__}
 * imports, when the module has none. Files that use trio, anyio or curio, that bind the name
 * {@code asyncio} to something else, or that do not parse are left alone.
 */
public final class PythonFixer {
  private static final Set<String> OTHER_LOOPS = Set.of("trio", "anyio", "curio");

  private final FixPolicy policy;

  public PythonFixer() {
    this(FixPolicy.builtIn());
  }

  PythonFixer(FixPolicy policy) {
    this.policy = policy;
  }

  /** The edits for {@code sites} in {@code text}. */
  public FixOutcome fix(String text, List<FixSite> sites) {
    if (sites.isEmpty()) {
      return new FixOutcome(List.of(), List.of(), List.of());
    }
    ParseResult parsed = PythonParser.parse(text);
    if (!parsed.errors().isEmpty()) {
      return FixOutcome.none(sites, "the file does not parse, so it is not rewritten");
    }
    Ast.Mod mod = parsed.module();
    String other = otherEventLoop(mod);
    if (other != null) {
      return FixOutcome.none(sites, "the file uses " + other + ", where asyncio's sleep and to_thread do not apply");
    }
    if (bindsAsyncioOtherwise(mod)) {
      return FixOutcome.none(sites, "the file binds the name asyncio to something other than the asyncio module");
    }
    Source src = new Source(text);
    Map<Span, Found> calls = findCalls(mod, sites);

    List<TextEdit> edits = new ArrayList<>();
    List<FixSite> fixed = new ArrayList<>();
    List<FixOutcome.Skipped> skipped = new ArrayList<>();
    Map<Span, String> done = new HashMap<>();
    for (FixSite site : sites) {
      if (done.containsKey(site.span())) { // two findings on one call: one rewrite
        if (done.get(site.span()) == null) {
          fixed.add(site);
        } else {
          skipped.add(new FixOutcome.Skipped(site, done.get(site.span())));
        }
        continue;
      }
      String reason = null;
      TextEdit edit = null;
      if (!policy.fixes(site.rule())) {
        reason = "no automatic fix for rule " + site.rule();
      } else if (site.confidence() != Confidence.HIGH || !site.direct() || site.inferred()) {
        reason = "only a direct blocking call of high confidence is rewritten (this one goes through "
            + (site.direct() ? "a heuristic" : "a helper") + ")";
      } else {
        Found f = calls.get(site.span());
        if (f == null) {
          reason = "the finding is not at a call expression (an implicit call, such as a with statement or an operator)";
        } else if (f.notAsync() != null) {
          reason = f.notAsync();
        } else if (!f.wholeValue()) {
          reason = "the call is part of a larger expression; only a call that is a whole statement, an assigned or a returned value is rewritten";
        } else {
          String twin = policy.awaitReplacement(site.api());
          if (!isDottedName(f.call().func())) {
            reason = "the callee is not a plain (dotted) name, so rewriting the call could drop or move other work";
          } else if (twin != null) {
            edit = new TextEdit(site.span(), "await " + twin + src.text(f.call().func().loc().endLine(),
                f.call().func().loc().endCol(), f.call().loc().endLine(), f.call().loc().endCol()));
          } else if ((reason = policy.neverOffload(site)) == null) {
            if (f.call().args().size() == 1 && f.call().keywords().isEmpty()
                && f.call().args().get(0) instanceof Ast.GeneratorExp) {
              reason = "a generator argument would be consumed in the worker thread";
            } else {
              edit = new TextEdit(site.span(), "await asyncio.to_thread(" + src.text(f.call().func().loc()) + args(src, f.call()) + ")");
            }
          }
        }
      }
      done.put(site.span(), reason);
      if (edit != null) {
        edits.add(edit);
        fixed.add(site);
      } else {
        skipped.add(new FixOutcome.Skipped(site, reason));
      }
    }
    if (!edits.isEmpty() && !importsAsyncio(mod)) {
      edits.add(importEdit(mod, src));
    }
    return new FixOutcome(List.copyOf(edits), List.copyOf(fixed), List.copyOf(skipped));
  }

  /** {@code , <the text between the call's parentheses>}, or nothing when there is none. */
  private static String args(Source src, Ast.Call call) {
    Ast.Loc func = call.func().loc();
    Ast.Loc c = call.loc();
    String after = src.text(func.endLine(), func.endCol(), c.endLine(), c.endCol());
    int open = after.indexOf('(');
    String inner = after.substring(open + 1, after.length() - 1).replaceFirst("^[ \t]+", "");
    if (inner.isBlank()) {
      return "";
    }
    // arguments that start on the next line stay there, without a space before the line break
    return (inner.startsWith("\n") || inner.startsWith("\r") ? "," : ", ") + inner;
  }

  private static boolean isDottedName(Ast.Expr e) {
    while (e instanceof Ast.Attribute a) {
      e = a.value();
    }
    return e instanceof Ast.Name;
  }

  /** A call at a site, and whether it may be rewritten where it stands. */
  private record Found(Ast.Call call, String notAsync, boolean wholeValue) {}

  private static Map<Span, Found> findCalls(Ast.Mod mod, List<FixSite> sites) {
    Set<Span> wanted = new java.util.HashSet<>();
    sites.forEach(s -> wanted.add(s.span()));
    Map<Span, Found> out = new LinkedHashMap<>();
    List<Node> path = new ArrayList<>();
    AstWalker.walk(mod, new AstWalker.Visitor() {
      @Override
      public boolean enter(Node n) {
        if (n instanceof Ast.Call c) {
          Ast.Loc l = c.loc();
          Span span = Span.of(l.line(), l.col() + 1, l.endLine(), l.endCol() + 1);
          if (wanted.contains(span)) {
            Node parent = path.get(path.size() - 1);
            out.putIfAbsent(span, new Found(c, scopeProblem(path), isWholeValue(parent, c)));
          }
        }
        path.add(n);
        return true;
      }

      @Override
      public void leave(Node n) {
        path.remove(path.size() - 1);
      }
    });
    return out;
  }

  /** Null when the innermost scope around the end of {@code path} is the body of an async def; else why not. */
  private static String scopeProblem(List<Node> path) {
    for (int i = path.size() - 1; i >= 0; i--) {
      Node n = path.get(i);
      if (n instanceof Ast.Lambda) {
        return "the call is in a lambda, where await cannot stand";
      }
      if (n instanceof Ast.ListComp || n instanceof Ast.SetComp || n instanceof Ast.DictComp
          || n instanceof Ast.GeneratorExp) {
        return "the call is in a comprehension, where an await would change what it makes";
      }
      if (n instanceof Ast.ClassDef) {
        return "the call is in a class body, which is not async";
      }
      if (n instanceof Ast.FunctionDef fd) {
        Node next = i + 1 < path.size() ? path.get(i + 1) : null;
        boolean inBody = next != null && fd.body().stream().anyMatch(s -> s == next);
        if (!inBody) {
          return "the call is in a decorator, a default value or an annotation, which run outside the function";
        }
        return fd.isAsync() ? null : "the call is in a sync def, where await cannot stand";
      }
    }
    return "the call is not in a function";
  }

  private static boolean isWholeValue(Node parent, Ast.Call c) {
    return (parent instanceof Ast.ExprStmt s && s.value() == c)
        || (parent instanceof Ast.Assign a && a.value() == c)
        || (parent instanceof Ast.AnnAssign a && a.value() == c)
        || (parent instanceof Ast.AugAssign a && a.value() == c)
        || (parent instanceof Ast.Return r && r.value() == c);
  }

  /** The first of trio, anyio, curio the file imports, or null. */
  private static String otherEventLoop(Ast.Mod mod) {
    String[] found = new String[1];
    AstWalker.forEach(mod, n -> {
      if (found[0] != null) {
        return;
      }
      if (n instanceof Ast.Import i) {
        for (Ast.Alias a : i.names()) {
          String root = a.name().split("\\.", 2)[0];
          if (OTHER_LOOPS.contains(root)) {
            found[0] = root;
          }
        }
      } else if (n instanceof Ast.ImportFrom f && f.level() == 0 && f.module() != null) {
        String root = f.module().split("\\.", 2)[0];
        if (OTHER_LOOPS.contains(root)) {
          found[0] = root;
        }
      }
    });
    return found[0];
  }

  /** Whether anything in the file binds {@code asyncio} other than {@code import asyncio[.x]}. */
  private static boolean bindsAsyncioOtherwise(Ast.Mod mod) {
    boolean[] bad = new boolean[1];
    AstWalker.forEach(mod, n -> {
      if (n instanceof Ast.Import i) {
        for (Ast.Alias a : i.names()) {
          if ("asyncio".equals(a.asname()) && !a.name().equals("asyncio")) {
            bad[0] = true;
          }
        }
      } else if (n instanceof Ast.ImportFrom f) {
        for (Ast.Alias a : f.names()) {
          if ("asyncio".equals(a.asname() != null ? a.asname() : a.name())) {
            bad[0] = true;
          }
        }
      } else if (n instanceof Ast.FunctionDef fd && fd.name().equals("asyncio")
          || n instanceof Ast.ClassDef cd && cd.name().equals("asyncio")
          || n instanceof Ast.Arg a && a.name().equals("asyncio")
          || n instanceof Ast.ExceptHandler h && "asyncio".equals(h.name())) {
        bad[0] = true;
      } else if (n instanceof Ast.Assign a) {
        a.targets().forEach(t -> bad[0] |= namesAsyncio(t));
      } else if (n instanceof Ast.AugAssign a) {
        bad[0] |= namesAsyncio(a.target());
      } else if (n instanceof Ast.AnnAssign a) {
        bad[0] |= namesAsyncio(a.target());
      } else if (n instanceof Ast.For f) {
        bad[0] |= namesAsyncio(f.target());
      } else if (n instanceof Ast.WithItem w && w.optionalVars() != null) {
        bad[0] |= namesAsyncio(w.optionalVars());
      } else if (n instanceof Ast.NamedExpr ne) {
        bad[0] |= namesAsyncio(ne.target());
      } else if (n instanceof Ast.Comprehension c) {
        bad[0] |= namesAsyncio(c.target());
      } else if (n instanceof Ast.Delete d) {
        d.targets().forEach(t -> bad[0] |= namesAsyncio(t));
      } else if (n instanceof Ast.Global g && g.names().contains("asyncio")
          || n instanceof Ast.Nonlocal nl && nl.names().contains("asyncio")) {
        bad[0] = true;
      }
    });
    return bad[0];
  }

  private static boolean namesAsyncio(Ast.Expr target) {
    if (target instanceof Ast.Name n) {
      return n.id().equals("asyncio");
    }
    if (target instanceof Ast.Tuple t) {
      return t.elts().stream().anyMatch(PythonFixer::namesAsyncio);
    }
    if (target instanceof Ast.ListExpr l) {
      return l.elts().stream().anyMatch(PythonFixer::namesAsyncio);
    }
    return target instanceof Ast.Starred s && namesAsyncio(s.value());
  }

  /** Whether the module's own statements import asyncio ({@code import asyncio}, {@code import asyncio.x}). */
  private static boolean importsAsyncio(Ast.Mod mod) {
    for (Ast.Stmt s : mod.body()) {
      if (s instanceof Ast.Import i) {
        for (Ast.Alias a : i.names()) {
          if (a.asname() == null && (a.name().equals("asyncio") || a.name().startsWith("asyncio."))) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** {@code import asyncio} after the docstring and the __future__ imports, else before the first statement. */
  private static TextEdit importEdit(Ast.Mod mod, Source src) {
    List<Ast.Stmt> body = mod.body();
    int after = 0;
    if (!body.isEmpty() && body.get(0) instanceof Ast.ExprStmt e && e.value() instanceof Ast.Constant c
        && c.kind() == Ast.ConstKind.STR) {
      after = 1;
    }
    while (after < body.size() && body.get(after) instanceof Ast.ImportFrom f && f.level() == 0
        && "__future__".equals(f.module())) {
      after++;
    }
    String nl = src.newline();
    if (after == 0) {
      int line = body.get(0).loc().line();
      if (body.get(0) instanceof Ast.FunctionDef fd) {
        for (Ast.Expr d : fd.decorators()) {
          line = Math.min(line, d.loc().line());
        }
      } else if (body.get(0) instanceof Ast.ClassDef cd) {
        for (Ast.Expr d : cd.decorators()) {
          line = Math.min(line, d.loc().line());
        }
      }
      return TextEdit.insert(line, 1, "import asyncio" + nl);
    }
    int end = body.get(after - 1).loc().endLine();
    if (end < src.lines()) {
      return TextEdit.insert(end + 1, 1, "import asyncio" + nl);
    }
    // the statement ends on the last line: after it, on a new line
    int lastLen = src.lineLength(end);
    return TextEdit.insert(end, lastLen + 1, (src.endsWithNewline() ? "" : nl) + "import asyncio" + nl);
  }

  /** The file's text by lines and 0-based UTF-16 columns. */
  private static final class Source {
    private final String text;
    private final List<Integer> starts = new ArrayList<>();

    Source(String text) {
      this.text = text;
      starts.add(0);
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
          starts.add(i + 1);
        }
      }
    }

    String text(Ast.Loc l) {
      return text(l.line(), l.col(), l.endLine(), l.endCol());
    }

    String text(int line, int col, int endLine, int endCol) {
      return text.substring(starts.get(line - 1) + col, starts.get(endLine - 1) + endCol);
    }

    /** Lines, a last line without a line break included. */
    int lines() {
      return endsWithNewline() ? starts.size() - 1 : starts.size();
    }

    /** The length of a line without its line break. */
    int lineLength(int line) {
      int s = starts.get(line - 1);
      int e = line < starts.size() ? starts.get(line) : text.length();
      while (e > s && (text.charAt(e - 1) == '\n' || text.charAt(e - 1) == '\r')) {
        e--;
      }
      return e - s;
    }

    boolean endsWithNewline() {
      return !text.isEmpty() && (text.endsWith("\n") || text.endsWith("\r"));
    }

    String newline() {
      int n = text.indexOf('\n');
      if (n > 0 && text.charAt(n - 1) == '\r') {
        return "\r\n";
      }
      return n < 0 && text.indexOf('\r') >= 0 ? "\r" : "\n";
    }
  }
}
