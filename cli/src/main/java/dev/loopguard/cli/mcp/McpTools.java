package dev.loopguard.cli.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.loopguard.cli.OnlyFiles;
import dev.loopguard.core.config.Settings;
import dev.loopguard.core.config.ScanOptions;
import dev.loopguard.core.diff.review.Review;
import dev.loopguard.core.diff.review.ReviewJson;
import dev.loopguard.core.diff.review.ReviewResult;
import dev.loopguard.core.diff.review.ReviewSources;
import dev.loopguard.core.engine.Knowledge;
import dev.loopguard.core.engine.Pipeline;
import dev.loopguard.core.frontend.Frontends;
import dev.loopguard.core.frontend.LanguageFrontend;
import dev.loopguard.core.knowledge.Fact;
import dev.loopguard.core.knowledge.FactIndex;
import dev.loopguard.core.report.Reporters;
import dev.loopguard.core.rules.Rule;
import dev.loopguard.core.rules.Rules;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the MCP tools do, on the one pipeline the commands use: each takes the tool's arguments (a
 * JSON object, as the SDK hands it over) and returns the JSON text of the answer, or throws
 * {@link ToolException} for input it cannot act on (the server turns that into a tool error).
 */
public final class McpTools {
  /** The scan formats a tool call may ask for (the scan command's, but html). */
  static final List<String> SCAN_FORMATS = List.of("json", "sarif", "text", "github", "audit", "inventory");

  /** A tool call whose arguments cannot be acted on; its message says why, in one sentence. */
  public static final class ToolException extends RuntimeException {
    public ToolException(String message) {
      super(message);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path cwd;
  private final Knowledge knowledge;

  /** Tools resolving relative paths against {@code cwd}, loading knowledge through {@code knowledge}. */
  public McpTools(Path cwd, Knowledge knowledge) {
    this.cwd = cwd;
    this.knowledge = knowledge;
  }

  /** {@code scan}: the report of a scan of {@code path} (JSON by default). */
  public String scan(Map<String, Object> args) {
    String format = optString(args, "format", "json");
    if (!SCAN_FORMATS.contains(format)) {
      throw new ToolException("format takes one of " + String.join(", ", SCAN_FORMATS) + " (got " + format + ")");
    }
    Path target = folderOrFile(args, "path");
    Settings settings = settings(args, target, null);
    List<String> only = optStrings(args, "only");
    OnlyFiles scope;
    try {
      scope = only.isEmpty() ? null
          : OnlyFiles.of(only.stream().map(Path::of).toList(), cwd, settings.root());
    } catch (IllegalArgumentException e) {
      throw new ToolException(e.getMessage().replace("--only", "only"));
    }
    Pipeline pipeline = new Pipeline(settings, knowledge);
    Pipeline.Outcome outcome = pipeline.scan(new Pipeline.Request(optBool(args, "cache", true), null, false,
        scope, List.of(), cwd, n -> {}, n -> {}));
    StringWriter w = new StringWriter();
    try {
      Reporters.create(format, false).write(pipeline.report(outcome, false, null), w);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  /** {@code review}: the verdict on a change (git revisions, the staged change, or a diff) as ReviewJson. */
  public String review(Map<String, Object> args) {
    Path folder = folderOrFile(args, "path");
    if (!Files.isDirectory(folder)) {
      throw new ToolException(folder + " is not a folder");
    }
    String base = optString(args, "base", null);
    String head = optString(args, "head", null);
    boolean staged = optBool(args, "staged", false);
    String diff = optString(args, "diff", null);
    boolean mergeBase = optBool(args, "mergeBase", true);
    if (diff != null && (base != null || head != null || staged)) {
      throw new ToolException("diff reviews a patch: it does not go with base, head or staged");
    }
    if (staged && head != null) {
      throw new ToolException("staged reviews the index: it does not go with head");
    }
    Settings settings = settings(args, folder, folder);
    Pipeline pipeline = new Pipeline(settings, knowledge);
    ScanOptions options = pipeline.reviewOptions();
    Review review = pipeline.review();
    ReviewResult result;
    try (ReviewSources.Sides sides = diff != null
        ? ReviewSources.fromDiff(folder, diff.getBytes(StandardCharsets.UTF_8), review.walker(options))
        : staged ? ReviewSources.fromGitIndex(folder, base, mergeBase, review.walker(options))
        : ReviewSources.fromGit(folder, base, head, mergeBase, review.walker(options))) {
      result = review.run(sides, options);
    } catch (ReviewSources.SourceException e) {
      throw new ToolException(e.getMessage());
    }
    StringWriter w = new StringWriter();
    try {
      ReviewJson.write(result, false, w);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  /** {@code explain}: a rule's card. */
  public String explain(Map<String, Object> args) {
    String id = requireString(args, "rule");
    Rule rule = Rules.byId(id);
    if (rule == null) {
      throw new ToolException("no rule '" + id + "'; the rules are "
          + String.join(", ", Rules.all().stream().map(Rule::id).toList()));
    }
    return json(rule.card());
  }

  /**
   * {@code knowledge}: the fact with an id, or the fact that governs an API name (with the
   * project's own facts when {@code path} names it).
   */
  public String knowledge(Map<String, Object> args) {
    String id = optString(args, "id", null);
    String api = optString(args, "api", null);
    if ((id == null) == (api == null)) {
      throw new ToolException("say either id (a fact id, e.g. py:requests.api) or api (a qualified name, e.g. requests.get)");
    }
    FactIndex facts;
    if (args.get("path") != null) {
      Path target = folderOrFile(args, "path");
      facts = new Pipeline(settings(args, target, null), knowledge).facts();
    } else {
      facts = knowledge.load(List.of(), Set.of());
    }
    Fact f = id != null ? facts.byId(id) : facts.lookup(api);
    if (f == null) {
      throw new ToolException(id != null
          ? "no fact '" + id + "'"
          : "no fact describes " + api + " (loopguard treats it as unknown: neither blocking nor safe)");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    if (api != null) {
      out.put("api", api);
    }
    out.put("id", f.id());
    out.put("pack", f.pack());
    out.put("source", f.source());
    out.put("match", f.match());
    out.put("kind", f.kind().yamlName());
    put(out, "category", f.category());
    put(out, "replacement", api != null ? f.replacementFor(api) : f.replacement());
    put(out, "returns", f.returns());
    put(out, "callableArg", f.callableArg());
    put(out, "callableKeyword", f.callableKeyword());
    put(out, "entry", f.entry());
    put(out, "appliesTo", f.appliesTo());
    put(out, "syncHandler", f.syncHandler());
    put(out, "defaultTimeout", f.defaultTimeout());
    put(out, "timeoutKeyword", f.timeoutKeyword());
    put(out, "confidence", f.confidence());
    put(out, "reference", f.reference());
    put(out, "note", f.note());
    if (f.nonBlockingIf() != null && !f.nonBlockingIf().isEmpty()) {
      out.put("nonBlockingIf", f.nonBlockingIf());
    }
    return json(out);
  }

  private Settings settings(Map<String, Object> args, Path target, Path reportRoot) {
    List<LanguageFrontend> frontends = Frontends.all();
    String config = optString(args, "config", null);
    Settings.Overrides o = new Settings.Overrides(reportRoot, config == null ? null : cwd.resolve(config),
        optBool(args, "noConfig", false), optStrings(args, "include"), List.of(), optStrings(args, "exclude"),
        optStrings(args, "rules"), optStrings(args, "disableFacts"), List.of(), 0, true,
        optString(args, "minConfidence", null), optString(args, "minPriority", null), null);
    try {
      return Settings.resolve(frontends, cwd, List.of(target), o);
    } catch (RuntimeException e) {
      // configuration errors (a bad file, a bad option value) are the caller's to fix
      throw new ToolException(e.getMessage() != null ? e.getMessage() : e.toString());
    }
  }

  private Path folderOrFile(Map<String, Object> args, String key) {
    Path p;
    try {
      p = cwd.resolve(requireString(args, key)).toAbsolutePath().normalize();
    } catch (java.nio.file.InvalidPathException e) {
      throw new ToolException(key + ": not a path (" + e.getMessage() + ")");
    }
    if (!Files.exists(p)) {
      throw new ToolException(key + ": " + p + " does not exist");
    }
    return p;
  }

  private static void put(Map<String, Object> out, String k, Object v) {
    if (v != null) {
      out.put(k, v);
    }
  }

  private static String json(Object o) {
    try {
      return JSON.writeValueAsString(o) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String requireString(Map<String, Object> args, String key) {
    String s = optString(args, key, null);
    if (s == null || s.isBlank()) {
      throw new ToolException("missing argument '" + key + "'");
    }
    return s;
  }

  static String optString(Map<String, Object> args, String key, String dflt) {
    Object v = args == null ? null : args.get(key);
    if (v == null) {
      return dflt;
    }
    if (!(v instanceof String s)) {
      throw new ToolException("argument '" + key + "' must be a string");
    }
    return s;
  }

  static boolean optBool(Map<String, Object> args, String key, boolean dflt) {
    Object v = args == null ? null : args.get(key);
    if (v == null) {
      return dflt;
    }
    if (!(v instanceof Boolean b)) {
      throw new ToolException("argument '" + key + "' must be true or false");
    }
    return b;
  }

  static List<String> optStrings(Map<String, Object> args, String key) {
    Object v = args == null ? null : args.get(key);
    if (v == null) {
      return List.of();
    }
    if (v instanceof String s) {
      return List.of(s);
    }
    if (!(v instanceof List<?> l) || !l.stream().allMatch(String.class::isInstance)) {
      throw new ToolException("argument '" + key + "' must be a list of strings");
    }
    List<String> out = new ArrayList<>();
    l.forEach(x -> out.add((String) x));
    return out;
  }
}
