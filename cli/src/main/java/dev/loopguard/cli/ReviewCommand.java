package dev.loopguard.cli;

import dev.loopguard.core.diff.review.Review;
import dev.loopguard.core.diff.review.ReviewJson;
import dev.loopguard.core.diff.review.ReviewMarkdown;
import dev.loopguard.core.diff.review.ReviewResult;
import dev.loopguard.core.diff.review.ReviewSarif;
import dev.loopguard.core.diff.review.ReviewSources;
import dev.loopguard.core.diff.review.ReviewText;
import dev.loopguard.core.config.Settings;
import dev.loopguard.core.engine.Knowledge;
import dev.loopguard.core.engine.Pipeline;
import dev.loopguard.core.config.ScanOptions;
import dev.loopguard.core.rules.Rule;
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

/** {@code loopguard review [--base REV] [--head REV | --staged] [PATH]} or {@code --diff FILE}. */
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

  @Option(names = {"--staged", "--cached"},
      description = "Review the staged change: the index (what the next commit holds) against HEAD, or against --base.")
  boolean staged;

  @Option(names = "--no-merge-base", description = "Compare with the base revision itself, not with its merge base with the head.")
  boolean noMergeBase;

  @Option(names = "--diff", paramLabel = "FILE",
      description = "Review a unified diff instead of git revisions; PATH is the tree it applies to (before or after it is applied).")
  Path diff;

  /** The review's formats, and their files in --output-dir. */
  static final List<String> FORMATS = List.of("text", "json", "markdown", "sarif");

  @Option(names = "--format", split = ",", paramLabel = "FORMAT[=FILE]",
      description = "Output format: text (default), json, markdown, sarif (new findings only). Repeatable; "
          + "FORMAT=FILE writes that format to FILE.")
  List<String> formats = new ArrayList<>();

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the report to FILE instead of standard output.")
  Path output;

  @Option(names = "--output-dir", paramLabel = "DIR",
      description = "Write each format to its own file in DIR (loopguard-review.txt, .json, .md, .sarif).")
  Path outputDir;

  @Option(names = "--fail-on", paramLabel = "VERDICT", description = "Exit with 1 on: fail (default) or unknown (fail or unknown).")
  String failOn = "fail";

  /** What a scan reads: configuration, contexts judged (--include), knowledge, rules, threads. */
  @Mixin
  ScanSpec spec = new ScanSpec();

  @Option(names = "--no-timing", description = "Leave timing out of the output.")
  boolean noTiming;

  @Option(names = "--color", paramLabel = "WHEN", description = "auto (default), always, never.")
  String color = "auto";

  private final Knowledge knowledge;

  ReviewCommand(Io io, Knowledge knowledge) {
    this.io = io;
    this.knowledge = knowledge;
  }

  @Override
  public Integer call() throws IOException {
    List<Outputs.Target> targets;
    try {
      targets = Outputs.plan(formats, output, outputDir, io.cwd(), FORMATS, ReviewCommand::fileName);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    if (!Set.of("fail", "unknown").contains(failOn)) {
      throw usage("--fail-on takes fail or unknown (got " + failOn + ")");
    }
    if (diff != null && (base != null || head != null || staged)) {
      throw usage("--diff reviews a patch: it does not go with --base, --head or --staged");
    }
    if (staged && head != null) {
      throw usage("--staged reviews the index: it does not go with --head");
    }
    Path folder = io.cwd().resolve(path == null ? Path.of(".") : path).normalize();
    if (!Files.isDirectory(folder)) {
      io.err().println("loopguard: " + folder + " is not a folder");
      return ExitCode.ERROR.code();
    }
    // The same settings as a scan of the folder (its configuration file included), reported
    // relative to the folder, since the sides' paths are.
    Settings settings = spec.resolve(io, List.of(folder), null, folder);
    Pipeline pipeline = new Pipeline(settings, knowledge);
    List<Rule> rules = pipeline.selectedRules();
    ScanOptions options = pipeline.reviewOptions();
    Review review = pipeline.review();
    ReviewSources.Sides sides;
    try {
      if (diff != null) {
        Path d = io.cwd().resolve(diff);
        if (!Files.isRegularFile(d)) {
          io.err().println("loopguard: --diff " + diff + ": no such file");
          return ExitCode.ERROR.code();
        }
        sides = ReviewSources.fromDiff(folder, Files.readAllBytes(d), review.walker(options));
      } else if (staged) {
        sides = ReviewSources.fromGitIndex(folder, base, !noMergeBase, review.walker(options));
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
    for (Outputs.Target t : targets) {
      if (t.file() != null) {
        if (t.file().getParent() != null) {
          Files.createDirectories(t.file().getParent());
        }
        try (Writer w = Files.newBufferedWriter(t.file(), StandardCharsets.UTF_8)) {
          write(t.format(), result, rules, folder, sides.pathPrefix(), timing, false, w);
        }
      } else {
        boolean useColor = color.equals("always") || (color.equals("auto") && io.colorAllowed());
        Writer w = new BufferedWriter(new OutputStreamWriter(io.out(), StandardCharsets.UTF_8));
        write(t.format(), result, rules, folder, sides.pathPrefix(), timing, useColor, w);
        w.flush();
      }
    }
    return switch (result.verdict()) {
      case FAIL -> ExitCode.FINDINGS.code();
      case UNKNOWN -> failOn.equals("unknown") ? ExitCode.FINDINGS.code() : ExitCode.OK.code();
      case PASS -> ExitCode.OK.code();
    };
  }

  private static String fileName(String format) {
    return "loopguard-review." + switch (format) {
      case "json" -> "json";
      case "markdown" -> "md";
      case "sarif" -> "sarif";
      default -> "txt";
    };
  }

  private static void write(String format, ReviewResult r, List<Rule> rules, Path root, String prefix, boolean timing,
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
