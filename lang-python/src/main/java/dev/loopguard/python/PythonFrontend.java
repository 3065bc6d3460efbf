package dev.loopguard.python;

import dev.loopguard.core.fix.FixOutcome;
import dev.loopguard.core.fix.FixSite;
import dev.loopguard.core.frontend.LanguageFrontend;
import dev.loopguard.core.frontend.LanguageSemantics;
import dev.loopguard.core.frontend.PathConventions;
import dev.loopguard.core.frontend.SourceFile;
import dev.loopguard.core.ir.Diagnostic;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.python.ast.ParseResult;
import dev.loopguard.python.fix.PythonFixer;
import dev.loopguard.python.lower.ModuleLowering;
import dev.loopguard.python.lower.ModuleNames;
import dev.loopguard.python.lower.SourceDecoder;
import dev.loopguard.python.lower.SourceText;
import dev.loopguard.python.runtime.AsyncioDebugLog;
import dev.loopguard.python.runtime.BlockbusterLog;
import dev.loopguard.python.runtime.HomeAssistantLog;
import dev.loopguard.python.runtime.PyleakLog;
import dev.loopguard.core.runtime.EvidenceParser;
import dev.loopguard.core.runtime.RuntimeBootstrap;
import java.util.Optional;
import dev.loopguard.python.parse.PythonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Python frontend: decodes, parses and lowers {@code .py} files. Thread-safe. */
public final class PythonFrontend implements LanguageFrontend {

  /** Class-path folder of the built-in knowledge packs. */
  public static final String PACK_FOLDER = "knowledge/python/";
  /** Lists the pack files of {@link #PACK_FOLDER}, one a line. */
  public static final String PACK_LIST = PACK_FOLDER + "packs.txt";

  private static final PathConventions CONVENTIONS = new PathConventions(
      List.of("tests/**", "test/**", "**/tests/**", "**/test/**", "**/testing/**", "test_*.py",
          "*_test.py", "conftest.py",
          // Test doubles kept beside the code they stand in for (mock_service.py, fakes/).
          "mock_*.py", "*_mock.py", "mocks/**", "**/mocks/**", "fake_*.py", "*_fake.py",
          "fakes/**", "**/fakes/**"),
      List.of("scripts/**", "**/scripts/**", "bin/**", "tools/**", "examples/**", "**/examples/**",
          "example/**", "**/example/**", "docs/**", "**/share/doc/**", "benchmarks/**",
          "**/benchmarks/**", "setup.py", "noxfile.py", "fabfile.py", "manage.py"));

  private static final List<String> IGNORED = List.of("venv", ".venv", "virtualenv", ".virtualenv",
      "__pycache__", "__pypackages__", ".tox", ".nox", ".mypy_cache", ".pytest_cache",
      ".ruff_cache", ".pytype", ".hypothesis", ".ipynb_checkpoints", "site-packages",
      "*.egg-info", ".eggs", "build", "dist");

  /**
   * flake8's {@code noqa}, optionally with codes ({@code noqa: E501,ASYNC251}); the word must stand
   * alone ({@code snoqa} is not one).
   */
  private static final Pattern NOQA = Pattern.compile(
      "(?<![\\w-])noqa(?![\\w-])(?:\\s*:\\s*([A-Za-z][\\w-]*(?:[\\s,]+[A-Za-z][\\w-]*)*))?",
      Pattern.CASE_INSENSITIVE);

  private final Function<String, ParseResult> parser;

  public PythonFrontend() {
    this(PythonParser::parse);
  }

  /** A frontend with another parser (tests). */
  public PythonFrontend(Function<String, ParseResult> parser) {
    this.parser = Objects.requireNonNull(parser);
  }

  @Override
  public String id() {
    return "python";
  }

  @Override
  public List<String> extensions() {
    return List.of(".py");
  }

  @Override
  public String lineCommentPrefix() {
    return "#";
  }

  /** {@code knowledge/python/<name>} for each name listed in {@code knowledge/python/packs.txt}. */
  @Override
  public List<String> knowledgePacks() {
    ClassLoader loader = PythonFrontend.class.getClassLoader();
    try (InputStream in = loader.getResourceAsStream(PACK_LIST)) {
      if (in == null) {
        return List.of();
      }
      List<String> out = new ArrayList<>();
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        int hash = line.indexOf('#');
        String name = (hash >= 0 ? line.substring(0, hash) : line).strip();
        if (!name.isEmpty()) {
          out.add(PACK_FOLDER + name);
        }
      }
      return List.copyOf(out);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + PACK_LIST, e);
    }
  }

  @Override
  public PathConventions conventions() {
    return CONVENTIONS;
  }

  @Override
  public List<String> ignoredDirectories() {
    return IGNORED;
  }

  /** A virtualenv's marker file. */
  @Override
  public List<String> ignoredDirectoryMarkers() {
    return List.of("pyvenv.cfg");
  }

  /**
   * {@code noqa} without codes silences every rule on its line; with codes it silences a rule
   * named by its id, or by a flake8 plugin's or Ruff's code that the rule's card claims (the
   * flake8-async blocking-call codes, say).
   */
  @Override
  public boolean suppressesForeign(String text, String ruleId, Predicate<String> claimedCode) {
    if (text == null || text.length() < 4) {
      return false;
    }
    Matcher m = NOQA.matcher(text);
    while (m.find()) {
      String codes = m.group(1);
      if (codes == null) {
        return true;
      }
      for (String code : codes.split("[\\s,]+")) {
        if (code.equalsIgnoreCase(ruleId)) {
          return true;
        }
        if (claimedCode.test(code)) {
          return true;
        }
      }
    }
    return false;
  }

  private static final PythonSemantics SEMANTICS = new PythonSemantics();

  @Override
  public LanguageSemantics semantics() {
    return SEMANTICS;
  }

  /** {@code [tool.loopguard]} in {@code pyproject.toml}. */
  @Override
  public Map<String, String> configFiles() {
    return Map.of("pyproject.toml", "tool.loopguard");
  }

  @Override
  public String moduleName(String relativePath, Predicate<String> exists) {
    return ModuleNames.moduleName(relativePath, exists);
  }

  @Override
  public List<String> moduleAliases(String relativePath, Predicate<String> exists) {
    return ModuleNames.moduleAliases(relativePath, exists);
  }

  /** Rewrites of blocking calls in async functions ({@link PythonFixer}). */
  @Override
  public FixOutcome fixes(String path, String text, List<FixSite> sites) {
    return new PythonFixer().fix(text, sites);
  }

  /** Python 3's import roots: the project root, src layouts, declared package folders. */
  @Override
  public dev.loopguard.core.frontend.ModuleNamer moduleNamer(dev.loopguard.core.frontend.ProjectFiles files) {
    return new dev.loopguard.python.lower.ImportRoots(files);
  }

  /** Stack of the thread that retries a file whose lowering overflowed the caller's stack. */
  static final long DEEP_FILE_STACK = 256L * 1024 * 1024;

  @Override
  public ModuleIr lower(SourceFile file) {
    return read(file);
  }

  /** The file's outline: only its lines are counted; it is neither decoded nor parsed. */
  @Override
  public ModuleIr outline(SourceFile file) {
    String path = pathOf(file);
    byte[] content = file.content() == null ? new byte[0] : file.content();
    return ModuleIr.outline(path, moduleOf(file, path), aliasesOf(file), id(),
        ModuleNames.isPackageInit(path), SourceText.lineCountOf(content));
  }

  private static String pathOf(SourceFile file) {
    return file.path() == null ? "" : file.path();
  }

  private static String moduleOf(SourceFile file, String path) {
    return file.module() == null || file.module().isBlank()
        ? ModuleNames.moduleName(path, p -> false) : file.module();
  }

  private static List<String> aliasesOf(SourceFile file) {
    return file.aliases() == null ? List.of() : file.aliases();
  }

  private ModuleIr read(SourceFile file) {
    String path = pathOf(file);
    String module = moduleOf(file, path);
    List<String> aliases = aliasesOf(file);
    boolean packageInit = ModuleNames.isPackageInit(path);
    Attempt first = new Attempt(file.content(), path, module, aliases, packageInit);
    try {
      return first.run();
    } catch (StackOverflowError e) {
      // Within the parser's limits the tree is bounded but may be deep for a small thread
      // stack: retry once on a thread of our own with a large stack.
      Attempt retry = new Attempt(file.content(), path, module, aliases, packageInit);
      Object[] out = new Object[1];
      Thread t = new Thread(null, () -> {
        try {
          out[0] = retry.run();
        } catch (Throwable x) {
          out[0] = x;
        }
      }, "loopguard-deep-file", DEEP_FILE_STACK);
      t.setDaemon(true);
      t.start();
      try {
        t.join();
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        return retry.failed("internal-error", "Interrupted while reading the file.");
      }
      if (out[0] instanceof ModuleIr ir) {
        return ir;
      }
      if (out[0] instanceof StackOverflowError) {
        return retry.failed("too-deep", "The file is nested too deeply to analyse.");
      }
      return retry.failed("internal-error", "Internal error while reading the file: " + out[0]);
    } catch (RuntimeException | LinkageError | AssertionError e) {
      return first.failed("internal-error", "Internal error while reading the file: " + e);
    }
  }

  /** One try at decoding, parsing and lowering a file; keeps what it got for a failure IR. */
  private final class Attempt {
    private final byte[] content;
    private final String path;
    private final String module;
    private final List<String> aliases;
    private final boolean packageInit;
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private String source;
    private ParseResult parsed;

    Attempt(byte[] content, String path, String module, List<String> aliases,
        boolean packageInit) {
      this.content = content;
      this.path = path;
      this.module = module;
      this.aliases = aliases;
      this.packageInit = packageInit;
    }

    ModuleIr run() {
      SourceDecoder.Decoded decoded = SourceDecoder.decode(content, path);
      diagnostics.addAll(decoded.diagnostics());
      source = decoded.text();
      parsed = parser.apply(source);
      return ModuleLowering.lower(parsed, source, path, module, aliases, packageInit,
          diagnostics);
    }

    /** The module scope, the directives when the comments are known, and the diagnostics. */
    ModuleIr failed(String kind, String message) {
      diagnostics.add(new Diagnostic(path, 0, 0, kind, message));
      try {
        return ModuleLowering.moduleOnly(path, module, aliases, packageInit, source, parsed,
            diagnostics);
      } catch (RuntimeException e) {
        return ModuleLowering.moduleOnly(path, module, aliases, packageInit, "", null,
            diagnostics);
      }
    }
  }

  /**
   * The runtime detector: a {@code sitecustomize} module and the {@code loopguard_runtime}
   * package (standard library only, Python 3.8 to 3.13), first on {@code PYTHONPATH}; its pytest
   * plugin is added to {@code PYTEST_PLUGINS}.
   */
  @Override
  public Optional<RuntimeBootstrap> runtimeBootstrap() {
    return Optional.of(new RuntimeBootstrap("runtime/python/",
        List.of("sitecustomize.py", "loopguard_runtime/__init__.py", "loopguard_runtime/detector.py",
            "loopguard_runtime/patches.py", "loopguard_runtime/pytest_plugin.py"),
        "PYTHONPATH", Map.of("PYTEST_PLUGINS", "loopguard_runtime.pytest_plugin")));
  }

  /** Home Assistant, asyncio debug mode, blockbuster and pyleak logs. */
  @Override
  public List<EvidenceParser> evidenceParsers() {
    return List.of(new HomeAssistantLog(), new AsyncioDebugLog(), new BlockbusterLog(), new PyleakLog());
  }
}
