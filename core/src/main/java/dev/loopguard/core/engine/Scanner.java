package dev.loopguard.core.engine;

import dev.loopguard.core.config.ScanOptions;
import dev.loopguard.core.frontend.Frontends;
import dev.loopguard.core.result.ScanResult;
import dev.loopguard.core.result.ModuleSource;
import dev.loopguard.core.analysis.HotPaths;
import dev.loopguard.core.analysis.SemanticModel;
import dev.loopguard.core.analysis.CallGraph;
import dev.loopguard.core.analysis.ModuleLookups;
import dev.loopguard.core.analysis.Parallel;
import dev.loopguard.core.engine.cache.FileIdentity;
import dev.loopguard.core.engine.cache.IrCache;
import dev.loopguard.core.engine.cache.ResolutionCache;
import dev.loopguard.core.engine.cache.ResultCache;
import dev.loopguard.core.analysis.PathGlob;
import dev.loopguard.core.analysis.PathKinds;
import dev.loopguard.core.analysis.Project;
import dev.loopguard.core.frontend.LanguageFrontend;
import dev.loopguard.core.frontend.ProjectFiles;
import dev.loopguard.core.frontend.SourceFile;
import dev.loopguard.core.ir.CallSite;
import dev.loopguard.core.ir.Diagnostic;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.knowledge.FactIndex;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.rules.Rule;
import dev.loopguard.core.rules.RuleContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One scan: walk the tree, lower files in parallel, analyse the project, run the rules, apply
 * suppressions. Deterministic: the result does not depend on the number of threads.
 */
public final class Scanner {
  private static final long WORKER_STACK = 256L * 1024 * 1024;

  private final List<LanguageFrontend> frontends;
  private final Supplier<FactIndex> facts;
  // Identifies the knowledge for the result cache without loading it; null: from the facts.
  private final String knowledgeKey;
  private final List<Rule> rules;

  public Scanner(List<LanguageFrontend> frontends, FactIndex facts, List<Rule> rules) {
    this(frontends, () -> facts, null, rules);
  }

  /**
   * A scanner whose knowledge is loaded only when a scan needs it (not when the result cache
   * answers). {@code knowledgeKey} must change whenever {@code facts} would give other facts,
   * except for changes of loopguard's own build, which the cache sees anyway.
   */
  public Scanner(List<LanguageFrontend> frontends, Supplier<FactIndex> facts, String knowledgeKey,
      List<Rule> rules) {
    this.frontends = frontends;
    this.facts = facts;
    this.knowledgeKey = knowledgeKey;
    this.rules = rules;
  }

  public FactIndex facts() {
    return facts.get();
  }

  // On-disk IR cache (issue 6): off unless asked for.
  private boolean diskCache;

  /**
   * A scanner like this one that keeps lowered modules in {@code .loopguard_cache/} under each
   * scan's root ({@link IrCache}), so that unchanged files are not parsed again. Applies to
   * {@link #scan(ScanOptions, IntConsumer, IntConsumer)}; in-memory scans use their ModuleCache.
   */
  public Scanner withDiskCache(boolean on) {
    Scanner s = new Scanner(frontends, facts, knowledgeKey, rules);
    s.diskCache = on;
    return s;
  }

  public ScanResult scan(ScanOptions options) {
    return scan(options, n -> {}, total -> {});
  }

  /** Scans; {@code progress} receives the count of files done, {@code total} the count found. */
  public ScanResult scan(ScanOptions options, IntConsumer progress, IntConsumer total) {
    long start = System.nanoTime();
    Path root = options.root().toAbsolutePath().normalize();
    FileWalker walker = walker(root, options);
    List<FileWalker.Found> files = walker.walk(options.paths());
    List<PathGlob> include = includeGlobs(options);
    files = files.stream().filter(f -> included(include, f.relative())).toList();
    total.accept(files.size());
    List<Diagnostic> walkDiagnostics = List.copyOf(walker.diagnostics());
    List<Diagnostic> diagnostics = new ArrayList<>(walkDiagnostics);

    Set<String> present = new HashSet<>();
    files.forEach(f -> present.add(f.relative()));
    Predicate<String> isFile = rel -> present.contains(rel) || Files.isRegularFile(root.resolve(rel));
    Namers namers = new Namers(ProjectFiles.onDisk(root, present, isFile));

    List<Input> inputs = new ArrayList<>(files.size());
    for (FileWalker.Found f : files) {
      inputs.add(new Input(f.relative(), f.file(), () -> readFile(f, options)));
    }
    if (!diskCache) {
      loadKnowledgeMeanwhile();
      List<ModuleIr> modules = lowerAll(inputs, namers, options, progress, diagnostics, null, null);
      return analyse(modules, diagnostics, options, start, null);
    }
    // With the cache: the whole result when nothing changed, else the IR of unchanged files.
    ResultCache results = ResultCache.at(root);
    Fingerprints prints = new Fingerprints(results.readStamps(), namers, options);
    long[] key = null;
    if (results.exists()) {
      // Fingerprint first (by stamps where files did not change), to reuse the last result.
      List<Callable<Object>> tasks = new ArrayList<>(inputs.size());
      for (Input in : inputs) {
        tasks.add(() -> prints.take(in, false));
      }
      runAll(tasks, threadsFor(options), "loopguard-read-");
      key = resultKey(prints.all(inputs), walkDiagnostics, options);
      ResultCache.Stored stored = results.read(key);
      if (stored != null) {
        prints.save(results);
        progress.accept(files.size());
        return reuse(stored, prints.all(inputs), root, start);
      }
    }
    // No result to reuse: fingerprint the files as lowering reads them (no second read).
    List<Input> lowered = inputs;
    if (key == null) {
      lowered = new ArrayList<>(inputs.size());
      for (Input in : inputs) {
        lowered.add(new Input(in.relative(), in.file(), () -> prints.take(in, true)));
      }
    }
    loadKnowledgeMeanwhile();
    ResolutionCache resolutionCache = ResolutionCache.at(root);
    IrCache disk = IrCache.open(root);
    List<ModuleIr> modules = lowerAll(lowered, namers, options, progress, diagnostics, null, disk,
        prints::get);
    Resolutions resolutions = new Resolutions(resolutionCache, disk, lowered(modules));
    // The pack is written while the analysis runs (it only reads the modules).
    Thread saver = new Thread(disk::save, "loopguard-cache-writer");
    saver.setDaemon(true);
    saver.start();
    if (key == null) {
      key = resultKey(prints.all(inputs), walkDiagnostics, options);
    }
    prints.save(results);
    ScanResult result;
    try {
      result = analyse(modules, diagnostics, options, start, resolutions);
    } finally {
      join(saver);
    }
    resolutions.save();
    results.write(key, new ResultCache.Stored(result.findings(), result.suppressed(),
        result.diagnostics(), result.stats().files(), result.stats().lines(),
        result.stats().functions(), result.stats().asyncFunctions(), result.evidence()));
    return result;
  }

  /**
   * Loads the knowledge on a thread of its own while the files are lowered (the analysis needs
   * it next). A pack that fails to load fails again, on the scanning thread, when the analysis
   * asks for it.
   */
  private void loadKnowledgeMeanwhile() {
    Thread t = new Thread(() -> {
      try {
        facts.get();
      } catch (RuntimeException e) {
        // reported when the analysis asks
      }
    }, "loopguard-knowledge");
    t.setDaemon(true);
    t.start();
  }

  private static void join(Thread t) {
    boolean interrupted = false;
    while (true) {
      try {
        t.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Call targets kept between scans ({@link ResolutionCache}): those of the last scan, reused
   * for folders that depend on no changed file, and those of this scan, saved for the next.
   * Made after lowering and before the IR pack is saved: it reads the earlier versions of changed
   * modules from the pack.
   */
  private final class Resolutions {
    private final ResolutionCache cache;
    private final long[] key;
    private final ResolutionCache.Memory memory;

    Resolutions(ResolutionCache cache, IrCache disk, List<ModuleIr> modules) {
      this.cache = cache;
      this.key = withCodeAndKnowledge(new ResultCache.KeyBuilder().add("resolution")).key();
      this.memory = ResolutionCache.memory(cache.read(key), modules, disk::keyOf, disk::stored);
    }

    CallGraph.Memory memoryFor(Project project, int threads) {
      return memory.prepare(project, facts.get(), threads);
    }

    void save() {
      cache.write(key, memory.next());
    }
  }

  /** The module namer of each frontend for one scan, made when first asked for. */
  private static final class Namers {
    private final ProjectFiles files;
    private final Map<LanguageFrontend, dev.loopguard.core.frontend.ModuleNamer> made =
        new java.util.concurrent.ConcurrentHashMap<>();

    Namers(ProjectFiles files) {
      this.files = files;
    }

    dev.loopguard.core.frontend.ModuleNamer of(LanguageFrontend fe) {
      return made.computeIfAbsent(fe, f -> f.moduleNamer(files));
    }
  }

  /** What identifies one input file for the result cache: how it reads and lowers. */
  private record Fingerprint(String relative, LanguageFrontend frontend, String module,
      List<String> aliases, long[] content, String problem) {}

  /**
   * The fingerprints of a scan's files, taken in parallel: by the content hash the last scan
   * stamped when a file's size and time are unchanged, else by reading it. Contents are not kept.
   */
  private final class Fingerprints {
    private final Map<String, ResultCache.Stamp> old;
    private final Map<String, ResultCache.Stamp> stamps = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Fingerprint> taken = new java.util.concurrent.ConcurrentHashMap<>();
    private final Namers namers;
    private final ScanOptions options;
    private final long scanNanos;

    Fingerprints(Map<String, ResultCache.Stamp> old, Namers namers, ScanOptions options) {
      this.old = old;
      this.namers = namers;
      this.options = options;
      java.time.Instant now = java.time.Instant.now();
      this.scanNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /**
     * Fingerprints {@code in} and returns what it read (bytes or a Diagnostic). Unless
     * {@code mustRead}, a file whose stamp matches is not read and null is returned.
     */
    Object take(Input in, boolean mustRead) {
      LanguageFrontend fe = frontendFor(in.relative());
      // Trusted only when the file's identity (size, times, inode, device; see FileIdentity) is
      // the one the last scan saw: a copy restores the modification time, never the change time.
      FileIdentity identity = in.file() == null ? null : FileIdentity.of(in.file());
      ResultCache.Stamp s = old.get(in.relative());
      long[] hash = null;
      String problem = null;
      Object content = null;
      if (!mustRead && s != null && identity != null && s.identity().equals(identity)
          && identity.size() <= options.maxFileBytes()) {
        stamps.put(in.relative(), s);
        hash = new long[] {s.hash0(), s.hash1()};
      } else {
        try {
          content = in.content().get();
        } catch (RuntimeException e) {
          content = new Diagnostic(in.relative(), 0, 0, "unreadable", "Cannot read file: " + e.getMessage());
        }
        if (content instanceof byte[] bytes) {
          hash = ResultCache.contentHash(bytes);
          if (identity != null) {
            stamps.put(in.relative(), new ResultCache.Stamp(identity, hash[0], hash[1]));
          }
        } else if (content instanceof Diagnostic d) {
          problem = d.kind() + ": " + d.message();
        }
      }
      if (fe != null) {
        taken.put(in.relative(), new Fingerprint(in.relative(), fe, namers.of(fe).name(in.relative()),
            namers.of(fe).aliases(in.relative()), hash, problem));
      }
      return content;
    }

    /** The fingerprint of a file taken so far, or null. */
    Fingerprint get(String relative) {
      return taken.get(relative);
    }

    /** The fingerprints of {@code inputs} taken so far, in their order. */
    List<Fingerprint> all(List<Input> inputs) {
      List<Fingerprint> out = new ArrayList<>(inputs.size());
      for (Input in : inputs) {
        Fingerprint f = taken.get(in.relative());
        if (f != null) {
          out.add(f);
        }
      }
      return out;
    }

    /** Keeps the stamps for the next scan, when they changed. */
    void save(ResultCache results) {
      if (!stamps.equals(old)) {
        results.writeStamps(scanNanos, stamps);
      }
    }
  }

  /** {@code k} with what every cache key depends on: loopguard's build and the knowledge. */
  private ResultCache.KeyBuilder withCodeAndKnowledge(ResultCache.KeyBuilder k) {
    k.add(dev.loopguard.core.Version.get()).addBuildOf(Scanner.class);
    for (LanguageFrontend fe : frontends) {
      k.add(fe.id()).addBuildOf(fe.getClass());
    }
    return k.add(knowledgeKey != null ? knowledgeKey : facts.get().fingerprint());
  }

  /** Everything the result of a scan depends on, hashed. */
  private long[] resultKey(List<Fingerprint> prints, List<Diagnostic> walkDiagnostics, ScanOptions options) {
    ResultCache.KeyBuilder k = withCodeAndKnowledge(new ResultCache.KeyBuilder());
    for (Rule r : rules) {
      if (options.rules().isEmpty() || options.rules().contains(r.id())) {
        k.add(r.id()).addBuildOf(r.getClass());
      }
    }
    k.add(String.join(",", new TreeSet<>(options.includeContexts())));
    k.add(String.join(",", new TreeSet<>(options.outlinedContexts())));
    for (ScanOptions.PathReport r : options.pathReports()) {
      k.add(r.glob()).add(String.valueOf(r.report()));
    }
    for (Diagnostic d : walkDiagnostics) {
      k.add(d.toString());
    }
    k.add(prints.size());
    for (Fingerprint f : prints) {
      k.add(f.relative()).add(f.frontend().id()).add(f.module()).add(String.join("\1", f.aliases()));
      if (f.content() != null) {
        k.add(f.content()[0]).add(f.content()[1]);
      } else {
        k.add(f.problem());
      }
    }
    return k.key();
  }

  /** The result of an earlier scan with the same inputs; modules are read when a report asks. */
  private ScanResult reuse(ResultCache.Stored stored, List<Fingerprint> prints, Path root, long start) {
    Map<String, Fingerprint> byPath = new HashMap<>();
    prints.forEach(f -> byPath.put(f.relative(), f));
    ModuleSource modules = new CachedModules(root, byPath);
    double seconds = (System.nanoTime() - start) / 1e9;
    return new ScanResult(stored.findings(), stored.suppressed(), stored.diagnostics(),
        new ScanResult.Stats(stored.files(), stored.lines(), stored.functions(),
            stored.asyncFunctions(), seconds),
        null, stored.evidence(), modules, true);
  }

  /** Modules of a reused result: from the IR cache, or lowered again, on first request. */
  private static final class CachedModules implements ModuleSource {
    private final Path root;
    private final Map<String, Fingerprint> files;
    private final Map<String, ModuleIr> loaded = new HashMap<>();
    private IrCache ir;

    CachedModules(Path root, Map<String, Fingerprint> files) {
      this.root = root;
      this.files = files;
    }

    @Override
    public synchronized ModuleIr module(String path) {
      if (loaded.containsKey(path)) {
        return loaded.get(path);
      }
      ModuleIr m = load(path);
      loaded.put(path, m);
      return m;
    }

    @Override
    public List<ModuleIr> all() {
      List<ModuleIr> out = new ArrayList<>();
      for (String path : new TreeSet<>(files.keySet())) {
        ModuleIr m = module(path);
        if (m != null) {
          out.add(m);
        }
      }
      return out;
    }

    private ModuleIr load(String path) {
      Fingerprint f = files.get(path);
      if (f == null || f.content() == null) {
        return null;
      }
      if (ir == null) {
        ir = IrCache.open(root);
      }
      // By the content hash the result was computed for: the file is not read.
      ModuleIr m = ir.find(f.frontend(), path, f.module(), f.aliases(), f.content());
      if (m != null) {
        return m;
      }
      byte[] content;
      try {
        content = dev.loopguard.core.fs.RegularFiles.read(root.resolve(path));
      } catch (IOException | RuntimeException e) {
        return null;
      }
      try {
        return f.frontend().lower(new SourceFile(path, f.module(), f.aliases(), content));
      } catch (RuntimeException | StackOverflowError e) {
        return null;
      }
    }
  }

  /**
   * Scans a tree held in memory (a revision of a repository, a patched copy): {@code files} maps
   * paths relative to {@code options.root()} ({@code /}-separated) to contents, for every file of
   * the tree. The scan selects the files a walk would (source extensions, skipped folders and
   * markers, {@code options.exclude()}; not .gitignore, and {@code options.paths()} is not used)
   * and reads only their contents from the map, in worker threads (a lazily loading map must be
   * thread-safe). {@code cache}, when not null, supplies and keeps lowered modules, so that
   * files that another scan with the same cache already lowered are not lowered again.
   */
  public ScanResult scan(Map<String, byte[]> files, ScanOptions options, ModuleCache cache) {
    long start = System.nanoTime();
    Path root = options.root().toAbsolutePath().normalize();
    FileWalker walker = walker(root, options);
    List<PathGlob> include = includeGlobs(options);
    List<Input> inputs = new ArrayList<>();
    for (String rel : new TreeSet<>(files.keySet())) {
      if (walker.selects(rel, files::containsKey) && included(include, rel)) {
        inputs.add(new Input(rel, null, () -> {
          byte[] content = files.get(rel);
          if (content == null) {
            return new Diagnostic(rel, 0, 0, "unreadable", "File vanished during the scan.");
          }
          if (content.length > options.maxFileBytes()) {
            return new Diagnostic(rel, 0, 0, "too-large", "File is " + content.length
                + " bytes, over the limit of " + options.maxFileBytes() + "; skipped.");
          }
          return content;
        }));
      }
    }
    List<Diagnostic> diagnostics = new ArrayList<>();
    Namers namers = new Namers(new ProjectFiles(null, files.keySet(), files::containsKey, rel -> {
      byte[] b = files.get(rel);
      return b == null ? null : new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }));
    List<ModuleIr> modules = lowerAll(inputs, namers, options, n -> {}, diagnostics, cache, null);
    return analyse(modules, diagnostics, options, start, null);
  }

  private static List<PathGlob> includeGlobs(ScanOptions options) {
    return options.include() == null ? List.of() : options.include().stream().map(PathGlob::compile).toList();
  }

  /** With include globs, only files matching one of them are read. */
  private static boolean included(List<PathGlob> include, String relative) {
    return include.isEmpty() || include.stream().anyMatch(g -> g.matches(relative));
  }

  /** The walker a scan of {@code root} with these options uses. */
  public FileWalker walker(Path root, ScanOptions options) {
    List<String> extensions = new ArrayList<>();
    List<String> skip = new ArrayList<>();
    List<String> markers = new ArrayList<>();
    for (LanguageFrontend fe : frontends) {
      extensions.addAll(fe.extensions());
      skip.addAll(fe.ignoredDirectories());
      markers.addAll(fe.ignoredDirectoryMarkers());
    }
    return new FileWalker(root, extensions, skip, markers, options.exclude(), options.respectGitignore())
        .followingSymlinks(options.followSymlinks());
  }

  /**
   * The pipeline after lowering: analyse the project, run the rules, apply suppressions.
   * {@code resolutions}, when not null, keeps call targets between scans.
   */
  private ScanResult analyse(List<ModuleIr> modules, List<Diagnostic> diagnostics, ScanOptions options,
      long start, Resolutions resolutions) {
    Project project = new Project(lowered(modules), threadsFor(options));
    CallGraph.Memory memory = resolutions == null ? null : resolutions.memoryFor(project, threadsFor(options));
    SemanticModel model = new SemanticModel(project, facts.get(), Frontends.semantics(frontends))
        .run(HotPaths::neverHot, threadsFor(options), memory);
    RuleContext ctx = new RuleContext(model, Frontends.pathKinds(frontends), options.includeContexts());
    Map<String, ModuleIr> byPath = new HashMap<>();
    modules.forEach(m -> byPath.put(m.path(), m));
    List<Finding> findings = new ArrayList<>();
    List<Finding> suppressed = new ArrayList<>();
    for (Rule r : rules) {
      if (!options.rules().isEmpty() && !options.rules().contains(r.id())) {
        continue;
      }
      for (Finding f : r.check(ctx)) {
        Suppressions.apply(f, byPath::get, this::frontendOf, r::claims, r::narrowed, findings,
            suppressed);
      }
    }
    Comparator<Finding> order = Comparator.comparing(Finding::path)
        .thenComparingInt(f -> f.span().line())
        .thenComparingInt(f -> f.span().column())
        .thenComparing(Finding::rule);
    findings.sort(order);
    suppressed.sort(order);
    for (ModuleIr m : modules) {
      diagnostics.addAll(m.diagnostics());
    }
    Diagnostic unresolved = dev.loopguard.core.analysis.UnresolvedImports.of(project);
    if (unresolved != null) {
      diagnostics.add(unresolved);
    }
    diagnostics.sort(Comparator.comparing(Diagnostic::path).thenComparingInt(Diagnostic::line)
        .thenComparingInt(Diagnostic::column));
    long lines = 0;
    int functions = 0;
    int async = 0;
    for (ModuleIr m : modules) {
      lines += m.lines();
      functions += m.functionCount();
      async += m.asyncFunctionCount();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new ScanResult(List.copyOf(findings), List.copyOf(suppressed), List.copyOf(diagnostics),
        new ScanResult.Stats(modules.size(), lines, functions, async, seconds,
            resolutions == null ? 0 : resolutions.memory.resolved(),
            resolutions == null ? 0 : resolutions.memory.recalled()), model,
        ScanResult.evidenceOf(model), ModuleSource.of(modules), false);
  }

  /** The modules of {@code modules} that are lowered (not outlines), in their order. */
  private static List<ModuleIr> lowered(List<ModuleIr> modules) {
    List<ModuleIr> out = new ArrayList<>(modules.size());
    for (ModuleIr m : modules) {
      if (!m.isOutline()) {
        out.add(m);
      }
    }
    return out;
  }

  private LanguageFrontend frontendOf(ModuleIr m) {
    for (LanguageFrontend fe : frontends) {
      if (fe.id().equals(m.language())) {
        return fe;
      }
    }
    return null;
  }


    /** A file to lower: its relative path and how to read it (bytes, or a Diagnostic). */
  private record Input(String relative, Path file, Supplier<Object> content) {}

  private static int threadsFor(ScanOptions options) {
    return options.threads() > 0 ? options.threads() : Runtime.getRuntime().availableProcessors();
  }

  private LanguageFrontend frontendFor(String relative) {
    for (LanguageFrontend candidate : frontends) {
      for (String ext : candidate.extensions()) {
        if (relative.endsWith(ext)) {
          return candidate;
        }
      }
    }
    return null;
  }

  private List<ModuleIr> lowerAll(List<Input> files, Namers namers, ScanOptions options,
      IntConsumer progress, List<Diagnostic> diagnostics, ModuleCache cache, IrCache disk) {
    return lowerAll(files, namers, options, progress, diagnostics, cache, disk, path -> null);
  }

  /**
   * Lowers the files in parallel. {@code prints} gives a file's fingerprint once taken (null
   * before): its module name, aliases and content hash are not computed again, and with
   * {@code disk} a file fingerprinted by its stamp whose IR the pack holds is not read at all.
   *
   * <p>Files whose findings are not reported (the options' outlined contexts, such as tests, and
   * paths reported never) are first only outlined ({@link LanguageFrontend#outline}): their code matters to
   * the analysis of other code only when that code looks their modules up. Those that lowered
   * code may look up ({@link ModuleLookups}) are then lowered, in rounds, until no lowered module
   * needs another. The analysis of the lowered modules is the same as if every file were lowered,
   * except for what outlined code alone would add: its calls that register callbacks on the
   * event loop or offload functions, its loops that make calls hot, its awaited calls (evidence
   * of async twins).
   */
  private List<ModuleIr> lowerAll(List<Input> files, Namers namers, ScanOptions options,
      IntConsumer progress, List<Diagnostic> diagnostics, ModuleCache cache, IrCache disk,
      java.util.function.Function<String, Fingerprint> prints) {
    Predicate<String> outlined = outlined(options);
    AtomicInteger done = new AtomicInteger();
    // Files to lower first, outlines after: an outline is quick once its few methods are
    // compiled, which they are sooner when the compiler is no longer busy with the parser's.
    int n = files.size();
    boolean[] outline = new boolean[n];
    int[] order = new int[n];
    int next = 0;
    for (int i = 0; i < n; i++) {
      outline[i] = outlined.test(files.get(i).relative());
      if (!outline[i]) {
        order[next++] = i;
      }
    }
    for (int i = 0; i < n; i++) {
      if (outline[i]) {
        order[next++] = i;
      }
    }
    List<Callable<Object>> tasks = new ArrayList<>(n);
    for (int i : order) {
      Input f = files.get(i);
      boolean asOutline = outline[i];
      tasks.add(() -> {
        try {
          return lowerOne(f, namers, cache, disk, prints, asOutline);
        } finally {
          progress.accept(done.incrementAndGet());
        }
      });
    }
    List<Object> ran = runAll(tasks, threadsFor(options), "loopguard-worker-");
    List<Object> results = new ArrayList<>(java.util.Collections.nCopies(n, null));
    for (int k = 0; k < n; k++) {
      results.set(order[k], ran.get(k));
    }
    lowerLookedUp(files, results, namers, options, cache, disk, prints);
    List<ModuleIr> modules = new ArrayList<>(files.size());
    for (int i = 0; i < results.size(); i++) {
      Object r = results.get(i);
      if (r instanceof Throwable c) {
        r = new Diagnostic(files.get(i).relative(), 0, 0, "internal-error",
            "Could not analyse the file: " + c);
      }
      if (r instanceof ModuleIr m) {
        modules.add(m);
      } else if (r instanceof Diagnostic d) {
        diagnostics.add(d);
      }
    }
    return modules;
  }

  /**
   * Replaces, in {@code results}, the outlines that lowered modules may look up by the lowered
   * files, in rounds until no lowered module needs another outline.
   */
  private void lowerLookedUp(List<Input> files, List<Object> results, Namers namers,
      ScanOptions options, ModuleCache cache, IrCache disk,
      java.util.function.Function<String, Fingerprint> prints) {
    List<Integer> outlines = new ArrayList<>();
    List<ModuleIr> candidates = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      if (results.get(i) instanceof ModuleIr m && m.isOutline()) {
        outlines.add(i);
        candidates.add(m);
      }
    }
    if (outlines.isEmpty()) {
      return;
    }
    ModuleLookups lookups = new ModuleLookups(candidates);
    for (Object r : results) {
      if (r instanceof ModuleIr m && !m.isOutline()) {
        lookups.add(m);
      }
    }
    while (!outlines.isEmpty()) {
      List<Integer> needed = new ArrayList<>();
      List<Integer> rest = new ArrayList<>();
      for (int i : outlines) {
        (lookups.needs((ModuleIr) results.get(i)) ? needed : rest).add(i);
      }
      if (needed.isEmpty()) {
        return;
      }
      List<Callable<Object>> tasks = new ArrayList<>(needed.size());
      for (int i : needed) {
        Input f = files.get(i);
        tasks.add(() -> lowerOne(f, namers, cache, disk, prints, false));
      }
      List<Object> lowered = runAll(tasks, threadsFor(options), "loopguard-worker-");
      for (int k = 0; k < needed.size(); k++) {
        Object r = lowered.get(k);
        results.set(needed.get(k), r);
        if (r instanceof ModuleIr m) {
          lookups.add(m);
        }
      }
      outlines = rest;
    }
  }

  /**
   * Which files are outlined first: those whose first matching path report says they are not
   * reported, and, where none decides, those of the options' outlined contexts.
   */
  private Predicate<String> outlined(ScanOptions options) {
    List<ScanOptions.PathReport> reports = options.pathReports();
    if (options.outlinedContexts().isEmpty()
        && reports.stream().noneMatch(r -> Boolean.FALSE.equals(r.report()))) {
      return relative -> false;
    }
    PathKinds kinds = Frontends.pathKinds(frontends);
    List<PathGlob> globs = reports.stream().map(r -> PathGlob.compile(r.glob())).toList();
    return relative -> {
      for (int i = 0; i < globs.size(); i++) {
        if (globs.get(i).matches(relative)) {
          Boolean report = reports.get(i).report();
          if (report != null) {
            return !report;
          }
          break;
        }
      }
      String kind = kinds.kindOf(relative);
      return kind != null && options.outlinedContexts().contains(kind);
    };
  }

  private static List<Object> runAll(List<Callable<Object>> tasks, int threads, String name) {
    return Parallel.runAll(tasks, threads, name, WORKER_STACK);
  }


  private static Object readFile(FileWalker.Found f, ScanOptions options) {
    try {
      long size = dev.loopguard.core.fs.RegularFiles.requireRegular(f.file()).size();
      if (size > options.maxFileBytes()) {
        return new Diagnostic(f.relative(), 0, 0, "too-large",
            "File is " + size + " bytes, over the limit of " + options.maxFileBytes() + "; skipped.");
      }
      return dev.loopguard.core.fs.RegularFiles.read(f.file(), options.maxFileBytes());
    } catch (NoSuchFileException e) {
      return new Diagnostic(f.relative(), 0, 0, "unreadable", "File vanished during the scan.");
    } catch (IOException | SecurityException e) {
      return new Diagnostic(f.relative(), 0, 0, "unreadable", "Cannot read file: " + e.getMessage());
    } catch (OutOfMemoryError e) {
      return new Diagnostic(f.relative(), 0, 0, "too-large", "File too large to read into memory.");
    }
  }

  private Object lowerOne(Input f, Namers namers, ModuleCache cache, IrCache disk,
      java.util.function.Function<String, Fingerprint> prints, boolean outline) {
    LanguageFrontend fe = frontendFor(f.relative());
    if (fe == null) {
      return null;
    }
    Fingerprint known = prints.apply(f.relative());
    if (cache == null && disk != null && known != null && known.content() != null) {
      // Known by its stamp (size and time unchanged): the pack may hold its IR.
      ModuleIr m = disk.cached(fe, f.relative(), known.module(), known.aliases(), known.content(),
          outline);
      if (m != null) {
        return m;
      }
    }
    Object read;
    try {
      read = f.content().get();
    } catch (RuntimeException e) {
      return new Diagnostic(f.relative(), 0, 0, "unreadable", "Cannot read file: " + e.getMessage());
    }
    if (!(read instanceof byte[] content)) {
      return read;
    }
    // Reading may have fingerprinted the file (the hash is then of these bytes).
    Fingerprint now = prints.apply(f.relative());
    String module = now != null ? now.module() : namers.of(fe).name(f.relative());
    List<String> aliases = now != null ? now.aliases() : namers.of(fe).aliases(f.relative());
    LanguageFrontend frontend = fe;
    try {
      SourceFile source = new SourceFile(f.relative(), module, aliases, content);
      Supplier<ModuleIr> make = outline ? () -> frontend.outline(source) : () -> frontend.lower(source);
      if (cache == null && disk != null) {
        long[] hash = now != null && now != known && now.content() != null ? now.content()
            : ResultCache.contentHash(content);
        return disk.get(frontend, f.relative(), module, aliases, hash, outline, make);
      }
      return cache == null ? make.get()
          : cache.get(frontend.id(), f.relative(), module, aliases, content, outline, make);
    } catch (StackOverflowError e) {
      return new Diagnostic(f.relative(), 0, 0, "too-deep", "File nests too deeply to analyse.");
    } catch (RuntimeException e) {
      return new Diagnostic(f.relative(), 0, 0, "internal-error", "Could not analyse the file: " + e);
    }
  }
}
