package dev.loopguard.cli;

import dev.loopguard.core.config.Settings;
import dev.loopguard.core.engine.Pipeline;
import dev.loopguard.core.engine.Knowledge;
import dev.loopguard.core.diff.Baseline;
import dev.loopguard.core.result.ScanResult;
import dev.loopguard.core.report.SourceLines;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code loopguard baseline write FILE [PATH...]}: accept today's findings, report only new ones. */
@Command(name = "baseline", mixinStandardHelpOptions = true,
    description = "Keep a baseline of accepted findings, so that 'loopguard scan --baseline FILE' reports only new ones.",
    subcommands = {BaselineCommand.Write.class})
final class BaselineCommand implements Callable<Integer> {
  private final Io io;

  BaselineCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    io.err().println("loopguard baseline: say 'write FILE [PATH...]'");
    return ExitCode.ERROR.code();
  }

  @Command(name = "write", mixinStandardHelpOptions = true, sortOptions = false,
      description = "Scan and write every reported finding to FILE (JSON; fingerprints hold no line numbers).")
  static final class Write implements Callable<Integer> {
    private final Io io;

    @Parameters(index = "0", paramLabel = "FILE", description = "The baseline file to write.")
    Path file;

    @Parameters(index = "1..*", paramLabel = "PATH", description = "Files or folders to scan (default: the current folder).")
    List<Path> paths = new ArrayList<>();

    @Mixin
    ScanSpec spec = new ScanSpec();

    @Option(names = "--no-progress", description = "Show no progress bar.")
    boolean noProgress;

    private final Knowledge knowledge;

    Write(Io io, Knowledge knowledge) {
      this.io = io;
      this.knowledge = knowledge;
    }

    @Override
    public Integer call() {
      Settings settings = spec.resolve(io, paths, null);
      Pipeline.Outcome outcome;
      try (ProgressBar bar = new ProgressBar(io.err(), ProgressBar.wanted(io, noProgress))) {
        outcome = new Pipeline(settings, knowledge)
            .scan(new Pipeline.Request(false, null, false, null, List.of(), null, bar::done, bar::total));
      }
      ScanResult result = outcome.reported();
      Path out = io.cwd().resolve(file).normalize();
      Baseline.of(result.findings(), new SourceLines(settings.root())).write(out);
      int n = result.findings().size();
      io.err().println("loopguard: wrote " + n + (n == 1 ? " finding" : " findings") + " to " + file + ".");
      return ExitCode.OK.code();
    }
  }
}
