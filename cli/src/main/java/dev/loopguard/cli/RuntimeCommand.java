package dev.loopguard.cli;

import dev.loopguard.core.frontend.Frontends;
import dev.loopguard.core.frontend.LanguageFrontend;
import dev.loopguard.core.runtime.RuntimeBootstrap;
import dev.loopguard.core.runtime.RuntimeEvent;
import dev.loopguard.core.runtime.RuntimeRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code loopguard runtime [options] -- COMMAND...}. */
@Command(name = "runtime", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Run a command with a detector of blocking calls on its event loops.",
        "Events go to a JSON Lines file ('scan --evidence' joins them to the findings), loop lag to a "
            + "Prometheus histogram; the command's own output is untouched. Under pytest, a test whose loop "
            + "blocked fails.",
        "Exit code: the command's (1 with --fail-on-block when the loop blocked and the command succeeded; "
            + "127 when the command does not exist)."})
final class RuntimeCommand implements Callable<Integer> {
  private final Io io;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE",
      description = "Write the events here (default: loopguard-events.jsonl).")
  Path output = Path.of("loopguard-events.jsonl");

  @Option(names = "--metrics", paramLabel = "FILE",
      description = "Write the loop-lag histogram (event_loop_lag_seconds) here in Prometheus text format, "
          + "every few seconds and at exit.")
  Path metrics;

  @Option(names = "--threshold-ms", paramLabel = "N",
      description = "Record blocking operations (and fail tests) from N milliseconds on; default 0: every one. "
          + "Callbacks count as slow from N ms on (100 ms when N is 0).")
  double thresholdMs;

  @Option(names = "--fail-on-block", description = "Exit 1 when the loop blocked, even if the command succeeded.")
  boolean failOnBlock;

  @Parameters(paramLabel = "COMMAND", arity = "1..*", description = "The command to run, after '--'.")
  List<String> command = new ArrayList<>();

  @CommandLine.Spec
  CommandLine.Model.CommandSpec commandSpec;

  RuntimeCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() throws Exception {
    if (thresholdMs < 0 || Double.isNaN(thresholdMs)) {
      throw new CommandLine.ParameterException(commandSpec.commandLine(),
          "--threshold-ms must be 0 or more (got " + thresholdMs + ")");
    }
    List<RuntimeBootstrap> bootstraps = new ArrayList<>();
    for (LanguageFrontend f : Frontends.all()) {
      f.runtimeBootstrap().ifPresent(bootstraps::add);
    }
    if (bootstraps.isEmpty()) {
      throw new IllegalStateException("no language frontend on the class path has a runtime detector");
    }
    Path events = io.cwd().resolve(output);
    RuntimeRunner.Options options = new RuntimeRunner.Options(command, events,
        metrics == null ? null : io.cwd().resolve(metrics), thresholdMs, io.cwd(), io.env());
    RuntimeRunner.Outcome outcome = new RuntimeRunner(bootstraps, RuntimeCommand.class.getClassLoader())
        .run(options, io.err());
    if (!outcome.started()) {
      return outcome.exitCode();
    }
    report(outcome, events);
    if (failOnBlock && outcome.exitCode() == 0 && !outcome.events().isEmpty()) {
      return ExitCode.FINDINGS.code();
    }
    return outcome.exitCode();
  }

  private void report(RuntimeRunner.Outcome outcome, Path events) {
    String where = io.cwd().relativize(events.toAbsolutePath()).toString();
    if (outcome.processes() == 0) {
      io.err().println("loopguard runtime: no process loaded the detector (does the command run Python "
          + "with PYTHONPATH honoured, without -I or -E?)");
    }
    long blocking = outcome.events().stream().filter(e -> e.kind().equals(RuntimeEvent.BLOCKING)).count();
    long slow = outcome.events().size() - blocking;
    if (outcome.events().isEmpty()) {
      if (outcome.processes() > 0) {
        io.err().println("loopguard runtime: no blocking call on an event loop (" + where + ")");
      }
    } else {
      io.err().println(String.format(Locale.ROOT,
          "loopguard runtime: %d blocking call%s and %d slow callback%s on event loops; events in %s",
          blocking, blocking == 1 ? "" : "s", slow, slow == 1 ? "" : "s", where));
      for (String line : RuntimeRunner.summary(outcome.events(), 10)) {
        io.err().println("  " + line);
      }
    }
    if (outcome.exitCode() != 0) {
      int code = outcome.exitCode();
      io.err().println("loopguard runtime: the command exited with code " + code
          + (code > 128 && code < 160 ? " (signal " + (code - 128) + ")" : ""));
    }
  }
}
