package dev.loopguard.core.diff;

import dev.loopguard.core.model.Cause;
import dev.loopguard.core.model.RootCause;
import java.util.HashSet;
import java.util.Set;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loopguard.core.Version;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.report.SourceLines;
import dev.loopguard.core.rules.Fingerprints;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;

/**
 * The findings a project has accepted for now, so that CI reports only new ones. An entry is
 * identified by its finding's key: rule, path, function, API and the shape of the chain, never
 * line numbers, so entries survive unrelated edits and line shifts. When a function holds several
 * findings with the same key, the text of the call's line tells them apart. It also holds the
 * findings' root causes: a finding whose every root cause is accepted is known, so a new path to an
 * accepted root cause (a new handler calling an old helper) is not reported as new.
 */
public final class Baseline {
  /** Format version written in the file. */
  public static final int VERSION = 1;
  private static final String MARKER = Version.NAME + "-baseline";

  /**
   * One accepted finding.
   *
   * @param key hash of the finding's identity without line numbers
   * @param snippet hash of the call's source line with whitespace collapsed ({@code ""} if unknown)
   * @param line where the finding was when the baseline was written (for people; not matched)
   */
  public record Entry(String key, String snippet, String rule, String path, String function,
      String api, int line) {}

  /**
   * The outcome of comparing findings with the baseline.
   *
   * @param fresh findings not in the baseline, in their order
   * @param known findings the baseline holds
   * @param gone baseline entries no finding matched (fixed or moved away)
   */
  public record Match(List<Finding> fresh, List<Finding> known, int gone) {}

  /**
   * One accepted root cause: every path to it is accepted, including paths added later. Matched
   * like a finding: by key and source text first, then by key alone.
   *
   * @param key hash of rule, file, holding function and API (no line numbers)
   * @param snippet hash of the operation's source line with whitespace collapsed
   * @param line where it was when the baseline was written (for people; not matched)
   * @param paths how many paths reached it then (for people)
   */
  public record RootCauseEntry(String key, String snippet, String rule, String path,
      String function, String api, int line, int paths) {}

  private final List<Entry> entries;
  private final List<RootCauseEntry> rootCauses;

  public Baseline(List<Entry> entries) {
    this(entries, List.of());
  }

  public Baseline(List<Entry> entries, List<RootCauseEntry> rootCauses) {
    this.entries = List.copyOf(entries);
    this.rootCauses = List.copyOf(rootCauses);
  }

  public List<RootCauseEntry> rootCauses() {
    return rootCauses;
  }

  public List<Entry> entries() {
    return entries;
  }

  /** A baseline holding {@code findings}; {@code src} reads their source lines. */
  public static Baseline of(List<Finding> findings, SourceLines src) {
    List<Entry> out = new ArrayList<>();
    for (Finding f : findings) {
      out.add(new Entry(key(f), snippet(f, src), f.rule(), f.path(), f.function(), f.subject(), f.line()));
    }
    List<RootCauseEntry> causes = new ArrayList<>();
    for (RootCause rc : RootCause.of(findings)) {
      if (!rc.findings().get(0).causes().isEmpty()) {
        causes.add(new RootCauseEntry(causeKey(rc.rule(), rc.path(), rc.function(), rc.api()),
            snippet(rc.path(), rc.line(), src), rc.rule(), rc.path(), rc.function(), rc.api(),
            rc.line(), rc.paths()));
      }
    }
    causes.sort(java.util.Comparator.comparing(RootCauseEntry::path)
        .thenComparingInt(RootCauseEntry::line).thenComparing(RootCauseEntry::key));
    return new Baseline(out, causes);
  }

  /**
   * The root causes of {@code findings} the baseline accepts, as {@code rule + '\0' + id}: each
   * entry accepts one root cause, of the same key on the same source text if there is one, else
   * of the same key.
   */
  private Set<String> acceptedCauses(List<Finding> findings, SourceLines src) {
    Map<String, LinkedList<RootCauseEntry>> byKey = new HashMap<>();
    for (RootCauseEntry e : rootCauses) {
      byKey.computeIfAbsent(e.key(), k -> new LinkedList<>()).add(e);
    }
    Set<String> accepted = new HashSet<>();
    if (byKey.isEmpty()) {
      return accepted;
    }
    Map<String, Cause> distinct = new java.util.TreeMap<>();
    for (Finding f : findings) {
      for (Cause c : f.causes()) {
        distinct.putIfAbsent(f.rule() + '\0' + c.id(), c);
      }
    }
    List<String> ids = new ArrayList<>(distinct.keySet());
    String[] keys = new String[ids.size()];
    for (int i = 0; i < keys.length; i++) {
      String id = ids.get(i);
      Cause c = distinct.get(id);
      keys[i] = causeKey(id.substring(0, id.indexOf('\0')), c.path(), c.function(), c.api());
    }
    boolean[] matched = pair(keys, i -> {
      Cause c = distinct.get(ids.get(i));
      return snippet(c.path(), c.line(), src);
    }, byKey, RootCauseEntry::snippet);
    for (int i = 0; i < matched.length; i++) {
      if (matched[i]) {
        accepted.add(ids.get(i));
      }
    }
    return accepted;
  }

  /**
   * Pairs items with the entries of {@code byKey} one to one (the entries paired are removed):
   * first the same key on the same line text, then the same key anywhere. {@code snippetOf} gives
   * an item's line text ({@code ""} when unknown), read only for items with candidates.
   */
  private static <E> boolean[] pair(String[] keys, java.util.function.IntFunction<String> snippetOf,
      Map<String, LinkedList<E>> byKey, java.util.function.Function<E, String> entrySnippet) {
    boolean[] matched = new boolean[keys.length];
    for (int i = 0; i < keys.length; i++) {
      LinkedList<E> candidates = byKey.get(keys[i]);
      if (candidates == null || candidates.isEmpty()) {
        continue;
      }
      String snippet = snippetOf.apply(i);
      if (snippet.isEmpty()) {
        continue;
      }
      for (Iterator<E> it = candidates.iterator(); it.hasNext(); ) {
        if (entrySnippet.apply(it.next()).equals(snippet)) {
          it.remove();
          matched[i] = true;
          break;
        }
      }
    }
    for (int i = 0; i < keys.length; i++) {
      LinkedList<E> candidates = byKey.get(keys[i]);
      if (!matched[i] && candidates != null && !candidates.isEmpty()) {
        candidates.removeFirst();
        matched[i] = true;
      }
    }
    return matched;
  }

  static String causeKey(String rule, String path, String function, String api) {
    return hash(rule + '\0' + path + '\0' + function + '\0' + api);
  }

  /** Compares {@code findings} with the baseline. */
  public Match match(List<Finding> findings, SourceLines src) {
    Map<String, LinkedList<Entry>> byKey = new HashMap<>();
    for (Entry e : entries) {
      byKey.computeIfAbsent(e.key(), k -> new LinkedList<>()).add(e);
    }
    int n = findings.size();
    String[] keys = new String[n];
    for (int i = 0; i < n; i++) {
      keys[i] = key(findings.get(i));
    }
    boolean[] matched = pair(keys, i -> snippet(findings.get(i), src), byKey, Entry::snippet);
    // A finding whose every root cause is accepted is known, whatever path it takes.
    Set<String> acceptedCauses = acceptedCauses(findings, src);
    List<Finding> fresh = new ArrayList<>();
    List<Finding> known = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Finding f = findings.get(i);
      boolean accepted = matched[i] || (!f.causes().isEmpty() && f.causes().stream()
          .allMatch(c -> acceptedCauses.contains(f.rule() + '\0' + c.id())));
      (accepted ? known : fresh).add(f);
    }
    int gone = byKey.values().stream().mapToInt(List::size).sum();
    return new Match(List.copyOf(fresh), List.copyOf(known), gone);
  }

  /** Writes the baseline as JSON (stable: the same findings give the same bytes). */
  public void write(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, toJson(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new BaselineException(file + ": cannot write the baseline: " + e.getMessage(), e);
    }
  }

  /** The baseline as JSON text. */
  public String toJson() {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
      g.setPrettyPrinter(new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n")));
      g.writeStartObject();
      g.writeNumberField(MARKER, VERSION);
      g.writeStringField("tool", Version.NAME);
      g.writeArrayFieldStart("findings");
      for (Entry e : entries) {
        g.writeStartObject();
        g.writeStringField("key", e.key());
        g.writeStringField("snippet", e.snippet());
        g.writeStringField("rule", e.rule());
        g.writeStringField("path", e.path());
        g.writeStringField("function", e.function());
        g.writeStringField("api", e.api());
        g.writeNumberField("line", e.line());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("rootCauses");
      for (RootCauseEntry e : rootCauses) {
        g.writeStartObject();
        g.writeStringField("key", e.key());
        g.writeStringField("snippet", e.snippet());
        g.writeStringField("rule", e.rule());
        g.writeStringField("path", e.path());
        g.writeStringField("function", e.function());
        g.writeStringField("api", e.api());
        g.writeNumberField("line", e.line());
        g.writeNumberField("paths", e.paths());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new BaselineException("cannot render the baseline: " + e.getMessage(), e);
    }
    return w + "\n";
  }

  /** Reads a baseline file; anything but a readable, well-formed baseline is an error. */
  public static Baseline read(Path file) {
    byte[] bytes;
    try {
      bytes = dev.loopguard.core.fs.RegularFiles.read(file, 256L << 20);
    } catch (IOException e) {
      throw new BaselineException(file + ": cannot read the baseline: " + reason(e), e);
    }
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(bytes);
    } catch (JsonProcessingException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new BaselineException(file + (line > 0 ? ":" + line : "") + ": the baseline is not valid JSON: "
          + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new BaselineException(file + ": cannot read the baseline: " + reason(e), e);
    }
    if (root == null || !root.isObject() || !root.has(MARKER)) {
      throw new BaselineException(file + ": not a loopguard baseline (no \"" + MARKER
          + "\" field); write one with 'loopguard baseline write FILE'");
    }
    JsonNode v = root.get(MARKER);
    if (!v.isInt() || v.intValue() < 1) {
      throw new BaselineException(file + ": \"" + MARKER + "\" must be a format version number (got " + v + ")");
    }
    if (v.intValue() > VERSION) {
      throw new BaselineException(file + ": the baseline has format version " + v.intValue()
          + ", newer than this loopguard reads (" + VERSION + ")");
    }
    JsonNode findings = root.get("findings");
    if (findings == null || !findings.isArray()) {
      throw new BaselineException(file + ": \"findings\" must be a list");
    }
    List<Entry> out = new ArrayList<>();
    int i = 0;
    for (JsonNode f : findings) {
      String where = file + ": findings[" + i++ + "]";
      if (!f.isObject()) {
        throw new BaselineException(where + ": an entry must be an object");
      }
      JsonNode key = f.get("key");
      if (key == null || !key.isTextual() || key.textValue().isEmpty()) {
        throw new BaselineException(where + ": missing \"key\"");
      }
      out.add(new Entry(key.textValue(), text(f, "snippet"), text(f, "rule"), text(f, "path"),
          text(f, "function"), text(f, "api"), f.path("line").asInt(0)));
    }
    List<RootCauseEntry> causes = new ArrayList<>();
    JsonNode rcs = root.get("rootCauses");
    if (rcs != null && !rcs.isArray()) {
      throw new BaselineException(file + ": \"rootCauses\" must be a list");
    }
    i = 0;
    for (JsonNode rc : rcs == null ? List.<JsonNode>of() : rcs) {
      String where = file + ": rootCauses[" + i++ + "]";
      JsonNode key = rc.get("key");
      if (!rc.isObject() || key == null || !key.isTextual() || key.textValue().isEmpty()
          || text(rc, "rule").isEmpty()) {
        throw new BaselineException(where + ": an entry must be an object with \"key\" and \"rule\"");
      }
      causes.add(new RootCauseEntry(key.textValue(), text(rc, "snippet"), text(rc, "rule"), text(rc, "path"),
          text(rc, "function"), text(rc, "api"), rc.path("line").asInt(0), rc.path("paths").asInt(0)));
    }
    return new Baseline(out, causes);
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v != null && v.isTextual() ? v.textValue() : "";
  }

  private static String reason(IOException e) {
    return e instanceof java.nio.file.NoSuchFileException ? "no such file"
        : e.getMessage() == null ? e.toString() : e.getMessage();
  }

  static String key(Finding f) {
    return hash(Fingerprints.key(f));
  }

  static String snippet(Finding f, SourceLines src) {
    return snippet(f.path(), f.line(), src);
  }

  static String snippet(String path, int lineNo, SourceLines src) {
    if (src == null) {
      return "";
    }
    String line = src.line(path, lineNo);
    if (line == null) {
      return "";
    }
    return hash(line.strip().replaceAll("\\s+", " "));
  }

  private static String hash(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
