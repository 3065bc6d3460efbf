package dev.loopguard.cli;

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
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.model.Observations;
import dev.loopguard.core.rules.Fingerprints;
import dev.loopguard.core.runtime.EvidenceException;
import dev.loopguard.core.runtime.EvidenceFiles;
import dev.loopguard.core.runtime.EvidenceJoin;
import dev.loopguard.core.runtime.EvidenceLoader;
import dev.loopguard.core.runtime.RuntimeRunner;
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
    ScanResult result = settings.apply(raw);
    Observations observed = Observations.NONE;
    if (!evidence.isEmpty()) {
      EvidenceJoin.Joined joined = joinEvidence(settings, raw, result);
      result = result.withFindings(joined.findings(), result.suppressed());
      observed = joined.observed();
    }
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
        baselined, unused, observed);
    for (Outputs.Target t : targets) {
      boolean useColor = t.file() == null
          && (color.equals("always") || (color.equals("auto") && io.colorAllowed()));
      write(Reporters.create(t.format(), useColor), report, t.file());
    }
    return settings.failOn().failsAny(result.findings()) ? ExitCode.FINDINGS.code() : ExitCode.OK.code();
  }

  /** The rule that run-time evidence of blocking on an event loop belongs to. */
  static final String RUNTIME_RULE = "perf-004";

  private EvidenceJoin.Joined joinEvidence(Settings settings, ScanResult raw, ScanResult result) {
    EvidenceLoader loader = new EvidenceLoader(settings.frontends(), settings.root(), settings.facts(),
        RUNTIME_RULE);
    List<EvidenceFiles.Read> reads;
    try {
      reads = loader.read(evidence, io.cwd());
    } catch (EvidenceException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    Set<String> reported = result.findings().stream().map(Fingerprints::key).collect(Collectors.toSet());
    List<Finding> unreported = raw.findings().stream().filter(f -> !reported.contains(Fingerprints.key(f))).toList();
    EvidenceJoin.Joined joined = loader.join(result.findings(), unreported, reads);
    for (EvidenceFiles.Read r : reads) {
      if (r.events().isEmpty()) {
        io.err().println("loopguard: " + r.file() + ": no events");
      }
    }
    if (!joined.unmapped().isEmpty()) {
      io.err().println("loopguard: " + joined.unmapped().size() + " of " + joined.events()
          + " run-time events have no frame in the scanned tree (" + settings.root() + "):");
      for (String line : RuntimeRunner.summary(joined.unmapped(), 10)) {
        io.err().println("  " + line);
      }
    }
    return joined;
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
