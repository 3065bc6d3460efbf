package dev.loopguard.cli;

import dev.loopguard.core.analysis.HotPaths;
import dev.loopguard.core.model.UndescribedCall;
import dev.loopguard.core.config.Settings;
import dev.loopguard.core.engine.Pipeline;
import dev.loopguard.core.engine.Knowledge;
import dev.loopguard.core.diff.Baseline;
import dev.loopguard.core.report.Report;
import dev.loopguard.core.report.Reporter;
import dev.loopguard.core.report.Reporters;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code loopguard scan [PATH...]}. */
@Command(name = "scan", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Scan files and folders for blocking calls reachable from an event loop.",
        "Exit code: 0 when no reported finding reaches the fail-on threshold, 1 when one does, 2 on errors."})
final class ScanCommand implements Callable<Integer> {
  private final Io io;

  @Parameters(paramLabel = "PATH", description = "Files or folders to scan (default: the current folder).")
  List<Path> paths = new ArrayList<>();

  @Option(names = "--format", split = ",", paramLabel = "FORMAT[=FILE]",
      description = "Report format: text (default), json, sarif, github, audit, inventory, html. "
          + "Repeatable; FORMAT=FILE writes that format to FILE.")
  List<String> formats = new ArrayList<>();

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the report to FILE instead of standard output.")
  Path output;

  @Option(names = "--output-dir", paramLabel = "DIR",
      description = "Write each format to its own file in DIR (loopguard.txt, loopguard.json, loopguard.sarif, "
          + "loopguard-github.txt, loopguard-audit.md, loopguard-inventory.md, loopguard.html).")
  Path outputDir;

  @Option(names = "--baseline", paramLabel = "FILE",
      description = "Report only findings that are not in this baseline (see 'loopguard baseline write').")
  Path baseline;

  @Option(names = "--fail-on", paramLabel = "WHEN",
      description = "Which findings make the exit code 1: any (default), never, P0..P3 (that priority or hotter), "
          + "high/medium/low (that confidence or surer).")
  String failOn;

  @Option(names = "--only", arity = "1..*", paramLabel = "FILE",
      description = "Scan as usual but report only findings in these files or whose chain goes through them, "
          + "and their diagnostics (e.g. the files a commit changes; pre-commit passes them).")
  List<Path> only = new ArrayList<>();

  @Option(names = "--report-unused-suppressions",
      description = "Also report loopguard: ignore comments that silence nothing.")
  boolean reportUnused;

  @Option(names = "--evidence", paramLabel = "FILE",
      description = "Join run-time evidence to the findings (repeatable): events from 'loopguard runtime', "
          + "or a log of Home Assistant, asyncio debug mode, blockbuster or pyleak. Observed findings come first; "
          + "events no finding explains become runtime-only findings.")
  List<Path> evidence = new ArrayList<>();

  @Mixin
  ScanSpec spec = new ScanSpec();

  @Option(names = "--no-timing", description = "Leave timing out of the output (byte-identical reports).")
  boolean noTiming;

  @Option(names = "--no-progress", description = "Show no progress bar (it shows only on a terminal, for scans over a second).")
  boolean noProgress;

  @Option(names = "--color", paramLabel = "WHEN", description = "auto (default), always, never.")
  String color = "auto";

  // Issue 6: the on-disk IR cache.
  @Option(names = "--no-cache", description = "Neither read nor write the .loopguard_cache/ folder under the scan root.")
  boolean noCache;

  @Option(names = "--unknown-calls",
      description = "Print the external calls made on the event loop that no fact describes, most-reached first, "
          + "each with the [tool.loopguard.blocking] entry that would declare it blocking (instead of the report).")
  boolean unknownCalls;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec commandSpec;

  private final Knowledge knowledge;

  ScanCommand(Io io, Knowledge knowledge) {
    this.io = io;
    this.knowledge = knowledge;
  }

  @Override
  public Integer call() throws IOException {
    if (!Set.of("auto", "always", "never").contains(color)) {
      throw usage("--color takes auto, always or never (got " + color + ")");
    }
    List<Outputs.Target> targets;
    try {
      targets = Outputs.plan(formats, output, outputDir, io.cwd());
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    Settings settings = spec.resolve(io, paths, failOn);
    Baseline accepted = baseline == null ? null : Baseline.read(io.cwd().resolve(baseline));
    OnlyFiles onlyFiles;
    try {
      onlyFiles = only.isEmpty() ? null : OnlyFiles.of(only, io.cwd(), settings.root());
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    Pipeline pipeline = new Pipeline(settings, knowledge);
    Pipeline.Outcome outcome;
    try (ProgressBar bar = new ProgressBar(io.err(), ProgressBar.wanted(io, noProgress))) {
      outcome = pipeline.scan(new Pipeline.Request(!noCache, accepted, reportUnused, onlyFiles,
          evidence, io.cwd(), bar::done, bar::total));
    }
    outcome.notes().forEach(n -> io.err().println("loopguard: " + n));
    boolean inventory = targets.stream().anyMatch(t -> t.format().equals("inventory"));
    List<UndescribedCall> unknown = null;
    if (unknownCalls || inventory) {
      unknown = pipeline.undescribedCalls(outcome);
      if (unknownCalls) {
        printUnknown(unknown);
        return ExitCode.OK.code();
      }
    }
    Report report = pipeline.report(outcome, !noTiming, unknown);
    for (Outputs.Target t : targets) {
      boolean useColor = t.file() == null
          && (color.equals("always") || (color.equals("auto") && io.colorAllowed()));
      write(Reporters.create(t.format(), useColor), report, t.file());
    }
    return settings.failOn().failsAny(outcome.reported().findings())
        ? ExitCode.FINDINGS.code() : ExitCode.OK.code();
  }

  private void printUnknown(List<UndescribedCall> entries) {
    java.io.PrintStream out = io.out();
    if (entries.isEmpty()) {
      out.println("Every external call made on the event loop is described by a fact.");
      return;
    }
    out.println(entries.size() + " external calls made on the event loop are described by no fact"
        + " (most-reached first). If one blocks, add its line under [tool.loopguard.blocking] in"
        + " pyproject.toml (or [blocking] in loopguard.toml):");
    for (UndescribedCall e : entries) {
      out.println();
      out.println(e.api() + "  (" + e.roots() + (e.roots() == 1 ? " async function, " : " async functions, ")
          + e.sites() + (e.sites() == 1 ? " call site" : " call sites") + "; first at " + e.examplePath() + ":"
          + e.exampleLine() + " in " + e.exampleFunction() + ")");
      out.println("  " + e.tomlEntry());
    }
    out.flush();
  }

  private void write(Reporter reporter, Report report, Path file) throws IOException {
    if (file != null) {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        reporter.write(report, w);
      }
    } else {
      Writer w = new BufferedWriter(new OutputStreamWriter(io.out(), StandardCharsets.UTF_8));
      reporter.write(report, w);
      w.flush();
    }
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(commandSpec.commandLine(), message);
  }
}
