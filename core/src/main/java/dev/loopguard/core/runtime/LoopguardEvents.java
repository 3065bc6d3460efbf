package dev.loopguard.core.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * loopguard's own evidence: the JSON Lines that {@code loopguard runtime} writes, one object a
 * line with a {@code kind} ({@code blocking}, {@code slow-callback}; {@code run}, {@code process}
 * and {@code exit} lines describe the run and are skipped).
 */
public final class LoopguardEvents implements EvidenceParser {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public String name() {
    return "loopguard";
  }

  @Override
  public String description() {
    return "loopguard runtime JSON Lines";
  }

  /** Whether {@code line} is one of ours: a JSON object with a {@code kind}. */
  public static boolean looksLikeOurs(String line) {
    String t = line.strip();
    if (!t.startsWith("{") || !t.contains("\"kind\"")) {
      return false;
    }
    try {
      return JSON.readTree(t).hasNonNull("kind");
    } catch (Exception e) {
      return false;
    }
  }

  @Override
  public List<RuntimeEvent> parse(List<String> lines, String source) {
    List<RuntimeEvent> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String t = lines.get(i).strip();
      if (!t.startsWith("{")) {
        continue;
      }
      JsonNode n;
      try {
        n = JSON.readTree(t);
      } catch (Exception e) {
        continue; // a line cut short by a killed process
      }
      String kind = n.path("kind").asText("");
      if (!kind.equals(RuntimeEvent.BLOCKING) && !kind.equals(RuntimeEvent.SLOW_CALLBACK)) {
        continue;
      }
      List<RuntimeEvent.Frame> stack = new ArrayList<>();
      for (JsonNode f : n.path("stack")) {
        stack.add(new RuntimeEvent.Frame(f.path("file").asText(""), f.path("line").asInt(0),
            f.path("function").asText("")));
      }
      Double seconds = n.hasNonNull("duration") ? n.get("duration").asDouble() : null;
      String api = kind.equals(RuntimeEvent.BLOCKING) ? n.path("api").asText(null) : null;
      String text = kind.equals(RuntimeEvent.BLOCKING)
          ? api + (n.hasNonNull("detail") ? "(" + n.get("detail").asText() + ")" : "")
          : n.path("callback").asText("callback");
      out.add(new RuntimeEvent(source, i + 1, name(), kind, api, seconds,
          n.path("thread").asText(null), stack, text));
    }
    return out;
  }
}
