package dev.loopguard.cli;

import dev.loopguard.core.diff.review.Review;
import dev.loopguard.core.diff.review.ReviewJson;
import dev.loopguard.core.diff.review.ReviewMarkdown;
import dev.loopguard.core.diff.review.ReviewResult;
import dev.loopguard.core.diff.review.ReviewSarif;
import dev.loopguard.core.diff.review.ReviewSources;
import dev.loopguard.core.diff.review.ReviewText;
import dev.loopguard.core.engine.Frontends;
import dev.loopguard.core.engine.Knowledge;
import dev.loopguard.core.engine.ScanOptions;
import dev.loopguard.core.frontend.LanguageFrontend;
import dev.loopguard.core.knowledge.FactIndex;
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
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code loopguard review [--base REV] [--head REV] [PATH]} or {@code --diff FILE}. */
@Command(name = "review", mixinStandardHelpOptions = true,
    description = {"Review a change: does it add blocking calls to code that runs on an event loop?",
        "Verdict per changed async path and overall: fail (with the chain and the fix), pass (with "
            + "the positive evidence) or unknown (with the reason). Exit code: 0 pass or unknown, 1 fail "
            + "(or unknown with --fail-on unknown), 2 error."})
final class ReviewCommand implements Callable<Integer> {
  private final Io io;

  @Parameters(paramLabel = "PATH", arity = "0..1",
      description = "The folder to review (default: the current folder): in a git repository, or the tree a --diff applies to.")
  Path path;

  @Option(names = "--base", paramLabel = "REV",
      description = "Base revision (default: the default branch). Compared through its merge base with the head, as a pull request is.")
  String base;

  @Option(names = "--head", paramLabel = "REV", description = "Head revision (default: the working tree).")
  String head;

  @Option(names = "--no-merge-base", description = "Compare with the base revision itself, not with its merge base with the head.")
  boolean noMergeBase;

  @Option(names = "--diff", paramLabel = "FILE",
      description = "Review a unified diff instead of git revisions; PATH is the tree it applies to (before or after it is applied).")
  Path diff;

  @Option(names = "--format", paramLabel = "FORMAT", description = "Output format: text (default), json, markdown, sarif (new findings only).")
  String format = "text";

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the report to FILE instead of standard output.")
  Path output;

  @Option(names = "--fail-on", paramLabel = "VERDICT", description = "Exit with 1 on: fail (default) or unknown (fail or unknown).")
  String failOn = "fail";

  @Option(names = "--include", split = ",", paramLabel = "CONTEXT",
      description = "Judge do-not-flag contexts too: test, script, cli, startup.")
  List<String> include = new ArrayList<>();

  @Option(names = "--exclude", paramLabel = "GLOB", description = "Leave out paths matching GLOB (repeatable).")
  List<String> exclude = new ArrayList<>();

  @Option(names = "--disable-fact", paramLabel = "ID", description = "Drop a knowledge fact by id (repeatable).")
  List<String> disabledFacts = new ArrayList<>();

  @Option(names = "--knowledge", paramLabel = "FILE", description = "Load an extra knowledge pack (repeatable).")
  List<Path> packs = new ArrayList<>();

  @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: one per core).")
  Integer threads;

  @Option(names = "--no-timing", description = "Leave timing out of the output.")
  boolean noTiming;

  @Option(names = "--color", paramLabel = "WHEN", description = "auto (default), always, never.")
  String color = "auto";

  ReviewCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() throws IOException {
    if (!Set.of("text", "json", "markdown", "sarif").contains(format)) {
      throw usage("--format takes text, json, markdown or sarif (got " + format + ")");
    }
    if (!Set.of("fail", "unknown").contains(failOn)) {
      throw usage("--fail-on takes fail or unknown (got " + failOn + ")");
    }
    if (diff != null && (base != null || head != null)) {
      throw usage("--diff reviews a patch: it does not go with --base or --head");
    }
    Set<String> contexts = new LinkedHashSet<>();
    for (String c : include) {
      String k = c.trim().equals("tests") ? "test" : c.trim().equals("scripts") ? "script" : c.trim();
      if (!Set.of("test", "script", "cli", "startup").contains(k)) {
        throw usage("--include takes test, script, cli or startup (got " + c + ")");
      }
      contexts.add(k);
    }
    if (threads != null && (threads < 1 || threads > dev.loopguard.core.config.Settings.MAX_THREADS)) {
      throw usage("--threads takes a number from 1 to " + dev.loopguard.core.config.Settings.MAX_THREADS
          + " (got " + threads + ")");
    }
    for (String g : exclude) {
      try {
        dev.loopguard.core.analysis.PathGlob.compile(g);
      } catch (IllegalArgumentException e) {
        throw usage("--exclude " + g + ": not a valid glob: " + e.getMessage());
      }
    }
    Path folder = io.cwd().resolve(path == null ? Path.of(".") : path).normalize();
    if (!Files.isDirectory(folder)) {
      io.err().println("loopguard: " + folder + " is not a folder");
      return ExitCode.ERROR.code();
    }
    List<LanguageFrontend> frontends = Frontends.all();
    if (frontends.isEmpty()) {
      throw new IllegalStateException("no language frontend on the class path");
    }
    List<Path> packFiles = packs.stream().map(p -> io.cwd().resolve(p)).toList();
    FactIndex facts = Knowledge.load(frontends, packFiles, Set.copyOf(disabledFacts));
    List<Rule> rules = Rules.all();
    ScanOptions options = new ScanOptions(folder, List.of(folder), exclude, contexts, packFiles,
        Set.copyOf(disabledFacts), Set.of(), threads == null ? 0 : threads, ScanOptions.DEFAULT_MAX_FILE_BYTES, true);
    Review review = new Review(frontends, facts, rules);
    ReviewSources.Sides sides;
    try {
      if (diff != null) {
        Path d = io.cwd().resolve(diff);
        if (!Files.isRegularFile(d)) {
          io.err().println("loopguard: --diff " + diff + ": no such file");
          return ExitCode.ERROR.code();
        }
        sides = ReviewSources.fromDiff(folder, Files.readAllBytes(d), review.walker(options));
      } else {
        sides = ReviewSources.fromGit(folder, base, head, !noMergeBase, review.walker(options));
      }
    } catch (ReviewSources.SourceException e) {
      io.err().println("loopguard: " + e.getMessage());
      return ExitCode.ERROR.code();
    }
    ReviewResult result;
    try (sides) {
      result = review.run(sides, options);
    }
    boolean timing = !noTiming;
    if (output != null) {
      Path out = io.cwd().resolve(output);
      if (out.getParent() != null) {
        Files.createDirectories(out.getParent());
      }
      try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
        write(result, rules, folder, sides.pathPrefix(), timing, false, w);
      }
    } else {
      boolean useColor = color.equals("always") || (color.equals("auto") && io.colorAllowed());
      Writer w = new BufferedWriter(new OutputStreamWriter(io.out(), StandardCharsets.UTF_8));
      write(result, rules, folder, sides.pathPrefix(), timing, useColor, w);
      w.flush();
    }
    return switch (result.verdict()) {
      case FAIL -> ExitCode.FINDINGS.code();
      case UNKNOWN -> failOn.equals("unknown") ? ExitCode.FINDINGS.code() : ExitCode.OK.code();
      case PASS -> ExitCode.OK.code();
    };
  }

  private void write(ReviewResult r, List<Rule> rules, Path root, String prefix, boolean timing,
      boolean useColor, Writer w) throws IOException {
    switch (format) {
      case "json" -> ReviewJson.write(r, timing, w);
      case "markdown" -> ReviewMarkdown.write(r, timing, w);
      case "sarif" -> ReviewSarif.write(r, rules, root, prefix, w);
      default -> ReviewText.write(r, timing, useColor, w);
    }
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(new CommandLine(this), message);
  }
}
