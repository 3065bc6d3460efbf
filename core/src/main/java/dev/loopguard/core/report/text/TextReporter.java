package dev.loopguard.core.report.text;

import dev.loopguard.core.result.ScanResult;
import dev.loopguard.core.result.UnusedSuppression;
import dev.loopguard.core.ir.Diagnostic;
import dev.loopguard.core.model.ChainHop;
import dev.loopguard.core.model.Attributes;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.model.Observed;
import dev.loopguard.core.model.Priority;
import dev.loopguard.core.report.Report;
import dev.loopguard.core.report.Reporter;
import dev.loopguard.core.report.SourceLines;
import dev.loopguard.core.report.Summary;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Locale;

/**
 * Compiler-style text grouped by file: {@code path:line:col: rule [confidence priority] message},
 * the source line with a caret, the chain indented under it, then a table of findings by
 * category and priority and a one-line summary. Colour only when asked for.
 */
public final class TextReporter implements Reporter {
  private final boolean color;

  public TextReporter(boolean color) {
    this.color = color;
  }

  @Override
  public String format() {
    return "text";
  }

  @Override
  public void write(Report report, Writer out) throws IOException {
    ScanResult r = report.result();
    SourceLines src = new SourceLines(report.root());
    List<Finding> findings = r.findings();
    String file = null;
    for (int i = 0; i < findings.size(); i++) {
      Finding f = findings.get(i);
      if (!f.path().equals(file)) {
        file = f.path();
        String current = file;
        long n = findings.stream().filter(x -> x.path().equals(current)).count();
        out.write((i == 0 ? "" : "\n") + bold("── " + file) + " (" + n + (n == 1 ? " finding" : " findings") + ")\n");
      }
      writeFinding(f, report.observed().of(f), src, out);
    }
    if (!findings.isEmpty()) {
      out.write("\n");
    }
    for (Diagnostic d : r.diagnostics()) {
      out.write(d.path() + (d.line() > 0 ? ":" + d.line() + (d.column() > 0 ? ":" + d.column() : "") : "")
          + ": " + paint(d.kind(), "35") + ": " + d.message() + "\n");
    }
    if (report.unusedSuppressions() != null) {
      for (UnusedSuppression u : report.unusedSuppressions()) {
        out.write(u.path() + ":" + u.line() + ": " + paint("unused-suppression", "35") + ": '"
            + u.text() + "' silences nothing.\n");
      }
    }
    if (!findings.isEmpty()) {
      out.write(table(new Summary(findings)));
    }
    out.write(summary(report) + "\n");
    out.flush();
  }

  private void writeFinding(Finding f, Observed observed, SourceLines src, Writer out) throws IOException {
    out.write(bold(f.path() + ":" + f.line() + ":" + f.span().column() + ":") + " "
        + paint(f.rule(), "33") + " [" + f.confidence().label() + " " + priority(f.priority())
        + (f.excludedAs() != null ? " " + f.excludedAs() : "") + "] " + f.message() + "\n");
    String line = src.line(f.path(), f.line());
    if (line != null) {
      String num = String.valueOf(f.line());
      out.write("  " + num + " | " + expandTabs(line) + "\n");
      int col = Math.max(1, f.span().column());
      int width = f.span().endLine() == f.line()
          ? Math.max(1, f.span().endColumn() - f.span().column())
          : Math.max(1, line.length() - col + 1);
      out.write("  " + " ".repeat(num.length()) + " | " + " ".repeat(displayColumn(line, col - 1))
          + paint("^" + "~".repeat(Math.max(0, width - 1)), "31") + "\n");
    }
    if (f.chain().size() > 1) {
      out.write("    chain:\n");
      int depth = 0;
      for (ChainHop h : f.chain()) {
        out.write("      " + "  ".repeat(depth) + (depth == 0 ? "" : "-> ") + h.function() + " calls "
            + h.call() + "  (" + h.path() + ":" + h.line() + ")\n");
        depth++;
      }
    }
    if (f.attribute(Attributes.TIMEOUT) != null) {
      out.write("    timeout: " + f.attribute(Attributes.TIMEOUT) + "\n");
    }
    if (observed != null) {
      out.write("    " + paint(observed.describe(), "1") + "\n");
    }
    out.write("    context: " + f.context() + "\n");
    out.write("    fix: " + f.remediation() + "\n");
  }

  /** The table of findings by category (rows) and priority (columns). */
  static String table(Summary s) {
    int width = "category".length();
    for (String c : s.categories()) {
      width = Math.max(width, Summary.categoryLabel(c).length());
    }
    StringBuilder sb = new StringBuilder("Findings by category and priority:\n");
    sb.append("  ").append(pad("category", width));
    for (Priority p : Priority.values()) {
      sb.append("  ").append(left(p.label(), 3));
    }
    sb.append("  total\n");
    for (String c : s.categories()) {
      sb.append("  ").append(pad(Summary.categoryLabel(c), width));
      for (Priority p : Priority.values()) {
        sb.append("  ").append(left(cell(s.count(c, p)), 3));
      }
      sb.append("  ").append(left(String.valueOf(s.count(c)), 5)).append('\n');
    }
    sb.append("  ").append(pad("total", width));
    for (Priority p : Priority.values()) {
      sb.append("  ").append(left(cell(s.count(p)), 3));
    }
    sb.append("  ").append(left(String.valueOf(s.total()), 5)).append('\n');
    return sb.toString();
  }

  private static String cell(int n) {
    return n == 0 ? "-" : String.valueOf(n);
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(Math.max(0, width - s.length()));
  }

  private static String left(String s, int width) {
    return " ".repeat(Math.max(0, width - s.length())) + s;
  }

  /** The closing line: counts, what was scanned, and how long it took. */
  public static String summary(Report report) {
    ScanResult r = report.result();
    Summary sum = new Summary(r.findings());
    int n = sum.total();
    StringBuilder sb = new StringBuilder();
    if (n == 0) {
      sb.append("No blocking calls found on the event loop");
    } else {
      sb.append(n).append(n == 1 ? " finding" : " findings").append(" in ").append(sum.files())
          .append(sum.files() == 1 ? " file" : " files");
      sb.append(" (").append(sum.priorities()).append("; ").append(sum.categoriesLine()).append(")");
    }
    ScanResult.Stats s = r.stats();
    sb.append(" — scanned ").append(s.files()).append(s.files() == 1 ? " file, " : " files, ")
        .append(s.lines()).append(" lines, ").append(s.asyncFunctions()).append(" async functions");
    if (!r.suppressed().isEmpty()) {
      sb.append(", ").append(r.suppressed().size()).append(" suppressed");
    }
    if (report.baselined() != null && report.baselined() > 0) {
      sb.append(", ").append(report.baselined()).append(" in the baseline");
    }
    if (report.unusedSuppressions() != null && !report.unusedSuppressions().isEmpty()) {
      int u = report.unusedSuppressions().size();
      sb.append(", ").append(u).append(u == 1 ? " unused suppression" : " unused suppressions");
    }
    if (!r.diagnostics().isEmpty()) {
      sb.append(", ").append(r.diagnostics().size()).append(r.diagnostics().size() == 1 ? " diagnostic" : " diagnostics");
    }
    if (report.timing()) {
      sb.append(String.format(Locale.ROOT, " in %.2fs", s.seconds()));
      // What the cache saved: like the time, it differs from run to run.
      if (r.reused()) {
        sb.append(" (nothing changed: the last result)");
      } else if (s.foldersReused() > 0) {
        int folders = s.foldersReused() + s.foldersResolved();
        sb.append(" (calls resolved again in ").append(s.foldersResolved()).append(" of ")
            .append(folders).append(folders == 1 ? " folder)" : " folders)");
      }
    }
    sb.append('.');
    return sb.toString();
  }

  private static String expandTabs(String line) {
    return line.replace("\t", "    ");
  }

  private static int displayColumn(String line, int index) {
    int col = 0;
    for (int i = 0; i < index && i < line.length(); i++) {
      col += line.charAt(i) == '\t' ? 4 : 1;
    }
    return col;
  }

  private String priority(Priority p) {
    String code = switch (p) {
      case P0 -> "1;31";
      case P1 -> "31";
      case P2 -> "33";
      case P3 -> null;
    };
    return code == null ? p.label() : paint(p.label(), code);
  }

  private String bold(String s) {
    return color ? "\u001b[1m" + s + "\u001b[0m" : s;
  }

  private String paint(String s, String code) {
    return color ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
  }
}
