package dev.loopguard.cli;

import dev.loopguard.core.analysis.HotPaths;
import dev.loopguard.core.analysis.UnknownCalls;
import dev.loopguard.core.config.Settings;
import dev.loopguard.core.diff.Baseline;
import dev.loopguard.core.engine.ScanResult;
import dev.loopguard.core.engine.Suppressions;
import dev.loopguard.core.report.Report;
import dev.loopguard.core.report.Reporter;
import dev.loopguard.core.report.Reporters;
import dev.loopguard.core.report.SourceLines;
import dev.loopguard.core.rules.Rule;
import dev.loopguard.core.rules.Rules;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
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

  @Option(names = "--report-unused-suppressions",
      description = "Also report loopguard: ignore comments that silence nothing.")
  boolean reportUnused;

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

  ScanCommand(Io io) {
    this.io = io;
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
    List<Rule> rules = rulesToRun();

    ScanResult raw;
    try (ProgressBar bar = new ProgressBar(io.err(), ProgressBar.wanted(io, noProgress))) {
      raw = settings.scanner(Rules.all()).withDiskCache(!noCache).scan(settings.options(), bar::done, bar::total);
    }
    boolean inventory = targets.stream().anyMatch(t -> t.format().equals("inventory"));
    List<UnknownCalls.Entry> unknown = null;
    if (unknownCalls || inventory) {
      if (raw.analysis() == null) {
        // The last result was reused without analysing anything: analyse again (the IR is cached).
        raw = settings.scanner(Rules.all()).scan(settings.options());
      }
      unknown = UnknownCalls.of(raw.analysis(), HotPaths::neverHot, m -> settings.reportsPath(m.path()));
      if (unknownCalls) {
        printUnknown(unknown);
        return ExitCode.OK.code();
      }
    }
    ScanResult result = settings.apply(raw);
    Integer baselined = null;
    if (accepted != null) {
      Baseline.Match m = accepted.match(result.findings(), new SourceLines(settings.root()));
      result = result.withFindings(m.fresh(), result.suppressed());
      baselined = m.known().size();
    }
    List<Suppressions.Unused> unused = null;
    if (reportUnused) {
      Set<String> ran = rules.stream().map(Rule::id).collect(Collectors.toCollection(LinkedHashSet::new));
      Set<String> known = Rules.all().stream().map(Rule::id).collect(Collectors.toSet());
      unused = Suppressions.unused(raw, settings.frontends(), ran, known);
    }
    Report report = new Report(result, settings.root(), rules, !noTiming, settings.evidence(result),
        baselined, unused, unknown);
    for (Outputs.Target t : targets) {
      boolean useColor = t.file() == null
          && (color.equals("always") || (color.equals("auto") && io.colorAllowed()));
      write(Reporters.create(t.format(), useColor), report, t.file());
    }
    return settings.failOn().failsAny(result.findings()) ? ExitCode.FINDINGS.code() : ExitCode.OK.code();
  }

  private void printUnknown(List<UnknownCalls.Entry> entries) {
    java.io.PrintStream out = io.out();
    if (entries.isEmpty()) {
      out.println("Every external call made on the event loop is described by a fact.");
      return;
    }
    out.println(entries.size() + " external calls made on the event loop are described by no fact"
        + " (most-reached first). If one blocks, add its line under [tool.loopguard.blocking] in"
        + " pyproject.toml (or [blocking] in loopguard.toml):");
    for (UnknownCalls.Entry e : entries) {
      out.println();
      out.println(e.api() + "  (" + e.roots() + (e.roots() == 1 ? " async function, " : " async functions, ")
          + e.sites() + (e.sites() == 1 ? " call site" : " call sites") + "; first at " + e.examplePath() + ":"
          + e.exampleLine() + " in " + e.exampleFunction() + ")");
      out.println("  " + e.tomlEntry());
    }
    out.flush();
  }

  private List<Rule> rulesToRun() {
    List<Rule> out = new ArrayList<>();
    for (Rule r : Rules.all()) {
      if (spec.rules.isEmpty() || spec.rules.stream().anyMatch(id -> id.equalsIgnoreCase(r.id()))) {
        out.add(r);
      }
    }
    return out;
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
