package dev.loopguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code loopguard runtime}: the detector in a real Python process. */
class RuntimeCommandTest {
  @TempDir Path dir;

  private void write(String rel, String text) throws IOException {
    Path p = dir.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  private List<JsonNode> events(String file, String kind) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve(file))) {
      JsonNode n = json.readTree(line);
      if (n.path("kind").asText().equals(kind)) {
        out.add(n);
      }
    }
    return out;
  }

  private static Map<String, String> env() {
    return Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
  }

  private static final String BLOCKING_APP = """
      import asyncio
      import sys
      import time


      def helper():
          time.sleep(0.03)


      async def handler():
          helper()
          await asyncio.sleep(0.25)


      asyncio.run(handler())
      print("done")
      sys.exit(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
      """;

  @Test
  void blockingCallsOnTheLoopAreRecordedWithTheStackAndTheLagHistogram() throws IOException {
    String python = Pythons.require();
    write("app.py", BLOCKING_APP);
    CliRun r = CliRun.of(dir, env(), false, "runtime", "--metrics", "lag.prom", "--", python, "app.py");
    assertThat(r.code()).isZero();
    List<JsonNode> blocking = events("loopguard-events.jsonl", "blocking");
    assertThat(blocking).hasSize(1);
    JsonNode e = blocking.get(0);
    assertThat(e.path("api").asText()).isEqualTo("time.sleep");
    assertThat(e.path("loop").asText()).isEqualTo("asyncio");
    assertThat(e.path("thread").asText()).isEqualTo("MainThread");
    assertThat(e.path("duration").asDouble()).isGreaterThanOrEqualTo(0.03);
    List<String> stack = new ArrayList<>();
    e.path("stack").forEach(f -> stack.add(Path.of(f.path("file").asText()).getFileName() + ":"
        + f.path("line").asInt() + " " + f.path("function").asText()));
    assertThat(stack).containsExactly("app.py:11 handler", "app.py:7 helper");
    assertThat(events("loopguard-events.jsonl", "process")).hasSize(1);
    assertThat(events("loopguard-events.jsonl", "exit").get(0).path("code").asInt()).isZero();
    String prom = Files.readString(dir.resolve("lag.prom"));
    assertThat(prom).contains("# TYPE event_loop_lag_seconds histogram")
        .containsPattern("event_loop_lag_seconds_bucket\\{loop=\"asyncio\",le=\"0.001\"} \\d+")
        .containsPattern("event_loop_lag_seconds_bucket\\{loop=\"asyncio\",le=\"\\+Inf\"} [1-9]")
        .containsPattern("event_loop_lag_seconds_sum\\{loop=\"asyncio\"} [0-9.]+")
        .containsPattern("event_loop_lag_seconds_count\\{loop=\"asyncio\"} [1-9]")
        .contains("loopguard_blocking_calls_total{api=\"time.sleep\"} 1");
    assertThat(r.err()).contains("1 blocking call and 0 slow callbacks")
        .containsPattern("time.sleep at .*app.py:7 in helper");
  }

  @Test
  void theChildsExitCodeIsKeptAndFailOnBlockFailsASuccessfulRun() throws IOException {
    String python = Pythons.require();
    write("app.py", BLOCKING_APP);
    CliRun crashed = CliRun.of(dir, env(), false, "runtime", "-o", "out/ev.jsonl", "--", python, "app.py", "3");
    assertThat(crashed.code()).isEqualTo(3);
    assertThat(crashed.err()).contains("the command exited with code 3");
    assertThat(events("out/ev.jsonl", "blocking")).hasSize(1);
    assertThat(events("out/ev.jsonl", "exit").get(0).path("code").asInt()).isEqualTo(3);
    assertThat(CliRun.of(dir, env(), false, "runtime", "--fail-on-block", "--", python, "app.py").code()).isEqualTo(1);
    CliRun above = CliRun.of(dir, env(), false, "runtime", "--fail-on-block", "--threshold-ms", "500", "--", python, "app.py");
    assertThat(above.code()).isZero();
    assertThat(events("loopguard-events.jsonl", "blocking")).isEmpty();
  }

  @Test
  void aCommandThatDoesNotExistIsExitCode127() {
    CliRun r = CliRun.of(dir, env(), false, "runtime", "--", "no-such-command-loopguard");
    assertThat(r.code()).isEqualTo(127);
    assertThat(r.err()).contains("command not found: no-such-command-loopguard");
    CliRun none = CliRun.of(dir, env(), false, "runtime");
    assertThat(none.code()).isEqualTo(2);
  }

  @Test
  void theUsersPythonpathAndSitecustomizeStay() throws IOException {
    String python = Pythons.require();
    write("lib/sitecustomize.py", "import os\nos.environ['USER_SITECUSTOMIZE'] = 'ran'\n");
    write("lib/mylib.py", "VALUE = 42\n");
    write("app.py", """
        import os, mylib
        with open("seen.txt", "w") as f:
            f.write("%s %s" % (os.environ.get("USER_SITECUSTOMIZE"), mylib.VALUE))
        """);
    Map<String, String> env = new java.util.HashMap<>(env());
    env.put("PYTHONPATH", dir.resolve("lib").toString());
    CliRun r = CliRun.of(dir, env, false, "runtime", "--", python, "app.py");
    assertThat(r.code()).isZero();
    assertThat(Files.readString(dir.resolve("seen.txt"))).isEqualTo("ran 42");
    assertThat(events("loopguard-events.jsonl", "process")).hasSize(1);
  }

  @Test
  void signalsReachTheChildAndItsOutputIsUntouched() throws Exception {
    String python = Pythons.require();
    write("server.py", """
        import signal, sys, time
        def stop(signum, frame):
            print("got", signal.Signals(signum).name, flush=True)
            sys.exit(7)
        signal.signal(signal.SIGTERM, stop)
        print("ready", flush=True)
        time.sleep(30)
        """);
    Process p = ExternalCli.start(dir, "runtime", "--", python, "server.py");
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    assertThat(out.readLine()).isEqualTo("ready");
    p.toHandle().destroy(); // SIGTERM to loopguard, which passes it on (Process.destroy would close the pipes)
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(out.readLine()).isEqualTo("got SIGTERM");
    assertThat(out.readLine()).isNull();
    assertThat(p.exitValue()).isEqualTo(7);
  }

  @Test
  void underPytestATestWhoseLoopBlockedFailsNamingTheCallAndTheLine() throws Exception {
    String python = Pythons.require("pytest", "trio", "anyio");
    write("test_loops.py", """
        import asyncio
        import time

        import pytest
        import trio


        def slow_helper():
            time.sleep(0.05)


        def test_asyncio_blocks():
            async def main():
                slow_helper()
            asyncio.run(main())


        def test_asyncio_clean():
            async def main():
                await asyncio.sleep(0.01)
            asyncio.run(main())


        def test_trio_blocks():
            async def main():
                slow_helper()
            trio.run(main)


        def test_trio_clean():
            async def main():
                await trio.sleep(0.01)
            trio.run(main)


        @pytest.mark.anyio
        @pytest.mark.parametrize("anyio_backend", ["asyncio", "trio"])
        async def test_anyio_blocks(anyio_backend):
            slow_helper()


        @pytest.mark.anyio
        @pytest.mark.parametrize("anyio_backend", ["asyncio", "trio"])
        async def test_anyio_clean(anyio_backend):
            import anyio
            await anyio.sleep(0.01)


        def test_sleeping_without_a_loop_is_fine():
            time.sleep(0.05)
        """);
    Process p = ExternalCli.command(dir, "runtime", "--threshold-ms", "20", "--", python, "-m", "pytest", "-q",
        "-p", "no:cacheprovider", "test_loops.py").redirectErrorStream(false).start();
    String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(stdout).isEqualTo(1);
    assertThat(stdout).contains("FAILED test_loops.py::test_asyncio_blocks", "FAILED test_loops.py::test_trio_blocks",
            "FAILED test_loops.py::test_anyio_blocks[asyncio]", "FAILED test_loops.py::test_anyio_blocks[trio]",
            "4 failed, 5 passed")
        .contains("time.sleep blocked the asyncio event loop for 0.0")
        .contains("time.sleep blocked the trio event loop for 0.0")
        .contains("at test_loops.py:9 in slow_helper, called from test_loops.py:14 in test_asyncio_blocks.")
        .contains("called from test_loops.py:39 in test_anyio_blocks")
        .doesNotContain("\"kind\"");
  }
}
