package dev.loopguard.core.knowledge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads and validates knowledge packs (YAML). Every problem names the pack and the fact. */
public final class PackLoader {
  static final Set<String> CATEGORIES =
      Set.of("http", "sleep", "file", "subprocess", "process-wait", "input", "network", "db", "sdk",
          "thread-wait", "cpu", "other", "payload", "upload", "collection");
  /** What a {@code state} fact's API does to persisted state (see {@link FactKind#STATE}). */
  static final Set<String> STATE_CATEGORIES =
      Set.of("read", "write", "filtered-write", "conditional-write", "transaction");
  /** How a spawns fact's callable runs: see {@link FactKind#SPAWNS}. */
  static final List<String> SPAWN_CATEGORIES = List.of("task", "group", "thread");
  static final Set<String> ENTRIES =
      Set.of("request", "websocket", "stream", "per-message", "per-event", "background", "startup",
          "shutdown", "script", "cli", "test", "rare");
  private static final Set<String> FACT_KEYS =
      Set.of("id", "match", "kind", "category", "replacement", "reference", "returns",
          "callable-arg", "callable-keyword", "entry", "applies-to", "sync-handler",
          "default-timeout", "timeout-keyword", "confidence", "note", "non-blocking-if",
          "sync-handler-if", "timeout-arg", "effect");
  static final Set<String> EFFECTS = Set.of(Fact.SPAWNS_TASK, Fact.RUNS_LOOP, Fact.DETECTS_LOOP);
  /** Categories of request-data facts, which sized-work facts name in {@code applies-to}. */
  static final Set<String> REQUEST_DATA = Set.of("payload", "upload", "collection");
  private static final Set<String> PACK_KEYS = Set.of("pack", "language", "reference", "facts");

  // Made when a pack is read: a loader made for user packs often has none to read.
  private ObjectMapper yaml;

  /** Loads a pack from the class path of {@code loader}. */
  public List<Fact> loadResource(ClassLoader loader, String resource) {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new KnowledgeException("knowledge pack " + resource + " not found on the class path");
      }
      return parse(in.readAllBytes(), resource);
    } catch (IOException e) {
      throw new KnowledgeException("cannot read knowledge pack " + resource + ": " + e.getMessage(), e);
    }
  }

  /** Loads a user pack from a file. */
  public List<Fact> loadFile(Path file) {
    try {
      return parse(dev.loopguard.core.fs.RegularFiles.read(file, 64L << 20), file.toString());
    } catch (IOException e) {
      throw new KnowledgeException("cannot read knowledge pack " + file + ": " + e.getMessage(), e);
    }
  }

  /** Parses pack content; {@code source} names it in messages. */
  public List<Fact> parse(byte[] content, String source) {
    JsonNode root;
    try {
      if (yaml == null) {
        yaml = new ObjectMapper(new YAMLFactory());
      }
      root = yaml.readTree(content);
    } catch (IOException e) {
      throw new KnowledgeException(source + ": not valid YAML: " + firstLine(e.getMessage()), e);
    }
    if (root == null || !root.isObject()) {
      throw new KnowledgeException(source + ": a knowledge pack is a mapping with 'pack' and 'facts'");
    }
    checkKeys(root, PACK_KEYS, source, "pack");
    String pack = text(root, "pack");
    if (pack == null || pack.isBlank()) {
      throw new KnowledgeException(source + ": missing 'pack' (the pack's name)");
    }
    String packReference = text(root, "reference");
    JsonNode facts = root.get("facts");
    if (facts == null || !facts.isArray()) {
      throw new KnowledgeException(source + ": 'facts' must be a list");
    }
    List<Fact> out = new ArrayList<>();
    int index = 0;
    for (JsonNode f : facts) {
      index++;
      String where = source + ": fact #" + index;
      if (!f.isObject()) {
        throw new KnowledgeException(where + ": a fact is a mapping");
      }
      String id = text(f, "id");
      if (id != null) {
        where = source + ": fact " + id;
      }
      checkKeys(f, FACT_KEYS, source, where);
      if (id == null || id.isBlank()) {
        throw new KnowledgeException(where + ": missing 'id'");
      }
      List<String> match = new ArrayList<>();
      JsonNode m = f.get("match");
      if (m == null) {
        throw new KnowledgeException(where + ": missing 'match'");
      } else if (m.isArray()) {
        for (JsonNode x : m) {
          match.add(x.asText());
        }
      } else {
        match.add(m.asText());
      }
      for (String pattern : match) {
        try {
          NamePattern.compile(pattern);
        } catch (IllegalArgumentException e) {
          throw new KnowledgeException(where + ": bad match pattern '" + pattern + "': " + e.getMessage());
        }
      }
      String kindText = text(f, "kind");
      FactKind kind = kindText == null ? null : FactKind.fromYaml(kindText);
      if (kind == null) {
        throw new KnowledgeException(where + ": 'kind' must be one of blocking, non-blocking, offloads,"
            + " runs-on-loop, async-api, entry-point, partial, type, lock, client, memoises, state,"
            + " spawns, cancellation, cancels, request-data, sized-work, trip-count, fan-out, bound"
            + " (got " + kindText + ")");
      }
      String category = text(f, "category");
      if (kind == FactKind.BLOCKING && category == null) {
        throw new KnowledgeException(where + ": a blocking fact needs a 'category'");
      }
      if (kind == FactKind.REQUEST_DATA && !REQUEST_DATA.contains(String.valueOf(category))) {
        throw new KnowledgeException(where + ": a request-data fact needs 'category' payload, upload or collection");
      }
      if (kind == FactKind.SIZED_WORK && text(f, "applies-to") != null) {
        for (String c : text(f, "applies-to").split(",")) {
          if (!REQUEST_DATA.contains(c.trim())) {
            throw new KnowledgeException(where + ": 'applies-to' of a sized-work fact lists request-data"
                + " categories (payload, upload, collection), got '" + c.trim() + "'");
          }
        }
      }
      if (kind == FactKind.STATE) {
        if (category == null || !STATE_CATEGORIES.contains(category)) {
          throw new KnowledgeException(where + ": a state fact needs a 'category' (one of "
              + String.join(", ", STATE_CATEGORIES.stream().sorted().toList()) + ")");
        }
      } else if (kind == FactKind.SPAWNS) {
        if (category == null || !SPAWN_CATEGORIES.contains(category)) {
          throw new KnowledgeException(where + ": a spawns fact needs a 'category' (one of "
              + String.join(", ", SPAWN_CATEGORIES) + ")");
        }
      } else if (category != null && !CATEGORIES.contains(category)) {
        throw new KnowledgeException(where + ": unknown category '" + category + "' (one of "
            + String.join(", ", CATEGORIES.stream().sorted().toList()) + ")");
      }
      Integer callableArg = null;
      if (f.has("callable-arg")) {
        if (!f.get("callable-arg").canConvertToInt()) {
          throw new KnowledgeException(where + ": 'callable-arg' must be a whole number");
        }
        callableArg = f.get("callable-arg").asInt();
      }
      String callableKeyword = text(f, "callable-keyword");
      if ((kind == FactKind.OFFLOADS || kind == FactKind.RUNS_ON_LOOP || kind == FactKind.PARTIAL
          || kind == FactKind.SPAWNS)
          && callableArg == null && callableKeyword == null) {
        throw new KnowledgeException(where + ": a " + kind.yamlName()
            + " fact needs 'callable-arg' or 'callable-keyword'");
      }
      String entry = text(f, "entry");
      String appliesTo = text(f, "applies-to");
      if (kind == FactKind.ENTRY_POINT) {
        if (entry == null || !ENTRIES.contains(entry)) {
          throw new KnowledgeException(where + ": an entry-point fact needs 'entry' (one of "
              + String.join(", ", ENTRIES.stream().sorted().toList()) + ")");
        }
        if (appliesTo == null) {
          appliesTo = "decorator";
        }
        if (!Set.of("decorator", "call", "function").contains(appliesTo)) {
          throw new KnowledgeException(where + ": 'applies-to' must be decorator, call or function");
        }
        if (appliesTo.equals("call") && callableArg == null && callableKeyword == null) {
          throw new KnowledgeException(where + ": a registration entry point needs 'callable-arg' or 'callable-keyword'");
        }
      }
      String syncHandler = text(f, "sync-handler");
      if (syncHandler != null && !Set.of("threadpool", "loop").contains(syncHandler)) {
        throw new KnowledgeException(where + ": 'sync-handler' must be threadpool or loop");
      }
      String confidence = text(f, "confidence");
      if (confidence != null && !Set.of("high", "medium", "low").contains(confidence)) {
        throw new KnowledgeException(where + ": 'confidence' must be high, medium or low");
      }
      List<Fact.ArgCondition> conditions = conditions(f.get("non-blocking-if"), "non-blocking-if", where);
      List<Fact.ArgCondition> handlerConditions = conditions(f.get("sync-handler-if"), "sync-handler-if", where);
      if (!handlerConditions.isEmpty() && kind != FactKind.ENTRY_POINT) {
        throw new KnowledgeException(where + ": 'sync-handler-if' is for entry-point facts");
      }
      Integer timeoutArg = null;
      if (f.has("timeout-arg")) {
        if (!f.get("timeout-arg").canConvertToInt() || f.get("timeout-arg").asInt() < 0) {
          throw new KnowledgeException(where + ": 'timeout-arg' must be a whole number (0-based position)");
        }
        timeoutArg = f.get("timeout-arg").asInt();
      }
      String defaultTimeout = text(f, "default-timeout");
      if (defaultTimeout != null && !defaultTimeout.matches("none|client|\\d+(\\.\\d+)?(ms|s|min)")) {
        throw new KnowledgeException(where + ": 'default-timeout' must be none, client or a duration"
            + " such as 5s, 300s or 500ms (got " + defaultTimeout + ")");
      }
      String effect = text(f, "effect");
      if (effect != null && !EFFECTS.contains(effect)) {
        throw new KnowledgeException(where + ": 'effect' must be one of "
            + String.join(", ", EFFECTS.stream().sorted().toList()) + " (got " + effect + ")");
      }
      String reference = text(f, "reference");
      out.add(new Fact(id, List.copyOf(match), kind, category, text(f, "replacement"),
          reference != null ? reference : packReference, text(f, "returns"), callableArg,
          callableKeyword, entry, appliesTo, syncHandler, defaultTimeout,
          text(f, "timeout-keyword"), confidence, text(f, "note"), conditions, handlerConditions,
          effect, pack, source, timeoutArg));
    }
    return out;
  }

  /**
   * Argument conditions under {@code key}: {@code non-blocking-if} entries have arg / keyword and
   * equals / instance-of; {@code sync-handler-if} entries also name the sync-handler they imply.
   */
  private static List<Fact.ArgCondition> conditions(JsonNode node, String key, String where) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    boolean handler = key.equals("sync-handler-if");
    Set<String> allowed = handler
        ? Set.of("arg", "keyword", "equals", "instance-of", "sync-handler")
        : Set.of("arg", "keyword", "equals", "instance-of");
    String shape = "{arg, keyword, equals, instance-of" + (handler ? ", sync-handler}" : "}");
    if (!node.isArray()) {
      throw new KnowledgeException(where + ": '" + key + "' must be a list of " + shape);
    }
    List<Fact.ArgCondition> out = new ArrayList<>();
    for (JsonNode c : node) {
      if (!c.isObject()) {
        throw new KnowledgeException(where + ": '" + key + "' entries are mappings " + shape);
      }
      Iterator<String> keys = c.fieldNames();
      while (keys.hasNext()) {
        String k = keys.next();
        if (!allowed.contains(k)) {
          throw new KnowledgeException(where + ": '" + key + "' has unknown key '" + k + "'");
        }
      }
      Integer arg = null;
      if (c.has("arg")) {
        if (!c.get("arg").canConvertToInt()) {
          throw new KnowledgeException(where + ": '" + key + "' arg must be a whole number");
        }
        arg = c.get("arg").asInt();
      }
      String keyword = c.has("keyword") ? c.get("keyword").asText() : null;
      if (arg == null && keyword == null) {
        throw new KnowledgeException(where + ": '" + key + "' needs arg or keyword");
      }
      List<String> values = texts(c.get("equals"));
      List<String> types = texts(c.get("instance-of"));
      if (values.isEmpty() && types.isEmpty()) {
        throw new KnowledgeException(where + ": '" + key + "' needs equals or instance-of");
      }
      String syncHandler = null;
      if (handler) {
        syncHandler = c.has("sync-handler") ? c.get("sync-handler").asText() : null;
        if (syncHandler == null || !Set.of("threadpool", "loop").contains(syncHandler)) {
          throw new KnowledgeException(where + ": '" + key + "' entries need sync-handler: threadpool or loop");
        }
      }
      out.add(new Fact.ArgCondition(arg, keyword, values, types, syncHandler));
    }
    return List.copyOf(out);
  }

  /** A scalar or a list of scalars as texts; empty when absent. */
  private static List<String> texts(JsonNode node) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(v -> out.add(v.asText()));
    } else {
      out.add(node.asText());
    }
    return List.copyOf(out);
  }

  private static void checkKeys(JsonNode node, Set<String> allowed, String source, String where) {
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      String key = it.next().getKey();
      if (!allowed.contains(key)) {
        throw new KnowledgeException((where.startsWith(source) ? where : source + ": " + where)
            + ": unknown key '" + key + "'");
      }
    }
  }

  private static String text(JsonNode node, String key) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    return v.asText();
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
