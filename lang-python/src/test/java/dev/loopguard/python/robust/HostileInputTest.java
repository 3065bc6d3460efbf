package dev.loopguard.python.robust;

import static dev.loopguard.python.robust.Hostile.good;
import static dev.loopguard.python.robust.Hostile.rep;
import static dev.loopguard.python.robust.Hostile.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.loopguard.core.config.ScanOptions;
import dev.loopguard.core.result.ScanResult;
import dev.loopguard.core.ir.Diagnostic;
import dev.loopguard.core.model.Finding;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile inputs: each scan ends in bounded time, reports the hostile file as a diagnostic (or
 * reads it correctly when it is valid Python), never fails with an internal error, and still
 * reports the finding in a well-formed file beside it. Inputs are generated; nothing large is
 * committed.
 */
class HostileInputTest {
  private static final Duration LIMIT = Duration.ofSeconds(60);
  private static final int N = 100_000;

  @TempDir
  Path root;

  // ------------------------------------------------------------------ deep nesting

  /** Nesting CPython itself rejects (3.11: syntax error, MemoryError or RecursionError). */
  static Stream<Arguments> rejectedByCPython() {
    return Stream.of(
        Arguments.of("parens", "x = " + rep("(", N) + "1" + rep(")", N) + "\n"),
        Arguments.of("brackets", "x = " + rep("[", N) + rep("]", N) + "\n"),
        Arguments.of("braces", "x = {" + rep("1: {", N) + rep("}", N) + "}\n"),
        Arguments.of("unclosed", "x = " + rep("(", N) + "\n"),
        Arguments.of("unmatched-closers", "x = 1" + rep(")]}", N) + "\n"),
        Arguments.of("walrus", "x = " + rep("(y := ", N) + "1" + rep(")", N) + "\n"),
        Arguments.of("fstrings", "x = " + rep("f\"{", N) + "1" + rep("}\"", N) + "\n"),
        Arguments.of("unary-minus", "x = " + rep("-", N) + "1\n"),
        Arguments.of("unary-invert", "x = " + rep("~", N) + "1\n"),
        Arguments.of("not", "x = " + rep("not ", N) + "y\n"),
        Arguments.of("power", "x = " + rep("2 ** ", N) + "2\n"),
        Arguments.of("conditional", "x = " + rep("a if b else ", N) + "c\n"),
        Arguments.of("lambda", "f = " + rep("lambda: ", N) + "0\n"),
        Arguments.of("await", "async def f():\n    return " + rep("await ", N) + "g()\n"),
        Arguments.of("starred", "x = " + rep("*", N) + "a\n"),
        Arguments.of("indent", deepIndent("if x:", 1000)),
        Arguments.of("indent-classes", deepIndent("class C:", 1000)));
  }

  /** Long or deep input that CPython accepts, or rejects only for its own stack limits (MemoryError, RecursionError). */
  static Stream<Arguments> acceptedOrTooDeep() {
    return Stream.of(
        Arguments.of("binop", "x = " + rep("a + ", N) + "a\n"),
        Arguments.of("attributes", "x = a" + rep(".b", N) + "\n"),
        Arguments.of("call-chain", "x = f" + rep("()", N) + "\n"),
        Arguments.of("subscripts", "x = a" + rep("[0]", N) + "\n"),
        Arguments.of("comparisons", "x = a" + rep(" < a", N) + "\n"),
        Arguments.of("boolop", "x = a" + rep(" and a", N) + "\n"),
        Arguments.of("strings", "x = " + rep("\"a\" ", N) + "\n"),
        Arguments.of("list", "x = [" + rep("1,", N) + "]\n"),
        Arguments.of("arguments", "f(" + rep("a, ", N) + ")\n"),
        Arguments.of("with-items", "with " + String.join(", ", java.util.Collections.nCopies(N, "a")) + ": pass\n"),
        Arguments.of("semicolons", rep("x = 1; ", N) + "\n"),
        Arguments.of("decorators", rep("@d\n", N) + "def f(): pass\n"),
        Arguments.of("elif", "if a:\n    pass\n" + rep("elif a:\n    pass\n", N)),
        Arguments.of("handlers", "try:\n    pass\n" + rep("except E:\n    pass\n", N)),
        Arguments.of("statements", rep("async def f():\n    time.sleep(1)\n", N / 10)),
        Arguments.of("long-line", "x = '" + rep("a", 5_000_000) + "'\n"),
        Arguments.of("continuations", "x = 1" + rep(" \\\n+ 1", N) + "\n"),
        Arguments.of("triple-quoted", "x = '''" + rep("line\n", N) + "'''\n"),
        Arguments.of("comments", rep("# loopguard: ignore[perf-004] noqa expect ok:\n", N)),
        Arguments.of("classes-99", deepIndent("class C:", 99)));
  }

  private static String deepIndent(String header, int depth) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < depth; i++) {
      sb.append(" ".repeat(i)).append(header).append('\n');
    }
    return sb.append(" ".repeat(depth)).append("pass\n").toString();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejectedByCPython")
  void deepInputIsADiagnostic(String name, String source) throws IOException {
    ScanResult r = scanBesideGood("hostile/" + name.replace('-', '_') + ".py", source);
    assertThat(diagnosticsOf(r, "hostile/" + name.replace('-', '_') + ".py"))
        .as("a diagnostic for %s", name)
        .isNotEmpty()
        .allSatisfy(d -> assertThat(d.kind()).isIn("syntax-error", "too-deep"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("acceptedOrTooDeep")
  void longOrDeepInputIsReadOrADiagnostic(String name, String source) throws IOException {
    ScanResult r = scanBesideGood("hostile/" + name.replace('-', '_') + ".py", source);
    assertThat(r.stats().files()).as("both files lowered").isEqualTo(2);
    assertThat(diagnosticsOf(r, "hostile/" + name.replace('-', '_') + ".py"))
        .allSatisfy(d -> assertThat(d.kind()).isEqualTo("too-deep"));
  }

  /**
   * Scans the good tree with one hostile file added at {@code path}: the good file's finding is
   * reported and nothing failed inside loopguard.
   */
  private ScanResult scanBesideGood(String path, String content) throws IOException {
    return scanBesideGood(path, content.getBytes(StandardCharsets.UTF_8));
  }

  private ScanResult scanBesideGood(String path, byte[] content) throws IOException {
    good(root);
    write(root.resolve(path), content);
    ScanResult r = scanBounded();
    assertGoodFindingAndNoInternalError(r);
    return r;
  }

  // ------------------------------------------------------------------ size

  @Test
  void fiftyMegabyteFileIsTooLarge() throws IOException {
    good(root);
    Path big = root.resolve("hostile/big.py");
    writeLines(big, 50L * 1024 * 1024);
    ScanResult r = scanBounded();
    assertGoodFindingAndNoInternalError(r);
    assertThat(diagnosticsOf(r, "hostile/big.py")).singleElement()
        .satisfies(d -> assertThat(d.kind()).isEqualTo("too-large"));
  }

  @Test
  void bigFileIsReadWhenTheLimitAllows() throws IOException {
    // 24 MB (over the default limit) rather than 50, to keep the suite fast; read in full.
    good(root);
    Path big = root.resolve("hostile/big.py");
    writeLines(big, 24L * 1024 * 1024);
    ScanOptions base = Hostile.options(root, 2);
    ScanOptions options = new ScanOptions(base.root(), base.paths(), base.exclude(),
        base.includeContexts(), base.extraPacks(), base.disabledFacts(), base.rules(),
        base.threads(), 64L * 1024 * 1024, base.respectGitignore(), base.include());
    ScanResult r = assertTimeoutPreemptively(Duration.ofSeconds(120),
        () -> Hostile.scanner().scan(options));
    assertGoodFindingAndNoInternalError(r);
    assertThat(r.stats().files()).isEqualTo(2);
    assertThat(r.findings()).anySatisfy(f -> assertThat(f.path()).isEqualTo("hostile/big.py"));
  }

  /**
   * About {@code bytes} bytes of valid Python: data-heavy module-level statements (what big
   * generated files hold), with one async function with a blocking call at the end.
   */
  private static void writeLines(Path file, long bytes) throws IOException {
    Files.createDirectories(file.getParent());
    byte[] line = "ROWS.append((1, 2.5, 'abc', {'k': [3, 4, None]}, b'x', f'{ROWS!r}'))  # data\n"
        .getBytes(StandardCharsets.US_ASCII);
    try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
      out.write("import time\nROWS = []\n".getBytes(StandardCharsets.US_ASCII));
      for (long written = 0; written < bytes; written += line.length) {
        out.write(line);
      }
      out.write("\nasync def handler():\n    time.sleep(1)\n".getBytes(StandardCharsets.US_ASCII));
    }
  }

  // ------------------------------------------------------------------ bytes and line ends

  @Test
  void invalidUtf8IsADecodeDiagnostic() throws IOException {
    ScanResult r = scanBesideGood("hostile/bad_utf8.py",
        concat("x = '".getBytes(StandardCharsets.US_ASCII), new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0xc3},
            "'\nimport time\nasync def h():\n    time.sleep(1)\n".getBytes(StandardCharsets.US_ASCII)));
    assertThat(diagnosticsOf(r, "hostile/bad_utf8.py")).isNotEmpty()
        .anySatisfy(d -> assertThat(d.kind()).isIn("decode-error", "syntax-error"));
  }

  @Test
  void nulBytesAreADiagnostic() throws IOException {
    ScanResult r = scanBesideGood("hostile/nul.py", "x = 1\n\0\0\0\ny = 2\0\n");
    assertThat(diagnosticsOf(r, "hostile/nul.py")).isNotEmpty()
        .anySatisfy(d -> assertThat(d.kind()).isIn("syntax-error", "decode-error"));
  }

  @Test
  void randomBytesAreDiagnosticsNotCrashes() throws IOException {
    good(root);
    Random random = new Random(6);
    for (int i = 0; i < 20; i++) {
      byte[] junk = new byte[1 + random.nextInt(20_000)];
      random.nextBytes(junk);
      write(root.resolve("hostile/junk" + i + ".py"), junk);
    }
    ScanResult r = scanBounded();
    assertGoodFindingAndNoInternalError(r);
    for (int i = 0; i < 20; i++) {
      assertThat(diagnosticsOf(r, "hostile/junk" + i + ".py")).as("junk%d", i).isNotEmpty();
    }
  }

  @Test
  void bomCrlfAndCrFilesAreRead() throws IOException {
    String body = "import time\r\n\r\nasync def handler():\r\n    time.sleep(1)\r\n";
    write(root.resolve("app/crlf.py"), body);
    write(root.resolve("app/cr.py"), body.replace("\r\n", "\r"));
    write(root.resolve("app/bom.py"), concat(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf},
        Hostile.GOOD.getBytes(StandardCharsets.UTF_8)));
    write(root.resolve("app/bom_crlf.py"), concat(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf},
        body.getBytes(StandardCharsets.UTF_8)));
    write(root.resolve("app/mixed_ends.py"), "import time\n\r\nasync def handler():\r    time.sleep(1)\r\n");
    ScanResult r = scanBounded();
    assertThat(r.diagnostics()).isEmpty();
    for (String f : List.of("app/crlf.py", "app/cr.py", "app/bom.py", "app/bom_crlf.py", "app/mixed_ends.py")) {
      assertThat(r.findings()).as(f).anySatisfy(x -> {
        assertThat(x.path()).isEqualTo(f);
        assertThat(x.span().line()).isEqualTo(4);
        assertThat(x.span().column()).isEqualTo(5);
      });
    }
  }

  @Test
  void inconsistentTabsAreADiagnosticConsistentTabsAreRead() throws IOException {
    good(root);
    // The second body line is indented with a tab where the first used 8 spaces: TabError.
    write(root.resolve("hostile/tabs_mixed.py"), "if x:\n        a = 1\n\tb = 2\n");
    write(root.resolve("app/tabs.py"), "import time\n\nasync def handler():\n\ttime.sleep(1)\n\tif x:\n\t\tpass\n");
    ScanResult r = scanBounded();
    assertGoodFindingAndNoInternalError(r);
    assertThat(diagnosticsOf(r, "hostile/tabs_mixed.py")).isNotEmpty();
    assertThat(diagnosticsOf(r, "app/tabs.py")).isEmpty();
    assertThat(r.findings()).anySatisfy(f -> assertThat(f.path()).isEqualTo("app/tabs.py"));
  }

  // ------------------------------------------------------------------ the file system

  @Test
  void symlinkLoopsEnd() throws IOException {
    good(root);
    Files.createDirectories(root.resolve("app/sub"));
    Files.createSymbolicLink(root.resolve("app/sub/loop"), root.resolve("app"));
    Files.createSymbolicLink(root.resolve("app/self"), Path.of("."));
    Files.createSymbolicLink(root.resolve("app/a"), Path.of("b"));
    Files.createSymbolicLink(root.resolve("app/b"), Path.of("a"));
    Files.createSymbolicLink(root.resolve("app/selfref.py"), Path.of("selfref.py"));
    Files.createSymbolicLink(root.resolve("app/dangling.py"), Path.of("nowhere.py"));
    ScanResult r = scanBounded();
    assertGoodFindingAndNoInternalError(r);
    assertThat(r.stats().files()).isEqualTo(1);
    assertThat(diagnosticsOf(r, "app/selfref.py")).isNotEmpty();
    assertThat(diagnosticsOf(r, "app/dangling.py")).isNotEmpty();
  }

  @Test
  void fifoIsSkippedWithADiagnostic() throws Exception {
    good(root);
    Files.createDirectories(root.resolve("hostile"));
    Process p = new ProcessBuilder("mkfifo", root.resolve("hostile/pipe.py").toString()).start();
    assumeTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "mkfifo unavailable");
    ScanResult r = scanBounded();
    assertGoodFindingAndNoInternalError(r);
    assertThat(diagnosticsOf(r, "hostile/pipe.py")).singleElement()
        .satisfies(d -> assertThat(d.kind()).isEqualTo("unreadable"));
  }

  /** root can read anything, so this runs only as an ordinary user (as in most CI runners). */
  @Test
  void unreadableFileAndFolderAreDiagnostics() throws IOException {
    assumeTrue(!"root".equals(System.getProperty("user.name")), "running as root: permissions are not enforced");
    good(root);
    Path file = root.resolve("hostile/secret.py");
    write(file, "x = 1\n");
    Path dir = root.resolve("locked");
    write(dir.resolve("inner.py"), "x = 1\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("---------"));
    try {
      ScanResult r = scanBounded();
      assertGoodFindingAndNoInternalError(r);
      assertThat(diagnosticsOf(r, "hostile/secret.py")).singleElement()
          .satisfies(d -> assertThat(d.kind()).isEqualTo("unreadable"));
      assertThat(diagnosticsOf(r, "locked")).singleElement()
          .satisfies(d -> assertThat(d.kind()).isEqualTo("unreadable"));
    } finally {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }
  }

  @Test
  void fileThatVanishesBetweenWalkAndReadIsADiagnostic() throws IOException {
    assertUnreadableWhenChangedAfterTheWalk("hostile/doomed.py", Files::delete);
  }

  @Test
  void fileReplacedByAFolderIsADiagnostic() throws IOException {
    assertUnreadableWhenChangedAfterTheWalk("hostile/turncoat.py", doomed -> {
      Files.delete(doomed);
      Files.createDirectories(doomed);
    });
  }

  private interface FileChange {
    void apply(Path file) throws IOException;
  }

  /** {@code change} runs after the walk and before any file is read. */
  private void assertUnreadableWhenChangedAfterTheWalk(String path, FileChange change)
      throws IOException {
    good(root);
    Path doomed = root.resolve(path);
    write(doomed, Hostile.GOOD);
    // The total-count callback runs after the walk and before any file is read.
    ScanResult r = assertTimeoutPreemptively(LIMIT, () -> Hostile.scan(root, total -> {
      try {
        change.apply(doomed);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }));
    assertGoodFindingAndNoInternalError(r);
    assertThat(diagnosticsOf(r, path)).singleElement()
        .satisfies(d -> assertThat(d.kind()).isEqualTo("unreadable"));
  }

  @Test
  void emptyAndWhitespaceOnlyFilesAreRead() throws IOException {
    good(root);
    write(root.resolve("app/empty.py"), "");
    write(root.resolve("app/blank.py"), "\n\n   \n\t\n");
    write(root.resolve("app/bom_only.py"), new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf});
    write(root.resolve("app/no_newline.py"), "x = 1");
    write(root.resolve("app/backslash_eof.py"), "x = 1 \\");
    ScanResult r = scanBounded();
    assertGoodFindingAndNoInternalError(r);
    assertThat(r.stats().files()).isEqualTo(6);
  }

  // ------------------------------------------------------------------ helpers

  private ScanResult scanBounded() {
    return assertTimeoutPreemptively(LIMIT, () -> Hostile.scan(root));
  }

  private static List<Diagnostic> diagnosticsOf(ScanResult r, String path) {
    return r.diagnostics().stream().filter(d -> d.path().equals(path)).toList();
  }

  private static void assertGoodFindingAndNoInternalError(ScanResult r) {
    assertThat(r.diagnostics()).noneSatisfy(d -> assertThat(d.kind()).isEqualTo("internal-error"));
    assertThat(r.findings()).as("the well-formed file's finding is still reported")
        .anySatisfy((Finding f) -> {
          assertThat(f.path()).isEqualTo("app/good.py");
          assertThat(f.span().line()).isEqualTo(4);
        });
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
