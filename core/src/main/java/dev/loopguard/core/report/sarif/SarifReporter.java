package dev.loopguard.core.report.sarif;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import dev.loopguard.core.Version;
import dev.loopguard.core.result.ScanResult;
import dev.loopguard.core.result.UnusedSuppression;
import dev.loopguard.core.ir.Diagnostic;
import dev.loopguard.core.model.ChainHop;
import dev.loopguard.core.model.Confidence;
import dev.loopguard.core.model.Attributes;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.model.Cause;
import dev.loopguard.core.model.Observed;
import dev.loopguard.core.model.RootCause;
import dev.loopguard.core.report.RootCauses;
import dev.loopguard.core.model.Priority;
import dev.loopguard.core.report.Report;
import dev.loopguard.core.report.json.JsonReporter;
import dev.loopguard.core.report.Reporter;
import dev.loopguard.core.rules.Rule;
import dev.loopguard.core.rules.RuleCard;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * SARIF 2.1.0: one run, {@code rules[]} built from the rule cards, one result per finding with
 * the root causes it reaches as related locations (when not at the result's own location), one
 * code flow per root cause (its chain to it, when it goes through helpers), the root causes' ids
 * in {@code properties.rootCauses}, and its fingerprint (which has no line numbers) as a partial
 * fingerprint. Paths are relative to {@code %SRCROOT%}, the project root.
 */
public final class SarifReporter implements Reporter {
  static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
  static final String ROOT = "%SRCROOT%";
  static final String FINGERPRINT = "loopguard/v1";

  @Override
  public String format() {
    return "sarif";
  }

  @Override
  public void write(Report report, Writer out) throws IOException {
    JsonGenerator g = new JsonFactory().createGenerator(out);
    g.setPrettyPrinter(new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n")));
    ScanResult r = report.result();
    List<Rule> rules = report.rules();
    g.writeStartObject();
    g.writeStringField("$schema", SCHEMA);
    g.writeStringField("version", "2.1.0");
    g.writeArrayFieldStart("runs");
    g.writeStartObject();

    g.writeObjectFieldStart("tool");
    g.writeObjectFieldStart("driver");
    g.writeStringField("name", Version.NAME);
    g.writeStringField("version", Version.get());
    g.writeArrayFieldStart("rules");
    for (Rule rule : rules) {
      writeRule(g, rule.card());
    }
    g.writeEndArray();
    g.writeEndObject();
    g.writeEndObject();

    g.writeArrayFieldStart("invocations");
    g.writeStartObject();
    g.writeBooleanField("executionSuccessful", true);
    g.writeArrayFieldStart("toolExecutionNotifications");
    for (Diagnostic d : r.diagnostics()) {
      writeNotification(g, "warning", d.kind(), d.message(), d.path(), d.line());
    }
    if (report.unusedSuppressions() != null) {
      for (UnusedSuppression u : report.unusedSuppressions()) {
        writeNotification(g, "note", "unused-suppression", "'" + u.text() + "' silences nothing.",
            u.path(), u.line());
      }
    }
    g.writeEndArray();
    g.writeEndObject();
    g.writeEndArray();

    g.writeObjectFieldStart("originalUriBaseIds");
    g.writeObjectFieldStart(ROOT);
    g.writeObjectFieldStart("description");
    g.writeStringField("text", "The project root; result paths are relative to it.");
    g.writeEndObject();
    g.writeEndObject();
    g.writeEndObject();
    g.writeStringField("columnKind", "utf16CodeUnits");

    Map<String, RootCause> rootCauses = new HashMap<>();
    for (RootCause rc : report.rootCauses()) {
      rootCauses.put(rc.id(), rc);
    }
    g.writeArrayFieldStart("results");
    for (Finding f : r.findings()) {
      writeResult(g, f, ruleIndex(rules, f.rule()), report.baselined() != null,
          report.observed().of(f), rootCauses);
    }
    g.writeEndArray();

    g.writeEndObject();
    g.writeEndArray();
    g.writeEndObject();
    g.flush();
    out.write('\n');
    out.flush();
  }

  private static int ruleIndex(List<Rule> rules, String id) {
    for (int i = 0; i < rules.size(); i++) {
      if (rules.get(i).id().equals(id)) {
        return i;
      }
    }
    return -1;
  }

  static void writeRule(JsonGenerator g, RuleCard c) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", c.id());
    g.writeStringField("name", pascal(c.title()));
    g.writeObjectFieldStart("shortDescription");
    g.writeStringField("text", c.title());
    g.writeEndObject();
    g.writeObjectFieldStart("fullDescription");
    g.writeStringField("text", oneLine(c.intent()));
    g.writeEndObject();
    if (c.references() != null && !c.references().isEmpty()) {
      g.writeStringField("helpUri", c.references().get(0));
    }
    g.writeObjectFieldStart("help");
    g.writeStringField("text", helpText(c));
    g.writeStringField("markdown", helpMarkdown(c));
    g.writeEndObject();
    g.writeObjectFieldStart("defaultConfiguration");
    g.writeStringField("level", level(c.severity()));
    g.writeEndObject();
    g.writeObjectFieldStart("properties");
    g.writeStringField("precision", precision(c));
    g.writeStringField("problem.severity", level(c.severity()).equals("note") ? "recommendation" : level(c.severity()));
    g.writeArrayFieldStart("tags");
    g.writeString("performance");
    g.writeString("concurrency");
    g.writeString("async");
    g.writeEndArray();
    g.writeEndObject();
    g.writeEndObject();
  }

  /**
   * The rule's precision: the surest confidence its card defines (each result carries its own
   * confidence as {@code properties.precision} and {@code rank}).
   */
  static String precision(RuleCard c) {
    Map<String, String> conf = c.confidence();
    if (conf == null || conf.isEmpty()) {
      return "medium";
    }
    for (String level : List.of("high", "medium", "low")) {
      if (conf.containsKey(level)) {
        return level;
      }
    }
    return "medium";
  }

  private static void writeResult(JsonGenerator g, Finding f, int ruleIndex, boolean baseline,
      Observed observed, Map<String, RootCause> rootCauses) throws IOException {
    g.writeStartObject();
    g.writeStringField("ruleId", f.rule());
    if (ruleIndex >= 0) {
      g.writeNumberField("ruleIndex", ruleIndex);
    }
    g.writeStringField("level", level(f));
    g.writeObjectFieldStart("message");
    g.writeStringField("text", f.message());
    g.writeEndObject();
    g.writeArrayFieldStart("locations");
    g.writeStartObject();
    g.writeObjectFieldStart("physicalLocation");
    g.writeObjectFieldStart("artifactLocation");
    g.writeStringField("uri", uri(f.path()));
    g.writeStringField("uriBaseId", ROOT);
    g.writeEndObject();
    g.writeObjectFieldStart("region");
    g.writeNumberField("startLine", Math.max(1, f.span().line()));
    g.writeNumberField("startColumn", Math.max(1, f.span().column()));
    if (f.span().endLine() >= f.span().line() && f.span().endColumn() > 0) {
      g.writeNumberField("endLine", Math.max(1, f.span().endLine()));
      g.writeNumberField("endColumn", Math.max(1, f.span().endColumn()));
    }
    g.writeEndObject();
    g.writeEndObject();
    g.writeArrayFieldStart("logicalLocations");
    g.writeStartObject();
    g.writeStringField("fullyQualifiedName", f.function());
    g.writeStringField("kind", "function");
    g.writeEndObject();
    g.writeEndArray();
    g.writeEndObject();
    g.writeEndArray();
    List<Cause> toShow = f.causes().stream().filter(c -> !at(f, c)).toList();
    if (!toShow.isEmpty()) {
      g.writeArrayFieldStart("relatedLocations");
      int id = 0;
      for (Cause c : toShow) {
        RootCause rc = rootCauses.get(c.id());
        g.writeStartObject();
        g.writeNumberField("id", ++id);
        writePhysical(g, c.path(), c.line(), c.column());
        g.writeArrayFieldStart("logicalLocations");
        g.writeStartObject();
        g.writeStringField("fullyQualifiedName", c.function());
        g.writeStringField("kind", "function");
        g.writeEndObject();
        g.writeEndArray();
        g.writeObjectFieldStart("message");
        g.writeStringField("text", "Root cause: " + c.api() + " in " + c.function()
            + (rc == null ? "" : " (" + RootCauses.priority(rc) + ", "
                + RootCauses.confidence(rc) + " confidence, " + RootCauses.pathsLabel(rc) + ")")
            + ".");
        g.writeEndObject();
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    List<List<ChainHop>> flows = new ArrayList<>();
    List<String> targets = new ArrayList<>();
    List<Boolean> once = new ArrayList<>();
    if (f.causes().isEmpty()) {
      flows.add(f.chain());
      targets.add(f.subject());
      once.add(false);
    } else {
      for (Cause c : f.causes()) {
        flows.add(c.chain());
        once.add(c.once());
        targets.add(c.api() + " (" + c.path() + ":" + c.line() + ")");
      }
    }
    if (flows.stream().anyMatch(chain -> chain.size() > 1)) {
      g.writeArrayFieldStart("codeFlows");
      for (int i = 0; i < flows.size(); i++) {
        List<ChainHop> chain = flows.get(i);
        if (chain.size() > 1) {
          writeCodeFlow(g, f, chain, targets.get(i), once.get(i));
        }
      }
      g.writeEndArray();
    }
    g.writeObjectFieldStart("partialFingerprints");
    g.writeStringField(FINGERPRINT, f.fingerprint() == null ? "" : f.fingerprint());
    g.writeEndObject();
    if (baseline) {
      g.writeStringField("baselineState", "new");
    }
    g.writeNumberField("rank", rank(f.confidence()));
    g.writeObjectFieldStart("properties");
    g.writeStringField("precision", f.confidence().label());
    g.writeStringField("confidence", f.confidence().label());
    g.writeStringField("priority", f.priority().label());
    JsonReporter.writeAttributes(g, f, Attributes.Slot.SUBJECT);
    g.writeStringField("context", f.context());
    JsonReporter.writeAttributes(g, f, Attributes.Slot.DETAIL);
    if (f.excludedAs() != null) {
      g.writeStringField("excludedAs", f.excludedAs());
    }
    if (observed != null) {
      JsonReporter.writeObserved(g, observed);
    }
    g.writeStringField("remediation", f.remediation());
    JsonReporter.writeAttributes(g, f, Attributes.Slot.REFERENCE);
    g.writeArrayFieldStart("rootCauses");
    for (String id : f.rootCauseIds()) {
      g.writeString(id);
    }
    g.writeEndArray();
    g.writeEndObject();
    g.writeEndObject();
  }

  /** Whether cause {@code c} is at the finding's own location (nothing to relate). */
  private static boolean at(Finding f, Cause c) {
    return c.path().equals(f.path()) && c.line() == f.line() && c.column() == f.span().column();
  }

  private static void writePhysical(JsonGenerator g, String path, int line, int column)
      throws IOException {
    g.writeObjectFieldStart("physicalLocation");
    g.writeObjectFieldStart("artifactLocation");
    g.writeStringField("uri", uri(path));
    g.writeStringField("uriBaseId", ROOT);
    g.writeEndObject();
    g.writeObjectFieldStart("region");
    g.writeNumberField("startLine", Math.max(1, line));
    g.writeNumberField("startColumn", Math.max(1, column));
    g.writeEndObject();
    g.writeEndObject();
  }

  /** One code flow: the steps from the finding's location to {@code target}. */
  private static void writeCodeFlow(JsonGenerator g, Finding f, List<ChainHop> chain, String target,
      boolean once) throws IOException {
    g.writeStartObject();
    g.writeObjectFieldStart("message");
    g.writeStringField("text", f.function() + " reaches " + target + " through "
        + (chain.size() - 1) + (chain.size() == 2 ? " helper" : " helpers")
        + (once ? ", once per process." : "."));
    g.writeEndObject();
    g.writeArrayFieldStart("threadFlows");
    g.writeStartObject();
    g.writeArrayFieldStart("locations");
    int depth = 0;
    for (ChainHop h : chain) {
      g.writeStartObject();
      g.writeObjectFieldStart("location");
      writePhysical(g, h.path(), h.line(), h.column());
      g.writeObjectFieldStart("message");
      g.writeStringField("text", h.function() + " calls " + h.call());
      g.writeEndObject();
      g.writeEndObject();
      g.writeNumberField("nestingLevel", depth++);
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
    g.writeEndArray();
    g.writeEndObject();
  }

  private static void writeNotification(JsonGenerator g, String level, String id, String message,
      String path, int line) throws IOException {
    g.writeStartObject();
    g.writeStringField("level", level);
    g.writeObjectFieldStart("message");
    g.writeStringField("text", message);
    g.writeEndObject();
    g.writeObjectFieldStart("descriptor");
    g.writeStringField("id", id);
    g.writeEndObject();
    g.writeArrayFieldStart("locations");
    g.writeStartObject();
    g.writeObjectFieldStart("physicalLocation");
    g.writeObjectFieldStart("artifactLocation");
    g.writeStringField("uri", uri(path));
    g.writeStringField("uriBaseId", ROOT);
    g.writeEndObject();
    if (line > 0) {
      g.writeObjectFieldStart("region");
      g.writeNumberField("startLine", line);
      g.writeEndObject();
    }
    g.writeEndObject();
    g.writeEndObject();
    g.writeEndArray();
    g.writeEndObject();
  }

  /** {@code error} for hot paths (P0, P1), {@code warning} otherwise, {@code note} when unsure. */
  static String level(Finding f) {
    if (f.confidence() == Confidence.LOW) {
      return "note";
    }
    return f.priority().atLeast(Priority.P1) ? "error" : "warning";
  }

  private static String level(String severity) {
    String s = severity == null ? "" : severity.toLowerCase(Locale.ROOT);
    return switch (s) {
      case "error" -> "error";
      case "note", "info", "recommendation" -> "note";
      default -> "warning";
    };
  }

  private static double rank(Confidence c) {
    return switch (c) {
      case HIGH -> 90.0;
      case MEDIUM -> 60.0;
      case LOW -> 30.0;
    };
  }

  /** A relative path as a URI reference (RFC 3986, {@link dev.loopguard.core.report.Uris}). */
  static String uri(String path) {
    return dev.loopguard.core.report.Uris.relativePath(path);
  }

  static String pascal(String title) {
    StringBuilder sb = new StringBuilder();
    for (String w : title.split("[^A-Za-z0-9]+")) {
      if (!w.isEmpty()) {
        sb.append(Character.toUpperCase(w.charAt(0))).append(w.substring(1));
      }
    }
    return sb.toString();
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.trim().replaceAll("\\s+", " ");
  }

  static String helpText(RuleCard c) {
    StringBuilder sb = new StringBuilder(oneLine(c.intent()));
    list(sb, "Fails when", c.failsWhen(), false);
    list(sb, "Passes when", c.passesWhen(), false);
    list(sb, "Remediation", c.remediation(), false);
    return sb.toString();
  }

  static String helpMarkdown(RuleCard c) {
    StringBuilder sb = new StringBuilder(oneLine(c.intent()));
    list(sb, "Fails when", c.failsWhen(), true);
    list(sb, "Passes when", c.passesWhen(), true);
    list(sb, "Do not flag", c.doNotFlag(), true);
    list(sb, "Remediation", c.remediation(), true);
    if (c.examples() != null) {
      for (RuleCard.Example e : c.examples()) {
        sb.append("\n\n**").append(e.verdict().toUpperCase(Locale.ROOT)).append("**")
            .append(e.title() == null ? "" : ": " + e.title()).append("\n\n```")
            .append(e.language()).append('\n').append(e.code().stripTrailing()).append("\n```");
      }
    }
    list(sb, "References", c.references(), true);
    return sb.toString();
  }

  private static void list(StringBuilder sb, String title, List<String> items, boolean markdown) {
    if (items == null || items.isEmpty()) {
      return;
    }
    sb.append("\n\n").append(markdown ? "### " + title : title + ":");
    if (markdown) {
      sb.append('\n');
    }
    for (String i : items) {
      sb.append("\n- ").append(oneLine(i));
    }
  }
}
