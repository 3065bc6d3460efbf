package dev.loopguard.core.diff.review;

import dev.loopguard.core.diff.review.ReviewResult.EvidenceItem;
import dev.loopguard.core.diff.review.ReviewResult.PathVerdict;
import dev.loopguard.core.diff.review.ReviewResult.SideDiagnostic;
import dev.loopguard.core.diff.review.ReviewResult.Verdict;
import dev.loopguard.core.model.ChainHop;
import dev.loopguard.core.model.Finding;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Locale;

/** The review for a terminal: the verdict, each changed event-loop path, new and fixed findings. */
public final class ReviewText {
  private ReviewText() {}

  public static void write(ReviewResult r, boolean timing, boolean color, Writer out) throws IOException {
    String verdict = r.verdict().name() + (r.confidence() != null ? " (" + r.confidence().label() + " confidence)" : "");
    out.write("loopguard review: " + paint(verdict, colorOf(r.verdict()), color) + "\n");
    out.write("  base: " + r.base() + "\n  head: " + r.head() + "\n");
    for (String n : r.notes()) {
      out.write("  note: " + n + "\n");
    }
    out.write("\n");
    for (String reason : r.reasons()) {
      out.write("  - " + reason + "\n");
    }
    if (!r.paths().isEmpty()) {
      out.write("\nChanged event-loop paths:\n");
      for (PathVerdict p : r.paths()) {
        out.write("  " + paint(p.verdict().name(), colorOf(p.verdict()), color)
            + (p.confidence() != null ? " [" + p.confidence().label() + "]" : "") + " " + p.function()
            + "  " + p.path() + ":" + p.line() + "  (" + p.describeChange() + "; " + p.context() + ")\n");
        if (p.verdict() == Verdict.FAIL) {
          for (Finding f : p.findings()) {
            finding(f, "      ", out);
          }
        } else if (p.verdict() == Verdict.PASS) {
          for (EvidenceItem e : p.evidence()) {
            out.write("      " + e.text() + " (" + e.path() + ":" + e.line() + ")\n");
          }
        } else {
          for (String reason : p.reasons()) {
            out.write("      " + reason + "\n");
          }
        }
      }
    }
    list("New findings", r.newFindings(), out);
    list("Fixed findings", r.fixed(), out);
    if (!r.remediation().isEmpty()) {
      out.write("\nHow to fix:\n");
      for (String m : r.remediation()) {
        out.write("  - " + m.strip().replaceAll("\\s+", " ") + "\n");
      }
    }
    if (!r.changes().isEmpty()) {
      out.write("\nChanged functions:\n");
      for (FunctionChange c : r.changes()) {
        out.write(String.format(Locale.ROOT, "  %-9s %s  (%s:%d%s)%n", c.kind().label(), c.function(),
            c.path(), c.line(), c.async() ? ", async" : ""));
      }
    }
    for (SideDiagnostic d : r.diagnostics()) {
      out.write(d.side() + ": " + d.diagnostic().path()
          + (d.diagnostic().line() > 0 ? ":" + d.diagnostic().line() : "") + ": " + d.diagnostic().kind()
          + ": " + d.diagnostic().message() + "\n");
    }
    ReviewResult.Stats s = r.stats();
    out.write("\n" + r.changedFiles().size() + (r.changedFiles().size() == 1 ? " changed file" : " changed files")
        + ", " + r.changes().size() + (r.changes().size() == 1 ? " changed function" : " changed functions")
        + ", " + r.paths().size() + (r.paths().size() == 1 ? " event-loop path" : " event-loop paths")
        + " — " + s.lowered() + " files parsed, " + s.reused() + " shared by both sides"
        + (timing ? String.format(Locale.ROOT, ", in %.2fs", s.seconds()) : "") + ".\n");
    out.flush();
  }

  private static void list(String title, List<Finding> findings, Writer out) throws IOException {
    if (findings.isEmpty()) {
      return;
    }
    out.write("\n" + title + " (" + findings.size() + "):\n");
    for (Finding f : findings) {
      out.write("  " + f.path() + ":" + f.line() + ":" + f.span().column() + ": " + f.rule() + " ["
          + f.confidence().label() + " " + f.priority().label() + "] " + f.message() + "\n");
    }
  }

  private static void finding(Finding f, String indent, Writer out) throws IOException {
    out.write(indent + f.path() + ":" + f.line() + ":" + f.span().column() + ": " + f.message() + "\n");
    if (f.chain().size() > 1) {
      int depth = 0;
      for (ChainHop h : f.chain()) {
        out.write(indent + "  " + "  ".repeat(depth) + (depth == 0 ? "" : "-> ") + h.function() + " calls "
            + h.call() + "  (" + h.path() + ":" + h.line() + ")\n");
        depth++;
      }
    }
    out.write(indent + "  fix: " + f.remediation() + "\n");
  }

  private static String colorOf(Verdict v) {
    return switch (v) {
      case FAIL -> "31";
      case PASS -> "32";
      case UNKNOWN -> "33";
    };
  }

  private static String paint(String s, String code, boolean color) {
    return color ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
  }
}
