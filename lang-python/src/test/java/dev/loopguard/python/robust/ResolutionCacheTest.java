package dev.loopguard.python.robust;

import static dev.loopguard.python.robust.Hostile.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loopguard.core.config.ScanOptions;
import dev.loopguard.core.result.ScanResult;
import dev.loopguard.core.engine.Scanner;
import dev.loopguard.core.report.Report;
import dev.loopguard.core.report.Reporters;
import dev.loopguard.core.rules.Rules;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resolution cache: after an edit, call targets are resolved again only in folders that
 * depend on what changed, and the scan reports exactly what a scan without the cache reports.
 * Three folders: {@code svc} calls into {@code lib}; {@code other} depends on neither.
 */
class ResolutionCacheTest {
  @TempDir
  Path root;

  private Scanner cached;

  @BeforeEach
  void tree() throws IOException {
    write(root.resolve("svc/__init__.py"), "");
    write(root.resolve("svc/handlers.py"), """
        from lib.util import fetch, Client
        from lib import store
        import lib.shapes as shapes
        from lib.stars import *

        async def h1():
            fetch()

        async def h2():
            Client().get()

        async def h3():
            store.save()

        async def h4():
            shapes.Square().area()

        async def h5():
            star_fn()
        """);
    write(root.resolve("lib/__init__.py"), "");
    write(root.resolve("lib/util.py"), """
        import time

        def fetch():
            return 1

        class Conn:
            def read(self):
                return 2

        class Client:
            def __init__(self):
                self.conn = Conn()

            def get(self):
                return self.conn.read()
        """);
    write(root.resolve("lib/store.py"), "def save():\n    pass\n");
    write(root.resolve("lib/shapes.py"), """
        import time

        class Base:
            def area(self):
                return 0

        class Slow:
            def area(self):
                time.sleep(1)

        class Square(Base):
            pass
        """);
    write(root.resolve("lib/stars.py"), "def star_fn():\n    pass\n");
    write(root.resolve("other/__init__.py"), "");
    write(root.resolve("other/jobs.py"), "import os\n\nasync def job():\n    os.listdir('.')\n");
    cached = Hostile.scanner().withDiskCache(true);
    ScanResult first = cached.scan(options());
    assertThat(first.stats().foldersResolved()).isEqualTo(3);
    assertThat(first.stats().foldersReused()).isZero();
  }

  @Test
  void movedCodeResolvesOnlyItsOwnFolderAgain() throws IOException {
    Path util = root.resolve("lib/util.py");
    write(util, "# a comment\n\n" + Files.readString(util));
    ScanResult r = assertFresh();
    assertThat(r.stats().foldersResolved()).isEqualTo(1);
    assertThat(r.stats().foldersReused()).isEqualTo(2);
    // The text summary says so when it shows the time.
    StringWriter w = new StringWriter();
    Reporters.create("text", false).write(new Report(r, root, Rules.all(), true), w);
    assertThat(w.toString()).contains("(calls resolved again in 1 of 3 folders).");
  }

  @Test
  void aNewBlockingCallInAHelperIsFoundWithoutResolvingItsCallers() throws IOException {
    Path util = root.resolve("lib/util.py");
    write(util, Files.readString(util).replace("return 1", "time.sleep(1)"));
    ScanResult r = assertFresh();
    assertThat(r.findings()).anySatisfy(f -> assertThat(f.function()).endsWith("h1"));
    // svc still calls lib.util.fetch: only lib is resolved again.
    assertThat(r.stats().foldersResolved()).isEqualTo(1);
  }

  @Test
  void aChangedBaseClassResolvesItsUsersAgain() throws IOException {
    Path shapes = root.resolve("lib/shapes.py");
    write(shapes, Files.readString(shapes).replace("class Square(Base)", "class Square(Slow)"));
    ScanResult r = assertFresh();
    assertThat(r.findings()).anySatisfy(f -> assertThat(f.function()).endsWith("h4"));
    assertThat(r.stats().foldersResolved()).isEqualTo(2);
    assertThat(r.stats().foldersReused()).isEqualTo(1);
  }

  @Test
  void aRebindingAStarImportedNameResolvesItsUsersAgain() throws IOException {
    write(root.resolve("lib/stars.py"), "import time\n\nstar_fn = time.sleep\n");
    ScanResult r = assertFresh();
    assertThat(r.findings()).anySatisfy(f -> assertThat(f.function()).endsWith("h5"));
    assertThat(r.stats().foldersResolved()).isEqualTo(2);
  }

  @Test
  void anAttributeSetInInitAndReadElsewhere() throws IOException {
    Path util = root.resolve("lib/util.py");
    write(util, Files.readString(util).replace("self.conn = Conn()", "self.conn = time")
        .replace("self.conn.read()", "self.conn.sleep(1)"));
    ScanResult r = assertFresh();
    assertThat(r.findings()).anySatisfy(f -> assertThat(f.function()).endsWith("h2"));
  }

  @Test
  void deletedAndAddedModulesResolveTheirUsersAgain() throws IOException {
    Files.delete(root.resolve("lib/store.py"));
    ScanResult r = assertFresh();
    assertThat(r.stats().foldersResolved()).isEqualTo(2);
    write(root.resolve("lib/store.py"), "import time\n\ndef save():\n    time.sleep(3)\n");
    r = assertFresh();
    assertThat(r.findings()).anySatisfy(f -> assertThat(f.function()).endsWith("h3"));
    assertThat(r.stats().foldersResolved()).isEqualTo(2);
    write(root.resolve("other/more.py"), "import time\n\nasync def more():\n    time.sleep(1)\n");
    r = assertFresh();
    assertThat(r.stats().foldersResolved()).isEqualTo(1);
  }

  @Test
  void aBrokenResolutionFileResolvesEverythingAgain() throws IOException {
    Path file = root.resolve(".loopguard_cache/resolution-1.bin");
    assertThat(file).exists();
    byte[] b = Files.readAllBytes(file);
    b[b.length / 2] ^= 0x5A;
    Files.write(file, b);
    Path jobs = root.resolve("other/jobs.py");
    write(jobs, Files.readString(jobs) + "\n");
    ScanResult r = assertFresh();
    assertThat(r.stats().foldersResolved()).isEqualTo(3);
    assertThat(r.stats().foldersReused()).isZero();
  }

  private ScanOptions options() {
    return Hostile.options(root, 2);
  }

  /** A cached scan reports what a scan without the cache reports. */
  private ScanResult assertFresh() throws IOException {
    ScanResult r = cached.scan(options());
    assertThat(r.reused()).isFalse();
    ScanResult fresh = Hostile.scanner().scan(options());
    assertThat(render(r)).isEqualTo(render(fresh));
    assertThat(r.evidence()).isEqualTo(fresh.evidence());
    return r;
  }

  private String render(ScanResult r) throws IOException {
    StringWriter w = new StringWriter();
    Reporters.create("json", false).write(new Report(r, root, Rules.all(), false), w);
    return w.toString().replaceAll("\"seconds\" : [0-9.]+", "");
  }
}
