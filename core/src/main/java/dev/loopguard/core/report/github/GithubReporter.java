package dev.loopguard.core.report.github;

import dev.loopguard.core.result.ScanResult;
import dev.loopguard.core.result.UnusedSuppression;
import dev.loopguard.core.ir.Diagnostic;
import dev.loopguard.core.model.ChainHop;
import dev.loopguard.core.model.Confidence;
import dev.loopguard.core.model.Attributes;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.model.Observed;
import dev.loopguard.core.model.Priority;
import dev.loopguard.core.report.Report;
import dev.loopguard.core.report.Reporter;
import dev.loopguard.core.report.text.TextReporter;
import java.io.IOException;
import java.io.Writer;

/**
 * GitHub Actions workflow commands: one {@code ::error}/{@code ::warning}/{@code ::notice}
 * annotation per finding (error for P0 and P1, notice when confidence is low), with the chain,
 * context and fix in the message, then the summary line.
 */
public final class GithubReporter implements Reporter {
  @Override
  public String format() {
    return "github";
  }

  @Override
  public void write(Report report, Writer out) throws IOException {
    ScanResult r = report.result();
    for (Finding f : r.findings()) {
      StringBuilder msg = new StringBuilder(f.message());
      if (f.chain().size() > 1) {
        msg.append("\nchain:");
        for (ChainHop h : f.chain()) {
          msg.append("\n  ").append(h.function()).append(" calls ").append(h.call())
              .append(" (").append(h.path()).append(':').append(h.line()).append(')');
        }
      }
      if (f.attribute(Attributes.TIMEOUT) != null) {
        msg.append("\ntimeout: ").append(f.attribute(Attributes.TIMEOUT));
      }
      Observed observed = report.observed().of(f);
      if (observed != null) {
        msg.append('\n').append(observed.describe());
      }
      msg.append("\ncontext: ").append(f.context());
      msg.append("\nfix: ").append(f.remediation());
      String title = f.rule() + " [" + f.confidence().label() + " " + f.priority().label() + "] " + f.subject();
      out.write("::" + level(f) + " file=" + property(f.path()) + ",line=" + f.line()
          + ",col=" + f.span().column()
          + (f.span().endLine() > 0 ? ",endLine=" + f.span().endLine() : "")
          + (f.span().endLine() == f.line() && f.span().endColumn() > 0 ? ",endColumn=" + f.span().endColumn() : "")
          + ",title=" + property(title) + "::" + data(msg.toString()) + "\n");
    }
    for (Diagnostic d : r.diagnostics()) {
      out.write("::warning file=" + property(d.path()) + (d.line() > 0 ? ",line=" + d.line() : "")
          + ",title=" + property("loopguard " + d.kind()) + "::" + data(d.message()) + "\n");
    }
    if (report.unusedSuppressions() != null) {
      for (UnusedSuppression u : report.unusedSuppressions()) {
        out.write("::notice file=" + property(u.path()) + ",line=" + u.line()
            + ",title=" + property("loopguard unused suppression") + "::"
            + data("'" + u.text() + "' silences nothing.") + "\n");
      }
    }
    out.write(TextReporter.summary(report) + "\n");
    out.flush();
  }

  static String level(Finding f) {
    if (f.confidence() == Confidence.LOW) {
      return "notice";
    }
    return f.priority().atLeast(Priority.P1) ? "error" : "warning";
  }

  /** Escapes a command's message. */
  static String data(String s) {
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
  }

  /** Escapes a command property value. */
  static String property(String s) {
    return data(s).replace(":", "%3A").replace(",", "%2C");
  }
}
