package dev.loopguard.python.lower;

import static dev.loopguard.python.lower.Py.attr;
import static dev.loopguard.python.lower.Py.q;
import static dev.loopguard.python.lower.Py.var;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loopguard.core.ir.Binding;
import dev.loopguard.core.ir.CallSite;
import dev.loopguard.core.ir.FunctionIr;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.ir.Ref;
import dev.loopguard.core.ir.Span;
import dev.loopguard.python.ast.Ast;
import dev.loopguard.python.ast.ParseResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lowering of trees built by hand: runs without the parser. */
class HandBuiltAstTest {

  private static Ast.Loc loc(int line, int col, int endLine, int endCol) {
    return new Ast.Loc(line, col, endLine, endCol);
  }

  private static ModuleIr lower(String src, List<Ast.Stmt> body) {
    ParseResult pr = new ParseResult(new Ast.Mod(loc(1, 0, 9, 0), body), List.of(), List.of(),
        (int) src.lines().count());
    return ModuleLowering.lower(pr, src, "app/mod.py", "app.mod", List.of(), false, List.of());
  }

  private static Ast.Arguments noArgs() {
    return new Ast.Arguments(Ast.Loc.NONE, List.of(), List.of(), null, List.of(), List.of(), null,
        List.of());
  }

  @Test
  void importAsAliasResolvesToTheImportedName() {
    String src = "from time import sleep as nap\nnap(1)\n";
    List<Ast.Stmt> body = List.of(
        new Ast.ImportFrom(loc(1, 0, 1, 29), "time",
            List.of(new Ast.Alias(loc(1, 17, 1, 29), "sleep", "nap")), 0),
        new Ast.ExprStmt(loc(2, 0, 2, 6), new Ast.Call(loc(2, 0, 2, 6),
            new Ast.Name(loc(2, 0, 2, 3), "nap"),
            List.of(new Ast.Constant(loc(2, 4, 2, 5), Ast.ConstKind.INT, "1")), List.of())));
    ModuleIr ir = lower(src, body);
    assertThat(ir.calls()).singleElement().satisfies(c -> {
      assertThat(c.callee()).isEqualTo(q("time.sleep"));
      assertThat(c.calleeText()).isEqualTo("nap");
      assertThat(c.span()).isEqualTo(Span.of(2, 1, 2, 7));
      assertThat(c.scope()).isEqualTo("app.mod");
      assertThat(c.args()).singleElement().satisfies(a -> {
        assertThat(a.position()).isZero();
        assertThat(a.value()).isEqualTo(new Ref.Literal(Ref.LiteralKind.NUMBER, "1"));
        assertThat(a.text()).isNull(); // positional, outside a decorator
      });
    });
    assertThat(ir.bindings()).containsExactly(new Binding("app.mod", Binding.Kind.IMPORT,
        var("app.mod", "nap"), q("time.sleep"), Span.of(1, 18, 1, 30)));
    assertThat(ir.functions()).singleElement().satisfies(f -> {
      assertThat(f.kind()).isEqualTo(FunctionIr.Kind.MODULE);
      assertThat(f.id()).isEqualTo("app.mod");
      assertThat(f.name()).isEqualTo("<module>");
    });
  }

  @Test
  void asyncMethodAwaitingAClientCall() {
    // class C:
    //     async def m(self):
    //         await self.client.get(1)
    String src = "class C:\n    async def m(self):\n        await self.client.get(1)\n";
    Ast.Expr self = new Ast.Name(loc(3, 14, 3, 18), "self");
    Ast.Expr callee = new Ast.Attribute(loc(3, 14, 3, 29),
        new Ast.Attribute(loc(3, 14, 3, 25), self, "client"), "get");
    Ast.Call call = new Ast.Call(loc(3, 14, 3, 32), callee,
        List.of(new Ast.Constant(loc(3, 30, 3, 31), Ast.ConstKind.INT, "1")), List.of());
    Ast.Arguments args = new Ast.Arguments(loc(2, 16, 2, 20), List.of(),
        List.of(new Ast.Arg(loc(2, 16, 2, 20), "self", null)), null, List.of(), List.of(), null,
        List.of());
    Ast.FunctionDef m = new Ast.FunctionDef(loc(2, 4, 3, 32), "m", loc(2, 14, 2, 15), List.of(),
        args, List.of(new Ast.ExprStmt(loc(3, 8, 3, 32), new Ast.Await(loc(3, 8, 3, 32), call))),
        List.of(), null, true);
    Ast.ClassDef c = new Ast.ClassDef(loc(1, 0, 3, 32), "C", loc(1, 6, 1, 7), List.of(),
        List.of(), List.of(), List.of(m), List.of());
    ModuleIr ir = lower(src, List.of(c));

    assertThat(ir.functions()).extracting(FunctionIr::id)
        .containsExactly("app.mod", "app.mod.C", "app.mod.C.m");
    FunctionIr fm = ir.functions().get(2);
    assertThat(fm.async()).isTrue();
    assertThat(fm.classId()).isEqualTo("app.mod.C");
    assertThat(fm.parent()).isEqualTo("app.mod.C");
    assertThat(fm.span()).isEqualTo(Span.of(2, 5, 3, 33));
    assertThat(fm.nameSpan()).isEqualTo(Span.of(2, 15, 2, 16));
    assertThat(ir.classes()).singleElement().satisfies(k -> {
      assertThat(k.id()).isEqualTo("app.mod.C");
      assertThat(k.scope()).isEqualTo("app.mod");
    });
    CallSite site = ir.calls().get(0);
    assertThat(site.awaited()).isTrue();
    assertThat(site.scope()).isEqualTo("app.mod.C.m");
    assertThat(site.callee())
        .isEqualTo(attr(attr(var("app.mod.C.m", "self"), "client"), "get"));
    assertThat(site.calleeText()).isEqualTo("self.client.get");
    assertThat(ir.bindings()).contains(new Binding("app.mod.C.m", Binding.Kind.ANNOTATION,
        var("app.mod.C.m", "self"), q("app.mod.C"), Span.of(2, 17, 2, 21)));
  }

  @Test
  void nestedDefIsAFuncAndDuplicatesGetNumbered() {
    // def f():
    //     def g(): ...
    //     run(g)
    // def f(): ...
    String src = "def f():\n    def g(): ...\n    run(g)\ndef f(): ...\n";
    Ast.Stmt g = new Ast.FunctionDef(loc(2, 4, 2, 16), "g", loc(2, 8, 2, 9), List.of(), noArgs(),
        List.of(new Ast.ExprStmt(loc(2, 13, 2, 16),
            new Ast.Constant(loc(2, 13, 2, 16), Ast.ConstKind.ELLIPSIS, null))),
        List.of(), null, false);
    Ast.Stmt run = new Ast.ExprStmt(loc(3, 4, 3, 10), new Ast.Call(loc(3, 4, 3, 10),
        new Ast.Name(loc(3, 4, 3, 7), "run"), List.of(new Ast.Name(loc(3, 8, 3, 9), "g")),
        List.of()));
    Ast.Stmt f1 = new Ast.FunctionDef(loc(1, 0, 3, 10), "f", loc(1, 4, 1, 5), List.of(),
        noArgs(), List.of(g, run), List.of(), null, false);
    Ast.Stmt f2 = new Ast.FunctionDef(loc(4, 0, 4, 12), "f", loc(4, 4, 4, 5), List.of(),
        noArgs(), List.of(new Ast.ExprStmt(loc(4, 9, 4, 12),
            new Ast.Constant(loc(4, 9, 4, 12), Ast.ConstKind.ELLIPSIS, null))),
        List.of(), null, false);
    ModuleIr ir = lower(src, List.of(f1, f2));
    assertThat(ir.functions()).extracting(FunctionIr::id)
        .containsExactly("app.mod", "app.mod.f", "app.mod.f.<locals>.g", "app.mod.f#2");
    assertThat(ir.functions().get(3).qualifiedName()).isEqualTo("app.mod.f");
    assertThat(ir.functions().get(2).flags())
        .contains(FunctionIr.Flag.NESTED, FunctionIr.Flag.STUB);
    assertThat(ir.calls().get(0).callee()).isEqualTo(new Ref.Unknown("run"));
    assertThat(ir.calls().get(0).arg(0).value()).isEqualTo(new Ref.Func("app.mod.f.<locals>.g"));
  }

  @Test
  void longOperatorChainsDoNotRecurse() {
    // x = f() + f() + ... (200 000 terms, left-deep as the parser builds it)
    int n = 200_000;
    StringBuilder src = new StringBuilder("x = ");
    Ast.Expr acc = null;
    for (int i = 0; i < n; i++) {
      int col = src.length();
      src.append("f()");
      Ast.Expr call = new Ast.Call(loc(1, col, 1, col + 3), new Ast.Name(loc(1, col, 1, col + 1),
          "f"), List.of(), List.of());
      acc = acc == null ? call : new Ast.BinOp(loc(1, 4, 1, col + 3), acc, "+", call);
      if (i < n - 1) {
        src.append(" + ");
      }
    }
    src.append('\n');
    Ast.Stmt st = new Ast.Assign(loc(1, 0, 1, src.length() - 1),
        List.of(new Ast.Name(loc(1, 0, 1, 1), "x")), acc);
    long t0 = System.nanoTime();
    ModuleIr ir = lower(src.toString(), List.of(st));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(ir.calls()).hasSize(n);
    assertThat(ir.calls().get(0).span().column()).isEqualTo(5);
    assertThat(ir.calls().get(n - 1).span().column()).isEqualTo(5 + 6 * (n - 1));
    assertThat(ir.bindings()).singleElement().satisfies(b -> {
      assertThat(b.value()).isInstanceOf(Ref.Unknown.class);
      assertThat(((Ref.Unknown) b.value()).text()).hasSize(60);
    });
    assertThat(ms).as("lowering time in ms").isLessThan(5_000);
  }
}
