package dev.loopguard.core.report.text;

import dev.loopguard.core.engine.ScanResult;
import dev.loopguard.core.ir.Diagnostic;
import dev.loopguard.core.model.ChainHop;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.model.Priority;
import dev.loopguard.core.report.Report;
import dev.loopguard.core.report.Reporter;
import dev.loopguard.core.report.SourceLines;
import java.io.IOException;
import java.io.Writer;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compiler-style text: {@code path:line:col: rule [confidence priority] message}, the source line
 * with a caret, the chain indented under it, then a summary.
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
    for (Finding f : r.findings()) {
      out.write(bold(f.path() + ":" + f.line() + ":" + f.span().column() + ":") + " "
          + paint(f.rule(), "33") + " [" + f.confidence().label() + " " + f.priority().label()
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
      if (f.timeout() != null) {
        out.write("    timeout: " + f.timeout() + "\n");
      }
      out.write("    context: " + f.context() + "\n");
      out.write("    fix: " + f.remediation() + "\n");
    }
    for (Diagnostic d : r.diagnostics()) {
      out.write(d.path() + (d.line() > 0 ? ":" + d.line() + (d.column() > 0 ? ":" + d.column() : "") : "")
          + ": " + paint(d.kind(), "35") + ": " + d.message() + "\n");
    }
    out.write(summary(report) + "\n");
    out.flush();
  }

  static String summary(Report report) {
    ScanResult r = report.result();
    int n = r.findings().size();
    Map<Priority, Integer> byPriority = new TreeMap<>();
    Map<String, Integer> byCategory = new TreeMap<>();
    long files = r.findings().stream().map(Finding::path).distinct().count();
    for (Finding f : r.findings()) {
      byPriority.merge(f.priority(), 1, Integer::sum);
      byCategory.merge(f.category(), 1, Integer::sum);
    }
    StringBuilder sb = new StringBuilder();
    if (n == 0) {
      sb.append("No blocking calls found on the event loop");
    } else {
      sb.append(n).append(n == 1 ? " finding" : " findings").append(" in ").append(files)
          .append(files == 1 ? " file" : " files");
      StringBuilder parts = new StringBuilder();
      byPriority.forEach((p, c) -> parts.append(parts.length() == 0 ? "" : ", ").append(p).append(": ").append(c));
      sb.append(" (").append(parts).append("; ");
      StringBuilder cats = new StringBuilder();
      byCategory.forEach((c, k) -> cats.append(cats.length() == 0 ? "" : ", ").append(c).append(": ").append(k));
      sb.append(cats).append(")");
    }
    ScanResult.Stats s = r.stats();
    sb.append(" — scanned ").append(s.files()).append(s.files() == 1 ? " file, " : " files, ")
        .append(s.lines()).append(" lines, ").append(s.asyncFunctions()).append(" async functions");
    if (!r.suppressed().isEmpty()) {
      sb.append(", ").append(r.suppressed().size()).append(" suppressed");
    }
    if (!r.diagnostics().isEmpty()) {
      sb.append(", ").append(r.diagnostics().size()).append(r.diagnostics().size() == 1 ? " diagnostic" : " diagnostics");
    }
    if (report.timing()) {
      sb.append(String.format(Locale.ROOT, " in %.2fs", s.seconds()));
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

  private String bold(String s) {
    return color ? "\u001b[1m" + s + "\u001b[0m" : s;
  }

  private String paint(String s, String code) {
    return color ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
  }
}
