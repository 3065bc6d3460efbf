package dev.loopguard.python.robust;

import static dev.loopguard.python.robust.Hostile.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loopguard.core.engine.Knowledge;
import dev.loopguard.core.config.ScanOptions;
import dev.loopguard.core.result.ScanResult;
import dev.loopguard.core.engine.Scanner;
import dev.loopguard.core.engine.cache.ResultCache;
import dev.loopguard.core.engine.Suppressions;
import dev.loopguard.core.result.UnusedSuppression;
import dev.loopguard.core.knowledge.FactIndex;
import dev.loopguard.core.report.Report;
import dev.loopguard.core.report.Reporter;
import dev.loopguard.core.report.Reporters;
import dev.loopguard.core.rules.Rules;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The result cache: a scan of an unchanged tree reuses the last result and reports exactly what a
 * fresh scan reports, in every format; any change of input (a file, the options, the knowledge)
 * makes it scan again.
 */
class ResultCacheTest {
  private static final List<String> FORMATS = List.of("json", "sarif", "text", "audit", "inventory");

  @TempDir
  Path root;

  @BeforeEach
  void tree() throws IOException {
    for (int i = 0; i < 12; i++) {
      write(root.resolve("app/m" + i + ".py"), "import time\nimport requests\nimport asyncio\n"
          + "from app.m" + ((i + 1) % 12) + " import h" + ((i + 1) % 12) + "\n\n"
          + "def h" + i + "():\n    time.sleep(1)\n\n"
          + "async def a" + i + "(session):\n    h" + ((i + 1) % 12) + "()\n"
          + "    requests.get('https://x', timeout=3)\n"
          + "    await asyncio.to_thread(h" + i + ")\n"
          + "    await session.get('https://y')\n"
          + "    time.sleep(2)  # loopguard: ignore[perf-004]\n"
          + "    x = 1  # loopguard: ignore\n");
    }
    write(root.resolve("app/__init__.py"), "");
    write(root.resolve("tests/test_a.py"), "import time\nasync def test_x():\n    time.sleep(1)\n");
  }

  @Test
  void anUnchangedTreeReusesTheResultAndReportsTheSame() throws IOException {
    Scanner cached = Hostile.scanner().withDiskCache(true);
    ScanResult first = cached.scan(options());
    ScanResult second = cached.scan(options());
    assertThat(first.reused()).isFalse();
    assertThat(second.reused()).isTrue();
    assertThat(second.model()).isNull();
    ScanResult fresh = Hostile.scanner().scan(options());
    assertThat(fresh.findings()).isNotEmpty();
    assertThat(fresh.evidence()).isNotEmpty();
    for (String format : FORMATS) {
      assertThat(render(second, format)).as(format).isEqualTo(render(fresh, format));
    }
    assertThat(second.findings()).isEqualTo(fresh.findings());
    assertThat(second.suppressed()).isEqualTo(fresh.suppressed()).isNotEmpty();
    assertThat(second.diagnostics()).isEqualTo(fresh.diagnostics());
    assertThat(second.evidence()).isEqualTo(fresh.evidence());
    Set<String> ids = Set.of("perf-004");
    assertThat(Suppressions.unused(second, Hostile.FRONTENDS, ids, ids, Suppressions.claimsOf(Rules.all())))
        .isEqualTo(Suppressions.unused(fresh, Hostile.FRONTENDS, ids, ids, Suppressions.claimsOf(Rules.all())))
        .isNotEmpty();
  }

  @Test
  void editedAddedAndDeletedFilesScanAgain() throws IOException {
    Scanner cached = Hostile.scanner().withDiskCache(true);
    cached.scan(options());
    write(root.resolve("app/m3.py"), "import time\nasync def a3():\n    time.sleep(5)\n");
    assertFresh(cached.scan(options()));
    assertThat(cached.scan(options()).reused()).isTrue();
    write(root.resolve("app/extra.py"), "import time\nasync def e():\n    time.sleep(5)\n");
    assertFresh(cached.scan(options()));
    Files.delete(root.resolve("app/m5.py"));
    assertFresh(cached.scan(options()));
    // Same size, other bytes.
    String m7 = Files.readString(root.resolve("app/m7.py"));
    write(root.resolve("app/m7.py"), m7.replace("time.sleep(1)", "time.sleep(9)"));
    assertFresh(cached.scan(options()));
  }

  @Test
  void otherOptionsOrKnowledgeScanAgain() {
    Scanner cached = Hostile.scanner().withDiskCache(true);
    cached.scan(options());
    ScanOptions withTests = options().withIncludeContexts(Set.of("test"));
    ScanResult r = cached.scan(withTests);
    assertThat(r.reused()).isFalse();
    assertThat(r.findings()).isEqualTo(Hostile.scanner().scan(withTests).findings());
    assertThat(cached.scan(withTests).reused()).isTrue();

    FactIndex fewer = new Knowledge(Hostile.FRONTENDS).load(List.of(),
        Set.of(Hostile.FACTS.lookup("time.sleep").id()));
    Scanner other = new Scanner(Hostile.FRONTENDS, fewer, Rules.all()).withDiskCache(true);
    ScanResult o = other.scan(withTests);
    assertThat(o.reused()).isFalse();
    assertThat(o.findings()).isEqualTo(new Scanner(Hostile.FRONTENDS, fewer, Rules.all())
        .scan(withTests).findings());
  }

  @Test
  void unchangedStampsSkipReadingAndChangedStampsDoNot() throws IOException {
    FileTime hourAgo = ageEveryFile();
    Scanner cached = Hostile.scanner().withDiskCache(true);
    cached.scan(options());
    assertThat(root.resolve(".loopguard_cache/files-2.bin")).exists();
    assertThat(cached.scan(options()).reused()).isTrue();
    // Another content with the same size and another (old) time: the stamp no longer matches.
    Path m2 = root.resolve("app/m2.py");
    write(m2, Files.readString(m2).replace("time.sleep(1)", "time.sleep(7)"));
    Files.setLastModifiedTime(m2, FileTime.from(Instant.now().minus(Duration.ofMinutes(30))));
    assertFresh(cached.scan(options()));
    assertThat(cached.scan(options()).reused()).isTrue();
  }

  @Test
  void aSameSizeEditWithItsTimeRestoredIsRead() throws IOException {
    // What tar, rsync -a or a restored CI cache do: same size, same old modification time, other
    // content. The change time (which no tool can set back) tells the scan to read it.
    FileTime hourAgo = ageEveryFile();
    Scanner cached = Hostile.scanner().withDiskCache(true);
    cached.scan(options());
    Path m4 = root.resolve("app/m4.py");
    String edited = Files.readString(m4).replace("requests.get(", "requests.put(");
    write(m4, edited);
    Files.setLastModifiedTime(m4, hourAgo);
    ScanResult after = cached.scan(options());
    assertThat(after.reused()).isFalse();
    assertThat(after.findings()).filteredOn(f -> f.path().equals("app/m4.py"))
        .anySatisfy(f -> assertThat(f.subject()).isEqualTo("requests.put"))
        .noneSatisfy(f -> assertThat(f.subject()).isEqualTo("requests.get"));
    assertFresh(after);
  }

  @Test
  void aStaleTemporaryFileIsRemovedAndASymlinkedCacheIsNotWritten() throws IOException {
    Scanner cached = Hostile.scanner().withDiskCache(true);
    Path dir = Files.createDirectories(root.resolve(".loopguard_cache"));
    // Left by a scan killed (kill -9) while it wrote: no process has this id.
    Path stale = dir.resolve("result-" + ResultCache.FORMAT + ".bin.999999999.12345.tmp");
    Files.writeString(stale, "half a file");
    cached.scan(options());
    assertThat(stale).doesNotExist();
    assertThat(root.resolve(".loopguard_cache/result-" + ResultCache.FORMAT + ".bin")).exists();

    Path elsewhere = Files.createDirectories(root.resolveSibling(root.getFileName() + "-elsewhere"));
    try {
      Path linked = Files.createDirectories(root.resolve("linked"));
      write(linked.resolve("a.py"), "import time\nasync def f():\n    time.sleep(1)\n");
      Files.createSymbolicLink(linked.resolve(".loopguard_cache"), elsewhere);
      ScanOptions o = Hostile.options(linked, 2);
      assertThat(cached.scan(o).findings()).hasSize(1);
      assertThat(cached.scan(o).findings()).hasSize(1);
      try (var s = Files.list(elsewhere)) {
        assertThat(s.toList()).isEmpty();
      }
    } finally {
      Files.deleteIfExists(elsewhere);
    }
  }

  @Test
  void aCorruptOrForeignResultFileIsAMiss() throws IOException {
    Scanner cached = Hostile.scanner().withDiskCache(true);
    cached.scan(options());
    corrupt(cached, "result-", true);
    // Broken stamps only mean reading every file again: the result is still reused.
    corrupt(cached, "files-", false);
  }

  private void corrupt(Scanner cached, String name, boolean miss) throws IOException {
    Path file;
    try (var s = Files.list(root.resolve(".loopguard_cache"))) {
      file = s.filter(p -> p.getFileName().toString().startsWith(name)).findFirst().orElseThrow();
    }
    byte[] b = Files.readAllBytes(file);
    for (int at : new int[] {0, 10, 45, b.length / 2, b.length - 1}) {
      byte[] broken = b.clone();
      broken[at] ^= 0x5A;
      Files.write(file, broken);
      assertSame(cached.scan(options()), miss);
    }
    Files.write(file, new byte[] {1, 2, 3});
    assertSame(cached.scan(options()), miss);
    assertThat(cached.scan(options()).reused()).isTrue();
  }

  /** Sets every file's time an hour back (stamps of older files are trusted) and returns it. */
  private FileTime ageEveryFile() throws IOException {
    FileTime hourAgo = FileTime.from(Instant.now().minus(Duration.ofHours(1)));
    List<Path> files;
    try (var s = Files.walk(root)) {
      files = s.filter(p -> p.toString().endsWith(".py")).toList();
    }
    for (Path p : files) {
      Files.setLastModifiedTime(p, hourAgo);
    }
    return hourAgo;
  }

  private ScanOptions options() {
    return Hostile.options(root, 2);
  }

  private void assertFresh(ScanResult r) throws IOException {
    assertSame(r, true);
  }

  /** {@code r} reports what a fresh scan reports; {@code miss}: and it was not reused. */
  private void assertSame(ScanResult r, boolean miss) throws IOException {
    if (miss) {
      assertThat(r.reused()).isFalse();
    }
    ScanResult fresh = Hostile.scanner().scan(options());
    for (String format : FORMATS) {
      assertThat(render(r, format)).as(format).isEqualTo(render(fresh, format));
    }
  }

  private String render(ScanResult r, String format) throws IOException {
    StringWriter w = new StringWriter();
    Reporter reporter = Reporters.create(format, false);
    reporter.write(new Report(r, root, Rules.all(), false), w);
    return w.toString();
  }
}
