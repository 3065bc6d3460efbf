package dev.loopguard.core.report.text;

import dev.loopguard.core.result.ScanResult;
import dev.loopguard.core.result.UnusedSuppression;
import dev.loopguard.core.ir.Diagnostic;
import dev.loopguard.core.model.ChainHop;
import dev.loopguard.core.model.Attributes;
import dev.loopguard.core.model.Confidence;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.model.RootCause;
import dev.loopguard.core.report.RootCauses;
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
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Compiler-style text grouped by root cause, hottest first under a heading per priority. A root
 * cause that is one finding at its own place reads {@code path:line:col: rule [confidence
 * priority] message} with the source line, a caret and the chain; any other reads {@code
 * path:line:col: rule [confidence priority] root cause api in function: N paths} with the source
 * line, then each path (entry function, place, priority, context, chain, what else it reaches; the
 * first few in full, the rest by entry), then the fix. A table of findings by category and
 * priority and a one-line summary close it. Colour only when asked for.
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
    List<RootCause> causes = report.rootCauses();
    boolean first = true;
    Priority section = null;
    for (List<RootCause> group : RootCauses.groups(causes)) {
      RootCause rc = group.get(0);
      if (first || rc.priority() != section) {
        section = rc.priority();
        Priority current = section;
        long n = causes.stream().filter(c -> c.priority() == current).count();
        out.write((first ? "" : "\n") + bold("── " + (section == null ? "no priority"
            : section.label() + ": " + Summary.frequency(section))) + " ("
            + n + (n == 1 ? " root cause" : " root causes") + ")\n");
        first = false;
      }
      if (group.size() == 1 && RootCauses.isOwnFinding(rc)) {
        Finding f = rc.findings().get(0);
        writeFinding(f, report.observed().of(f), src, out);
      } else {
        writeRootCauses(group, report, src, out);
      }
    }
    if (!causes.isEmpty()) {
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
      int width = f.span().endLine() == f.line()
          ? Math.max(1, f.span().endColumn() - f.span().column())
          : Math.max(1, line.length() - Math.max(1, f.span().column()) + 1);
      writeSource(line, f.line(), f.span().column(), width, out);
    }
    if (f.chain().size() > 1) {
      out.write("    chain:\n");
      writeChain(f.chain(), "      ", out);
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

  /** How many paths of a root cause are shown in full; the rest are named on one line. */
  static final int PATHS_SHOWN = 5;
  /** How many of the rest are named. */
  static final int MORE_NAMED = 10;

  /** How many other root causes a path names; the rest are counted. */
  static final int ALSO_NAMED = 3;

  /**
   * Root causes that read as one (one, or several in the same function reached by the same
   * paths): each operation with its source line (one line each when several), then their paths
   * (entry function, place, priority, context, chain to the function, what else the path reaches;
   * the first {@link #PATHS_SHOWN} in full and the rest by entry), then the distinct fixes of the
   * findings that speak for them.
   */
  private void writeRootCauses(List<RootCause> group, Report report, SourceLines src, Writer out)
      throws IOException {
    RootCause rc = group.get(0);
    if (group.size() == 1) {
      out.write(bold(rc.path() + ":" + rc.line() + ":" + rc.column() + ":") + " "
          + paint(rc.rule(), "33") + " [" + RootCauses.confidence(rc) + " "
          + (rc.priority() == null ? "-" : priority(rc.priority())) + "] root cause " + rc.api()
          + " in " + rc.function() + ": " + RootCauses.pathsLabel(rc) + "\n");
      String line = src.line(rc.path(), rc.line());
      if (line != null) {
        writeSource(line, rc.line(), rc.column(), RootCauses.callWidth(line, rc.column()), out);
      }
    } else {
      String surest = group.stream().map(RootCause::confidence).filter(c -> c != null)
          .min(Comparator.naturalOrder()).map(Confidence::label).orElse("-");
      out.write(bold(rc.path() + ":" + rc.line() + ":" + rc.column() + ":") + " "
          + paint(rc.rule(), "33") + " [" + surest + " "
          + (rc.priority() == null ? "-" : priority(rc.priority())) + "] " + group.size()
          + " root causes in " + rc.function() + ": " + RootCauses.pathsLabel(rc) + " each\n");
      for (RootCause member : group) {
        String line = src.line(member.path(), member.line());
        out.write("    " + member.path() + ":" + member.line() + ":" + member.column() + " "
            + member.api() + " [" + RootCauses.confidence(member) + "]"
            + (line == null ? "" : "  " + expandTabs(line.strip())) + "\n");
      }
    }
    List<RootCauses.PathTo> paths = RootCauses.paths(rc);
    for (int i = 0; i < paths.size() && i < PATHS_SHOWN; i++) {
      RootCauses.PathTo p = paths.get(i);
      Finding f = p.finding();
      out.write("    path from " + p.entry() + " at " + p.where() + " [" + p.confidence().label()
          + " " + priority(p.priority()) + (f.excludedAs() != null ? " " + f.excludedAs() : "")
          + "] " + p.context() + "\n");
      // Several operations: the chain to the function that holds them.
      List<ChainHop> chain = group.size() == 1 || p.chain().isEmpty() ? p.chain()
          : p.chain().subList(0, p.chain().size() - 1);
      if (chain.size() > 1 || (group.size() > 1 && !chain.isEmpty())) {
        writeChain(chain, "      ", out);
      }
      String also = RootCauses.alsoReaches(f, group, ALSO_NAMED);
      if (!also.isEmpty()) {
        out.write("      also reaches " + also + "\n");
      }
      Observed observed = report.observed().of(f);
      if (observed != null) {
        out.write("      " + paint(observed.describe(), "1") + "\n");
      }
    }
    if (paths.size() > PATHS_SHOWN) {
      List<String> rest = paths.subList(PATHS_SHOWN, paths.size()).stream()
          .map(p -> p.entry() + " (" + p.finding().path() + ":" + p.finding().line() + ")").toList();
      out.write("    and " + rest.size() + " more " + (rest.size() == 1 ? "path" : "paths")
          + ", from " + String.join(", ", rest.subList(0, Math.min(MORE_NAMED, rest.size())))
          + (rest.size() > MORE_NAMED ? " and " + (rest.size() - MORE_NAMED) + " others" : "")
          + "\n");
    }
    Set<String> fixes = new LinkedHashSet<>();
    for (RootCause member : group) {
      Finding speaker = RootCauses.speaker(member);
      if (speaker == null) {
        continue;
      }
      if (group.size() == 1 && speaker.attribute(Attributes.TIMEOUT) != null) {
        out.write("    timeout: " + speaker.attribute(Attributes.TIMEOUT) + "\n");
      }
      fixes.add(speaker.remediation());
    }
    for (String fix : fixes) {
      out.write("    fix: " + fix + "\n");
    }
  }

  private void writeSource(String line, int lineNo, int column, int width, Writer out)
      throws IOException {
    String num = String.valueOf(lineNo);
    int col = Math.max(1, column);
    out.write("  " + num + " | " + expandTabs(line) + "\n");
    out.write("  " + " ".repeat(num.length()) + " | " + " ".repeat(displayColumn(line, col - 1))
        + paint("^" + "~".repeat(Math.max(0, width - 1)), "31") + "\n");
  }

  private static void writeChain(List<ChainHop> chain, String indent, Writer out)
      throws IOException {
    int depth = 0;
    for (ChainHop h : chain) {
      out.write(indent + "  ".repeat(depth) + (depth == 0 ? "" : "-> ") + h.function() + " calls "
          + h.call() + "  (" + h.path() + ":" + h.line() + ")\n");
      depth++;
    }
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
      int causes = report.rootCauses().size();
      sb.append(n).append(n == 1 ? " finding" : " findings").append(" reaching ").append(causes)
          .append(causes == 1 ? " root cause" : " root causes").append(" in ").append(sum.files())
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
