package dev.loopguard.python.runtime;

import dev.loopguard.core.runtime.EvidenceParser;
import dev.loopguard.core.runtime.RuntimeEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Home Assistant's warnings about blocking calls in the event loop, in the formats its releases
 * have logged:
 *
 * <ul>
 *   <li>2024.6 on ({@code homeassistant.util.loop}): {@code Detected blocking call to open [with
 *       args (...)] inside the event loop by [custom ]integration 'x' at custom_components/x/y.py,
 *       line 20: <code> (offender: /config/custom_components/x/y.py, line 20: <code>), please ...},
 *       often followed by a traceback;
 *   <li>2024.1 to 2024.5: the same without the offender;
 *   <li>2021 to 2023 ({@code homeassistant.util.async_}, {@code helpers/frame.py}): {@code Detected
 *       blocking call to sleep inside the event loop. This is causing stability issues. Please
 *       report issue ... for x doing blocking calls at custom_components/x/y.py, line 20: <code>};
 *   <li>2020 ({@code block_async_io}, which guarded {@code HTTPConnection.putrequest}): {@code
 *       Detected I/O inside the event loop. ... doing I/O at custom_components/x/y.py, line 20:
 *       <code>}.
 * </ul>
 *
 * The location is the integration's frame nearest the blocking call; the offender (where the call
 * was made, possibly in a library) and a following traceback add frames. Durations are not logged.
 */
public final class HomeAssistantLog implements EvidenceParser {
  private static final Pattern DETECTED = Pattern.compile(
      "Detected (?:blocking call to (?<api>[\\w.]+)(?: with args .*?)? inside the event loop|I/O inside the event loop)");
  private static final Pattern AT = Pattern.compile(
      "(?:doing (?:blocking calls|I/O) at|(?:integration '[^']*'|event loop)(?:,)? (?:at|in)) (?<path>[^\\s,]+), line (?<line>\\d+)(?::\\s?(?<code>.*?))?(?= \\(offender:|, please|$)");
  private static final Pattern OFFENDER =
      Pattern.compile("\\(offender: (?<path>[^\\s,]+), line (?<line>\\d+)");
  /** The start of the next log record: a timestamp, or the log viewer's {@code Logger:} header. */
  private static final Pattern RECORD_START =
      Pattern.compile("^(?:\\d{4}-\\d\\d-\\d\\d[ T]\\d\\d:\\d\\d|Logger: |Source: |First occurred: )");

  /** Home Assistant names the function only; the qualified names of those it has guarded. */
  private static final Map<String, String> APIS = Map.ofEntries(
      Map.entry("sleep", "time.sleep"),
      Map.entry("open", "builtins.open"),
      Map.entry("putrequest", "http.client.HTTPConnection.putrequest"),
      Map.entry("import_module", "importlib.import_module"),
      Map.entry("listdir", "os.listdir"),
      Map.entry("scandir", "os.scandir"),
      Map.entry("walk", "os.walk"),
      Map.entry("stat", "os.stat"),
      Map.entry("lstat", "os.lstat"),
      Map.entry("load_verify_locations", "ssl.SSLContext.load_verify_locations"),
      Map.entry("load_cert_chain", "ssl.SSLContext.load_cert_chain"),
      Map.entry("load_default_certs", "ssl.SSLContext.load_default_certs"),
      Map.entry("set_default_verify_paths", "ssl.SSLContext.set_default_verify_paths"),
      Map.entry("iterdir", "pathlib.Path.iterdir"),
      Map.entry("glob", "glob.glob"),
      Map.entry("read_text", "pathlib.Path.read_text"),
      Map.entry("read_bytes", "pathlib.Path.read_bytes"),
      Map.entry("write_text", "pathlib.Path.write_text"),
      Map.entry("write_bytes", "pathlib.Path.write_bytes"));

  @Override
  public String name() {
    return "home-assistant";
  }

  @Override
  public String description() {
    return "Home Assistant \"Detected blocking call\" log";
  }

  @Override
  public List<RuntimeEvent> parse(List<String> lines, String source) {
    List<RuntimeEvent> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      Matcher d = DETECTED.matcher(line);
      if (!d.find()) {
        continue;
      }
      Matcher at = AT.matcher(line);
      if (!at.find(d.end())) {
        continue;
      }
      String api = d.group("api") == null ? "http.client.HTTPConnection.putrequest"
          : APIS.getOrDefault(d.group("api"), d.group("api"));
      RuntimeEvent.Frame integration = new RuntimeEvent.Frame(at.group("path"),
          Integer.parseInt(at.group("line")), "");
      List<RuntimeEvent.Frame> stack = new ArrayList<>();
      int end = i + 1;
      while (end < lines.size() && !RECORD_START.matcher(lines.get(end)).find()
          && !DETECTED.matcher(lines.get(end)).find()) {
        end++;
      }
      // A traceback in the same line (pasted logs lose their line breaks) or in the lines after.
      List<Tracebacks.Parsed> tb = Tracebacks.frames(lines, i, end);
      if (!tb.isEmpty()) {
        stack.addAll(Tracebacks.plain(tb));
      }
      boolean hasIntegration = stack.stream().anyMatch(f -> f.line() == integration.line()
          && f.path().endsWith(integration.path()));
      if (!hasIntegration) {
        stack.add(integration);
      }
      Matcher off = OFFENDER.matcher(line);
      if (off.find(at.start()) && tb.isEmpty()) {
        RuntimeEvent.Frame offender = new RuntimeEvent.Frame(off.group("path"),
            Integer.parseInt(off.group("line")), "");
        if (!(offender.path().endsWith(integration.path()) && offender.line() == integration.line())) {
          stack.add(offender);
        }
      }
      out.add(new RuntimeEvent(source, i + 1, name(), RuntimeEvent.BLOCKING, api, null, "MainThread",
          stack, line.substring(d.start()).strip()));
      i = end - 1;
    }
    return out;
  }
}
