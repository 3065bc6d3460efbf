package dev.loopguard.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.loopguard.core.frontend.LanguageFrontend;
import dev.loopguard.core.knowledge.Fact;
import dev.loopguard.core.knowledge.FactKind;
import dev.loopguard.core.knowledge.NamePattern;
import dev.loopguard.core.model.Confidence;
import dev.loopguard.core.model.Priority;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Finds and reads the configuration: {@code loopguard.toml} (keys at the top level), or the table a
 * frontend names in one of its project files ({@link LanguageFrontend#configFiles()}). Every
 * problem is a {@link ConfigException} naming the file and the key.
 */
public final class ConfigLoader {
  /** The language-neutral configuration file. */
  public static final String FILE = "loopguard.toml";

  static final List<String> KEYS = List.of("include", "exclude", "include-contexts", "paths",
      "min-confidence", "min-priority", "fail-on", "blocking", "offloaders", "knowledge",
      "disable-facts", "rules", "disable-rules");
  static final List<String> POLICY_KEYS = List.of("report", "priority", "min-confidence");
  static final List<String> BLOCKING_KEYS = List.of("suggestion", "category", "reference");
  /** Categories of blocking facts (as in knowledge packs). */
  static final Set<String> CATEGORIES = new LinkedHashSet<>(List.of("http", "sleep", "file",
      "subprocess", "process-wait", "input", "network", "db", "sdk", "thread-wait", "cpu", "other"));

  private final List<LanguageFrontend> frontends;
  // Made when a file is read: most scans find no configuration file.
  private TomlMapper toml;

  public ConfigLoader(List<LanguageFrontend> frontends) {
    this.frontends = frontends;
  }

  /**
   * The configuration that applies to {@code start}: the nearest folder from {@code start} upward
   * holding {@code loopguard.toml} or a project file with loopguard's table. The search stops at
   * the top of the repository (a folder holding {@code .git}). Null when there is none.
   */
  public Config discover(Path start) {
    Path dir = start.toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      dir = dir.getParent();
    }
    while (dir != null) {
      Config c = readIn(dir);
      if (c != null) {
        return c;
      }
      if (Files.exists(dir.resolve(".git"))) {
        return null;
      }
      dir = dir.getParent();
    }
    return null;
  }

  private Config readIn(Path dir) {
    Path own = dir.resolve(FILE);
    if (Files.isRegularFile(own)) {
      return load(own);
    }
    for (LanguageFrontend fe : frontends) {
      for (Map.Entry<String, String> e : fe.configFiles().entrySet()) {
        Path f = dir.resolve(e.getKey());
        if (Files.isRegularFile(f)) {
          JsonNode table = at(parse(f), e.getValue());
          if (table != null) {
            return read(f, e.getValue(), table);
          }
        }
      }
    }
    return null;
  }

  /**
   * Reads {@code file}: a frontend's project file is read at its table (which must exist), any
   * other file at the top level.
   */
  /** The largest configuration file read. */
  static final long MAX_CONFIG_BYTES = 16L << 20;

  public Config load(Path file) {
    Path f = file.toAbsolutePath().normalize();
    if (!Files.exists(f)) {
      throw new ConfigException(file + ": no such configuration file");
    }
    if (!Files.isRegularFile(f)) {
      throw new ConfigException(file + ": the configuration file is not a regular file");
    }
    String name = f.getFileName().toString();
    for (LanguageFrontend fe : frontends) {
      String table = fe.configFiles().get(name);
      if (table != null) {
        JsonNode node = at(parse(f), table);
        if (node == null) {
          throw new ConfigException(f + ": has no [" + table + "] table");
        }
        return read(f, table, node);
      }
    }
    return read(f, "", parse(f));
  }

  private JsonNode parse(Path f) {
    byte[] bytes;
    try {
      bytes = dev.loopguard.core.fs.RegularFiles.read(f, MAX_CONFIG_BYTES);
    } catch (IOException e) {
      throw new ConfigException(f + ": cannot read the file: " + e.getMessage(), e);
    }
    try {
      if (toml == null) {
        toml = new TomlMapper();
      }
      JsonNode n = toml.readTree(bytes);
      return n == null ? toml.createObjectNode() : n;
    } catch (StreamReadException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new ConfigException(f + (line > 0 ? ":" + line : "") + ": not valid TOML: "
          + firstLine(e.getOriginalMessage()), e);
    } catch (JsonProcessingException e) {
      throw new ConfigException(f + ": not valid TOML: " + firstLine(e.getOriginalMessage()), e);
    } catch (IOException e) {
      throw new ConfigException(f + ": cannot read the file: " + e.getMessage(), e);
    }
  }

  private static JsonNode at(JsonNode root, String dotted) {
    JsonNode n = root;
    for (String part : dotted.split("\\.")) {
      n = n == null ? null : n.get(part);
    }
    return n;
  }

  /** Reads the configuration table {@code node} of {@code file}. */
  Config read(Path file, String table, JsonNode node) {
    Where w = new Where(file, table);
    if (!node.isObject()) {
      throw new ConfigException(file + ": [" + table + "] must be a table");
    }
    checkKeys(node, KEYS, w, null);
    Path dir = file.getParent();
    List<String> include = globs(strings(node, "include", w), w, "include");
    List<String> exclude = globs(strings(node, "exclude", w), w, "exclude");
    Set<String> contexts = new LinkedHashSet<>();
    for (String c : strings(node, "include-contexts", w)) {
      String k = Settings.context(c);
      if (k == null) {
        throw w.error("include-contexts", "each must be one of " + String.join(", ", Settings.CONTEXTS)
            + " (got \"" + c + "\")");
      }
      contexts.add(k);
    }
    Confidence minConfidence = node.has("min-confidence")
        ? confidence(node.get("min-confidence"), w, "min-confidence")
        : Config.DEFAULT_MIN_CONFIDENCE;
    Priority minPriority = node.has("min-priority")
        ? priority(node.get("min-priority"), w, "min-priority") : Priority.P3;
    FailOn failOn = node.has("fail-on") ? failOn(node.get("fail-on"), w) : FailOn.ANY;
    List<PathPolicy> policies = policies(node.get("paths"), w);
    List<Fact> facts = new ArrayList<>();
    facts.addAll(blocking(node.get("blocking"), w));
    facts.addAll(offloaders(node.get("offloaders"), w));
    List<Path> knowledge = new ArrayList<>();
    for (String k : strings(node, "knowledge", w)) {
      Path p = dir.resolve(k).normalize();
      if (!Files.isRegularFile(p)) {
        throw w.error("knowledge", "no such knowledge pack file: " + k);
      }
      knowledge.add(p);
    }
    Set<String> disabled = new LinkedHashSet<>(strings(node, "disable-facts", w));
    Set<String> rules = ruleIds(strings(node, "rules", w), w, "rules");
    Set<String> disabledRules = ruleIds(strings(node, "disable-rules", w), w, "disable-rules");
    return new Config(file, table, List.copyOf(include), List.copyOf(exclude), Set.copyOf(contexts),
        List.copyOf(policies), minConfidence, minPriority, failOn, List.copyOf(facts),
        List.copyOf(knowledge), Set.copyOf(disabled), rules, disabledRules);
  }

  /** Rule ids as the rules spell them; an unknown id is an error naming {@code key}. */
  private static Set<String> ruleIds(List<String> ids, Where w, String key) {
    Set<String> out = new LinkedHashSet<>();
    for (String id : ids) {
      dev.loopguard.core.rules.Rule rule = dev.loopguard.core.rules.Rules.byId(id);
      if (rule == null) {
        throw w.error(key, "no such rule: " + id + "; 'loopguard rules' lists them");
      }
      out.add(rule.id());
    }
    return Set.copyOf(out);
  }

  /** {@code globs}, each checked to compile; an error names {@code key} and the problem. */
  private static List<String> globs(List<String> globs, Where w, String key) {
    for (String g : globs) {
      try {
        dev.loopguard.core.analysis.PathGlob.compile(g);
      } catch (IllegalArgumentException e) {
        throw w.error(key, "not a valid glob: " + e.getMessage());
      }
    }
    return globs;
  }

  private static List<PathPolicy> policies(JsonNode node, Where w) {
    List<PathPolicy> out = new ArrayList<>();
    if (node == null) {
      return out;
    }
    if (!node.isObject()) {
      throw w.error("paths", "must be a table of path globs to policies, e.g. "
          + "paths = { \"tests/**\" = { report = true, priority = \"P3\" } }");
    }
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = "paths.\"" + e.getKey() + "\"";
      globs(List.of(e.getKey()), w, key);
      JsonNode p = e.getValue();
      if (!p.isObject()) {
        throw w.error(key, "must be a table with report, priority or min-confidence");
      }
      checkKeys(p, POLICY_KEYS, w, key);
      Boolean report = null;
      if (p.has("report")) {
        if (!p.get("report").isBoolean()) {
          throw w.error(key + ".report", "must be true or false");
        }
        report = p.get("report").booleanValue();
      }
      Priority priority = p.has("priority") ? priority(p.get("priority"), w, key + ".priority") : null;
      Confidence conf = p.has("min-confidence")
          ? confidence(p.get("min-confidence"), w, key + ".min-confidence") : null;
      out.add(new PathPolicy(e.getKey(), report, priority, conf));
    }
    return out;
  }

  private static List<Fact> blocking(JsonNode node, Where w) {
    List<Fact> out = new ArrayList<>();
    if (node == null) {
      return out;
    }
    if (!node.isObject()) {
      throw w.error("blocking", "must be a table of name patterns to suggestions, e.g. "
          + "blocking = { \"mylib.fetch\" = \"mylib.aio.fetch\" }");
    }
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String pattern = e.getKey();
      String key = "blocking.\"" + pattern + "\"";
      checkPattern(pattern, w, key);
      JsonNode v = e.getValue();
      String suggestion;
      String category = "other";
      String reference = null;
      if (v.isTextual()) {
        suggestion = v.textValue();
      } else if (v.isObject()) {
        checkKeys(v, BLOCKING_KEYS, w, key);
        suggestion = text(v, "suggestion", w, key);
        String c = text(v, "category", w, key);
        if (c != null) {
          if (!CATEGORIES.contains(c)) {
            throw w.error(key + ".category", "must be one of " + String.join(", ", CATEGORIES)
                + " (got \"" + c + "\")");
          }
          category = c;
        }
        reference = text(v, "reference", w, key);
      } else {
        throw w.error(key, "must be a suggestion (a string) or a table with suggestion, category, reference");
      }
      if (suggestion != null && suggestion.isBlank()) {
        suggestion = null;
      }
      out.add(new Fact("config:blocking:" + pattern, List.of(pattern), FactKind.BLOCKING, category,
          suggestion, reference, null, null, null, null, null, null, null, null, null, null,
          "config", w.file.toString()));
    }
    return out;
  }

  private static List<Fact> offloaders(JsonNode node, Where w) {
    List<Fact> out = new ArrayList<>();
    if (node == null) {
      return out;
    }
    Map<String, JsonNode> entries = new LinkedHashMap<>();
    if (node.isArray()) {
      for (JsonNode x : node) {
        if (!x.isTextual()) {
          throw w.error("offloaders", "must be a list of name patterns, or a table of name patterns to the "
              + "callable's position (a number) or keyword (a string)");
        }
        entries.put(x.textValue(), null);
      }
    } else if (node.isObject()) {
      node.fields().forEachRemaining(e -> entries.put(e.getKey(), e.getValue()));
    } else {
      throw w.error("offloaders", "must be a list of name patterns, or a table of name patterns to the "
          + "callable's position (a number) or keyword (a string)");
    }
    for (Map.Entry<String, JsonNode> e : entries.entrySet()) {
      String pattern = e.getKey();
      String key = "offloaders.\"" + pattern + "\"";
      checkPattern(pattern, w, node.isArray() ? "offloaders" : key);
      Integer arg = 0;
      String keyword = null;
      JsonNode v = e.getValue();
      if (v != null) {
        if (v.isIntegralNumber() && v.canConvertToInt() && v.intValue() >= 0) {
          arg = v.intValue();
        } else if (v.isTextual() && !v.textValue().isBlank()) {
          arg = null;
          keyword = v.textValue();
        } else {
          throw w.error(key, "must be the callable's position (a number from 0) or keyword (a string)");
        }
      }
      out.add(new Fact("config:offloads:" + pattern, List.of(pattern), FactKind.OFFLOADS, null, null,
          null, null, arg, keyword, null, null, null, null, null, null, null, "config",
          w.file.toString()));
    }
    return out;
  }

  private static void checkPattern(String pattern, Where w, String key) {
    try {
      NamePattern.compile(pattern);
    } catch (IllegalArgumentException ex) {
      throw w.error(key, "bad name pattern \"" + pattern + "\": " + ex.getMessage());
    }
    if (pattern.isBlank()) {
      throw w.error(key, "the name pattern is empty");
    }
  }

  private static Confidence confidence(JsonNode v, Where w, String key) {
    if (v.isTextual()) {
      String t = v.textValue().trim().toLowerCase(Locale.ROOT);
      if (Set.of("high", "medium", "low").contains(t)) {
        return Confidence.parse(t);
      }
    }
    throw w.error(key, "must be \"high\", \"medium\" or \"low\" (got " + v + ")");
  }

  private static Priority priority(JsonNode v, Where w, String key) {
    if (v.isTextual()) {
      String t = v.textValue().trim().toUpperCase(Locale.ROOT);
      if (Set.of("P0", "P1", "P2", "P3").contains(t)) {
        return Priority.parse(t);
      }
    }
    throw w.error(key, "must be \"P0\", \"P1\", \"P2\" or \"P3\" (got " + v + ")");
  }

  private static FailOn failOn(JsonNode v, Where w) {
    if (v.isTextual()) {
      FailOn f = FailOn.parseWord(v.textValue());
      if (f != null) {
        return f;
      }
    } else if (v.isObject()) {
      checkKeys(v, List.of("priority", "confidence"), w, "fail-on");
      Priority p = v.has("priority") ? priority(v.get("priority"), w, "fail-on.priority") : Priority.P3;
      Confidence c = v.has("confidence") ? confidence(v.get("confidence"), w, "fail-on.confidence")
          : Confidence.LOW;
      return new FailOn(p, c, false);
    }
    throw w.error("fail-on", "must be \"any\", \"never\", a priority (\"P1\"), a confidence (\"medium\")"
        + " or a table { priority = \"P1\", confidence = \"medium\" } (got " + v + ")");
  }

  private static List<String> strings(JsonNode node, String key, Where w) {
    JsonNode v = node.get(key);
    if (v == null) {
      return List.of();
    }
    if (!v.isArray()) {
      throw w.error(key, "must be a list of strings, e.g. " + key + " = [\"...\"]");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode x : v) {
      if (!x.isTextual()) {
        throw w.error(key, "must be a list of strings (got " + x + " in it)");
      }
      out.add(x.textValue());
    }
    return out;
  }

  private static String text(JsonNode node, String key, Where w, String parent) {
    JsonNode v = node.get(key);
    if (v == null) {
      return null;
    }
    if (!v.isTextual()) {
      throw w.error(parent + "." + key, "must be a string (got " + v + ")");
    }
    return v.textValue();
  }

  private static void checkKeys(JsonNode node, List<String> allowed, Where w, String parent) {
    Iterator<String> it = node.fieldNames();
    while (it.hasNext()) {
      String k = it.next();
      if (!allowed.contains(k)) {
        String fixed = k.replace('_', '-').toLowerCase(Locale.ROOT);
        String hint = !fixed.equals(k) && allowed.contains(fixed)
            ? "; did you mean '" + fixed + "'?"
            : " (known keys: " + String.join(", ", allowed) + ")";
        throw w.error(parent == null ? k : parent + "." + k, "unknown key" + hint);
      }
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).trim();
  }

  /** Names the file and table in messages. */
  private record Where(Path file, String table) {
    ConfigException error(String key, String problem) {
      String full = table.isEmpty() ? key : table + "." + key;
      return new ConfigException(file + ": " + full + ": " + problem);
    }
  }
}
