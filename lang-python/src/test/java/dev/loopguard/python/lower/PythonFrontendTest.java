package dev.loopguard.python.lower;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopguard.core.frontend.LanguageFrontend;
import dev.loopguard.core.frontend.SourceFile;
import dev.loopguard.core.ir.Directive;
import dev.loopguard.core.ir.FunctionIr;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.ir.Ref;
import dev.loopguard.python.PythonFrontend;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PythonFrontendTest {

  @Test
  void registeredAsAService() {
    List<LanguageFrontend> found = ServiceLoader.load(LanguageFrontend.class).stream()
        .map(ServiceLoader.Provider::get).toList();
    assertThat(found).anySatisfy(f -> {
      assertThat(f).isInstanceOf(PythonFrontend.class);
      assertThat(f.id()).isEqualTo("python");
      assertThat(f.extensions()).containsExactly(".py");
      assertThat(f.lineCommentPrefix()).isEqualTo("#");
    });
  }

  @Test
  void knowledgePacksAreClassPathResources() {
    List<String> packs = new PythonFrontend().knowledgePacks();
    assertThat(packs).allSatisfy(p -> {
      assertThat(p).startsWith("knowledge/python/").doesNotContain("#").doesNotEndWith(" ");
      assertThat(PythonFrontend.class.getClassLoader().getResource(p)).as(p).isNotNull();
    });
  }

  @Test
  void conventionsAndIgnoredFolders() {
    PythonFrontend f = new PythonFrontend();
    assertThat(f.conventions().tests()).contains("tests/**", "**/tests/**", "test_*.py",
        "*_test.py", "conftest.py");
    assertThat(f.conventions().scripts()).contains("scripts/**", "**/examples/**", "setup.py", "manage.py");
    assertThat(f.ignoredDirectories()).contains(".venv", "venv", "__pycache__", "site-packages")
        .doesNotContain("env");
    assertThat(f.moduleName("src/pkg/m.py", Set.of("src/pkg/__init__.py")::contains))
        .isEqualTo("pkg.m");
    assertThat(f.moduleAliases("src/pkg/m.py", Set.of("src/pkg/__init__.py")::contains))
        .containsExactly("src.pkg.m");
  }

  @Test
  void unexpectedExceptionsBecomeInternalErrors() {
    PythonFrontend broken = new PythonFrontend(s -> {
      throw new IllegalStateException("boom");
    });
    ModuleIr ir = broken.lower(new SourceFile("a/b.py", "a.b", List.of("b"),
        "x = 1\ny = 2\n".getBytes(StandardCharsets.UTF_8)));
    assertThat(ir.module()).isEqualTo("a.b");
    assertThat(ir.aliases()).containsExactly("b");
    assertThat(ir.functions()).singleElement().satisfies(f -> {
      assertThat(f.kind()).isEqualTo(FunctionIr.Kind.MODULE);
      assertThat(f.id()).isEqualTo("a.b");
    });
    assertThat(ir.lines()).isEqualTo(2);
    assertThat(ir.diagnostics()).singleElement().satisfies(d -> {
      assertThat(d.kind()).isEqualTo("internal-error");
      assertThat(d.path()).isEqualTo("a/b.py");
    });
  }

  @Test
  void stackOverflowBecomesTooDeep() {
    PythonFrontend broken = new PythonFrontend(s -> {
      throw new StackOverflowError();
    });
    ModuleIr ir = broken.lower(new SourceFile("a.py", "a", List.of(), new byte[0]));
    assertThat(ir.diagnostics()).extracting(d -> d.kind()).containsExactly("too-deep");
  }

  @Test
  void latin1CookieFile() {
    byte[] bytes = "# -*- coding: latin-1 -*-\ndef f():\n    g('caf\u00e9')\n"
        .getBytes(StandardCharsets.ISO_8859_1);
    ModuleIr ir = Py.lowerBytes("a.py", "a", bytes);
    assertThat(ir.diagnostics()).isEmpty();
    assertThat(Py.call(ir, "g").arg(0).value())
        .isEqualTo(new Ref.Literal(Ref.LiteralKind.STRING, "café"));
  }

  @Test
  void bomFile() {
    byte[] body = "import time\ntime.sleep(1)\n".getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[body.length + 3];
    bytes[0] = (byte) 0xEF;
    bytes[1] = (byte) 0xBB;
    bytes[2] = (byte) 0xBF;
    System.arraycopy(body, 0, bytes, 3, body.length);
    ModuleIr ir = Py.lowerBytes("a.py", "a", bytes);
    assertThat(ir.diagnostics()).isEmpty();
    assertThat(Py.call(ir, "time.sleep").span().column()).isEqualTo(1);
    assertThat(Py.call(ir, "time.sleep").callee()).isEqualTo(Py.q("time.sleep"));
  }

  @Test
  void invalidUtf8StillLowers() {
    byte[] head = "def f():\n    g('".getBytes(StandardCharsets.UTF_8);
    byte[] tail = "')\n".getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[head.length + 1 + tail.length];
    System.arraycopy(head, 0, bytes, 0, head.length);
    bytes[head.length] = (byte) 0xC3;
    System.arraycopy(tail, 0, bytes, head.length + 1, tail.length);
    ModuleIr ir = Py.lowerBytes("a.py", "a", bytes);
    assertThat(ir.diagnostics()).extracting(d -> d.kind()).containsExactly("decode-error");
    assertThat(ir.diagnostics().get(0).line()).isEqualTo(2);
    assertThat(Py.fn(ir, "a.f")).isNotNull();
    assertThat(Py.call(ir, "g").scope()).isEqualTo("a.f");
  }

  @Test
  void syntaxErrorInTheMiddleKeepsTheFunctionsAround() {
    ModuleIr ir = Py.lower("app/m.py", "app.m", """
        import time
        def before():
            time.sleep(1)
        def broken(:
            pass
        async def after():
            time.sleep(2)
        """);
    assertThat(ir.diagnostics()).isNotEmpty();
    assertThat(ir.diagnostics().get(0).kind()).isIn("syntax-error", "too-deep");
    assertThat(ir.diagnostics().get(0).line()).isEqualTo(4);
    assertThat(ir.diagnostics().get(0).column()).isGreaterThanOrEqualTo(1);
    assertThat(Py.fn(ir, "app.m.before")).isNotNull();
    assertThat(Py.fn(ir, "app.m.after").async()).isTrue();
    assertThat(Py.calls(ir, "time.sleep")).extracting(c -> c.scope())
        .contains("app.m.before", "app.m.after");
  }

  @Test
  void directivesAndLines() {
    ModuleIr ir = Py.lower("""
        # loopguard-fixture: rules=perf-004
        import time  # noqa: F401
        # just a comment
        time.sleep(1)  # expect: perf-004
        x = 1  # ok: perf-004
        y = 2  # type: ignore
        """);
    assertThat(ir.directives()).containsExactly(
        new Directive(1, "loopguard-fixture: rules=perf-004", true),
        new Directive(2, "noqa: F401", false),
        new Directive(4, "expect: perf-004", false),
        new Directive(5, "ok: perf-004", false));
    assertThat(ir.lines()).isEqualTo(6);
    assertThat(ir.path()).isEqualTo("app/mod.py");
  }

  @Test
  void directiveWordsInAnyCaseAnywhereInTheComment() {
    assertThat(ModuleLowering.hasDirectiveWord("NOQA")).isTrue();
    assertThat(ModuleLowering.hasDirectiveWord("x  LoopGuard: ignore[perf-004]")).isTrue();
    assertThat(ModuleLowering.hasDirectiveWord("todo-Expect: perf-004")).isTrue();
    assertThat(ModuleLowering.hasDirectiveWord("OK: perf-004")).isTrue();
    assertThat(ModuleLowering.hasDirectiveWord("loopguar")).isFalse();
    assertThat(ModuleLowering.hasDirectiveWord("ok then, no qa, expec")).isFalse();
    assertThat(ModuleLowering.hasDirectiveWord("")).isFalse();
    // Case folding beyond ASCII, as String.regionMatches does it: the Kelvin sign is a k.
    assertThat(ModuleLowering.hasDirectiveWord("o\u212A: perf-004")).isTrue();
    assertThat(ModuleLowering.hasDirectiveWord("\u00e9\u00e8 \u4e2d\u6587")).isFalse();
  }

  @Test
  void directiveWordSearchAgreesWithASearchOfTheLowerCasedText() {
    java.util.Random random = new java.util.Random(6);
    String alphabet = "lLoOnNeExXkK:qQaApPcCtTgGuUrRdD /-\u212A\u00e9";
    List<String> words = List.of("loopguard", "noqa", "expect", "ok:");
    for (int i = 0; i < 20_000; i++) {
      StringBuilder sb = new StringBuilder();
      int length = random.nextInt(24);
      for (int j = 0; j < length; j++) {
        sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      if (random.nextInt(4) == 0) {
        String w = words.get(random.nextInt(words.size()));
        sb.insert(random.nextInt(sb.length() + 1), random.nextBoolean() ? w : w.toUpperCase());
      }
      String text = sb.toString();
      String lower = text.toLowerCase(java.util.Locale.ROOT);
      boolean expected = words.stream().anyMatch(lower::contains);
      assertThat(ModuleLowering.hasDirectiveWord(text)).as(text).isEqualTo(expected);
    }
  }

  @Test
  void threadSafeLowering() throws Exception {
    String src = """
        import requests
        async def h(u):
            return requests.get(u)
        """;
    List<Thread> threads = new java.util.ArrayList<>();
    List<Throwable> failures = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    for (int t = 0; t < 4; t++) {
      Thread th = new Thread(() -> {
        try {
          for (int i = 0; i < 50; i++) {
            ModuleIr ir = Py.lower(src);
            assertThat(Py.call(ir, "requests.get").callee()).isEqualTo(Py.q("requests.get"));
          }
        } catch (Throwable e) {
          failures.add(e);
        }
      });
      threads.add(th);
      th.start();
    }
    for (Thread th : threads) {
      th.join();
    }
    assertThat(failures).isEmpty();
  }
}
