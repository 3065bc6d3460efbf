package dev.loopguard.python.lower;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopguard.core.ir.ModuleIr;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Inputs at the parser's limits lower without overflowing a default-sized thread stack. */
class DepthTest {

  private static final long STACK = 1024 * 1024;

  private static ModuleIr lowerOnSmallStack(String src) throws InterruptedException {
    return lowerOnStack(src, STACK);
  }

  private static ModuleIr lowerOnStack(String src, long stack) throws InterruptedException {
    AtomicReference<Object> out = new AtomicReference<>();
    Thread t = new Thread(null, () -> {
      try {
        out.set(Py.lower("app/deep.py", "app.deep", src));
      } catch (Throwable e) {
        out.set(e);
      }
    }, "small-stack", stack);
    t.start();
    t.join();
    if (out.get() instanceof Throwable e) {
      throw new AssertionError(e);
    }
    return (ModuleIr) out.get();
  }

  private static List<String> kinds(ModuleIr ir) {
    List<String> k = new ArrayList<>();
    ir.diagnostics().forEach(d -> k.add(d.kind()));
    return k;
  }

  @Test
  void longElifChain() throws Exception {
    StringBuilder sb = new StringBuilder("def f(x):\n    if x == 0:\n        a0()\n");
    for (int i = 1; i < 20_000; i++) {
      sb.append("    elif x == ").append(i).append(":\n        a").append(i).append("()\n");
    }
    sb.append("    else:\n        last()\n");
    ModuleIr ir = lowerOnSmallStack(sb.toString());
    assertThat(kinds(ir)).isEmpty();
    assertThat(ir.calls()).hasSize(20_001);
    assertThat(ir.calls()).allSatisfy(c -> assertThat(c.scope()).isEqualTo("app.deep.f"));
  }

  @Test
  void deepExpressions() throws Exception {
    int n = 990;
    String src = String.join("\n",
        "a = " + "not ".repeat(n) + "f()",
        "b = " + "lambda: ".repeat(n) + "g()",
        "c = x" + ".y".repeat(n) + ".h()",
        "d = k" + "()".repeat(n),
        "e = " + "-".repeat(n) + "m()",
        "f = " + "(".repeat(199) + "p()" + ")".repeat(199),
        "g = " + "q(".repeat(190) + ")".repeat(190),
        "h = " + "[".repeat(199) + "r()" + "]".repeat(199),
        "i = 1" + " if c else 1".repeat(n),
        "");
    ModuleIr ir = lowerOnSmallStack(src);
    assertThat(kinds(ir)).doesNotContain("internal-error");
    assertThat(Py.texts(ir)).contains("f", "g", "p", "r", "m");
  }

  @Test
  void deepBlocks() throws Exception {
    StringBuilder sb = new StringBuilder();
    int depth = 98;
    for (int i = 0; i < depth; i++) {
      sb.append("    ".repeat(i)).append(i % 2 == 0 ? "def f" + i + "():\n" : "for x in y():\n");
    }
    sb.append("    ".repeat(depth)).append("z()\n");
    ModuleIr ir = lowerOnSmallStack(sb.toString());
    assertThat(kinds(ir)).isEmpty();
    assertThat(Py.call(ir, "z").loopDepth()).isEqualTo(1);
  }

  @Test
  void beyondTheLimitsIsADiagnosticNotACrash() throws Exception {
    String src = "x = " + "(".repeat(300) + "1" + ")".repeat(300) + "\n"
        + "def ok():\n    pass\n";
    ModuleIr ir = lowerOnSmallStack(src);
    assertThat(kinds(ir)).contains("too-deep").doesNotContain("internal-error");
    assertThat(Py.fn(ir, "app.deep.ok")).isNotNull();
  }

  @Test
  void aCallerStackTooSmallIsRetriedOnALargeOne() throws Exception {
    String src = "x = " + "q(".repeat(180) + ")".repeat(180) + "\n"
        + "y = " + "f(lambda: ".repeat(100) + "1" + ")".repeat(100) + "\n";
    ModuleIr ir = lowerOnStack(src, 96 * 1024);
    assertThat(kinds(ir)).isEmpty();
    assertThat(Py.calls(ir, "q")).hasSize(180);
    assertThat(Py.calls(ir, "f")).hasSize(100);
  }
}
