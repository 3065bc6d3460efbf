package dev.loopguard.cli;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The Python interpreter tests of the runtime detector use: the first of {@code
 * LOOPGUARD_TEST_PYTHON}, {@code /usr/bin/python3} (Debian's, where .ci/run installs the packages)
 * and {@code python3} on the path that imports the modules a test needs. Missing, the test is
 * skipped with the reason, unless {@code LOOPGUARD_REQUIRE_PYTHON=1} (set by .ci/run): then it fails.
 */
final class Pythons {
  private Pythons() {}

  static String require(String... modules) {
    List<String> candidates = new ArrayList<>();
    String env = System.getenv("LOOPGUARD_TEST_PYTHON");
    if (env != null && !env.isBlank()) {
      candidates.add(env);
    }
    candidates.add("/usr/bin/python3");
    candidates.add("python3");
    String imports = modules.length == 0 ? "pass" : "import " + String.join(", ", modules);
    for (String python : candidates) {
      try {
        Process p = new ProcessBuilder(python, "-c", imports).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0) {
          return python;
        }
        p.destroyForcibly();
      } catch (IOException e) {
        // not there
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    String reason = "no python3 that imports " + (modules.length == 0 ? "nothing" : String.join(", ", modules))
        + " (Debian: apt-get install python3 python3-fastapi python3-uvicorn python3-pytest python3-trio "
        + "python3-anyio python3-httpx; .ci/run does)";
    if ("1".equals(System.getenv("LOOPGUARD_REQUIRE_PYTHON"))) {
      fail(reason);
    }
    Assumptions.abort(reason);
    return null;
  }
}
