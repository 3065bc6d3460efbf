package dev.loopguard.cli;

import dev.loopguard.core.engine.Frontends;
import dev.loopguard.core.engine.Knowledge;
import dev.loopguard.core.engine.ScanOptions;
import dev.loopguard.core.engine.ScanResult;
import dev.loopguard.core.engine.Scanner;
import dev.loopguard.core.frontend.LanguageFrontend;
import dev.loopguard.core.knowledge.FactIndex;
import dev.loopguard.core.report.Report;
import dev.loopguard.core.report.Reporter;
import dev.loopguard.core.report.json.JsonReporter;
import dev.loopguard.core.report.text.TextReporter;
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
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code loopguard scan [PATH...]}. */
@Command(name = "scan", mixinStandardHelpOptions = true,
    description = "Scan files and folders for blocking calls reachable from an event loop.")
final class ScanCommand implements Callable<Integer> {
  private final Io io;

  @Parameters(paramLabel = "PATH", description = "Files or folders to scan (default: the current folder).")
  List<Path> paths = new ArrayList<>();

  @Option(names = "--format", paramLabel = "FORMAT", description = "Output format: text (default), json.")
  String format = "text";

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the report to FILE instead of standard output.")
  Path output;

  @Option(names = "--root", paramLabel = "DIR", description = "Report paths relative to DIR (default: the scanned folder, or the current folder).")
  Path root;

  @Option(names = "--include", split = ",", paramLabel = "CONTEXT",
      description = "Also report findings in do-not-flag contexts: test, script, cli, startup.")
  List<String> include = new ArrayList<>();

  @Option(names = "--exclude", paramLabel = "GLOB", description = "Leave out paths matching GLOB (repeatable).")
  List<String> exclude = new ArrayList<>();

  @Option(names = "--rule", paramLabel = "ID", description = "Run only this rule (repeatable).")
  List<String> rules = new ArrayList<>();

  @Option(names = "--disable-fact", paramLabel = "ID", description = "Drop a knowledge fact by id (repeatable).")
  List<String> disabledFacts = new ArrayList<>();

  @Option(names = "--knowledge", paramLabel = "FILE", description = "Load an extra knowledge pack (repeatable).")
  List<Path> packs = new ArrayList<>();

  @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: one per core).")
  int threads;

  @Option(names = "--no-gitignore", description = "Scan files that .gitignore excludes.")
  boolean noGitignore;

  @Option(names = "--no-timing", description = "Leave timing out of the output (byte-identical reports).")
  boolean noTiming;

  @Option(names = "--color", paramLabel = "WHEN", description = "auto (default), always, never.")
  String color = "auto";

  ScanCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() throws IOException {
    Set<String> contexts = new LinkedHashSet<>();
    for (String c : include) {
      String k = c.trim();
      if (k.equals("tests")) {
        k = "test";
      } else if (k.equals("scripts")) {
        k = "script";
      }
      if (!Set.of("test", "script", "cli", "startup").contains(k)) {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
            "--include takes test, script, cli or startup (got " + c + ")");
      }
      contexts.add(k);
    }
    if (!Set.of("text", "json").contains(format)) {
      throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
          "--format takes text or json (got " + format + ")");
    }
    List<Path> targets = new ArrayList<>();
    for (Path p : paths.isEmpty() ? List.of(Path.of(".")) : paths) {
      targets.add(io.cwd().resolve(p).normalize());
    }
    Path scanRoot = root != null ? io.cwd().resolve(root).normalize() : defaultRoot(targets);
    List<LanguageFrontend> frontends = Frontends.all();
    if (frontends.isEmpty()) {
      throw new IllegalStateException("no language frontend on the class path");
    }
    List<Path> packFiles = packs.stream().map(p -> io.cwd().resolve(p)).toList();
    FactIndex facts = Knowledge.load(frontends, packFiles, Set.copyOf(disabledFacts));
    List<Rule> allRules = Rules.all();
    for (String r : rules) {
      if (Rules.byId(r) == null) {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--rule " + r + ": no such rule");
      }
    }
    ScanOptions options = new ScanOptions(scanRoot, targets, exclude, contexts, packFiles,
        Set.copyOf(disabledFacts), Set.copyOf(rules), threads, ScanOptions.DEFAULT_MAX_FILE_BYTES,
        !noGitignore);
    ScanResult result = new Scanner(frontends, facts, allRules).scan(options);
    boolean useColor = output == null && (color.equals("always") || (color.equals("auto") && io.colorAllowed()));
    Reporter reporter = format.equals("json") ? new JsonReporter() : new TextReporter(useColor);
    Report report = new Report(result, scanRoot, allRules, !noTiming);
    if (output != null) {
      Path out = io.cwd().resolve(output);
      if (out.getParent() != null) {
        Files.createDirectories(out.getParent());
      }
      try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
        reporter.write(report, w);
      }
    } else {
      Writer w = new BufferedWriter(new OutputStreamWriter(io.out(), StandardCharsets.UTF_8));
      reporter.write(report, w);
      w.flush();
    }
    return result.findings().isEmpty() ? ExitCode.OK.code() : ExitCode.FINDINGS.code();
  }

  private Path defaultRoot(List<Path> targets) {
    if (targets.size() == 1 && Files.isDirectory(targets.get(0))) {
      return targets.get(0);
    }
    boolean allInCwd = targets.stream().allMatch(t -> t.startsWith(io.cwd()));
    if (allInCwd) {
      return io.cwd();
    }
    Path first = targets.get(0);
    return Files.isDirectory(first) ? first : first.getParent();
  }
}
