package dev.loopguard.core.engine;

import dev.loopguard.core.analysis.Analysis;
import dev.loopguard.core.engine.cache.IrCache;
import dev.loopguard.core.analysis.PathGlob;
import dev.loopguard.core.analysis.PathKinds;
import dev.loopguard.core.analysis.Project;
import dev.loopguard.core.frontend.LanguageFrontend;
import dev.loopguard.core.frontend.SourceFile;
import dev.loopguard.core.ir.CallSite;
import dev.loopguard.core.ir.Diagnostic;
import dev.loopguard.core.ir.FunctionIr;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
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
  private final FactIndex facts;
  private final List<Rule> rules;

  public Scanner(List<LanguageFrontend> frontends, FactIndex facts, List<Rule> rules) {
    this.frontends = frontends;
    this.facts = facts;
    this.rules = rules;
  }

  public FactIndex facts() {
    return facts;
  }

  // On-disk IR cache (issue 6): off unless asked for.
  private boolean diskCache;

  /**
   * A scanner like this one that keeps lowered modules in {@code .loopguard_cache/} under each
   * scan's root ({@link IrCache}), so that unchanged files are not parsed again. Applies to
   * {@link #scan(ScanOptions, IntConsumer, IntConsumer)}; in-memory scans use their ModuleCache.
   */
  public Scanner withDiskCache(boolean on) {
    Scanner s = new Scanner(frontends, facts, rules);
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
    List<Diagnostic> diagnostics = new ArrayList<>(walker.diagnostics());

    Set<String> present = new HashSet<>();
    files.forEach(f -> present.add(f.relative()));
    Predicate<String> exists = rel -> present.contains(rel) || Files.isRegularFile(root.resolve(rel));

    List<Input> inputs = new ArrayList<>(files.size());
    for (FileWalker.Found f : files) {
      inputs.add(new Input(f.relative(), () -> readFile(f, options)));
    }
    IrCache disk = diskCache ? IrCache.open(root) : null;
    List<ModuleIr> modules = lowerAll(inputs, exists, options, progress, diagnostics, null, disk);
    if (disk != null) {
      disk.save();
    }
    return analyse(modules, diagnostics, options, start);
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
        inputs.add(new Input(rel, () -> {
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
    List<ModuleIr> modules = lowerAll(inputs, files::containsKey, options, n -> {}, diagnostics, cache, null);
    return analyse(modules, diagnostics, options, start);
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
    return new FileWalker(root, extensions, skip, markers, options.exclude(), options.respectGitignore());
  }

  /** The pipeline after lowering: analyse the project, run the rules, apply suppressions. */
  private ScanResult analyse(List<ModuleIr> modules, List<Diagnostic> diagnostics, ScanOptions options,
      long start) {
    Project project = new Project(modules);
    int threads = options.threads() > 0 ? options.threads() : Runtime.getRuntime().availableProcessors();
    Analysis analysis = new Analysis(project, facts).run(Scanner::neverHot, threads);
    List<String> tests = new ArrayList<>();
    List<String> scripts = new ArrayList<>();
    for (LanguageFrontend fe : frontends) {
      tests.addAll(fe.conventions().tests());
      scripts.addAll(fe.conventions().scripts());
    }
    RuleContext ctx = new RuleContext(analysis, new PathKinds(tests, scripts), options.includeContexts());
    Map<String, ModuleIr> byPath = new HashMap<>();
    modules.forEach(m -> byPath.put(m.path(), m));
    List<Finding> findings = new ArrayList<>();
    List<Finding> suppressed = new ArrayList<>();
    for (Rule r : rules) {
      if (!options.rules().isEmpty() && !options.rules().contains(r.id())) {
        continue;
      }
      for (Finding f : r.check(ctx)) {
        ModuleIr m = byPath.get(f.path());
        if (m != null && Suppressions.find(m, f, frontendOf(m)) != null) {
          suppressed.add(f);
        } else {
          findings.add(f);
        }
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
    diagnostics.sort(Comparator.comparing(Diagnostic::path).thenComparingInt(Diagnostic::line)
        .thenComparingInt(Diagnostic::column));
    long lines = 0;
    int functions = 0;
    int async = 0;
    for (ModuleIr m : modules) {
      lines += m.lines();
      for (FunctionIr f : m.functions()) {
        if (f.kind() == FunctionIr.Kind.FUNCTION) {
          functions++;
          if (f.async()) {
            async++;
          }
        }
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new ScanResult(List.copyOf(findings), List.copyOf(suppressed), List.copyOf(diagnostics),
        new ScanResult.Stats(modules.size(), lines, functions, async, seconds), analysis);
  }

  private LanguageFrontend frontendOf(ModuleIr m) {
    for (LanguageFrontend fe : frontends) {
      if (fe.id().equals(m.language())) {
        return fe;
      }
    }
    return null;
  }


  /** Calls that never run on a hot path whatever calls their function. */
  public static boolean neverHot(CallSite cs) {
    return cs.hasFlag(CallSite.CallFlag.MAIN_GUARD) || cs.hasFlag(CallSite.CallFlag.TYPE_CHECKING_ONLY);
  }

  /** A file to lower: its relative path and how to read it (bytes, or a Diagnostic). */
  private record Input(String relative, Supplier<Object> content) {}

  private List<ModuleIr> lowerAll(List<Input> files, Predicate<String> exists, ScanOptions options,
      IntConsumer progress, List<Diagnostic> diagnostics, ModuleCache cache, IrCache disk) {
    int threads = options.threads() > 0 ? options.threads() : Runtime.getRuntime().availableProcessors();
    AtomicInteger done = new AtomicInteger();
    AtomicInteger threadNo = new AtomicInteger();
    ThreadFactory tf = r -> {
      Thread t = new Thread(null, r, "loopguard-worker-" + threadNo.incrementAndGet(), WORKER_STACK);
      t.setDaemon(true);
      return t;
    };
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), tf);
    try {
      List<Future<Object>> futures = new ArrayList<>(files.size());
      for (Input f : files) {
        futures.add(pool.submit(() -> {
          try {
            return lowerOne(f, exists, cache, disk);
          } finally {
            progress.accept(done.incrementAndGet());
          }
        }));
      }
      List<ModuleIr> modules = new ArrayList<>(files.size());
      for (int i = 0; i < futures.size(); i++) {
        Object r;
        try {
          r = futures.get(i).get();
        } catch (ExecutionException e) {
          Throwable c = e.getCause();
          r = new Diagnostic(files.get(i).relative(), 0, 0, "internal-error",
              "Could not analyse the file: " + c);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("scan interrupted", e);
        }
        if (r instanceof ModuleIr m) {
          modules.add(m);
        } else if (r instanceof Diagnostic d) {
          diagnostics.add(d);
        }
      }
      return modules;
    } finally {
      pool.shutdownNow();
    }
  }

  private static Object readFile(FileWalker.Found f, ScanOptions options) {
    try {
      long size = Files.size(f.file());
      if (size > options.maxFileBytes()) {
        return new Diagnostic(f.relative(), 0, 0, "too-large",
            "File is " + size + " bytes, over the limit of " + options.maxFileBytes() + "; skipped.");
      }
      return Files.readAllBytes(f.file());
    } catch (NoSuchFileException e) {
      return new Diagnostic(f.relative(), 0, 0, "unreadable", "File vanished during the scan.");
    } catch (IOException | SecurityException e) {
      return new Diagnostic(f.relative(), 0, 0, "unreadable", "Cannot read file: " + e.getMessage());
    } catch (OutOfMemoryError e) {
      return new Diagnostic(f.relative(), 0, 0, "too-large", "File too large to read into memory.");
    }
  }

  private Object lowerOne(Input f, Predicate<String> exists, ModuleCache cache, IrCache disk) {
    LanguageFrontend fe = null;
    for (LanguageFrontend candidate : frontends) {
      for (String ext : candidate.extensions()) {
        if (fe == null && f.relative().endsWith(ext)) {
          fe = candidate;
        }
      }
    }
    if (fe == null) {
      return null;
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
    String module = fe.moduleName(f.relative(), exists);
    List<String> aliases = fe.moduleAliases(f.relative(), exists);
    LanguageFrontend frontend = fe;
    try {
      SourceFile source = new SourceFile(f.relative(), module, aliases, content);
      if (cache == null && disk != null) {
        return disk.get(frontend, f.relative(), module, aliases, content, () -> frontend.lower(source));
      }
      return cache == null ? frontend.lower(source)
          : cache.get(frontend.id(), f.relative(), module, aliases, content, () -> frontend.lower(source));
    } catch (StackOverflowError e) {
      return new Diagnostic(f.relative(), 0, 0, "too-deep", "File nests too deeply to analyse.");
    } catch (RuntimeException e) {
      return new Diagnostic(f.relative(), 0, 0, "internal-error", "Could not analyse the file: " + e);
    }
  }
}
