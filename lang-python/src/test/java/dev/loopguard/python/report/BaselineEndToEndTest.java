package dev.loopguard.python.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopguard.core.config.Settings;
import dev.loopguard.core.engine.Knowledge;
import dev.loopguard.core.engine.Pipeline;
import dev.loopguard.core.diff.Baseline;
import dev.loopguard.core.frontend.Frontends;
import dev.loopguard.core.result.ScanResult;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.report.SourceLines;
import dev.loopguard.core.rules.Rules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A baseline written today still matches after unrelated edits move the findings; a new blocking
 * call is the only finding reported.
 */
class BaselineEndToEndTest {
  @TempDir Path dir;

  private static final String API = """
      import time

      import requests
      from fastapi import FastAPI

      from app.util import backoff

      app = FastAPI()


      @app.post("/notify")
      async def notify(url: str):
          requests.post(url, json={"ok": True}, timeout=5)
          backoff(1)


      @app.get("/wait")
      async def wait():
          time.sleep(1)
      """;

  private static final String UTIL = """
      import time


      def backoff(attempt):
          time.sleep(2 ** attempt)
      """;

  private void write(String rel, String text) throws IOException {
    Path p = dir.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  private List<Finding> scan() {
    Settings s = Settings.resolve(Frontends.all(), dir, List.of(), Settings.Overrides.none().withThreads(1));
    ScanResult r = s.apply(new Pipeline(s, new Knowledge(s.frontends())).scanner().scan(s.options()));
    return r.findings();
  }

  @Test
  void survivesLineShiftsAndReportsOnlyTheNewCall() throws IOException {
    write("app/__init__.py", "");
    write("app/util.py", UTIL);
    write("app/api.py", API);
    List<Finding> before = scan();
    assertThat(before).extracting(Finding::subject).containsExactly("requests.post", "time.sleep", "time.sleep");
    Path file = dir.resolve("loopguard-baseline.json");
    Baseline.of(before, new SourceLines(dir)).write(file);

    // Unrelated edits above every finding: a docstring, new imports, a new helper, a moved helper.
    write("app/util.py", "\"\"\"Helpers.\"\"\"\nimport logging\n\nlog = logging.getLogger(__name__)\n\n" + UTIL);
    write("app/api.py", "\"\"\"The API.\"\"\"\nimport json\n" + API.replace("app = FastAPI()\n",
        "app = FastAPI()\n\n\ndef dump(x):\n    return json.dumps(x)\n"));
    List<Finding> shifted = scan();
    assertThat(shifted).hasSameSizeAs(before);
    for (int i = 0; i < before.size(); i++) {
      assertThat(shifted.get(i).line()).as("finding %d moved", i).isNotEqualTo(before.get(i).line());
    }
    Baseline.Match m = Baseline.read(file).match(shifted, new SourceLines(dir));
    assertThat(m.fresh()).isEmpty();
    assertThat(m.known()).hasSize(3);
    assertThat(m.gone()).isZero();

    // A new blocking call, in a function that already has one of the same API.
    write("app/api.py", Files.readString(dir.resolve("app/api.py"))
        .replace("    time.sleep(1)\n", "    time.sleep(30)\n    time.sleep(1)\n")
        .replace("    backoff(1)\n", "    backoff(1)\n    requests.get(url, timeout=3)\n"));
    List<Finding> grown = scan();
    Baseline.Match m2 = Baseline.read(file).match(grown, new SourceLines(dir));
    assertThat(m2.fresh()).extracting(Finding::subject).containsExactlyInAnyOrder("time.sleep", "requests.get");
    Finding newSleep = m2.fresh().stream().filter(f -> f.subject().equals("time.sleep")).findFirst().orElseThrow();
    assertThat(new SourceLines(dir).line(newSleep.path(), newSleep.line())).contains("time.sleep(30)");
    assertThat(m2.known()).hasSize(3);
  }
}
