package dev.loopguard.python.robust;

import static dev.loopguard.python.robust.Hostile.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loopguard.core.result.ScanResult;
import dev.loopguard.core.report.Report;
import dev.loopguard.core.report.Reporter;
import dev.loopguard.core.report.json.JsonReporter;
import dev.loopguard.core.report.sarif.SarifReporter;
import dev.loopguard.core.rules.Rules;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two runs, and runs with 1 and 4 threads, give byte-identical JSON and SARIF (without timing)
 * on a tree of many modules with cross-module chains, the Python fixtures and a few broken files.
 */
class DeterminismTest {
  @TempDir
  Path root;

  @BeforeEach
  void tree() throws IOException, URISyntaxException {
    // The Python fixtures, copied as plain files.
    Path fixtures = Path.of(DeterminismTest.class.getResource("/fixtures").toURI());
    try (Stream<Path> s = Files.walk(fixtures)) {
      s.filter(p -> p.toString().endsWith(".py") && Files.isRegularFile(p)).forEach(p -> {
        try {
          write(root.resolve("fixtures").resolve(fixtures.relativize(p).toString()), Files.readAllBytes(p));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
    // A generated package: helpers calling each other across modules, handlers reaching them.
    write(root.resolve("svc/__init__.py"), "");
    for (int i = 0; i < 60; i++) {
      String next = i + 1 < 60 ? "from svc.m" + (i + 1) + " import helper" + (i + 1) + "\n" : "";
      String body = i + 1 < 60 ? "    helper" + (i + 1) + "(n - 1)\n" : "    time.sleep(n)\n";
      write(root.resolve("svc/m" + i + ".py"), "import time\nimport requests\n" + next
          + "\ndef helper" + i + "(n):\n    if n % 7 == 0:\n        requests.get('http://x', timeout=1)\n" + body
          + "\nasync def handler" + i + "(request):\n    helper" + i + "(3)\n    open('f').read()\n"
          + "\nclass Service" + i + ":\n    async def run(self):\n        time.sleep(0.1)\n        self.sync()\n"
          + "\n    def sync(self):\n        import subprocess\n        subprocess.run(['true'])\n");
    }
    write(root.resolve("svc/broken.py"), "def f(:\n    pass\n");
    write(root.resolve("svc/bad_utf8.py"), new byte[] {'x', '=', '"', (byte) 0xff, '"', '\n'});
  }

  @Test
  void jsonAndSarifAreByteIdenticalAcrossRunsAndThreadCounts() {
    ScanResult one = scan(1);
    assertThat(one.findings()).hasSizeGreaterThan(60);
    assertThat(one.diagnostics()).isNotEmpty();
    String json = render(one, new JsonReporter());
    String sarif = render(one, new SarifReporter());
    // Repeated runs with several thread counts (a race shows up in some of them, not all).
    for (int threads : new int[] {4, 2, 4, 1, 3, 4}) {
      ScanResult r = scan(threads);
      assertThat(render(r, new JsonReporter())).as("JSON with %d threads", threads).isEqualTo(json);
      assertThat(render(r, new SarifReporter())).as("SARIF with %d threads", threads).isEqualTo(sarif);
    }
  }

  private ScanResult scan(int threads) {
    return Hostile.scanner().scan(Hostile.options(root, threads));
  }

  private String render(ScanResult r, Reporter reporter) {
    StringWriter w = new StringWriter();
    try {
      reporter.write(new Report(r, root, Rules.all(), false), w);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }
}
