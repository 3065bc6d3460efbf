package dev.loopguard.python.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopguard.python.ast.Ast;
import dev.loopguard.python.ast.AstWalker;
import dev.loopguard.python.ast.ParseResult;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class DepthLimitTest {
  static final int BIG = 100_000;

  /** Pathological inputs of {@value #BIG} elements: each must give a too-deep error quickly. */
  static Map<String, String> pathological() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("parens", "(".repeat(BIG) + "1" + ")".repeat(BIG));
    m.put("brackets", "[".repeat(BIG) + "]".repeat(BIG));
    m.put("braces", "{".repeat(BIG) + "}".repeat(BIG));
    m.put("unclosed parens", "(".repeat(BIG));
    m.put("calls", "f(".repeat(BIG) + ")".repeat(BIG));
    m.put("subscripts", "x[".repeat(BIG) + "1" + "]".repeat(BIG));
    m.put("sum", "1" + "+1".repeat(BIG));
    m.put("power", "2" + "**2".repeat(BIG));
    m.put("not", "not ".repeat(BIG) + "x");
    m.put("minus", "-".repeat(BIG) + "x");
    m.put("invert", "~".repeat(BIG) + "x");
    m.put("await", "await (".repeat(BIG) + "x" + ")".repeat(BIG));
    m.put("ternary", "a if b else ".repeat(BIG) + "c");
    m.put("lambdas", "lambda: ".repeat(BIG) + "x");
    m.put("lambda defaults", "lambda a=".repeat(BIG) + "1" + ": a".repeat(BIG));
    m.put("attributes", "x" + ".a".repeat(BIG));
    m.put("call chain", "f" + "()".repeat(BIG));
    m.put("subscript chain", "x" + "[0]".repeat(BIG));
    m.put("comprehensions", "[x for x in ".repeat(BIG) + "y" + "]".repeat(BIG));
    m.put("fstrings", "f'{".repeat(BIG) + "x" + "}'".repeat(BIG));
    m.put("patterns", "match x:\n case " + "[".repeat(BIG) + "]".repeat(BIG) + ": pass");
    m.put("pattern attrs", "match x:\n case a" + ".b".repeat(BIG) + ": pass");
    m.put("lambda bodies in parens", "(lambda: ".repeat(BIG) + "x" + ")".repeat(BIG));
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 300; i++) {
      b.append(" ".repeat(i)).append("if x:\n");
    }
    b.append(" ".repeat(300)).append("pass\n");
    m.put("indentation", b.toString());
    return m;
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void pathologicalNestingGivesTooDeepErrorsNotStackOverflow() throws Exception {
    for (Map.Entry<String, String> e : pathological().entrySet()) {
      String src = e.getValue() + "\ndef after(): pass\n";
      ParseResult[] res = {null};
      Throwable[] thrown = {null};
      // A thread with the JVM's default stack on Linux x64 (1 MB), in this warmed-up JVM where
      // JIT-compiled frames are larger than interpreted ones: the limits must protect it.
      // (worstCaseStackFitsInHalfAMegabyteInterpreted checks 512 KB in the interpreter.)
      Thread t = new Thread(null, () -> {
        try {
          res[0] = PythonParser.parse(src);
        } catch (Throwable x) {
          thrown[0] = x;
        }
      }, "default-stack", 1024 * 1024);
      long t0 = System.nanoTime();
      t.start();
      t.join();
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertThat(thrown[0]).as(e.getKey()).isNull();
      ParseResult r = res[0];
      assertThat(r.errors()).as(e.getKey()).isNotEmpty();
      assertThat(r.errors()).as(e.getKey())
          .anyMatch(x -> x.kind().equals("too-deep"));
      assertThat(r.errors().size()).as(e.getKey() + " error count").isLessThan(5);
      assertThat(ms).as(e.getKey() + " time").isLessThan(5000);
      // recovery: the statement after the pathological one survives
      assertThat(r.module().body()).as(e.getKey())
          .anyMatch(s -> s instanceof Ast.FunctionDef && ((Ast.FunctionDef) s).name().equals("after"));
    }
  }

  @Test
  void limitsMatchCpythonAtTheBoundary() {
    assertThat(PythonParser.parse("(".repeat(200) + "1" + ")".repeat(200)).errors()).isEmpty();
    assertThat(PythonParser.parse("(".repeat(201) + "1" + ")".repeat(201)).errors())
        .extracting(e -> e.kind() + ": " + e.message())
        .containsExactly("too-deep: too many nested parentheses");
    // chains CPython accepts and that stay within our expression depth limit
    for (String ok : new String[] {"1" + "+1".repeat(900), "not ".repeat(900) + "x",
        "-".repeat(900) + "x", "a if b else ".repeat(900) + "c", "lambda: ".repeat(900) + "x",
        "x" + ".a".repeat(900), "f" + "()".repeat(900), "2" + "**2".repeat(900)}) {
      assertThat(PythonParser.parse(ok).errors()).as(ok.substring(0, 12)).isEmpty();
    }
    // long flat chains build flat nodes: no depth limit applies
    assertThat(PythonParser.parse("a" + " or a".repeat(BIG)).errors()).isEmpty();
    assertThat(PythonParser.parse("a" + " < a".repeat(BIG)).errors()).isEmpty();
    assertThat(PythonParser.parse("'a' " + "'b' ".repeat(BIG)).errors()).isEmpty();
    assertThat(PythonParser.parse("[" + "1, ".repeat(BIG) + "]").errors()).isEmpty();
    StringBuilder elifs = new StringBuilder("if a: pass\n");
    for (int i = 0; i < BIG; i++) {
      elifs.append("elif a: pass\n");
    }
    ParseResult r = PythonParser.parse(elifs.toString());
    assertThat(r.errors()).isEmpty();
    int[] ifs = {0};
    AstWalker.forEach(r.module(), n -> {
      if (n instanceof Ast.If) {
        ifs[0]++;
      }
    });
    assertThat(ifs[0]).isEqualTo(BIG + 1);
  }

  @Test
  void expressionTreesNeverExceedTheDepthLimit() {
    for (String src : new String[] {"1" + "+1".repeat(999), "(" .repeat(150) + "1" + "+1".repeat(900)
        + ")".repeat(150)}) {
      ParseResult r = PythonParser.parse(src);
      int max = maxDepth(r.module());
      assertThat(max).isLessThanOrEqualTo(PythonParser.MAX_EXPR_DEPTH + 3);
    }
  }

  static int maxDepth(Ast.Node root) {
    int[] depth = {0};
    int[] max = {0};
    AstWalker.walk(root, new AstWalker.Visitor() {
      @Override
      public boolean enter(Ast.Node n) {
        max[0] = Math.max(max[0], ++depth[0]);
        return true;
      }

      @Override
      public void leave(Ast.Node n) {
        depth[0]--;
      }
    });
    return max[0];
  }

  /**
   * The worst-case inputs at every limit must fit a 512 KB stack even in the interpreter (-Xint,
   * the largest frames): runs {@link StackProbe} in a child JVM with -Xss512k.
   */
  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void worstCaseStackFitsInHalfAMegabyteInterpreted() throws Exception {
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    List<String> cmd = new ArrayList<>(List.of(java, "-Xint", "-Xss512k", "-cp",
        System.getProperty("java.class.path"), StackProbe.class.getName()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
    assertThat(out).as(out).doesNotContain("OVERFLOW").contains("OK");
    assertThat(p.exitValue()).isZero();
  }

  /** A 50 MB generated file parses in reasonable time (and memory). */
  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void fiftyMegabyteFile() {
    String unit = String.join("\n",
        "class Handler{0}(Base):",
        "    '''Docstring for handler {0}.'''",
        "    async def get(self, request, *args, timeout: float = 1.5, **kw) -> dict:",
        "        data = await self.fetch(request.url, params={'id': {0}, 'q': [1, 2, 3]})",
        "        if data and data.get('ok') or not kw:",
        "            result = [x * 2 for x in data['items'] if x % 2 == 0]",
        "        else:",
        "            result = {k: v for k, v in kw.items()}",
        "        return {'status': 200, 'body': f'handler {0}: {result!r:>{10}}', 'n': len(result)}",
        "",
        "");
    StringBuilder b = new StringBuilder(51_000_000);
    int i = 0;
    while (b.length() < 50_000_000) {
      b.append(unit.replace("{0}", Integer.toString(i++)));
    }
    String src = b.toString();
    long t0 = System.nanoTime();
    ParseResult r = PythonParser.parse(src);
    double sec = (System.nanoTime() - t0) / 1e9;
    System.out.printf("50 MB file: %d classes parsed in %.2f s (%.1f MB/s)%n",
        r.module().body().size(), sec, src.length() / 1e6 / sec);
    assertThat(r.errors()).isEmpty();
    assertThat(r.module().body()).hasSize(i);
    assertThat(r.lines()).isEqualTo(i * 10);
  }
}
