package dev.loopguard.core.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * What to scan and how.
 *
 * @param root the folder paths are reported relative to
 * @param paths files and folders to scan (absolute or relative to the working directory)
 * @param exclude path globs (relative to root) to leave out
 * @param includeContexts do-not-flag contexts to report anyway: test, script, cli, startup
 * @param extraPacks user knowledge pack files
 * @param disabledFacts fact ids to drop
 * @param rules rule ids to run (empty: all)
 * @param threads worker threads (0: one per core)
 * @param maxFileBytes files larger than this are reported as too large and skipped
 * @param respectGitignore honour .gitignore files
 * @param include path globs (relative to root): when not empty, only files matching one are read
 * @param outlinedContexts path contexts ({@code test}, {@code script}) whose files are only
 *     outlined, not lowered, unless lowered code looks their modules up: their findings are not
 *     reported, so only what other code needs of them is analysed (see {@code Scanner})
 * @param pathReports per-path reporting, first match wins: a file whose first matching entry says
 *     {@code report = true} is lowered whatever its context, {@code false} is outlined (its
 *     findings are never reported), null leaves it to its context
 * @param followSymlinks follow symbolic links inside the tree that lead out of the scan root
 *     (by default such links are skipped with a diagnostic; paths given are read as given)
 */
public record ScanOptions(
    Path root,
    List<Path> paths,
    List<String> exclude,
    Set<String> includeContexts,
    List<Path> extraPacks,
    Set<String> disabledFacts,
    Set<String> rules,
    int threads,
    long maxFileBytes,
    boolean respectGitignore,
    List<String> include,
    Set<String> outlinedContexts,
    List<PathReport> pathReports,
    boolean followSymlinks) {

  /** Whether the files {@code glob} matches are reported ({@code report} may be null). */
  public record PathReport(String glob, Boolean report) {}

  public static final long DEFAULT_MAX_FILE_BYTES = 20L * 1024 * 1024;

  /** Options that lower every file. */
  public ScanOptions(Path root, List<Path> paths, List<String> exclude, Set<String> includeContexts,
      List<Path> extraPacks, Set<String> disabledFacts, Set<String> rules, int threads,
      long maxFileBytes, boolean respectGitignore, List<String> include) {
    this(root, paths, exclude, includeContexts, extraPacks, disabledFacts, rules, threads,
        maxFileBytes, respectGitignore, include, Set.of(), List.of(), false);
  }

  /** Options without include globs (every file found is read), that lower every file. */
  public ScanOptions(Path root, List<Path> paths, List<String> exclude, Set<String> includeContexts,
      List<Path> extraPacks, Set<String> disabledFacts, Set<String> rules, int threads,
      long maxFileBytes, boolean respectGitignore) {
    this(root, paths, exclude, includeContexts, extraPacks, disabledFacts, rules, threads,
        maxFileBytes, respectGitignore, List.of());
  }

  public static ScanOptions of(Path root) {
    return new ScanOptions(root, List.of(root), List.of(), Set.of(), List.of(), Set.of(), Set.of(),
        0, DEFAULT_MAX_FILE_BYTES, true);
  }

  public ScanOptions withIncludeContexts(Set<String> contexts) {
    return new ScanOptions(root, paths, exclude, contexts, extraPacks, disabledFacts, rules,
        threads, maxFileBytes, respectGitignore, include, outlinedContexts, pathReports, followSymlinks);
  }

  public ScanOptions withThreads(int n) {
    return new ScanOptions(root, paths, exclude, includeContexts, extraPacks, disabledFacts, rules,
        n, maxFileBytes, respectGitignore, include, outlinedContexts, pathReports, followSymlinks);
  }

  /** These options, outlining the files of {@code contexts} and as {@code reports} say. */
  public ScanOptions withOutlines(Set<String> contexts, List<PathReport> reports) {
    return new ScanOptions(root, paths, exclude, includeContexts, extraPacks, disabledFacts, rules,
        threads, maxFileBytes, respectGitignore, include, Set.copyOf(contexts), List.copyOf(reports), followSymlinks);
  }

  /** These options, following symbolic links out of the scan root or not. */
  public ScanOptions withFollowSymlinks(boolean follow) {
    return new ScanOptions(root, paths, exclude, includeContexts, extraPacks, disabledFacts, rules,
        threads, maxFileBytes, respectGitignore, include, outlinedContexts, pathReports, follow);
  }
}
