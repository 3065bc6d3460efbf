package dev.loopguard.python.runtime;

import dev.loopguard.core.runtime.RuntimeEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Frames of Python tracebacks as logs print them (the standard format and pytest's). */
final class Tracebacks {
  /** {@code File "app/x.py", line 12, in handler} (anywhere in the line: logs indent or prefix it). */
  static final Pattern FILE_LINE =
      Pattern.compile("File \"(?<path>[^\"]+)\", line (?<line>\\d+), in (?<fn>[^\\s]+)");
  /** pytest's long format: {@code app/x.py:12: in handler}. */
  static final Pattern PYTEST_LINE = Pattern.compile("^(?<path>[^\\s:][^:]*\\.py):(?<line>\\d+): in (?<fn>\\S+)\\s*$");
  static final Pattern HEADER = Pattern.compile("Traceback \\(most recent call last\\):");
  /** A call's name in a line of code: {@code time.sleep(} gives {@code time.sleep}. */
  private static final Pattern CALL = Pattern.compile("([A-Za-z_][\\w.]*)\\s*\\(");

  private Tracebacks() {}

  /** One frame with the code line printed under it (or null). */
  record Parsed(RuntimeEvent.Frame frame, String code) {}

  /** The frames in lines {@code [from, to)}, outermost first. */
  static List<Parsed> frames(List<String> lines, int from, int to) {
    List<Parsed> out = new ArrayList<>();
    for (int i = Math.max(0, from); i < Math.min(to, lines.size()); i++) {
      String l = lines.get(i);
      Matcher m = FILE_LINE.matcher(l);
      Matcher p = PYTEST_LINE.matcher(l);
      if (m.find()) {
        String code = i + 1 < to && i + 1 < lines.size() && !FILE_LINE.matcher(lines.get(i + 1)).find()
            ? lines.get(i + 1).strip() : null;
        out.add(new Parsed(new RuntimeEvent.Frame(m.group("path"), Integer.parseInt(m.group("line")),
            m.group("fn")), code));
      } else if (p.find()) {
        out.add(new Parsed(new RuntimeEvent.Frame(p.group("path"), Integer.parseInt(p.group("line")),
            p.group("fn")), null));
      }
    }
    return out;
  }

  static List<RuntimeEvent.Frame> plain(List<Parsed> parsed) {
    return parsed.stream().map(Parsed::frame).toList();
  }

  /** The index of the last traceback header at or before {@code at} and after {@code floor}, or -1. */
  static int headerBefore(List<String> lines, int at, int floor) {
    for (int i = at; i > floor && i >= 0; i--) {
      if (HEADER.matcher(lines.get(i)).find()) {
        return i;
      }
    }
    return -1;
  }

  /** The first call named in a line of code, or null. */
  static String firstCall(String code) {
    if (code == null) {
      return null;
    }
    Matcher m = CALL.matcher(code);
    while (m.find()) {
      String name = m.group(1);
      if (!Set.KEYWORDS.contains(name)) {
        return name;
      }
    }
    return null;
  }

  private static final class Set {
    static final java.util.Set<String> KEYWORDS = java.util.Set.of("if", "while", "for", "return",
        "await", "with", "print", "assert", "elif", "not", "and", "or", "in", "yield", "lambda");
  }
}
