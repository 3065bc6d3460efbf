package dev.loopguard.core.config;

import dev.loopguard.core.knowledge.Fact;
import dev.loopguard.core.model.Confidence;
import dev.loopguard.core.model.Priority;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * A project's loopguard configuration, as read from {@code loopguard.toml} or a table in a project
 * file. Every list may be empty; see the README for the keys.
 *
 * @param file the file it was read from, or null for the defaults
 * @param table the dotted table it was read from ({@code ""} for the top level)
 * @param include path globs: only matching files are read (empty: all)
 * @param exclude path globs to leave out
 * @param includeContexts do-not-flag contexts to report anyway (test, script, cli, startup)
 * @param paths per-path policies, first match wins
 * @param minConfidence report findings at this confidence or surer
 * @param minPriority report findings at this priority or hotter
 * @param failOn which findings make the scan fail
 * @param facts facts made from the {@code blocking} and {@code offloaders} tables
 * @param knowledge extra knowledge pack files (absolute)
 * @param disabledFacts fact ids to drop
 * @param rules the rules to run (empty: every rule)
 * @param disabledRules rules not to run
 */
public record Config(
    Path file,
    String table,
    List<String> include,
    List<String> exclude,
    Set<String> includeContexts,
    List<PathPolicy> paths,
    Confidence minConfidence,
    Priority minPriority,
    FailOn failOn,
    List<Fact> facts,
    List<Path> knowledge,
    Set<String> disabledFacts,
    Set<String> rules,
    Set<String> disabledRules) {

  /**
   * The confidence findings need to be reported when the configuration does not say: medium.
   * Low-confidence findings rest on code outside the repository presumed to block; judged by hand
   * on real applications and site-packages, about one in eight was worth fixing, so they are shown
   * only when asked for ({@code min-confidence = "low"}, {@code --min-confidence low}) or when
   * run-time evidence confirms them.
   */
  public static final Confidence DEFAULT_MIN_CONFIDENCE = Confidence.MEDIUM;

  public static final Config DEFAULT = new Config(null, "", List.of(), List.of(), Set.of(), List.of(),
      DEFAULT_MIN_CONFIDENCE, Priority.P3, FailOn.ANY, List.of(), List.of(), Set.of(), Set.of(), Set.of());

  /** Where the configuration came from, for messages: {@code pyproject.toml [tool.loopguard]}. */
  public String describe() {
    if (file == null) {
      return "defaults";
    }
    return file + (table.isEmpty() ? "" : " [" + table + "]");
  }
}
