package dev.loopguard.python.runtime;

import dev.loopguard.core.runtime.EvidenceParser;
import dev.loopguard.core.runtime.RuntimeEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * blockbuster's {@code BlockingError: Blocking call to time.sleep}, with the traceback printed
 * before it (Python's format, or pytest's {@code path.py:12: in fn} lines, back to the last
 * traceback header or pytest's section title).
 */
public final class BlockbusterLog implements EvidenceParser {
  private static final Pattern ERROR =
      Pattern.compile("BlockingError: Blocking call to (?<api>[\\w.<>]+)");
  private static final Pattern SECTION = Pattern.compile("^_{3,} .* _{3,}$");

  @Override
  public String name() {
    return "blockbuster";
  }

  @Override
  public String description() {
    return "blockbuster BlockingError";
  }

  @Override
  public List<RuntimeEvent> parse(List<String> lines, String source) {
    List<RuntimeEvent> out = new ArrayList<>();
    int floor = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (SECTION.matcher(lines.get(i)).find()) {
        floor = i;
      }
      Matcher m = ERROR.matcher(lines.get(i));
      if (!m.find()) {
        continue;
      }
      int header = Tracebacks.headerBefore(lines, i, floor);
      int from = header >= 0 ? header : floor + 1;
      List<RuntimeEvent.Frame> stack = Tracebacks.plain(Tracebacks.frames(lines, from, i + 1));
      out.add(new RuntimeEvent(source, i + 1, name(), RuntimeEvent.BLOCKING, m.group("api"), null,
          null, stack, m.group().strip()));
      floor = i;
    }
    return out;
  }
}
