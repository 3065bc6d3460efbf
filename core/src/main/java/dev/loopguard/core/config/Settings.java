package dev.loopguard.core.config;

import dev.loopguard.core.analysis.PathGlob;
import dev.loopguard.core.analysis.PathKinds;
import dev.loopguard.core.frontend.Frontends;
import dev.loopguard.core.result.ScanResult;
import dev.loopguard.core.frontend.LanguageFrontend;
import dev.loopguard.core.knowledge.Fact;
import dev.loopguard.core.model.Confidence;
import dev.loopguard.core.model.EvidenceSite;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.model.Priority;
import dev.loopguard.core.rules.Rule;
import dev.loopguard.core.rules.Rules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One scan's settings: the configuration file merged with command-line overrides (the command
 * line adds to lists and replaces single values). Builds the scan options and the knowledge, and
 * applies the reporting policy (contexts, per-path policies, minimum confidence and priority) to
 * a scan's result.
 */
public final class Settings {
  /** Do-not-flag contexts that can be reported on request. */
  public static final List<String> CONTEXTS = List.of("test", "script", "cli", "startup");
  /** The contexts known by a file's path; the others are known by how code runs. */
  static final List<String> PATH_CONTEXTS = List.of("test", "script");

  /**
   * What the command line says; nulls and empty lists leave the configuration's value.
   *
   * @param root report paths relative to this folder, or null
   * @param config the configuration file to read, or null to look for one
   * @param noConfig read no configuration file
   * @param contexts do-not-flag contexts to report (test, script, cli, startup)
   * @param minConfidence {@code high}, {@code medium}, {@code low}, or null
   * @param minPriority {@code P0}..{@code P3}, or null
   * @param failOn a {@link FailOn} word, or null
   */
  public record Overrides(
      Path root,
      Path config,
      boolean noConfig,
      List<String> contexts,
      List<String> include,
      List<String> exclude,
      List<String> rules,
      List<String> disabledFacts,
      List<Path> knowledge,
      int threads,
      boolean gitignore,
      String minConfidence,
      String minPriority,
      String failOn) {

    public static Overrides none() {
      return new Overrides(null, null, false, List.of(), List.of(), List.of(), List.of(), List.of(),
          List.of(), 0, true, null, null, null);
    }

    public Overrides withNoConfig() {
      return new Overrides(root, config, true, contexts, include, exclude, rules, disabledFacts,
          knowledge, threads, gitignore, minConfidence, minPriority, failOn);
    }

    public Overrides withThreads(int n) {
      return new Overrides(root, config, noConfig, contexts, include, exclude, rules, disabledFacts,
          knowledge, n, gitignore, minConfidence, minPriority, failOn);
    }
  }

  /**
   * The knowledge a scan loads besides the frontends' built-in packs.
   *
   * @param packs user knowledge pack files
   * @param configFacts facts written in the configuration file
   * @param disabled fact ids to drop
   * @param key what identifies this knowledge for the result cache without loading it: each
   *     pack's path and content, the configuration's facts, the disabled ids
   */
  public record KnowledgeSpec(List<Path> packs, List<Fact> configFacts, Set<String> disabled,
      String key) {}

  private final List<LanguageFrontend> frontends;
  private final Config config;
  private final Path root;
  private final ScanOptions options;
  private final KnowledgeSpec knowledge;
  private final Set<String> contexts;
  private final Confidence minConfidence;
  private final Priority minPriority;
  private final FailOn failOn;
  private final PathKinds pathKinds;
  private final List<PathGlob> policyGlobs = new ArrayList<>();

  private Settings(List<LanguageFrontend> frontends, Config config, Path root, ScanOptions options,
      KnowledgeSpec knowledge, Set<String> contexts, Confidence minConfidence,
      Priority minPriority, FailOn failOn) {
    this.frontends = frontends;
    this.config = config;
    this.root = root;
    this.options = options;
    this.knowledge = knowledge;
    this.contexts = contexts;
    this.minConfidence = minConfidence;
    this.minPriority = minPriority;
    this.failOn = failOn;
    this.pathKinds = Frontends.pathKinds(frontends);
    config.paths().forEach(p -> policyGlobs.add(PathGlob.compile(p.glob())));
  }

  /**
   * Resolves the settings for scanning {@code paths} (relative to {@code cwd}; none: the current
   * folder). The project root is {@code --root}, else the folder of the configuration file when
   * the scanned paths are inside it, else the scanned folder (or the current folder).
   */
  public static Settings resolve(List<LanguageFrontend> frontends, Path cwd, List<Path> paths,
      Overrides o) {
    List<Path> targets = new ArrayList<>();
    for (Path p : paths.isEmpty() ? List.of(Path.of(".")) : paths) {
      Path t = cwd.resolve(p).toAbsolutePath().normalize();
      requireFileOrFolder(t, p.toString());
      targets.add(t);
    }
    if (o.threads() < 0 || o.threads() > MAX_THREADS) {
      throw new ConfigException("--threads takes a number from 1 to " + MAX_THREADS + " (got " + o.threads() + ")");
    }
    checkGlobs(o.include(), "--include-path");
    checkGlobs(o.exclude(), "--exclude");
    Path fallbackRoot = defaultRoot(cwd.toAbsolutePath().normalize(), targets);
    ConfigLoader loader = new ConfigLoader(frontends);
    Config config;
    if (o.noConfig()) {
      config = Config.DEFAULT;
    } else if (o.config() != null) {
      config = loader.load(cwd.resolve(o.config()));
    } else {
      Config found = loader.discover(fallbackRoot);
      config = found != null ? found : Config.DEFAULT;
    }
    Path root;
    if (o.root() != null) {
      root = cwd.resolve(o.root()).toAbsolutePath().normalize();
      if (!Files.isDirectory(root)) {
        throw new ConfigException("--root " + o.root() + ": "
            + (Files.exists(root) ? "not a folder" : "no such folder"));
      }
    } else if (config.file() != null && fallbackRoot.startsWith(config.file().getParent())) {
      root = config.file().getParent();
    } else {
      root = fallbackRoot;
    }

    Set<String> contexts = new LinkedHashSet<>(config.includeContexts());
    for (String c : o.contexts()) {
      String k = context(c);
      if (k == null) {
        throw new ConfigException("--include takes " + String.join(", ", CONTEXTS) + " (got " + c + ")");
      }
      contexts.add(k);
    }
    Set<String> rules = new LinkedHashSet<>();
    for (String r : o.rules()) {
      Rule rule = Rules.byId(r);
      if (rule == null) {
        throw new ConfigException("--rule " + r + ": no such rule; 'loopguard rules' lists them");
      }
      rules.add(rule.id());
    }
    // --rule wins over the configuration's rule lists.
    if (rules.isEmpty() && !config.rules().isEmpty()) {
      rules.addAll(config.rules());
    }
    if (o.rules().isEmpty() && !config.disabledRules().isEmpty()) {
      if (rules.isEmpty()) {
        Rules.all().forEach(r -> rules.add(r.id()));
      }
      rules.removeAll(config.disabledRules());
      if (rules.isEmpty()) {
        throw new ConfigException(config.describe() + ": disable-rules leaves no rule to run");
      }
    }
    List<String> include = concat(config.include(), o.include());
    List<String> exclude = concat(config.exclude(), o.exclude());
    List<Path> packs = new ArrayList<>(config.knowledge());
    for (Path p : o.knowledge()) {
      Path pack = cwd.resolve(p).toAbsolutePath().normalize();
      if (!Files.isRegularFile(pack)) {
        throw new ConfigException("--knowledge " + p + ": "
            + (Files.exists(pack) ? "not a regular file" : "no such knowledge pack file"));
      }
      packs.add(pack);
    }
    Set<String> disabled = new LinkedHashSet<>(config.disabledFacts());
    disabled.addAll(o.disabledFacts());

    KnowledgeSpec knowledge = new KnowledgeSpec(List.copyOf(packs), config.facts(),
        Set.copyOf(disabled), knowledgeKey(packs, config.facts(), disabled));
    Confidence minConfidence = o.minConfidence() != null
        ? parseConfidence(o.minConfidence(), "--min-confidence") : config.minConfidence();
    Priority minPriority = o.minPriority() != null
        ? parsePriority(o.minPriority(), "--min-priority") : config.minPriority();
    FailOn failOn = config.failOn();
    if (o.failOn() != null) {
      failOn = FailOn.parseWord(o.failOn());
      if (failOn == null) {
        throw new ConfigException("--fail-on takes any, never, a priority (P0..P3) or a confidence"
            + " (high, medium, low) (got " + o.failOn() + ")");
      }
    }
    // Every context is scanned; the policy below decides what is reported, so that suppressions
    // in unreported contexts still count as used. Files whose findings are never reported (an
    // unreported path context, a path policy's report = false) are only outlined unless
    // reported code needs them, and their suppressions are not judged.
    Set<String> outlined = new LinkedHashSet<>(PATH_CONTEXTS);
    outlined.removeAll(contexts);
    List<ScanOptions.PathReport> reports = new ArrayList<>();
    for (PathPolicy p : config.paths()) {
      reports.add(new ScanOptions.PathReport(p.glob(), p.report()));
    }
    ScanOptions options = new ScanOptions(root, targets, exclude, Set.copyOf(CONTEXTS), List.copyOf(packs),
        Set.copyOf(disabled), Set.copyOf(rules), o.threads(), ScanOptions.DEFAULT_MAX_FILE_BYTES,
        o.gitignore(), include).withOutlines(outlined, reports);
    return new Settings(frontends, config, root, options, knowledge, Set.copyOf(contexts),
        minConfidence, minPriority, failOn);
  }

  /**
   * What identifies the knowledge besides loopguard's own build (which holds the built-in
   * packs): each user pack's path and content, the config's facts, the disabled ids.
   */
  private static final long MAX_PACK_BYTES = 64L << 20;

  private static String knowledgeKey(List<Path> packs, List<Fact> configFacts, Set<String> disabled) {
    StringBuilder sb = new StringBuilder();
    for (Path p : packs) {
      sb.append("pack ").append(p).append('\n');
      try {
        sb.append(new String(dev.loopguard.core.fs.RegularFiles.read(p, MAX_PACK_BYTES),
            java.nio.charset.StandardCharsets.UTF_8));
      } catch (java.io.IOException | RuntimeException e) {
        sb.append("unreadable: ").append(e);
      }
      sb.append('\n');
    }
    configFacts.forEach(f -> sb.append("fact ").append(f).append('\n'));
    new java.util.TreeSet<>(disabled).forEach(d -> sb.append("disabled ").append(d).append('\n'));
    return sb.toString();
  }

  /** The most worker threads {@code --threads} takes. */
  public static final int MAX_THREADS = 1024;

  /**
   * Throws unless {@code path} (as given: {@code given}) is a folder or a regular file: a
   * missing path is an error, never an empty scan, and a FIFO or device would block a read.
   */
  private static void requireFileOrFolder(Path path, String given) {
    if (Files.isDirectory(path) || Files.isRegularFile(path)) {
      return;
    }
    if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      throw new ConfigException(given + ": no such file or folder");
    }
    if (!Files.exists(path)) {
      throw new ConfigException(given + ": a broken symbolic link");
    }
    throw new ConfigException(given + ": not a regular file or folder (a FIFO, socket or device)");
  }

  private static void checkGlobs(List<String> globs, String option) {
    for (String g : globs) {
      try {
        PathGlob.compile(g);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(option + " " + g + ": not a valid glob: " + e.getMessage());
      }
    }
  }

  /** The canonical context name for {@code name} ({@code tests} is {@code test}), or null. */
  public static String context(String name) {
    String k = name.trim().toLowerCase(Locale.ROOT);
    if (k.equals("tests")) {
      k = "test";
    } else if (k.equals("scripts")) {
      k = "script";
    }
    return CONTEXTS.contains(k) ? k : null;
  }

  private static Confidence parseConfidence(String s, String option) {
    String t = s.trim().toLowerCase(Locale.ROOT);
    if (!Set.of("high", "medium", "low").contains(t)) {
      throw new ConfigException(option + " takes high, medium or low (got " + s + ")");
    }
    return Confidence.parse(t);
  }

  private static Priority parsePriority(String s, String option) {
    String t = s.trim().toUpperCase(Locale.ROOT);
    if (!Set.of("P0", "P1", "P2", "P3").contains(t)) {
      throw new ConfigException(option + " takes P0, P1, P2 or P3 (got " + s + ")");
    }
    return Priority.parse(t);
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> out = new ArrayList<>(a);
    out.addAll(b);
    return List.copyOf(out);
  }

  static Path defaultRoot(Path cwd, List<Path> targets) {
    if (targets.size() == 1 && Files.isDirectory(targets.get(0))) {
      return targets.get(0);
    }
    if (targets.stream().allMatch(t -> t.startsWith(cwd))) {
      return cwd;
    }
    Path first = targets.get(0);
    return Files.isDirectory(first) || first.getParent() == null ? first : first.getParent();
  }

  public Config config() {
    return config;
  }

  public Path root() {
    return root;
  }

  public ScanOptions options() {
    return options;
  }

  /** The knowledge these settings ask for, beside the frontends' built-in packs. */
  public KnowledgeSpec knowledge() {
    return knowledge;
  }

  /** The do-not-flag contexts the user asked to report (and a review to judge). */
  public Set<String> contexts() {
    return contexts;
  }

  /** These settings, following symbolic links out of the scan root or not (the default). */
  public Settings followingSymlinks(boolean follow) {
    return follow == options.followSymlinks() ? this
        : new Settings(frontends, config, root, options.withFollowSymlinks(follow), knowledge,
            contexts, minConfidence, minPriority, failOn);
  }

  public FailOn failOn() {
    return failOn;
  }

  public List<LanguageFrontend> frontends() {
    return frontends;
  }

  /** {@code raw} with the reporting policy applied to its findings and suppressed findings. */
  public ScanResult apply(ScanResult raw) {
    return raw.withFindings(apply(raw.findings()), apply(raw.suppressed()));
  }

  /** The findings to report, in order, with per-path priorities applied. */
  public List<Finding> apply(List<Finding> findings) {
    List<Finding> out = new ArrayList<>();
    for (Finding f : findings) {
      Finding g = apply(f);
      if (g != null) {
        out.add(g);
      }
    }
    return List.copyOf(out);
  }

  /** The finding as reported, or null when the policy leaves it out. */
  public Finding apply(Finding f) {
    return apply(f, true);
  }

  /** The confidence findings need to be reported (paths may set their own). */
  public Confidence minConfidence() {
    return minConfidence;
  }

  /**
   * How many of {@code findings} the policy leaves out only for their confidence (the minimum
   * confidence, global or per path): what {@code --min-confidence low} would add.
   */
  public int hiddenByConfidence(List<Finding> findings) {
    int n = 0;
    for (Finding f : findings) {
      if (apply(f, true) == null && apply(f, false) != null) {
        n++;
      }
    }
    return n;
  }

  private Finding apply(Finding f, boolean checkConfidence) {
    PathPolicy p = policy(f.path());
    if (p != null && Boolean.FALSE.equals(p.report())) {
      return null;
    }
    if (f.excludedAs() != null && !contexts.contains(f.excludedAs())
        && (p == null || !Boolean.TRUE.equals(p.report()))) {
      return null;
    }
    Finding g = f;
    if (p != null && p.priority() != null && p.priority() != f.priority()) {
      g = withPriority(f, p.priority());
    }
    Confidence min = p != null && p.minConfidence() != null ? p.minConfidence() : minConfidence;
    if ((checkConfidence && !g.confidence().atLeast(min)) || !g.priority().atLeast(minPriority)) {
      return null;
    }
    return g;
  }

  /** Evidence of correct async code in the files whose findings are reported. */
  public List<EvidenceSite> evidence(ScanResult result) {
    List<EvidenceSite> out = new ArrayList<>();
    for (EvidenceSite e : result.evidence()) {
      if (reportsPath(e.path())) {
        out.add(e);
      }
    }
    return List.copyOf(out);
  }

  /** Whether what is found in the file at {@code path} is reported (its path context and policy). */
  public boolean reportsPath(String path) {
    PathPolicy p = policy(path);
    if (p != null && Boolean.FALSE.equals(p.report())) {
      return false;
    }
    String kind = pathKinds.kindOf(path);
    return kind == null || contexts.contains(kind) || (p != null && Boolean.TRUE.equals(p.report()));
  }

  private PathPolicy policy(String path) {
    for (int i = 0; i < policyGlobs.size(); i++) {
      if (policyGlobs.get(i).matches(path)) {
        return config.paths().get(i);
      }
    }
    return null;
  }

  static Finding withPriority(Finding f, Priority p) {
    return f.withPriority(p);
  }
}
