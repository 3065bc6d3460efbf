package dev.loopguard.core.report.github;

import dev.loopguard.core.result.ScanResult;
import dev.loopguard.core.result.UnusedSuppression;
import dev.loopguard.core.ir.Diagnostic;
import dev.loopguard.core.model.ChainHop;
import dev.loopguard.core.model.Confidence;
import dev.loopguard.core.model.Attributes;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.model.RootCause;
import dev.loopguard.core.report.RootCauses;
import dev.loopguard.core.model.Observed;
import dev.loopguard.core.model.Priority;
import dev.loopguard.core.report.Report;
import dev.loopguard.core.report.Reporter;
import dev.loopguard.core.report.text.TextReporter;
import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * GitHub Actions workflow commands: one {@code ::error}/{@code ::warning}/{@code ::notice}
 * annotation per root cause, hottest first (error for P0 and P1, notice when confidence is low):
 * a root cause that is one finding at its own place reads as that finding (chain, context, fix);
 * any other is annotated at the operation, with the number of paths that reach it, the hottest
 * entry, the first paths' chains and the fix. Then the summary line.
 */
public final class GithubReporter implements Reporter {
  @Override
  public String format() {
    return "github";
  }

  @Override
  public void write(Report report, Writer out) throws IOException {
    ScanResult r = report.result();
    for (RootCause rc : report.rootCauses()) {
      if (!RootCauses.isOwnFinding(rc)) {
        rootCause(rc, report, out);
        continue;
      }
      Finding f = rc.findings().get(0);
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

  /** How many paths an annotation lists; the rest are counted. */
  static final int PATHS_SHOWN = 5;
  /** How many other root causes a path names; the rest are counted. */
  static final int ALSO_NAMED = 3;

  /**
   * One annotation for a root cause, at its location: how many paths reach it, the hottest first
   * (entry, priority, context, chain, what else it reaches), then its timeout and fix when a
   * finding's chain leads to it first.
   */
  private static void rootCause(RootCause rc, Report report, Writer out) throws IOException {
    List<RootCauses.PathTo> paths = RootCauses.paths(rc);
    RootCauses.PathTo hottest = paths.get(0);
    StringBuilder msg = new StringBuilder();
    msg.append(rc.api()).append(" in ").append(rc.function()).append(" is reached on ")
        .append(RootCauses.pathsLabel(rc)).append("; hottest: ").append(hottest.entry())
        .append(" at ").append(hottest.where()).append(", ").append(hottest.context()).append('.');
    for (int i = 0; i < paths.size() && i < PATHS_SHOWN; i++) {
      RootCauses.PathTo p = paths.get(i);
      msg.append("\npath ").append(i + 1).append(" [").append(p.confidence().label()).append(' ')
          .append(p.priority().label())
          .append(p.finding().excludedAs() != null ? " " + p.finding().excludedAs() : "")
          .append("]: ").append(RootCauses.oneLine(p.chain()));
      String also = RootCauses.alsoReaches(p.finding(), List.of(rc), ALSO_NAMED);
      if (!also.isEmpty()) {
        msg.append("; also reaches ").append(also);
      }
      Observed observed = report.observed().of(p.finding());
      if (observed != null) {
        msg.append("; ").append(observed.describe());
      }
    }
    if (paths.size() > PATHS_SHOWN) {
      msg.append("\nand ").append(paths.size() - PATHS_SHOWN).append(" more ")
          .append(paths.size() - PATHS_SHOWN == 1 ? "path" : "paths");
    }
    Finding speaker = RootCauses.speaker(rc);
    if (speaker != null && speaker.attribute(Attributes.TIMEOUT) != null) {
      msg.append("\ntimeout: ").append(speaker.attribute(Attributes.TIMEOUT));
    }
    if (speaker != null) {
      msg.append("\nfix: ").append(speaker.remediation());
    }
    String title = rc.rule() + " [" + RootCauses.confidence(rc) + " " + RootCauses.priority(rc)
        + "] " + rc.api() + ": " + RootCauses.pathsLabel(rc);
    out.write("::" + level(rc) + " file=" + property(rc.path()) + ",line=" + rc.line()
        + ",col=" + rc.column() + ",title=" + property(title) + "::" + data(msg.toString()) + "\n");
  }

  /** As {@link #level(Finding)} for a root cause: its most confident and hottest path's. */
  static String level(RootCause rc) {
    if (rc.confidence() == null || rc.confidence() == Confidence.LOW) {
      return "notice";
    }
    return rc.priority() != null && rc.priority().atLeast(Priority.P1) ? "error" : "warning";
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
