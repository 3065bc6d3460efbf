package dev.loopguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probes of issue 20 at the command line: every hostile path, option and output ends in a
 * clear message and exit code 2, never a hang and never a silent pass.
 */
class HostileCommandLineTest {
  @TempDir Path dir;

  @BeforeEach
  void project() throws IOException {
    Files.writeString(dir.resolve("app.py"), "import time\n\nasync def f():\n    time.sleep(1)\n");
  }

  private CliRun run(String... args) {
    return org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(60),
        () -> CliRun.of(dir, args));
  }

  private static void assertError(CliRun r, String message) {
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains(message);
  }

  @Test
  void aMissingPathIsAnErrorAlsoAmongOthers() {
    assertError(run("scan", "--no-cache", "no/such/path"), "no/such/path: no such file or folder");
    assertError(run("scan", "--no-cache", ".", "missing.py"), "missing.py: no such file or folder");
    assertError(run("baseline", "write", "b.json", "missing"), "missing: no such file or folder");
  }

  @Test
  void badOptionsAreRejected() {
    assertError(run("scan", "--no-cache", "--threads", "0", "."), "--threads takes a number from 1");
    assertError(run("scan", "--no-cache", "--threads", "-3", "."), "--threads takes a number from 1");
    assertError(run("scan", "--no-cache", "--root", "missing", "."), "--root missing: no such folder");
    assertError(run("scan", "--no-cache", "--exclude", "src/[abc", "."), "--exclude src/[abc: not a valid glob");
    assertError(run("scan", "--no-cache", "--include-path", "x\\", "."), "not a valid glob");
    assertError(run("scan", "--no-cache", "--format", "json=out.txt", "--format", "sarif=out.txt", "."),
        "both go to");
    assertError(run("scan", "--no-cache", "--format", "json", "--output-dir", "r", "--format", "text=r/loopguard.json", "."),
        "both go to");
  }

  @Test
  void aBadGlobInTheConfigurationNamesTheKey() throws IOException {
    Files.writeString(dir.resolve("loopguard.toml"), "exclude = [\"[oops\"]\n");
    assertError(run("scan", "--no-cache", "."), "exclude: not a valid glob");
  }

  @Test
  void aFifoIsNeverReadAnywhere() throws Exception {
    Path fifo = dir.resolve("pipe.py");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
    Assumptions.assumeTrue(mk.waitFor() == 0, "mkfifo is available");
    assertError(run("scan", "--no-cache", "pipe.py"), "not a regular file or folder");
    assertError(run("scan", "--no-cache", "--baseline", "pipe.py", "."), "not a regular file");
    assertError(run("scan", "--no-cache", "--knowledge", "pipe.py", "."), "--knowledge pipe.py: not a regular file");
    assertError(run("scan", "--no-cache", "--config", "pipe.py", "."), "not a regular file");
    // inside the tree: skipped with a diagnostic, the rest is scanned
    CliRun r = run("scan", "--no-cache", "--format", "json", ".");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("\"pipe.py\"").contains("Not a regular file");
  }

  @Test
  void aSymlinkOutOfTheRootIsNotFollowedUnlessAsked() throws IOException {
    Path outside = Files.createTempDirectory("lg-outside");
    try {
      Files.writeString(outside.resolve("secret.py"), "import time\nasync def g():\n    time.sleep(2)\n  )syntax error\n");
      Path tree = Files.createDirectories(dir.resolve("tree"));
      Files.writeString(tree.resolve("ok.py"), "x = 1\n");
      Files.createSymbolicLink(tree.resolve("x.py"), outside.resolve("secret.py"));
      Files.createSymbolicLink(tree.resolve("linked"), outside);
      CliRun r = run("scan", "--no-cache", "--format", "json", "tree");
      assertThat(r.code()).isZero();
      assertThat(r.out()).doesNotContain("secret").doesNotContain("syntax")
          .contains("symlink-outside").contains("\"x.py\"").contains("\"linked\"");
      CliRun followed = run("scan", "--no-cache", "--format", "json", "--follow-symlinks", "tree");
      assertThat(followed.code()).isEqualTo(1);
      assertThat(followed.out()).contains("\"x.py\"").contains("time.sleep");
      // a path given is read as given
      assertThat(run("scan", "--no-cache", "--format", "json", "tree/x.py").code()).isEqualTo(1);
    } finally {
      Files.deleteIfExists(outside.resolve("secret.py"));
      Files.deleteIfExists(outside);
    }
  }

  @Test
  void aWriteErrorOnStandardOutputIsAnError() {
    OutputStream broken = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw new IOException("Broken pipe");
      }
    };
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    Io io = new Io(new PrintStream(broken, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), dir, false);
    int code = Main.run(new String[] {"scan", "--no-cache", "."}, io);
    assertThat(code).isEqualTo(ExitCode.OUTPUT_ERROR.code()).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot write to standard output");
  }

  @Test
  void reviewAnswersAMalformedHunkHeaderWithAnError() throws IOException {
    Files.writeString(dir.resolve("bad.diff"), "--- a/app.py\n+++ b/app.py\n@@ -1,x +1 @@\n-import time\n+import os\n");
    assertError(run("review", "--diff", "bad.diff", "."), "malformed hunk header");
  }
}
