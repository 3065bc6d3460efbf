package dev.loopguard.python.robust;

import static dev.loopguard.python.robust.Hostile.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loopguard.core.result.ScanResult;
import dev.loopguard.core.engine.cache.IrCache;
import dev.loopguard.core.engine.cache.IrCodec;
import dev.loopguard.core.frontend.LanguageFrontend;
import dev.loopguard.core.frontend.SourceFile;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.report.Report;
import dev.loopguard.core.report.json.JsonReporter;
import dev.loopguard.core.rules.Rules;
import dev.loopguard.python.PythonFrontend;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The on-disk IR cache: exact round trips, hits on unchanged files, misses on changed ones. */
class IrCacheTest {
  private static final LanguageFrontend PY = new PythonFrontend();

  @TempDir
  Path root;

  @Test
  void codecRoundTripsEveryFixture() throws IOException, URISyntaxException {
    Path fixtures = Path.of(IrCacheTest.class.getResource("/fixtures").toURI());
    List<Path> files;
    try (Stream<Path> s = Files.walk(fixtures)) {
      files = s.filter(p -> p.toString().endsWith(".py")).sorted().toList();
    }
    assertThat(files).isNotEmpty();
    for (Path f : files) {
      String rel = fixtures.relativize(f).toString().replace('\\', '/');
      ModuleIr m = PY.lower(new SourceFile(rel, PY.moduleName(rel, p -> false), List.of("x.y"),
          Files.readAllBytes(f)));
      byte[] b = IrCodec.encode(m);
      assertThat(IrCodec.decode(b, 0, b.length)).as(rel).isEqualTo(m);
    }
  }

  @Test
  void codecRoundTripsBrokenAndDeepInput() {
    for (String src : List.of("def f(:\n", "x = a" + ".b".repeat(50_000) + "\n", "\0\0", "",
        "async def f():\n    await g(x=1, *a, **k)\n    lambda: h()\n")) {
      ModuleIr m = PY.lower(new SourceFile("a.py", "a", List.of(), src.getBytes(StandardCharsets.UTF_8)));
      byte[] b = IrCodec.encode(m);
      assertThat(IrCodec.decode(b, 0, b.length)).isEqualTo(m);
    }
  }

  @Test
  void anEncoderReusedAcrossModulesWritesWhatAFreshEncodingWrites() throws IOException {
    List<String> sources = List.of(
        "import requests\nasync def f():\n    requests.get('http://x', timeout=3)\n",
        "# -*- coding: utf-8 -*-\nclass Café:\n    def naïve(self, ünï='ü€😀'):\n        return ünï\n",
        "def g():\n    return [h(i) for i in range(3)]\n" + "x%d = g()\n".repeat(3000).formatted(
            java.util.stream.IntStream.range(0, 3000).boxed().toArray()),
        "");
    IrCodec.Encoder encoder = new IrCodec.Encoder();
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < sources.size(); i++) {
        ModuleIr m = PY.lower(new SourceFile("m" + i + ".py", "m" + i, List.of(),
            sources.get(i).getBytes(StandardCharsets.UTF_8)));
        encoder.encode(m);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        encoder.writeTo(new java.io.DataOutputStream(bytes));
        byte[] b = bytes.toByteArray();
        assertThat(b).as("module %d", i).isEqualTo(IrCodec.encode(m)).hasSize(encoder.length());
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(b);
        assertThat(encoder.crc()).isEqualTo((int) crc.getValue());
        assertThat(IrCodec.decode(b, 0, b.length)).isEqualTo(m);
      }
    }
  }

  @Test
  void corruptEntriesAreRejected() {
    ModuleIr m = PY.lower(new SourceFile("a.py", "a", List.of(), "import time\ntime.sleep(1)\n"
        .getBytes(StandardCharsets.UTF_8)));
    byte[] b = IrCodec.encode(m);
    for (int cut = 0; cut < b.length; cut += 7) {
      int n = cut;
      try {
        IrCodec.decode(b, 0, n);
      } catch (IllegalArgumentException expected) {
        continue;
      }
      assertThat(n).as("a truncated entry decodes only when nothing was cut").isEqualTo(b.length);
    }
  }

  @Test
  void unchangedFilesAreHitsChangedFilesMisses() throws IOException {
    byte[] a = "import time\nasync def f():\n    time.sleep(1)\n".getBytes(StandardCharsets.UTF_8);
    byte[] b = "def g():\n    pass\n".getBytes(StandardCharsets.UTF_8);
    AtomicInteger lowered = new AtomicInteger();
    IrCache c1 = IrCache.open(root);
    ModuleIr a1 = get(c1, "a.py", a, lowered);
    get(c1, "b.py", b, lowered);
    assertThat(c1.save()).isTrue();
    assertThat(lowered).hasValue(2);
    assertThat(Files.readString(root.resolve(".loopguard_cache/.gitignore"))).contains("*");

    IrCache c2 = IrCache.open(root);
    assertThat(get(c2, "a.py", a, lowered)).isEqualTo(a1);
    get(c2, "b.py", "def g():\n    return 1\n".getBytes(StandardCharsets.UTF_8), lowered);
    assertThat(c2.hits()).isEqualTo(1);
    assertThat(c2.misses()).isEqualTo(1);
    assertThat(lowered).hasValue(3);
    // the same content under another path is another entry (paths are in the IR)
    get(c2, "c.py", a, lowered);
    assertThat(lowered).hasValue(4);
    assertThat(c2.save()).isTrue();

    // a corrupt pack is ignored, never an error
    Path pack;
    try (Stream<Path> s = Files.list(root.resolve(".loopguard_cache"))) {
      pack = s.filter(p -> p.getFileName().toString().endsWith(".bin")).findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(pack);
    for (int i = 12; i < bytes.length; i += 3) {
      bytes[i] ^= 0x5A;
    }
    Files.write(pack, bytes);
    IrCache c3 = IrCache.open(root);
    assertThat(get(c3, "a.py", a, lowered)).isEqualTo(a1);
  }

  @Test
  void cachedScanGivesTheSameReport() throws IOException {
    for (int i = 0; i < 20; i++) {
      write(root.resolve("pkg/m" + i + ".py"), "import time\nfrom pkg.m" + ((i + 1) % 20)
          + " import h" + ((i + 1) % 20) + "\n\ndef h" + i + "():\n    time.sleep(1)\n\nasync def a" + i
          + "():\n    h" + ((i + 1) % 20) + "()\n");
    }
    write(root.resolve("pkg/__init__.py"), "");
    String cold = json(Hostile.scanner().scan(Hostile.options(root, 2)));
    var cached = Hostile.scanner().withDiskCache(true);
    String first = json(cached.scan(Hostile.options(root, 2)));
    assertThat(Files.isDirectory(root.resolve(".loopguard_cache"))).isTrue();
    String warm = json(cached.scan(Hostile.options(root, 2)));
    assertThat(first).isEqualTo(cold);
    assertThat(warm).isEqualTo(cold);
    write(root.resolve("pkg/m3.py"), "async def a3():\n    pass\n");
    String edited = json(cached.scan(Hostile.options(root, 2)));
    assertThat(edited).isEqualTo(json(Hostile.scanner().scan(Hostile.options(root, 2))));
  }

  private ModuleIr get(IrCache c, String path, byte[] content, AtomicInteger lowered) {
    SourceFile sf = new SourceFile(path, path.replace(".py", ""), List.of(), content);
    return c.get(PY, path, sf.module(), sf.aliases(), content, () -> {
      lowered.incrementAndGet();
      return PY.lower(sf);
    });
  }

  private String json(ScanResult r) throws IOException {
    StringWriter w = new StringWriter();
    new JsonReporter().write(new Report(r, root, Rules.all(), false), w);
    return w.toString();
  }
}
