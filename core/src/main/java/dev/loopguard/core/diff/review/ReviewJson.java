package dev.loopguard.core.diff.review;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import dev.loopguard.core.Version;
import dev.loopguard.core.diff.review.ReviewResult.EvidenceItem;
import dev.loopguard.core.diff.review.ReviewResult.PathVerdict;
import dev.loopguard.core.diff.review.ReviewResult.SideDiagnostic;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.report.json.JsonReporter;
import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * The review as JSON: {@code verdict}, {@code confidence}, {@code reasons}, {@code evidence},
 * {@code new}, {@code fixed}, then the per-path verdicts, the changed functions and stats.
 * Findings have the same shape as in the scan's JSON output.
 */
public final class ReviewJson {
  private ReviewJson() {}

  public static void write(ReviewResult r, boolean timing, Writer out) throws IOException {
    JsonGenerator g = new JsonFactory().createGenerator(out);
    g.setPrettyPrinter(new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n")));
    g.writeStartObject();
    g.writeObjectFieldStart("tool");
    g.writeStringField("name", Version.NAME);
    g.writeStringField("version", Version.get());
    g.writeEndObject();
    g.writeStringField("base", r.base());
    g.writeStringField("head", r.head());
    g.writeStringField("verdict", r.verdict().label());
    if (r.confidence() == null) {
      g.writeNullField("confidence");
    } else {
      g.writeStringField("confidence", r.confidence().label());
    }
    strings(g, "reasons", r.reasons());
    evidence(g, "evidence", r.evidence());
    findings(g, "new", r.newFindings());
    findings(g, "fixed", r.fixed());
    g.writeArrayFieldStart("paths");
    for (PathVerdict p : r.paths()) {
      g.writeStartObject();
      g.writeStringField("function", p.function());
      g.writeStringField("path", p.path());
      g.writeNumberField("line", p.line());
      g.writeStringField("change", p.change());
      if (!p.via().isEmpty()) {
        strings(g, "via", p.via());
      }
      g.writeStringField("context", p.context());
      g.writeStringField("verdict", p.verdict().label());
      if (p.confidence() == null) {
        g.writeNullField("confidence");
      } else {
        g.writeStringField("confidence", p.confidence().label());
      }
      strings(g, "reasons", p.reasons());
      evidence(g, "evidence", p.evidence());
      findings(g, "findings", p.findings());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeArrayFieldStart("changes");
    for (FunctionChange c : r.changes()) {
      g.writeStartObject();
      g.writeStringField("kind", c.kind().label());
      g.writeStringField("path", c.path());
      g.writeStringField("function", c.function());
      g.writeNumberField("line", c.line());
      g.writeBooleanField("async", c.async());
      g.writeEndObject();
    }
    g.writeEndArray();
    strings(g, "changedFiles", r.changedFiles());
    strings(g, "remediation", r.remediation());
    strings(g, "notes", r.notes());
    g.writeArrayFieldStart("diagnostics");
    for (SideDiagnostic sd : r.diagnostics()) {
      g.writeStartObject();
      g.writeStringField("side", sd.side());
      g.writeStringField("path", sd.diagnostic().path());
      g.writeNumberField("line", sd.diagnostic().line());
      if (sd.diagnostic().column() > 0) {
        g.writeNumberField("column", sd.diagnostic().column());
      }
      g.writeStringField("kind", sd.diagnostic().kind());
      g.writeStringField("message", sd.diagnostic().message());
      g.writeEndObject();
    }
    g.writeEndArray();
    ReviewResult.Stats s = r.stats();
    g.writeObjectFieldStart("stats");
    g.writeNumberField("baseFiles", s.baseFiles());
    g.writeNumberField("headFiles", s.headFiles());
    g.writeNumberField("changedFiles", r.changedFiles().size());
    g.writeNumberField("lowered", s.lowered());
    g.writeNumberField("reused", s.reused());
    g.writeNumberField("seconds", timing ? Math.round(s.seconds() * 1000) / 1000.0 : 0.0);
    g.writeEndObject();
    g.writeEndObject();
    g.flush();
    out.write('\n');
    out.flush();
  }

  private static void strings(JsonGenerator g, String name, List<String> items) throws IOException {
    g.writeArrayFieldStart(name);
    for (String s : items) {
      g.writeString(s);
    }
    g.writeEndArray();
  }

  private static void findings(JsonGenerator g, String name, List<Finding> items) throws IOException {
    g.writeArrayFieldStart(name);
    for (Finding f : items) {
      JsonReporter.writeFinding(g, f);
    }
    g.writeEndArray();
  }

  private static void evidence(JsonGenerator g, String name, List<EvidenceItem> items) throws IOException {
    g.writeArrayFieldStart(name);
    for (EvidenceItem e : items) {
      g.writeStartObject();
      g.writeStringField("kind", e.kind());
      g.writeStringField("function", e.function());
      g.writeStringField("path", e.path());
      g.writeNumberField("line", e.line());
      if (e.api() != null) {
        g.writeStringField("api", e.api());
      }
      g.writeStringField("text", e.text());
      g.writeEndObject();
    }
    g.writeEndArray();
  }
}
