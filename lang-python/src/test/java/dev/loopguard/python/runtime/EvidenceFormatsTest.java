package dev.loopguard.python.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loopguard.core.runtime.EvidenceException;
import dev.loopguard.core.runtime.EvidenceFiles;
import dev.loopguard.core.runtime.RuntimeEvent;
import dev.loopguard.python.PythonFrontend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log formats of Python's blocking-call detectors, recognised in files by {@link EvidenceFiles}. */
class EvidenceFormatsTest {
  @TempDir Path dir;

  private EvidenceFiles.Read read(String text) throws Exception {
    Path p = dir.resolve("evidence.log");
    Files.writeString(p, text);
    return new EvidenceFiles(new PythonFrontend().evidenceParsers()).read(p, "evidence.log");
  }

  private static String frames(RuntimeEvent e) {
    return String.join(" | ", e.stack().stream().map(f -> f.path() + ":" + f.line()).toList());
  }

  @Test
  void homeAssistant2024WithOffenderArgsAndTraceback() throws Exception {
    EvidenceFiles.Read r = read("""
        2024-08-15 12:38:03.172 WARNING (MainThread) [homeassistant.util.loop] Detected blocking call to open with args ('/config/custom_components/meter/data.json', 'rb') inside the event loop by custom integration 'meter' at custom_components/meter/store.py, line 20: with open(path, "rb") as f: (offender: /config/custom_components/meter/store.py, line 20: with open(path, "rb") as f:), please create a bug report at https://example.invalid/meter/issues
        For developers, please see https://developers.home-assistant.io/docs/asyncio_blocking_operations/#open
        Traceback (most recent call last):
          File "/usr/src/homeassistant/homeassistant/runner.py", line 190, in run
            return loop.run_until_complete(setup_and_run_hass(runtime_config))
          File "/config/custom_components/meter/__init__.py", line 31, in async_setup_entry
            data = load_store(hass)
          File "/config/custom_components/meter/store.py", line 20, in load_store
            with open(path, "rb") as f:
        2024-08-15 12:38:04.000 INFO (MainThread) [homeassistant.setup] Setup of domain meter took 0.1 seconds
        """);
    assertThat(r.formats()).containsExactly("home-assistant");
    assertThat(r.events()).hasSize(1);
    RuntimeEvent e = r.events().get(0);
    assertThat(e.api()).isEqualTo("builtins.open");
    assertThat(e.kind()).isEqualTo(RuntimeEvent.BLOCKING);
    assertThat(e.seconds()).isNull();
    assertThat(e.sourceLine()).isEqualTo(1);
    assertThat(frames(e)).isEqualTo("/usr/src/homeassistant/homeassistant/runner.py:190 | "
        + "/config/custom_components/meter/__init__.py:31 | /config/custom_components/meter/store.py:20");
  }

  @Test
  void homeAssistantOffenderInALibraryWithoutTraceback() throws Exception {
    RuntimeEvent e = read("Detected blocking call to open inside the event loop by custom integration 'dash' "
        + "at custom_components/dash/base.py, line 486: shutil.copytree( (offender: /usr/local/lib/python3.12/shutil.py, "
        + "line 262: with open(dst, 'wb') as fdst:), please create a bug report at https://example.invalid\n")
        .events().get(0);
    assertThat(frames(e)).isEqualTo("custom_components/dash/base.py:486 | /usr/local/lib/python3.12/shutil.py:262");
  }

  @Test
  void homeAssistantOlderFormats() throws Exception {
    EvidenceFiles.Read r = read("""
        2024-03-02 10:00:00.000 WARNING (MainThread) [homeassistant.util.loop] Detected blocking call to sleep inside the event loop by integration 'pump' at homeassistant/components/pump/sensor.py, line 44: time.sleep(1), please create a bug report at https://example.invalid
        2022-05-01 10:00:00 WARNING (MainThread) [homeassistant.util.async_] Detected blocking call to import_module inside the event loop. This is causing stability issues. Please report issue to the custom integration author for gate doing blocking calls at custom_components/gate/__init__.py, line 12: module = importlib.import_module(name)
        2020-06-29 15:16:52 WARNING (MainThread) [homeassistant.util.async_] Detected I/O inside the event loop. This is causing stability issues. Please report issue to the custom component author for weather doing I/O at custom_components/weather/api.py, line 26: tmp = session.get(url)
        """);
    assertThat(r.events()).extracting(RuntimeEvent::api).containsExactly(
        "time.sleep", "importlib.import_module", "http.client.HTTPConnection.putrequest");
    assertThat(r.events()).extracting(EvidenceFormatsTest::frames).containsExactly(
        "homeassistant/components/pump/sensor.py:44", "custom_components/gate/__init__.py:12",
        "custom_components/weather/api.py:26");
  }

  @Test
  void asyncioDebugSlowCallbacks() throws Exception {
    EvidenceFiles.Read r = read("""
        WARNING:asyncio:Executing <Task pending name='Task-3' coro=<handle() running at /srv/app/api.py:41> wait_for=<Future pending cb=[Task.task_wakeup()]> cb=[_run_until_complete_cb() at /usr/lib/python3.11/asyncio/base_events.py:180]> took 0.503 seconds
        WARNING:asyncio:Executing <TimerHandle when=2891.3 tick() at /srv/app/clock.py:9 created at /srv/app/main.py:30> took 0.120 seconds
        INFO:app:unrelated
        """);
    assertThat(r.formats()).containsExactly("asyncio-debug");
    assertThat(r.events()).extracting(RuntimeEvent::kind).containsOnly(RuntimeEvent.SLOW_CALLBACK);
    assertThat(r.events()).extracting(RuntimeEvent::seconds).containsExactly(0.503, 0.120);
    assertThat(r.events()).extracting(EvidenceFormatsTest::frames).containsExactly(
        "/srv/app/api.py:41", "/srv/app/clock.py:9");
  }

  @Test
  void blockbusterInPythonAndPytestTracebacks() throws Exception {
    EvidenceFiles.Read r = read("""
        Traceback (most recent call last):
          File "/srv/app/tasks.py", line 12, in refresh
            data = load()
          File "/srv/app/store.py", line 5, in load
            return path.read_text()
          File "/venv/lib/python3.12/site-packages/blockbuster/blockbuster.py", line 109, in wrapper
            raise BlockingError(func_name)
        blockbuster.blockbuster.BlockingError: Blocking call to io.TextIOWrapper.read
        ________________________________ test_refresh _________________________________
        tests/test_tasks.py:8: in test_refresh
            await refresh()
        app/tasks.py:14: in refresh
            time.sleep(0.1)
        E   blockbuster.blockbuster.BlockingError: Blocking call to time.sleep
        """);
    assertThat(r.formats()).containsExactly("blockbuster");
    assertThat(r.events()).extracting(RuntimeEvent::api).containsExactly("io.TextIOWrapper.read", "time.sleep");
    assertThat(frames(r.events().get(0))).isEqualTo("/srv/app/tasks.py:12 | /srv/app/store.py:5 | "
        + "/venv/lib/python3.12/site-packages/blockbuster/blockbuster.py:109");
    assertThat(frames(r.events().get(1))).isEqualTo("tests/test_tasks.py:8 | app/tasks.py:14");
  }

  @Test
  void pyleakBlocks() throws Exception {
    EvidenceFiles.Read r = read("""
        WARNING pyleak: Detected 1 event loop blocks
        Event Loop Block: block-1
          Duration: 0.512s (threshold: 0.100s)
          Timestamp: 1718000000.000
          Blocking Stack:
              File "/srv/app/main.py", line 30, in main
                await handler()
              File "/srv/app/main.py", line 22, in handler
                time.sleep(0.5)
        """);
    assertThat(r.formats()).containsExactly("pyleak");
    RuntimeEvent e = r.events().get(0);
    assertThat(e.api()).isEqualTo("time.sleep");
    assertThat(e.seconds()).isEqualTo(0.512);
    assertThat(frames(e)).isEqualTo("/srv/app/main.py:30 | /srv/app/main.py:22");
  }

  @Test
  void ourJsonLinesSkipRunLinesAndCutLines() throws Exception {
    EvidenceFiles.Read r = read("""
        {"kind":"run","command":["python3","app.py"]}
        {"kind":"blocking","api":"time.sleep","duration":0.2,"thread":"MainThread","stack":[{"file":"/srv/app.py","line":3,"function":"h"}]}
        {"kind":"slow-callback","callback":"<Handle>","duration":0.3,"stack":[]}
        {"kind":"blocking","api":"time.sl
        """);
    assertThat(r.formats()).containsExactly("loopguard");
    assertThat(r.events()).extracting(RuntimeEvent::kind).containsExactly("blocking", "slow-callback");
    assertThat(r.events().get(0).seconds()).isEqualTo(0.2);
  }

  @Test
  void aLogInNoKnownFormatIsAnErrorNamingTheFormats() throws IOException {
    assertThatThrownBy(() -> read("hello\nworld\n")).isInstanceOf(EvidenceException.class)
        .hasMessageContaining("evidence.log: no event in a known format")
        .hasMessageContaining("Home Assistant").hasMessageContaining("blockbuster")
        .hasMessageContaining("pyleak").hasMessageContaining("asyncio");
    assertThatThrownBy(() -> new EvidenceFiles(List.of()).read(dir.resolve("missing.jsonl"), "missing.jsonl"))
        .hasMessage("missing.jsonl: no such evidence file");
  }
}
