package dev.loopguard.python.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopguard.python.ast.Ast;
import dev.loopguard.python.ast.Ast.Loc;
import dev.loopguard.python.ast.AstWalker;
import dev.loopguard.python.ast.ParseResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Readable spot checks; {@link SnippetTest} compares complete trees with CPython. */
class ParserTest {

  static Ast.Mod ok(String src) {
    ParseResult r = PythonParser.parse(src);
    assertThat(r.errors()).as(src).isEmpty();
    return r.module();
  }

  static <T extends Ast.Node> List<T> all(Ast.Node root, Class<T> type) {
    List<T> out = new ArrayList<>();
    AstWalker.forEach(root, n -> {
      if (type.isInstance(n)) {
        out.add(type.cast(n));
      }
    });
    return out;
  }

  static Loc loc(int l, int c, int el, int ec) {
    return new Loc(l, c, el, ec);
  }

  @Test
  void functionLocStartsAtDefOrAsyncNotAtDecorators() {
    Ast.Mod m = ok("@app.get('/x')\n@cached\nasync def handler(req):\n    return await db.q()\n");
    Ast.FunctionDef f = (Ast.FunctionDef) m.body().get(0);
    assertThat(f.isAsync()).isTrue();
    assertThat(f.loc()).isEqualTo(loc(3, 0, 4, 23));
    assertThat(f.nameLoc()).isEqualTo(loc(3, 10, 3, 17));
    assertThat(f.decorators()).hasSize(2);
    assertThat(f.decorators().get(0)).isInstanceOf(Ast.Call.class);
    Ast.ClassDef c = (Ast.ClassDef) ok("@dataclass\nclass A(B):\n    x: int\n").body().get(0);
    assertThat(c.loc()).isEqualTo(loc(2, 0, 3, 10));
    assertThat(c.nameLoc()).isEqualTo(loc(2, 6, 2, 7));
  }

  @Test
  void callsInsideFStringsAreRealCalls() {
    Ast.Mod m = ok("x = f'{time.sleep(1)} and {requests.get(u)!r:>{width()}}'\n");
    List<Ast.Call> calls = all(m, Ast.Call.class);
    assertThat(calls).extracting(c -> c.loc()).containsExactly(loc(1, 7, 1, 20),
        loc(1, 27, 1, 42), loc(1, 47, 1, 54));
    Ast.Attribute f = (Ast.Attribute) calls.get(0).func();
    assertThat(f.attr()).isEqualTo("sleep");
  }

  @Test
  void nestedFStringsAndDebugExpressions() {
    Ast.Mod m = ok("s = f\"{f'{f\"{x}\"}'} {y=} {z!a:{w}}\"\n");
    assertThat(all(m, Ast.JoinedStr.class)).hasSize(4); // outer, two nested, z's format spec
    Ast.JoinedStr outer = (Ast.JoinedStr) ((Ast.Assign) m.body().get(0)).value();
    List<Ast.Expr> v = outer.values();
    // the debug text merges with the literal before it, as in CPython
    assertThat(v.get(1)).isEqualTo(new Ast.Constant(loc(1, 19, 1, 23), Ast.ConstKind.STR, " y="));
    assertThat(((Ast.FormattedValue) v.get(2)).conversion()).isEqualTo('r');
    Ast.FormattedValue z = (Ast.FormattedValue) v.get(4);
    assertThat(z.conversion()).isEqualTo('a');
    assertThat(z.formatSpec()).isInstanceOf(Ast.JoinedStr.class);
  }

  @Test
  void adjacentLiteralsAreOneNode() {
    Ast.ExprStmt s = (Ast.ExprStmt) ok("'a' \"b\" '''c'''\n").body().get(0);
    assertThat(s.value()).isEqualTo(new Ast.Constant(loc(1, 0, 1, 15), Ast.ConstKind.STR, "abc"));
    Ast.ExprStmt b = (Ast.ExprStmt) ok("b'a' b'\\x00'\n").body().get(0);
    assertThat(b.value()).isEqualTo(new Ast.Constant(loc(1, 0, 1, 12), Ast.ConstKind.BYTES, "a\0"));
    Ast.ExprStmt j = (Ast.ExprStmt) ok("'a' f'{x}' 'b'\n").body().get(0);
    assertThat(j.value()).isInstanceOf(Ast.JoinedStr.class);
  }

  @Test
  void columnsAreUtf16Units() {
    Ast.Mod m = ok("s = '😀é'; f(x)\n");
    Ast.Call c = all(m, Ast.Call.class).get(0);
    assertThat(c.loc()).isEqualTo(loc(1, 11, 1, 15)); // the emoji is two UTF-16 units
  }

  @Test
  void softKeywordsStayUsableAsNames() {
    Ast.Mod m = ok("match = 1\ncase = match\ntype = case\n_ = type\nmatch(x)\nmatch[0] = 1\n"
        + "print(match, case, type, _)\ntype X = int\nmatch x:\n    case _:\n        pass\n");
    assertThat(m.body()).extracting(s -> s.getClass().getSimpleName()).containsExactly("Assign",
        "Assign", "Assign", "Assign", "ExprStmt", "Assign", "ExprStmt", "TypeAlias", "Match");
  }

  @Test
  void parenthesizedContextManagers() {
    Ast.With w = (Ast.With) ok("with (open(a) as f, open(b) as g,):\n    pass\n").body().get(0);
    assertThat(w.items()).hasSize(2);
    Ast.With t = (Ast.With) ok("with (a, b) as c:\n    pass\n").body().get(0);
    assertThat(t.items()).singleElement().satisfies(i -> {
      assertThat(i.contextExpr()).isInstanceOf(Ast.Tuple.class);
      assertThat(i.optionalVars()).isInstanceOf(Ast.Name.class);
    });
  }

  @Test
  void chainedComparisonsAndFlattenedBoolOps() {
    Ast.Compare c = (Ast.Compare) ((Ast.ExprStmt) ok("a < b is not c not in d\n").body().get(0)).value();
    assertThat(c.ops()).containsExactly("<", "is not", "not in");
    Ast.BoolOp o = (Ast.BoolOp) ((Ast.ExprStmt) ok("a or b or c and d\n").body().get(0)).value();
    assertThat(o.op()).isEqualTo("or");
    assertThat(o.values()).hasSize(3);
  }

  @Test
  void precedence() {
    Ast.BinOp e = (Ast.BinOp) ((Ast.ExprStmt) ok("-a ** -b * c\n").body().get(0)).value();
    assertThat(e.op()).isEqualTo("*");
    Ast.UnaryOp neg = (Ast.UnaryOp) e.left();
    assertThat(((Ast.BinOp) neg.operand()).op()).isEqualTo("**");
    assertThat(((Ast.BinOp) neg.operand()).right()).isInstanceOf(Ast.UnaryOp.class);
  }

  @Test
  void parametersAllForms() {
    Ast.FunctionDef f = (Ast.FunctionDef) ok(
        "def f(a, b=1, /, c=2, *args: *Ts, d, e=3, **kw) -> None: pass\n").body().get(0);
    Ast.Arguments a = f.args();
    assertThat(a.posonly()).extracting(Ast.Arg::name).containsExactly("a", "b");
    assertThat(a.args()).extracting(Ast.Arg::name).containsExactly("c");
    assertThat(a.defaults()).hasSize(2);
    assertThat(a.vararg().annotation()).isInstanceOf(Ast.Starred.class);
    assertThat(a.kwonly()).extracting(Ast.Arg::name).containsExactly("d", "e");
    assertThat(a.kwDefaults().get(0)).isNull();
    assertThat(a.kwarg().name()).isEqualTo("kw");
    Ast.Lambda l = all(ok("g = lambda x, /, y=1, *, z: x\n"), Ast.Lambda.class).get(0);
    assertThat(l.args().posonly()).hasSize(1);
    assertThat(l.args().kwonly()).hasSize(1);
  }

  @Test
  void typeParametersWithDefaults() {
    Ast.FunctionDef f = (Ast.FunctionDef) ok("def f[T: int = str, *Ts = *tuple[int], **P = [int]](): pass\n")
        .body().get(0);
    assertThat(f.typeParams()).hasSize(3);
    assertThat(((Ast.TypeVar) f.typeParams().get(0)).bound()).isNotNull();
    assertThat(((Ast.TypeVar) f.typeParams().get(0)).defaultValue()).isNotNull();
    assertThat(((Ast.TypeVarTuple) f.typeParams().get(1)).defaultValue()).isInstanceOf(Ast.Starred.class);
  }

  @Test
  void tryStar() {
    Ast.Try t = (Ast.Try) ok("try:\n    pass\nexcept* E as e:\n    pass\n").body().get(0);
    assertThat(t.isStar()).isTrue();
    assertThat(t.handlers().get(0).name()).isEqualTo("e");
  }

  @Test
  void exceptWithoutParenthesesPep758() {
    Ast.Try t = (Ast.Try) ok("try:\n    pass\nexcept ValueError, TypeError:\n    pass\n"
        + "except OSError:\n    pass\n").body().get(0);
    Ast.Tuple types = (Ast.Tuple) t.handlers().get(0).type();
    assertThat(types.elts()).hasSize(2);
    Ast.Try star = (Ast.Try) ok("try:\n    pass\nexcept* A, B:\n    pass\n").body().get(0);
    assertThat(star.isStar()).isTrue();
    assertThat(((Ast.Tuple) star.handlers().get(0).type()).elts()).hasSize(2);
    ParseResult bad = PythonParser.parse("try:\n    pass\nexcept A, B as e:\n    pass\n");
    assertThat(bad.errors()).hasSize(1);
    assertThat(bad.errors().get(0).message())
        .isEqualTo("multiple exception types must be parenthesized when using 'as'");
  }

  @Test
  void templateStringsPep750() {
    Ast.Mod m = ok("a = t'hi {name}'\nb = tr'\\d{x}' + Rt\"{y!r:>{w}}\"\nc = T'''{f(z)}'''\n");
    assertThat(all(m, Ast.Call.class)).hasSize(1); // f(z) inside the interpolation is a call
    assertThat(all(m, Ast.Name.class)).extracting(Ast.Name::id).contains("name", "x", "y", "w", "z");
    assertThat(PythonParser.parse("a = bt'x'\n").errors()).isNotEmpty();
    assertThat(PythonParser.parse("a = ft'x'\n").errors()).isNotEmpty();
  }

  @Test
  void constantsKeepSourceTextForNumbers() {
    List<Ast.Constant> cs = all(ok("x = 0x_1F, 1_000.5e-3, 2j, None, ..., True\n"), Ast.Constant.class);
    assertThat(cs).extracting(Ast.Constant::kind).containsExactly(Ast.ConstKind.INT,
        Ast.ConstKind.FLOAT, Ast.ConstKind.COMPLEX, Ast.ConstKind.NONE, Ast.ConstKind.ELLIPSIS,
        Ast.ConstKind.TRUE);
    assertThat(cs.get(0).value()).isEqualTo("0x_1F");
  }

  @Test
  void bomCrlfAndLineCount() {
    ParseResult r = PythonParser.parse("\uFEFFx = 1\r\nif x:\r\n    f()\r\n");
    assertThat(r.errors()).isEmpty();
    assertThat(r.lines()).isEqualTo(3);
    assertThat(all(r.module(), Ast.Call.class).get(0).loc()).isEqualTo(loc(3, 4, 3, 7));
    assertThat(PythonParser.parse("").lines()).isZero();
    assertThat(PythonParser.parse("x").lines()).isEqualTo(1);
    assertThat(PythonParser.parse("x\ny").lines()).isEqualTo(2);
  }

  @Test
  void commentsAreReturned() {
    ParseResult r = PythonParser.parse("# a\nx = 1  # b\n");
    assertThat(r.comments()).extracting(ParseResult.Comment::text).containsExactly(" a", " b");
    assertThat(r.comments().get(1).afterCode()).isTrue();
  }

  @Test
  void parsingIsThreadSafe() throws Exception {
    String src = "async def f(x):\n    return [await g(i) for i in x if i]\n".repeat(200);
    String expected = AstDump.dump(PythonParser.parse(src).module(), true);
    ExecutorService ex = Executors.newFixedThreadPool(4);
    try {
      List<Future<String>> fs = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        fs.add(ex.submit(() -> AstDump.dump(PythonParser.parse(src).module(), true)));
      }
      for (Future<String> f : fs) {
        assertThat(f.get()).isEqualTo(expected);
      }
    } finally {
      ex.shutdown();
    }
  }
}
