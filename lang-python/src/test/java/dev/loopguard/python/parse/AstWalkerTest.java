package dev.loopguard.python.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopguard.python.ast.Ast;
import dev.loopguard.python.ast.AstWalker;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AstWalkerTest {

  @Test
  void preOrderInSourceOrder() {
    Ast.Mod m = PythonParser.parse("@d\ndef f(a=x, *, b=y):\n    return g(1, k=2, *z)\n").module();
    List<String> seen = new ArrayList<>();
    AstWalker.forEach(m, n -> {
      if (n instanceof Ast.Name) {
        seen.add(((Ast.Name) n).id());
      }
    });
    assertThat(seen).containsExactly("d", "x", "y", "g", "z");
  }

  @Test
  void enterAndLeaveAreBalancedAndSkippingWorks() {
    Ast.Mod m = PythonParser.parse("def f():\n    def g():\n        h()\n    i()\nj()\n").module();
    List<String> events = new ArrayList<>();
    AstWalker.walk(m, new AstWalker.Visitor() {
      @Override
      public boolean enter(Ast.Node n) {
        if (n instanceof Ast.FunctionDef) {
          events.add("enter " + ((Ast.FunctionDef) n).name());
          return !((Ast.FunctionDef) n).name().equals("g");
        }
        if (n instanceof Ast.Call) {
          events.add("call " + ((Ast.Name) ((Ast.Call) n).func()).id());
        }
        return true;
      }

      @Override
      public void leave(Ast.Node n) {
        if (n instanceof Ast.FunctionDef) {
          events.add("leave " + ((Ast.FunctionDef) n).name());
        }
      }
    });
    assertThat(events).containsExactly("enter f", "enter g", "leave g", "call i", "leave f",
        "call j");
  }

  @Test
  void walksVeryDeepTreesWithoutRecursion() {
    StringBuilder b = new StringBuilder("if a: pass\n");
    for (int i = 0; i < 200_000; i++) {
      b.append("elif a: f()\n");
    }
    Ast.Mod m = PythonParser.parse(b.toString()).module();
    int[] calls = {0};
    Thread t = new Thread(null, () -> AstWalker.forEach(m, n -> {
      if (n instanceof Ast.Call) {
        calls[0]++;
      }
    }), "small", 256 * 1024);
    t.start();
    try {
      t.join();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    assertThat(calls[0]).isEqualTo(200_000);
  }

  @Test
  void everyNodeIsReachedOnce() {
    String src = "import a\nfrom b import c as d\nclass K[T](B, m=M):\n    x: int = 1\n"
        + "    async def f(self, *a, k=1, **kw):\n        async with a as b:\n"
        + "            async for i in b: await i\n        match x:\n"
        + "            case {1: [a, *r], **kw} | C(x=1) as z if z: pass\n"
        + "        try: pass\n        except* E as e: raise X from e\n"
        + "        return {k: v for k, v in f'{x!r:{y}}'}, lambda q: (yield q)\n"
        + "type Alias[**P] = dict\nglobal g\ndel a[1:2, ::3]\nassert x, y\n";
    Ast.Mod m = PythonParser.parse(src).module();
    List<Ast.Node> pre = new ArrayList<>();
    AstWalker.forEach(m, pre::add);
    List<Ast.Node> viaWalk = new ArrayList<>();
    AstWalker.walk(m, n -> viaWalk.add(n));
    assertThat(viaWalk).isEqualTo(pre);
    assertThat(pre.stream().map(n -> n.getClass().getSimpleName()).distinct().count())
        .isGreaterThan(45);
  }
}
