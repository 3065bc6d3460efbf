package dev.loopguard.python.robust;

import static dev.loopguard.python.robust.Hostile.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loopguard.core.config.Settings;
import dev.loopguard.core.engine.Knowledge;
import dev.loopguard.core.engine.Pipeline;
import dev.loopguard.core.frontend.Frontends;
import dev.loopguard.core.config.ScanOptions;
import dev.loopguard.core.result.ScanResult;
import dev.loopguard.core.engine.Suppressions;
import dev.loopguard.core.result.UnusedSuppression;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.rules.Rules;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Test and script files whose findings are not reported are only outlined (their lines counted,
 * not parsed) unless lowered code looks their modules up: the analysis of the other files stays
 * what lowering every file gives; what test code alone would add (a callback it registers on the
 * loop) is not analysed, and what only parsing it would tell (its syntax errors, its functions)
 * is not reported.
 */
class OutlineScanTest {
  @TempDir Path root;

  @BeforeEach
  void tree() throws IOException {
    write(root.resolve("app/__init__.py"), "");
    write(root.resolve("app/service.py"), """
        import time
        import app.testing
        from app.testing.fakes import slow_fake


        async def handle():
            slow_fake()


        async def other():
            package = app.testing
            package.helpers.wait()


        def callback():
            time.sleep(1)
        """);
    // Test-path modules that app code imports (by name) and reads (as attributes of a package).
    write(root.resolve("app/testing/__init__.py"), "");
    write(root.resolve("app/testing/fakes.py"), "import time\n\ndef slow_fake():\n    time.sleep(1)\n");
    write(root.resolve("app/testing/helpers.py"), "import time\n\ndef wait():\n    time.sleep(2)\n");
    write(root.resolve("app/testing/unused.py"), "import time\n\nasync def t():\n    time.sleep(3)\n");
    write(root.resolve("tests/test_service.py"), """
        import asyncio
        import time
        from app.service import callback


        def test_callback():
            asyncio.get_event_loop().call_soon(callback)


        async def test_handle():
            time.sleep(1)


        class TestX:
            async def test_y(self):
                def inner():
                    pass
                await asyncio.sleep(0)
        """);
    write(root.resolve("tests/test_broken.py"), "def broken(:\n    pass\n");
    write(root.resolve("tests/test_quiet.py"), "x = 1  # loopguard: ignore[perf-004]\n");
    write(root.resolve("scripts/tool.py"), "import time\n\nasync def main():\n    time.sleep(1)\n");
  }

  private Settings settings(List<String> contexts) {
    Settings.Overrides o = new Settings.Overrides(null, null, true, contexts, List.of(), List.of(),
        List.of(), List.of(), List.of(), 1, true, null, null, null);
    return Settings.resolve(Frontends.all(), root, List.of(), o);
  }

  private static Set<String> where(List<Finding> findings) {
    return findings.stream().map(f -> f.path() + ":" + f.span().line() + " " + f.confidence())
        .collect(Collectors.toSet());
  }

  @Test
  void unreportedTestAndScriptFilesAreOutlinedUnlessLoweredCodeLooksThemUp() {
    Settings s = settings(List.of());
    ScanResult raw = new Pipeline(s, new Knowledge(s.frontends())).scanner().scan(s.options());
    Set<String> outlined = raw.modules().all().stream().filter(ModuleIr::isOutline)
        .map(ModuleIr::path).collect(Collectors.toSet());
    assertThat(outlined).containsExactlyInAnyOrder("app/testing/unused.py",
        "tests/test_service.py", "tests/test_broken.py", "tests/test_quiet.py", "scripts/tool.py");
    // Reached through test-path helpers: by an import, and as an attribute of a package held in
    // a variable (a submodule no dotted name in the code spells).
    assertThat(where(s.apply(raw).findings())).containsExactlyInAnyOrder(
        "app/service.py:7 MEDIUM", "app/service.py:12 MEDIUM");
  }

  @Test
  void filesLinesAndLoweredCodeAreThoseOfAScanThatLowersEveryFile() {
    Settings s = settings(List.of());
    ScanResult outlined = new Pipeline(s, new Knowledge(s.frontends())).scanner().scan(s.options());
    ScanOptions all = s.options().withOutlines(Set.of(), List.of());
    ScanResult lowered = new Pipeline(s, new Knowledge(s.frontends())).scanner().scan(all);
    assertThat(outlined.stats().files()).isEqualTo(lowered.stats().files()).isEqualTo(10);
    assertThat(outlined.stats().lines()).isEqualTo(lowered.stats().lines());
    // Functions are counted where the code is lowered: app/ (handle, other, callback) and the
    // test-path helpers it imports (slow_fake, wait); not in the outlined files.
    assertThat(lowered.stats().functions()).isEqualTo(12);
    assertThat(lowered.stats().asyncFunctions()).isEqualTo(6);
    assertThat(outlined.stats().functions()).isEqualTo(5);
    assertThat(outlined.stats().asyncFunctions()).isEqualTo(2);
    // The syntax error of a test file no analysed code imports is not the scan's business.
    assertThat(lowered.diagnostics()).isNotEmpty()
        .allMatch(d -> d.path().equals("tests/test_broken.py") && d.kind().equals("syntax-error"));
    assertThat(outlined.diagnostics()).isEmpty();
    // Every finding in app code is the same, except the callback only a test registers.
    Set<String> app = where(s.apply(lowered).findings());
    assertThat(app).contains("app/service.py:16 HIGH");
    app.remove("app/service.py:16 HIGH");
    assertThat(where(s.apply(outlined).findings())).isEqualTo(app);
    // Test and script findings need their files lowered.
    assertThat(where(lowered.findings())).contains("tests/test_service.py:11 HIGH",
        "scripts/tool.py:4 HIGH");
  }

  @Test
  void theSyntaxErrorsOfATestPathModuleThatAnalysedCodeImportsAreReported() throws IOException {
    write(root.resolve("app/testing/helpers.py"), "import time\n\ndef wait(:\n    time.sleep(2)\n");
    Settings s = settings(List.of());
    ScanResult raw = new Pipeline(s, new Knowledge(s.frontends())).scanner().scan(s.options());
    assertThat(raw.modules().module("app/testing/helpers.py").isOutline()).isFalse();
    assertThat(raw.diagnostics()).extracting(d -> d.path() + " " + d.kind()).isNotEmpty()
        .containsOnly("app/testing/helpers.py syntax-error");
  }

  @Test
  void includedContextsAreLoweredAndReported() {
    Settings s = settings(List.of("test"));
    ScanResult raw = new Pipeline(s, new Knowledge(s.frontends())).scanner().scan(s.options());
    Set<String> outlined = raw.modules().all().stream().filter(ModuleIr::isOutline)
        .map(ModuleIr::path).collect(Collectors.toSet());
    assertThat(outlined).containsExactly("scripts/tool.py");
    assertThat(where(s.apply(raw).findings())).contains("tests/test_service.py:11 HIGH",
        "app/service.py:16 HIGH", "app/testing/unused.py:4 HIGH");
  }

  @Test
  void aPathPolicyThatReportsTestsLowersThem() throws IOException {
    write(root.resolve("loopguard.toml"), "[paths]\n\"tests/**\" = { report = true }\n");
    Settings s = Settings.resolve(Frontends.all(), root, List.of(),
        Settings.Overrides.none().withThreads(1));
    ScanResult raw = new Pipeline(s, new Knowledge(s.frontends())).scanner().scan(s.options());
    Set<String> outlined = raw.modules().all().stream().filter(ModuleIr::isOutline)
        .map(ModuleIr::path).collect(Collectors.toSet());
    assertThat(outlined).containsExactlyInAnyOrder("app/testing/unused.py", "scripts/tool.py");
    assertThat(where(s.apply(raw).findings())).contains("tests/test_service.py:11 HIGH",
        "app/service.py:16 HIGH");
  }

  @Test
  void pathsThatAreNeverReportedAreOutlinedUnlessImported() throws IOException {
    write(root.resolve("loopguard.toml"), "[paths]\n\"vendor/**\" = { report = false }\n");
    write(root.resolve("vendor/__init__.py"), "");
    write(root.resolve("vendor/lib.py"),
        "import time\n\ndef slow():\n    time.sleep(1)\n\nasync def v():\n    time.sleep(1)\n");
    write(root.resolve("vendor/other.py"), "import time\n\nasync def o():\n    time.sleep(1)\n");
    write(root.resolve("app/uses_vendor.py"),
        "from vendor.lib import slow\n\nasync def h():\n    slow()\n");
    Settings s = Settings.resolve(Frontends.all(), root, List.of(),
        Settings.Overrides.none().withThreads(1));
    ScanResult raw = new Pipeline(s, new Knowledge(s.frontends())).scanner().scan(s.options());
    Set<String> outlined = raw.modules().all().stream().filter(ModuleIr::isOutline)
        .map(ModuleIr::path).collect(Collectors.toSet());
    assertThat(outlined).contains("vendor/other.py").doesNotContain("vendor/lib.py",
        "vendor/__init__.py", "app/uses_vendor.py");
    Set<String> reported = where(s.apply(raw).findings());
    assertThat(reported).contains("app/uses_vendor.py:4 MEDIUM")
        .noneMatch(f -> f.startsWith("vendor/"));
    ScanResult lowered = new Pipeline(s, new Knowledge(s.frontends())).scanner().scan(s.options().withOutlines(Set.of(), List.of()));
    Set<String> all = where(s.apply(lowered).findings());
    all.remove("app/service.py:16 HIGH"); // registered by a test only (see above)
    assertThat(reported).isEqualTo(all);
  }

  @Test
  void suppressionsInOutlinedFilesAreNotJudged() {
    Settings s = settings(List.of());
    ScanResult raw = new Pipeline(s, new Knowledge(s.frontends())).scanner().scan(s.options());
    Set<String> ids = Set.of("perf-004");
    assertThat(Suppressions.unused(raw, Frontends.all(), ids, ids, Suppressions.claimsOf(Rules.all()))).isEmpty();
    ScanResult lowered = new Pipeline(s, new Knowledge(s.frontends())).scanner().scan(s.options().withOutlines(Set.of(), List.of()));
    assertThat(Suppressions.unused(lowered, Frontends.all(), ids, ids, Suppressions.claimsOf(Rules.all())))
        .extracting(UnusedSuppression::path).containsExactly("tests/test_quiet.py");
  }

  @Test
  void theDiskCacheKeepsOutlinesApartFromLoweredModules() throws IOException {
    Settings s = settings(List.of());
    ScanResult fresh = new Pipeline(s, new Knowledge(s.frontends())).scanner().scan(s.options());
    ScanResult cold = new Pipeline(s, new Knowledge(s.frontends())).scanner().withDiskCache(true).scan(s.options());
    ScanResult warm = new Pipeline(s, new Knowledge(s.frontends())).scanner().withDiskCache(true).scan(s.options());
    // Lowering every file with the same cache must not get outlines back, and the other way.
    ScanOptions all = s.options().withOutlines(Set.of(), List.of());
    ScanResult lowered = new Pipeline(s, new Knowledge(s.frontends())).scanner().scan(all);
    ScanResult loweredCached = new Pipeline(s, new Knowledge(s.frontends())).scanner().withDiskCache(true).scan(all);
    // An edit of an outlined test file: the cache must not reuse the old result.
    write(root.resolve("tests/test_broken.py"), "def fixed():\n    pass\n");
    ScanResult edited = new Pipeline(s, new Knowledge(s.frontends())).scanner().withDiskCache(true).scan(s.options());
    ScanResult editedFresh = new Pipeline(s, new Knowledge(s.frontends())).scanner().scan(s.options());
    assertThat(cold.findings()).isEqualTo(fresh.findings()).isNotEmpty();
    assertThat(cold.stats().functions()).isEqualTo(fresh.stats().functions());
    // A reused result reads its modules back from the cache: outlines stay outlines.
    assertThat(warm.reused()).isTrue();
    assertThat(warm.findings()).isEqualTo(fresh.findings());
    Set<String> ids = Set.of("perf-004");
    assertThat(Suppressions.unused(warm, Frontends.all(), ids, ids, Suppressions.claimsOf(Rules.all())))
        .isEqualTo(Suppressions.unused(fresh, Frontends.all(), ids, ids, Suppressions.claimsOf(Rules.all())));
    assertThat(warm.modules().module("tests/test_quiet.py").isOutline()).isTrue();
    assertThat(warm.modules().module("app/testing/fakes.py").isOutline()).isFalse();
    assertThat(loweredCached.findings()).isEqualTo(lowered.findings());
    assertThat(loweredCached.findings().size()).isGreaterThan(fresh.findings().size());
    assertThat(edited.reused()).isFalse();
    assertThat(edited.findings()).isEqualTo(editedFresh.findings());
    assertThat(edited.diagnostics()).isEqualTo(editedFresh.diagnostics()).isEmpty();
    assertThat(edited.stats().functions()).isEqualTo(editedFresh.stats().functions());
  }

  @Test
  void anEditThatStartsOrStopsImportingATestModuleGivesWhatAFreshScanGives() throws IOException {
    Settings s = settings(List.of());
    new Pipeline(s, new Knowledge(s.frontends())).scanner().withDiskCache(true).scan(s.options());
    String service = java.nio.file.Files.readString(root.resolve("app/service.py"));
    // app/testing/unused.py was outlined; now app code imports it and calls it from async code.
    write(root.resolve("app/service.py"), service + """


        from app.testing import unused


        async def third():
            unused.slow()
        """);
    write(root.resolve("app/testing/unused.py"),
        "import time\n\ndef slow():\n    time.sleep(3)\n\nasync def t():\n    time.sleep(3)\n");
    ScanResult importing = new Pipeline(s, new Knowledge(s.frontends())).scanner().withDiskCache(true).scan(s.options());
    assertThat(importing.reused()).isFalse();
    assertThat(importing.modules().module("app/testing/unused.py").isOutline()).isFalse();
    ScanResult fresh = new Pipeline(s, new Knowledge(s.frontends())).scanner().scan(s.options());
    assertThat(importing.findings()).isEqualTo(fresh.findings());
    assertThat(where(s.apply(importing).findings())).contains("app/service.py:23 MEDIUM");
    // And back: the module is outlined again, and the finding goes.
    write(root.resolve("app/service.py"), service);
    ScanResult back = new Pipeline(s, new Knowledge(s.frontends())).scanner().withDiskCache(true).scan(s.options());
    assertThat(back.modules().module("app/testing/unused.py").isOutline()).isTrue();
    assertThat(back.findings()).isEqualTo(new Pipeline(s, new Knowledge(s.frontends())).scanner().scan(s.options()).findings());
    assertThat(where(s.apply(back).findings())).doesNotContain("app/service.py:23 MEDIUM");
  }
}
