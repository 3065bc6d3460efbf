package dev.loopguard.python.runtime;

import dev.loopguard.core.runtime.EvidenceParser;
import dev.loopguard.core.runtime.RuntimeEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * asyncio's debug-mode warning about slow callbacks: {@code Executing <Task pending
 * name='Task-1' coro=<handler() running at /app/main.py:12> ...> took 0.502 seconds} (or a
 * {@code <Handle f() at /app/x.py:3>}). The frame is where the coroutine stood when the callback
 * ended, or where the callback function is defined.
 */
public final class AsyncioDebugLog implements EvidenceParser {
  private static final Pattern EXECUTING =
      Pattern.compile("Executing (?<what><.*>) took (?<s>\\d+(?:\\.\\d+)?) seconds");
  private static final Pattern CORO = Pattern.compile(
      "coro=<(?<fn>[\\w.<>]+)\\(\\) (?:running|done, defined) at (?<path>[^:>\\s]+(?::\\\\[^:>\\s]+)?):(?<line>\\d+)>");
  private static final Pattern HANDLE = Pattern.compile(
      "<(?:Timer)?Handle (?:when=\\S+ )?(?<fn>[\\w.<>]+)\\(.*?\\) at (?<path>[^:>\\s]+):(?<line>\\d+)");

  @Override
  public String name() {
    return "asyncio-debug";
  }

  @Override
  public String description() {
    return "asyncio debug \"Executing ... took N seconds\"";
  }

  @Override
  public List<RuntimeEvent> parse(List<String> lines, String source) {
    List<RuntimeEvent> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = EXECUTING.matcher(lines.get(i));
      if (!m.find()) {
        continue;
      }
      String what = m.group("what");
      List<RuntimeEvent.Frame> stack = new ArrayList<>();
      Matcher c = CORO.matcher(what);
      Matcher h = HANDLE.matcher(what);
      if (c.find()) {
        stack.add(new RuntimeEvent.Frame(c.group("path"), Integer.parseInt(c.group("line")), c.group("fn")));
      } else if (h.find()) {
        stack.add(new RuntimeEvent.Frame(h.group("path"), Integer.parseInt(h.group("line")), h.group("fn")));
      }
      out.add(new RuntimeEvent(source, i + 1, name(), RuntimeEvent.SLOW_CALLBACK, null,
          Double.parseDouble(m.group("s")), null, stack, m.group().strip()));
    }
    return out;
  }
}
