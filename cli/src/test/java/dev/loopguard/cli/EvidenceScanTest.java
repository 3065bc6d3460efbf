package dev.loopguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code scan --evidence}: run-time events joined to the static findings. */
class EvidenceScanTest {
  @TempDir Path dir;

  @BeforeEach
  void integration() throws IOException {
    write("custom_components/meter/__init__.py", """
        from .store import load_store
        from .sensor import poll


        async def async_setup_entry(hass, entry):
            data = load_store(hass)
            return True


        async def async_unload_entry(hass, entry):
            poll(entry)
            return True
        """);
    write("custom_components/meter/store.py", """
        import json


        def load_store(hass):
            with open(hass.config.path("meter.json"), "rb") as f:
                return json.load(f)
        """);
    write("custom_components/meter/sensor.py", """
        import time

        import vendorlib


        def poll(entry):
            nap = getattr(time, "sle" + "ep")
            nap(1)
            return vendorlib.fetch(entry)
        """);
  }

  private void write(String rel, String text) throws IOException {
    Path p = dir.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  private static final String HA_2024 = """
      2024-08-15 12:38:03.172 WARNING (MainThread) [homeassistant.util.loop] Detected blocking call to open with args ('/config/meter.json', 'rb') inside the event loop by custom integration 'meter' at custom_components/meter/store.py, line 5: with open(hass.config.path("meter.json"), "rb") as f: (offender: /config/custom_components/meter/store.py, line 5: with open(hass.config.path("meter.json"), "rb") as f:), please create a bug report at https://example.invalid/issues
      Traceback (most recent call last):
        File "/usr/src/homeassistant/homeassistant/config_entries.py", line 594, in async_setup
          result = await component.async_setup_entry(hass, self)
        File "/config/custom_components/meter/__init__.py", line 6, in async_setup_entry
          data = load_store(hass)
        File "/config/custom_components/meter/store.py", line 5, in load_store
          with open(hass.config.path("meter.json"), "rb") as f:
      """;

  private JsonNode scanJson(CliRun r) throws IOException {
    assertThat(r.out()).startsWith("{");
    return new ObjectMapper().readTree(r.out());
  }

  private static List<String> where(JsonNode findings) {
    List<String> out = new ArrayList<>();
    findings.forEach(f -> out.add(f.path("path").asText() + ":" + f.path("line").asInt()
        + (f.has("observed") ? " observed=" + f.path("observed").path("count").asInt() : "")));
    return out;
  }

  @Test
  void aHomeAssistantLogIsJoinedToTheChainThroughTheIntegrationsHelper() throws IOException {
    write("home-assistant.log", HA_2024 + HA_2024);
    CliRun r = CliRun.of(dir, "scan", "--format", "json", "--no-cache", "--evidence", "home-assistant.log");
    JsonNode json = scanJson(r);
    JsonNode first = json.path("findings").get(0);
    assertThat(first.path("path").asText()).isEqualTo("custom_components/meter/__init__.py");
    assertThat(first.path("line").asInt()).isEqualTo(6);
    assertThat(first.path("chain").get(1).path("path").asText()).isEqualTo("custom_components/meter/store.py");
    assertThat(first.path("observed").path("count").asInt()).isEqualTo(2);
    assertThat(first.path("observed").has("longestSeconds")).isFalse();
    assertThat(first.path("observed").path("sources").get(0).asText())
        .isEqualTo("home-assistant.log (home-assistant)");
    assertThat(json.path("stats").path("observed").asInt()).isEqualTo(1);
  }

  @Test
  void aLogLineWithoutTracebackIsJoinedThroughTheHelpersLine() throws IOException {
    write("ha.log", HA_2024.lines().findFirst().orElseThrow() + "\n");
    JsonNode json = scanJson(CliRun.of(dir, "scan", "--format", "json", "--no-cache", "--evidence", "ha.log"));
    assertThat(where(json.path("findings"))).first().asString()
        .isEqualTo("custom_components/meter/__init__.py:6 observed=1");
  }

  @Test
  void eventsNoFindingExplainsBecomeRuntimeOnlyFindingsWithTheReason() throws IOException {
    String frames = "{\"file\":\"/config/custom_components/meter/__init__.py\",\"line\":11,\"function\":\"async_unload_entry\"},";
    write("events.jsonl", String.join("\n",
        "{\"kind\":\"run\",\"command\":[\"hass\"]}",
        "{\"kind\":\"blocking\",\"api\":\"time.sleep\",\"duration\":1.002,\"thread\":\"MainThread\",\"stack\":[" + frames
            + "{\"file\":\"/config/custom_components/meter/sensor.py\",\"line\":8,\"function\":\"poll\"}]}",
        "{\"kind\":\"blocking\",\"api\":\"vendorlib.fetch\",\"duration\":0.25,\"thread\":\"MainThread\",\"stack\":[" + frames
            + "{\"file\":\"/config/custom_components/meter/sensor.py\",\"line\":9,\"function\":\"poll\"}]}",
        "{\"kind\":\"blocking\",\"api\":\"vendorlib.fetch\",\"duration\":0.5,\"thread\":\"MainThread\",\"stack\":[" + frames
            + "{\"file\":\"/config/custom_components/meter/sensor.py\",\"line\":9,\"function\":\"poll\"}]}",
        "{\"kind\":\"blocking\",\"api\":\"time.sleep\",\"duration\":0.3,\"stack\":[{\"file\":\"/opt/other/x.py\",\"line\":3,\"function\":\"f\"}]}",
        ""));
    CliRun r = CliRun.of(dir, "scan", "--format", "json", "--no-cache", "--evidence", "events.jsonl");
    JsonNode findings = scanJson(r).path("findings");
    JsonNode sleep = findings.get(0);
    assertThat(sleep.path("path").asText()).isEqualTo("custom_components/meter/sensor.py");
    assertThat(sleep.path("line").asInt()).isEqualTo(8);
    assertThat(sleep.path("function").asText()).isEqualTo("meter.sensor.poll");
    assertThat(sleep.path("message").asText()).contains("resolution gap")
        .contains("time.sleep blocked the event loop for 1.002 s");
    assertThat(sleep.path("chain").get(0).path("function").asText())
        .isEqualTo("meter.async_unload_entry");
    JsonNode fetch = findings.get(1);
    assertThat(fetch.path("line").asInt()).isEqualTo(9);
    assertThat(fetch.path("message").asText()).contains("knowledge gap: no knowledge fact names vendorlib.fetch");
    assertThat(fetch.path("observed").path("count").asInt()).isEqualTo(2);
    assertThat(fetch.path("observed").path("longestSeconds").asDouble()).isEqualTo(0.5);
    // the static finding that no event explains comes after the observed ones, unmarked
    assertThat(where(findings)).endsWith("custom_components/meter/__init__.py:6");
    assertThat(r.err()).contains("1 of 4 run-time events have no frame in the scanned tree")
        .contains("time.sleep at /opt/other/x.py:3 in f");
  }

  @Test
  void everyFormatShowsTheObservation() throws IOException {
    write("ha.log", HA_2024);
    for (String format : List.of("text", "sarif", "github", "audit", "inventory", "html")) {
      CliRun r = CliRun.of(dir, "scan", "--format", format, "--no-cache", "--evidence", "ha.log");
      assertThat(r.code()).as(format).isEqualTo(1);
      assertThat(r.out()).as(format).containsAnyOf("observed 1 time at run time", "\"observed\"");
    }
  }

  @Test
  void badEvidenceIsAnErrorThatNamesTheFile() throws IOException {
    write("notes.txt", "nothing to see\n");
    CliRun r = CliRun.of(dir, "scan", "--evidence", "notes.txt");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("notes.txt: no event in a known format");
    CliRun missing = CliRun.of(dir, "scan", "--evidence", "nope.jsonl");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("nope.jsonl: no such evidence file");
  }
}
