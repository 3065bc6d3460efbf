package dev.loopguard.python.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopguard.core.config.Settings;
import dev.loopguard.core.engine.Knowledge;
import dev.loopguard.core.engine.Pipeline;
import dev.loopguard.core.frontend.Frontends;
import dev.loopguard.core.model.Finding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chain step reached without a call names how ("fetch (called by retry)"); the fix names the
 * helper itself.
 */
class ImplicitStepWordingTest {
  @TempDir Path dir;

  @Test
  void theFixNamesTheHelperNotTheStepsWording() throws IOException {
    Files.createDirectories(dir.resolve("app"));
    Files.writeString(dir.resolve("app/__init__.py"), "");
    Files.writeString(dir.resolve("app/util.py"), """
        import requests


        def retry(op):
            for _ in range(3):
                return op()


        def fetch():
            return requests.get("https://example.com", timeout=5)
        """);
    Files.writeString(dir.resolve("app/api.py"), """
        from app.util import retry, fetch


        async def handler():
            return retry(fetch)
        """);
    Settings s = Settings.resolve(Frontends.all(), dir, List.of(),
        Settings.Overrides.none().withThreads(1));
    List<Finding> found = s.apply(new Pipeline(s, new Knowledge(s.frontends())).scanner()
        .scan(s.options())).findings().stream().filter(f -> f.rule().equals("perf-004")).toList();
    assertThat(found).singleElement().satisfies(f -> {
      assertThat(f.chain()).anySatisfy(h -> assertThat(h.call()).contains("(called by app.util.retry)"));
      assertThat(f.remediation()).startsWith("Make app.util.fetch async")
          .doesNotContain("(called by");
    });
  }
}
