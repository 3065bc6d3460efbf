package dev.loopguard.core.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs a command with the frontends' runtime detectors loaded into it: extracts each bootstrap to
 * a temporary folder, puts it first on its search path (keeping the user's entries), and passes
 * where to write events and metrics through {@link RuntimeBootstrap}'s variables. The child keeps
 * the terminal: its standard streams are ours, untouched. SIGINT, SIGTERM and SIGHUP sent to
 * loopguard are forwarded to it, and its exit code is returned ({@code 128 + n} when a signal
 * ended it; {@link #NOT_FOUND} or {@link #NOT_EXECUTABLE} when it could not start).
 */
public final class RuntimeRunner {
  public static final int NOT_FOUND = 127;
  public static final int NOT_EXECUTABLE = 126;
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @param command the command and its arguments
   * @param events the JSON Lines file (created or emptied)
   * @param metrics the Prometheus text file for the lag histogram, or null
   * @param thresholdMs record operations and fail tests from this duration on (0: all)
   * @param cwd the folder the command runs in
   * @param env the environment to start from
   */
  public record Options(List<String> command, Path events, Path metrics, double thresholdMs,
      Path cwd, Map<String, String> env) {}

  /**
   * What happened.
   *
   * @param exitCode the child's exit code (or 126/127 when it did not start)
   * @param started whether the command started
   * @param processes how many processes loaded a detector
   * @param events the events the detectors recorded
   */
  public record Outcome(int exitCode, boolean started, int processes, List<RuntimeEvent> events) {}

  private final List<RuntimeBootstrap> bootstraps;
  private final ClassLoader resources;

  public RuntimeRunner(List<RuntimeBootstrap> bootstraps, ClassLoader resources) {
    this.bootstraps = List.copyOf(bootstraps);
    this.resources = resources;
  }

  public Outcome run(Options o, PrintStream err) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("loopguard-runtime");
    try {
      Map<String, String> env = new LinkedHashMap<>(o.env());
      for (RuntimeBootstrap b : bootstraps) {
        extract(b, dir);
        String old = env.getOrDefault(b.searchPathVariable(), "");
        env.put(b.searchPathVariable(), old.isEmpty() ? dir.toString() : dir + java.io.File.pathSeparator + old);
        b.listAppends().forEach((k, v) -> {
          String prev = env.getOrDefault(k, "").strip();
          env.put(k, prev.isEmpty() ? v : prev + "," + v);
        });
      }
      Path events = o.events().toAbsolutePath();
      if (events.getParent() != null) {
        Files.createDirectories(events.getParent());
      }
      Map<String, Object> run = new LinkedHashMap<>();
      run.put("kind", "run");
      run.put("command", o.command());
      run.put("thresholdMs", o.thresholdMs());
      run.put("time", java.math.BigDecimal.valueOf(System.currentTimeMillis(), 3));
      Files.writeString(events, JSON.writeValueAsString(run) + "\n", StandardCharsets.UTF_8);
      env.put(RuntimeBootstrap.EVENTS, events.toString());
      if (o.metrics() != null) {
        Path m = o.metrics().toAbsolutePath();
        if (m.getParent() != null) {
          Files.createDirectories(m.getParent());
        }
        Files.deleteIfExists(m);
        env.put(RuntimeBootstrap.METRICS, m.toString());
      } else {
        env.remove(RuntimeBootstrap.METRICS);
      }
      env.put(RuntimeBootstrap.THRESHOLD_MS, String.format(Locale.ROOT, "%s", o.thresholdMs()));
      env.put(RuntimeBootstrap.PARENT_PID, Long.toString(ProcessHandle.current().pid()));

      ProcessBuilder pb = new ProcessBuilder(o.command()).directory(o.cwd().toFile()).inheritIO();
      pb.environment().clear();
      pb.environment().putAll(env);
      Process child;
      try {
        child = pb.start();
      } catch (IOException e) {
        String msg = String.valueOf(e.getMessage());
        boolean denied = msg.contains("error=13");
        err.println("loopguard runtime: " + (denied ? "cannot execute: " : "command not found: ")
            + o.command().get(0));
        appendExit(events, denied ? NOT_EXECUTABLE : NOT_FOUND, false);
        return new Outcome(denied ? NOT_EXECUTABLE : NOT_FOUND, false, 0, List.of());
      }
      int code;
      try (SignalForwarding forwarding = SignalForwarding.to(child)) {
        code = waitFor(child);
      }
      appendExit(events, code, true);
      List<String> lines = Files.readAllLines(events, StandardCharsets.UTF_8);
      int processes = (int) lines.stream().filter(l -> l.startsWith("{\"kind\": \"process\"")
          || l.startsWith("{\"kind\":\"process\"")).count();
      List<RuntimeEvent> recorded = new LoopguardEvents().parse(lines, o.events().toString());
      return new Outcome(code, true, processes, recorded);
    } finally {
      deleteTree(dir);
    }
  }

  private static int waitFor(Process child) throws InterruptedException {
    while (true) {
      try {
        return child.waitFor();
      } catch (InterruptedException e) {
        child.destroy();
        if (!child.waitFor(10, TimeUnit.SECONDS)) {
          child.destroyForcibly();
        }
        throw e;
      }
    }
  }

  private static void appendExit(Path events, int code, boolean started) throws IOException {
    Map<String, Object> exit = new LinkedHashMap<>();
    exit.put("kind", "exit");
    exit.put("code", code);
    exit.put("started", started);
    Files.writeString(events, JSON.writeValueAsString(exit) + "\n", StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);
  }

  private void extract(RuntimeBootstrap b, Path dir) throws IOException {
    for (String r : b.resources()) {
      try (InputStream in = resources.getResourceAsStream(b.resourceFolder() + r)) {
        if (in == null) {
          throw new IOException("the runtime bootstrap is missing from the jar: " + b.resourceFolder() + r);
        }
        Path target = dir.resolve(r);
        Files.createDirectories(target.getParent());
        Files.copy(in, target);
      }
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a temporary folder left behind is harmless
    }
  }

  /** One line per distinct place, most frequent first: what the summary prints. */
  public static List<String> summary(List<RuntimeEvent> events, int max) {
    Map<String, int[]> counts = new LinkedHashMap<>();
    Map<String, Double> longest = new LinkedHashMap<>();
    for (RuntimeEvent e : events) {
      RuntimeEvent.Frame at = e.stack().isEmpty() ? null : e.stack().get(e.stack().size() - 1);
      String what = e.kind().equals(RuntimeEvent.SLOW_CALLBACK) ? "slow callback" : e.api();
      String key = what + (at == null ? "" : " at " + at.path() + ":" + at.line()
          + (at.function().isEmpty() ? "" : " in " + at.function()));
      counts.computeIfAbsent(key, k -> new int[1])[0]++;
      if (e.seconds() != null) {
        longest.merge(key, e.seconds(), Math::max);
      }
    }
    List<String> out = new ArrayList<>();
    counts.entrySet().stream()
        .sorted((a, b) -> Integer.compare(b.getValue()[0], a.getValue()[0]))
        .limit(max)
        .forEach(en -> out.add(en.getKey() + " (" + en.getValue()[0] + "x"
            + (longest.containsKey(en.getKey())
                ? String.format(Locale.ROOT, ", longest %.3f s", longest.get(en.getKey())) : "")
            + ")"));
    return out;
  }
}
