package dev.loopguard.python.lower;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopguard.core.frontend.SourceFile;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.python.PythonFrontend;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * An outline is what a scan keeps of a file whose code it does not analyse: the file's path,
 * names, kind and line count, the same as lowering gives, and nothing from its code (no
 * functions but the module scope, no directives, no diagnostics, whatever the bytes are). Over
 * hand-written edge cases, a sample of the machine's standard library, and mutated (mostly
 * invalid) copies of small stdlib files.
 */
class OutlineEquivalenceTest {
  private static final PythonFrontend FRONTEND = new PythonFrontend();

  private static void assertSame(String path, byte[] content) {
    SourceFile file = new SourceFile(path, "pkg.m", List.of("m"), content);
    ModuleIr lowered = FRONTEND.lower(file);
    ModuleIr outline = FRONTEND.outline(file);
    assertThat(lowered.isOutline()).isFalse();
    assertThat(outline.isOutline()).as(path).isTrue();
    assertThat(List.of(outline.path(), outline.module(), outline.aliases(), outline.language(),
        outline.packageInit(), outline.lines(), outline.moduleScope().id(),
        outline.moduleScope().kind()))
        .as(path)
        .isEqualTo(List.of(lowered.path(), lowered.module(), lowered.aliases(), lowered.language(),
            lowered.packageInit(), lowered.lines(), lowered.moduleScope().id(),
            lowered.moduleScope().kind()));
    assertThat(outline.moduleScope().span().endLine()).as(path).isEqualTo(Math.max(1, outline.lines()));
    assertThat(outline.functions()).hasSize(1);
    assertThat(outline.calls()).isEmpty();
    assertThat(outline.bindings()).isEmpty();
    assertThat(outline.classes()).isEmpty();
    assertThat(outline.starImports()).isEmpty();
    assertThat(outline.directives()).isEmpty();
    assertThat(outline.diagnostics()).isEmpty();
    assertThat(outline.functionCount()).isZero();
    assertThat(outline.asyncFunctionCount()).isZero();
  }

  @Test
  void edgeCases() {
    String[] sources = {
      "",
      "def f(:\n  pass\n",
      "async def f():\n    def g():\n        lambda: 0\n    class C:\n        async def h(self): ...\n",
      "class A:\n    def m(self):\n        if x:\n            def n(): pass\n        else:\n"
          + "            async def o(): pass\n",
      "try:\n    def a(): pass\nexcept E:\n    def b(): pass\nfinally:\n    def c(): pass\n",
      "match x:\n    case 1:\n        def d(): pass\n",
      "@dec\ndef f[T](x: T) -> T:  # loopguard: ignore[perf-004]\n    return x\n",
      "x = (\n",
      "\ufeffdef f():\n\tpass\r\n",
      "# -*- coding: latin-1 -*-\ndef caf\u00e9(): pass\n",
      "def f():\n" + "    (".repeat(500) + ")".repeat(500) + "\n",
      "x = 1\r\ny = 2\rz = 3\n\n",
      "x = 1\n\r",
      "\n",
      "s = \"\"\"\n\n\"\"\"",
      "x = 1  # no final line break",
    };
    for (int i = 0; i < sources.length; i++) {
      assertSame("case" + i + ".py", sources[i].getBytes(StandardCharsets.UTF_8));
    }
    assertSame("bad.py", new byte[] {'d', 'e', 'f', ' ', (byte) 0xff, '(', ')', ':', '\n'});
    assertSame("nul.py", new byte[] {'x', 0, '\n', '\r', 'y'});
    assertSame("pkg/__init__.py", "async def f(): pass\n".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void standardLibrarySampleAndMutants() throws Exception {
    Path stdlib = stdlib();
    List<Path> files;
    try (Stream<Path> s = Files.walk(stdlib)) {
      files = s.filter(p -> p.toString().endsWith(".py") && Files.isRegularFile(p))
          .filter(p -> !stdlib.relativize(p).toString().startsWith("site-packages"))
          .sorted().collect(Collectors.toList());
    }
    Assumptions.assumeTrue(files.size() > 100, "no standard library at " + stdlib);
    Random random = new Random(6);
    int mutants = 0;
    for (int i = 0; i < files.size(); i += 9) {
      Path f = files.get(i);
      byte[] content = Files.readAllBytes(f);
      String rel = stdlib.relativize(f).toString();
      assertSame(rel, content);
      if (content.length > 0 && content.length < 20_000) {
        for (int k = 0; k < 3; k++) {
          assertSame(rel + "#" + k, mutate(content, random));
          mutants++;
        }
      }
    }
    assertThat(mutants).isGreaterThan(100);
  }

  private static final String MUTATIONS = "():[]{\n\t";

  /** {@code content} with a byte deleted, duplicated or replaced by a bracket or colon. */
  private static byte[] mutate(byte[] content, Random random) {
    int at = random.nextInt(content.length);
    List<Byte> out = new ArrayList<>(content.length + 1);
    for (byte b : content) {
      out.add(b);
    }
    switch (random.nextInt(3)) {
      case 0 -> out.remove(at);
      case 1 -> out.add(at, content[at]);
      default -> out.set(at, (byte) MUTATIONS.charAt(random.nextInt(MUTATIONS.length())));
    }
    byte[] b = new byte[out.size()];
    for (int i = 0; i < b.length; i++) {
      b[i] = out.get(i);
    }
    return b;
  }

  private static Path stdlib() throws IOException, InterruptedException {
    try {
      Process p = new ProcessBuilder("python3", "-c",
          "import sysconfig; print(sysconfig.get_paths()['stdlib'])").start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      Assumptions.assumeTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0,
          "python3 unusable");
      return Path.of(out);
    } catch (IOException e) {
      Assumptions.abort("no python3 on this machine: " + e.getMessage());
      return null;
    }
  }
}
