package dev.loopguard.python.runtime;

import dev.loopguard.core.runtime.EvidenceParser;
import dev.loopguard.core.runtime.RuntimeEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * pyleak's event-loop blocks ({@code no_event_loop_blocking}): {@code Event Loop Block: block-1},
 * {@code Duration: 0.512s (threshold: 0.100s)} and the {@code Blocking Stack:} sampled while the
 * loop was blocked. The API is the call named on the innermost frame's line.
 */
public final class PyleakLog implements EvidenceParser {
  private static final Pattern BLOCK = Pattern.compile("Event Loop Block: block-\\d+");
  private static final Pattern DURATION = Pattern.compile("Duration: (?<s>\\d+(?:\\.\\d+)?)s");

  @Override
  public String name() {
    return "pyleak";
  }

  @Override
  public String description() {
    return "pyleak EventLoopBlock";
  }

  @Override
  public List<RuntimeEvent> parse(List<String> lines, String source) {
    List<RuntimeEvent> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (!BLOCK.matcher(lines.get(i)).find()) {
        continue;
      }
      int end = i + 1;
      Double seconds = null;
      while (end < lines.size() && !BLOCK.matcher(lines.get(end)).find()
          && (lines.get(end).startsWith(" ") || lines.get(end).isBlank())) {
        Matcher d = DURATION.matcher(lines.get(end));
        if (seconds == null && d.find()) {
          seconds = Double.parseDouble(d.group("s"));
        }
        end++;
      }
      List<Tracebacks.Parsed> frames = Tracebacks.frames(lines, i + 1, end);
      String api = frames.isEmpty() ? null : Tracebacks.firstCall(frames.get(frames.size() - 1).code());
      out.add(new RuntimeEvent(source, i + 1, name(), RuntimeEvent.BLOCKING, api, seconds, null,
          Tracebacks.plain(frames), lines.get(i).strip()));
      i = end - 1;
    }
    return out;
  }
}
