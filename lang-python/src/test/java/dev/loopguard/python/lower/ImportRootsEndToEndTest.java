package dev.loopguard.python.lower;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopguard.core.config.Settings;
import dev.loopguard.core.engine.Knowledge;
import dev.loopguard.core.engine.Pipeline;
import dev.loopguard.core.frontend.Frontends;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.rules.Rules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One project on disk scanned from its root, from {@code src/} and from its package gives the
 * same findings: the project root is found from its pyproject.toml above the scanned folder, and
 * modules are named under its import roots (issue 17).
 */
class ImportRootsEndToEndTest {
  @TempDir Path dir;

  private static final Map<String, String> FILES = Map.of(
      "pyproject.toml", """
          [project]
          name = "svc"
          [tool.setuptools.packages.find]
          where = ["src"]
          """,
      "src/svc/__init__.py", "",
      "src/svc/cache/__init__.py", "",
      "src/svc/cache/redis.py", "def key(u):\n    return 'user:' + u\n",
      "src/svc/store.py", """
          from redis import Redis

          from svc.cache.redis import key

          r = Redis()


          def load(u):
              return r.get(key(u))
          """,
      "src/svc/util.py", "import time\n\n\ndef backoff():\n    time.sleep(1)\n",
      "src/svc/api.py", """
          from svc.store import load
          from svc.util import backoff


          async def handler(u):
              backoff()
              return load(u)
          """);

  private TreeSet<String> scan(Path folder) {
    Settings s = Settings.resolve(Frontends.all(), folder, List.of(),
        Settings.Overrides.none().withThreads(1));
    TreeSet<String> out = new TreeSet<>();
    for (Finding f : s.apply(new Pipeline(s, new Knowledge(s.frontends())).scanner().scan(s.options())).findings()) {
      Path abs = s.root().resolve(f.path()).normalize();
      out.add(dir.relativize(abs) + ":" + f.line() + " " + f.function() + " " + f.subject());
    }
    return out;
  }

  @Test
  void theSameFindingsFromTheRootFromSrcAndFromThePackage() throws IOException {
    for (var e : FILES.entrySet()) {
      Path p = dir.resolve(e.getKey());
      Files.createDirectories(p.getParent());
      Files.writeString(p, e.getValue());
    }
    TreeSet<String> fromRoot = scan(dir);
    assertThat(fromRoot).containsExactly(
        "src/svc/api.py:6 svc.api.handler time.sleep",
        "src/svc/api.py:7 svc.api.handler redis.Redis.get");
    assertThat(scan(dir.resolve("src"))).isEqualTo(fromRoot);
    assertThat(scan(dir.resolve("src/svc"))).isEqualTo(fromRoot);
  }

  @Test
  void unresolvedFirstPartyImportsAreSaidOnce() throws IOException {
    // worker/ is neither an import root nor a script's folder: its bare imports do not resolve.
    Map<String, String> files = Map.of(
        "pyproject.toml", "[project]\nname = \"w\"\n",
        "worker/jobs.py", "import time\n\n\ndef run():\n    time.sleep(1)\n",
        "worker/api.py", "import jobs\nfrom jobs import run\n\n\nasync def handler():\n    run()\n",
        "worker/other.py", "import jobs\nimport json\n");
    for (var e : files.entrySet()) {
      Path p = dir.resolve(e.getKey());
      Files.createDirectories(p.getParent());
      Files.writeString(p, e.getValue());
    }
    Settings s = Settings.resolve(Frontends.all(), dir, List.of(), Settings.Overrides.none().withThreads(1));
    var result = new Pipeline(s, new Knowledge(s.frontends())).scanner().scan(s.options());
    assertThat(result.findings()).isEmpty();
    assertThat(result.diagnostics()).filteredOn(d -> d.kind().equals("unresolved-imports"))
        .singleElement()
        .satisfies(d -> {
          assertThat(d.path()).isEqualTo("worker/api.py");
          assertThat(d.line()).isEqualTo(1);
          assertThat(d.message()).startsWith("3 imports in 2 files name a module of the project")
              .contains("'jobs'");
        });
  }

  @Test
  void anInstalledEnvironmentsPackagesAreNamedFromItsSitePackagesFolder() throws IOException {
    // An unpacked Debian package: no project file, the library under usr/lib/python3/dist-packages.
    Map<String, String> files = Map.of(
        "usr/lib/python3/dist-packages/lib/__init__.py", "",
        "usr/lib/python3/dist-packages/lib/util.py", "import time\n\n\ndef backoff():\n    time.sleep(1)\n",
        "usr/lib/python3/dist-packages/lib/api.py",
        "from lib.util import backoff\n\n\nasync def handler():\n    backoff()\n");
    for (var e : files.entrySet()) {
      Path p = dir.resolve(e.getKey());
      Files.createDirectories(p.getParent());
      Files.writeString(p, e.getValue());
    }
    assertThat(scan(dir)).containsExactly(
        "usr/lib/python3/dist-packages/lib/api.py:5 lib.api.handler time.sleep");
  }
}
