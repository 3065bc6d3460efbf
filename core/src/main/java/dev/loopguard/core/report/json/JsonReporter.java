package dev.loopguard.core.report.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import dev.loopguard.core.Version;
import dev.loopguard.core.result.ScanResult;
import dev.loopguard.core.result.UnusedSuppression;
import dev.loopguard.core.ir.Diagnostic;
import dev.loopguard.core.model.ChainHop;
import dev.loopguard.core.model.Attributes;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.model.Observed;
import dev.loopguard.core.model.RootCause;
import dev.loopguard.core.report.Report;
import dev.loopguard.core.report.Reporter;
import java.io.IOException;
import java.io.Writer;

/** The JSON contract (version 1; later versions only add fields). */
public final class JsonReporter implements Reporter {
  @Override
  public String format() {
    return "json";
  }

  @Override
  public void write(Report report, Writer out) throws IOException {
    JsonGenerator g = new JsonFactory().createGenerator(out);
    DefaultPrettyPrinter pp = new DefaultPrettyPrinter()
        .withObjectIndenter(new DefaultIndenter("  ", "\n"));
    g.setPrettyPrinter(pp);
    ScanResult r = report.result();
    g.writeStartObject();
    g.writeObjectFieldStart("tool");
    g.writeStringField("name", Version.NAME);
    g.writeStringField("version", Version.get());
    g.writeEndObject();
    g.writeArrayFieldStart("findings");
    for (Finding f : r.findings()) {
      writeFinding(g, f, report.observed().of(f));
    }
    g.writeEndArray();
    g.writeArrayFieldStart("rootCauses");
    for (RootCause rc : report.rootCauses()) {
      writeRootCause(g, rc);
    }
    g.writeEndArray();
    g.writeArrayFieldStart("diagnostics");
    for (Diagnostic d : r.diagnostics()) {
      g.writeStartObject();
      g.writeStringField("path", d.path());
      g.writeNumberField("line", d.line());
      if (d.column() > 0) {
        g.writeNumberField("column", d.column());
      }
      g.writeStringField("kind", d.kind());
      g.writeStringField("message", d.message());
      g.writeEndObject();
    }
    g.writeEndArray();
    if (report.unusedSuppressions() != null) {
      g.writeArrayFieldStart("unusedSuppressions");
      for (UnusedSuppression u : report.unusedSuppressions()) {
        g.writeStartObject();
        g.writeStringField("path", u.path());
        g.writeNumberField("line", u.line());
        g.writeStringField("text", u.text());
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    ScanResult.Stats s = r.stats();
    g.writeObjectFieldStart("stats");
    g.writeNumberField("files", s.files());
    g.writeNumberField("lines", s.lines());
    g.writeNumberField("functions", s.functions());
    g.writeNumberField("asyncFunctions", s.asyncFunctions());
    g.writeNumberField("findings", r.findings().size());
    g.writeNumberField("suppressed", r.suppressed().size());
    if (report.baselined() != null) {
      g.writeNumberField("baselined", report.baselined());
    }
    if (!report.observed().isEmpty()) {
      g.writeNumberField("observed", report.observed().size());
    }
    g.writeNumberField("seconds", report.timing() ? Math.round(s.seconds() * 1000) / 1000.0 : 0.0);
    g.writeEndObject();
    g.writeEndObject();
    g.flush();
    out.write('\n');
    out.flush();
  }

  /** Writes one finding object (shared by formats that embed findings). */
  public static void writeFinding(JsonGenerator g, Finding f) throws IOException {
    writeFinding(g, f, null);
  }

  /** Writes one finding object with its run-time observation ({@code observed}, when not null). */
  public static void writeFinding(JsonGenerator g, Finding f, Observed observed) throws IOException {
    g.writeStartObject();
    g.writeStringField("rule", f.rule());
    g.writeStringField("path", f.path());
    g.writeNumberField("line", f.span().line());
    g.writeNumberField("column", f.span().column());
    g.writeNumberField("endLine", f.span().endLine());
    g.writeNumberField("endColumn", f.span().endColumn());
    g.writeStringField("function", f.function());
    writeAttributes(g, f, Attributes.Slot.SUBJECT);
    g.writeStringField("confidence", f.confidence().label());
    g.writeStringField("priority", f.priority().label());
    g.writeStringField("context", f.context());
    if (f.excludedAs() != null) {
      g.writeStringField("excludedAs", f.excludedAs());
    }
    writeAttributes(g, f, Attributes.Slot.DETAIL);
    g.writeStringField("message", f.message());
    g.writeArrayFieldStart("chain");
    for (ChainHop h : f.chain()) {
      g.writeStartObject();
      g.writeStringField("path", h.path());
      g.writeNumberField("line", h.line());
      g.writeNumberField("column", h.column());
      g.writeStringField("function", h.function());
      g.writeStringField("call", h.call());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeStringField("remediation", f.remediation());
    writeAttributes(g, f, Attributes.Slot.REFERENCE);
    g.writeStringField("fingerprint", f.fingerprint());
    g.writeArrayFieldStart("rootCauses");
    for (String id : f.rootCauseIds()) {
      g.writeString(id);
    }
    g.writeEndArray();
    if (observed != null) {
      writeObserved(g, observed);
    }
    g.writeEndObject();
  }

  /** Writes one root cause object. */
  public static void writeRootCause(JsonGenerator g, RootCause rc) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", rc.id());
    g.writeStringField("rule", rc.rule());
    if (rc.api() != null) {
      g.writeStringField("api", rc.api());
    }
    if (rc.category() != null) {
      g.writeStringField("category", rc.category());
    }
    g.writeStringField("path", rc.path());
    g.writeNumberField("line", rc.line());
    g.writeNumberField("column", rc.column());
    g.writeStringField("function", rc.function());
    g.writeStringField("priority", rc.priority() == null ? null : rc.priority().label());
    g.writeStringField("confidence", rc.confidence() == null ? null : rc.confidence().label());
    g.writeBooleanField("oneTime", rc.once());
    g.writeNumberField("paths", rc.paths());
    g.writeArrayFieldStart("findings");
    for (Finding f : rc.findings()) {
      g.writeString(f.fingerprint());
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  /** Writes a finding's run-time observation as the field {@code observed}. */
  public static void writeObserved(JsonGenerator g, Observed observed) throws IOException {
    g.writeObjectFieldStart("observed");
    g.writeNumberField("count", observed.count());
    if (observed.longestSeconds() != null) {
      g.writeNumberField("longestSeconds", observed.longestSeconds());
    }
    g.writeArrayFieldStart("sources");
    for (String src : observed.sources()) {
      g.writeString(src);
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  /** Writes the finding's attributes in {@code slot}: booleans as booleans, the rest as text. */
  public static void writeAttributes(JsonGenerator g, Finding f, Attributes.Slot slot)
      throws IOException {
    for (Attributes.Attribute a : f.attributes().in(slot)) {
      if (a.value() instanceof Boolean b) {
        g.writeBooleanField(a.key(), b);
      } else {
        g.writeStringField(a.key(), String.valueOf(a.value()));
      }
    }
  }
}
