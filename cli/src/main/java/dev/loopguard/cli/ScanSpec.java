package dev.loopguard.cli;

import dev.loopguard.core.config.ConfigException;
import dev.loopguard.core.config.Settings;
import dev.loopguard.core.frontend.Frontends;
import dev.loopguard.core.frontend.LanguageFrontend;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options that decide what a scan reads and reports, shared by scan and baseline write. */
final class ScanSpec {
  @Option(names = "--root", paramLabel = "DIR",
      description = "Report paths relative to DIR (default: the configuration file's folder, else the scanned folder or the current folder).")
  Path root;

  @Option(names = "--config", paramLabel = "FILE",
      description = "Read the configuration from FILE (loopguard.toml, or a project file with a [tool.loopguard] table).")
  Path config;

  @Option(names = "--no-config", description = "Read no configuration file.")
  boolean noConfig;

  @Option(names = "--include", split = ",", paramLabel = "CONTEXT",
      description = "Also report findings in do-not-flag contexts: test, script, cli, startup.")
  List<String> include = new ArrayList<>();

  @Option(names = "--include-path", paramLabel = "GLOB",
      description = "Read only files matching GLOB (repeatable; adds to the configuration's include).")
  List<String> includePaths = new ArrayList<>();

  @Option(names = "--exclude", paramLabel = "GLOB", description = "Leave out paths matching GLOB (repeatable).")
  List<String> exclude = new ArrayList<>();

  @Option(names = "--rule", paramLabel = "ID", description = "Run only this rule (repeatable).")
  List<String> rules = new ArrayList<>();

  @Option(names = "--disable-fact", paramLabel = "ID", description = "Drop a knowledge fact by id (repeatable).")
  List<String> disabledFacts = new ArrayList<>();

  @Option(names = "--knowledge", paramLabel = "FILE", description = "Load an extra knowledge pack (repeatable).")
  List<Path> packs = new ArrayList<>();

  @Option(names = "--min-confidence", paramLabel = "LEVEL",
      description = "Report findings at this confidence or surer: high, medium, low (default: medium; low findings rest on code outside the repository presumed to block).")
  String minConfidence;

  @Option(names = "--min-priority", paramLabel = "P",
      description = "Report findings at this priority or hotter: P0..P3 (default: P3).")
  String minPriority;

  @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: one per core).")
  Integer threads;

  @Option(names = "--no-gitignore", description = "Scan files that .gitignore excludes.")
  boolean noGitignore;

  @Option(names = "--follow-symlinks",
      description = "Follow symbolic links in the tree that lead out of the scan root (default: skip them with a diagnostic).")
  boolean followSymlinks;

  /** The settings for scanning {@code paths}; {@code failOn} may be null. */
  Settings resolve(Io io, List<Path> paths, String failOn) {
    return resolve(io, paths, failOn, root);
  }

  /** As {@link #resolve(Io, List, String)}, with paths reported relative to {@code reportRoot}. */
  Settings resolve(Io io, List<Path> paths, String failOn, Path reportRoot) {
    List<LanguageFrontend> frontends = Frontends.all();
    if (frontends.isEmpty()) {
      throw new IllegalStateException("no language frontend on the class path");
    }
    if (threads != null && (threads < 1 || threads > Settings.MAX_THREADS)) {
      throw new ConfigException("--threads takes a number from 1 to " + Settings.MAX_THREADS
          + " (got " + threads + ")");
    }
    Settings.Overrides o = new Settings.Overrides(reportRoot, config, noConfig, include, includePaths, exclude,
        rules, disabledFacts, packs, threads == null ? 0 : threads, !noGitignore, minConfidence, minPriority, failOn);
    return Settings.resolve(frontends, io.cwd(), paths, o).followingSymlinks(followSymlinks);
  }
}
