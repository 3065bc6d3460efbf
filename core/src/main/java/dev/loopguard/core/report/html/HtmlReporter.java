package dev.loopguard.core.report.html;

import dev.loopguard.core.Version;
import dev.loopguard.core.result.ScanResult;
import dev.loopguard.core.result.UnusedSuppression;
import dev.loopguard.core.ir.Diagnostic;
import dev.loopguard.core.model.ChainHop;
import dev.loopguard.core.model.Attributes;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.model.RootCause;
import dev.loopguard.core.report.RootCauses;
import dev.loopguard.core.model.Observed;
import dev.loopguard.core.model.Priority;
import dev.loopguard.core.report.Report;
import dev.loopguard.core.report.Reporter;
import dev.loopguard.core.report.Summary;
import dev.loopguard.core.report.text.TextReporter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * One self-contained HTML file (no network): a chart of findings by category and priority, the
 * root causes (hottest first, each with its paths), and a findings table (each finding linking to
 * the root causes it reaches) that sorts by any column, filters by text, priority and category, and expands
 * each chain. Rows are in the page itself, so it reads without scripts too; the script sorts by
 * priority on load and takes initial filters from the address fragment
 * ({@code #q=sleep&priority=P1&category=http}).
 */
public final class HtmlReporter implements Reporter {
  private static final String[] PRIORITY_COLORS = {"#b71c1c", "#e65100", "#f9a825", "#78909c"};
  private static final int BAR_WIDTH = 480;

  @Override
  public String format() {
    return "html";
  }

  @Override
  public void write(Report report, Writer out) throws IOException {
    ScanResult r = report.result();
    List<Finding> findings = r.findings();
    Summary sum = new Summary(findings);
    StringBuilder sb = new StringBuilder();
    String title = "loopguard report: " + report.projectName();
    sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>").append(esc(title)).append("</title>\n<style>\n").append(resource("report.css"))
        .append("</style>\n</head>\n<body>\n");
    sb.append("<header>\n<h1>").append(esc(title)).append("</h1>\n<p id=\"summary\">")
        .append(esc(TextReporter.summary(report))).append("</p>\n</header>\n<main>\n");

    chart(sb, sum);
    List<RootCause> causes = report.rootCauses();
    rootCauses(sb, causes, report);

    sb.append("<section id=\"findings\">\n<h2>Findings</h2>\n<div class=\"controls\">\n")
        .append("<input id=\"filter\" type=\"search\" placeholder=\"Filter by text\" aria-label=\"Filter by text\">\n")
        .append("<select id=\"priority\" aria-label=\"Priority\"><option value=\"\">All priorities</option>");
    for (Priority p : Priority.values()) {
      sb.append("<option value=\"").append(p.label()).append("\">").append(p.label()).append("</option>");
    }
    sb.append("</select>\n<select id=\"category\" aria-label=\"Category\"><option value=\"\">All categories</option>");
    for (String c : sum.categories()) {
      sb.append("<option value=\"").append(esc(c)).append("\">").append(esc(Summary.categoryLabel(c))).append("</option>");
    }
    sb.append("</select>\n<span class=\"count\"><span id=\"shown\">").append(findings.size())
        .append("</span> of ").append(findings.size()).append(" shown</span>\n</div>\n");
    sb.append("<table id=\"findings-table\">\n<thead><tr>")
        .append(th("priority", "Priority")).append(th("confidence", "Confidence"))
        .append(th("category", "Category")).append(th("location", "Location"))
        .append(th("function", "Function")).append(th("api", "Call"))
        .append("<th>Details</th></tr></thead>\n<tbody>\n");
    Map<String, RootCause> byId = new HashMap<>();
    causes.forEach(rc -> byId.put(rc.id(), rc));
    for (Finding f : findings) {
      row(sb, f, report.observed().of(f), byId);
    }
    sb.append("</tbody>\n</table>\n<p id=\"empty\"").append(findings.isEmpty() ? "" : " hidden")
        .append(">No findings.</p>\n</section>\n");

    if (!r.diagnostics().isEmpty() || (report.unusedSuppressions() != null && !report.unusedSuppressions().isEmpty())) {
      sb.append("<section id=\"notes\">\n<h2>Notes</h2>\n<ul>\n");
      for (Diagnostic d : r.diagnostics()) {
        sb.append("<li><code>").append(esc(d.path() + (d.line() > 0 ? ":" + d.line() : ""))).append("</code> ")
            .append(esc(d.kind())).append(": ").append(esc(d.message())).append("</li>\n");
      }
      if (report.unusedSuppressions() != null) {
        for (UnusedSuppression u : report.unusedSuppressions()) {
          sb.append("<li><code>").append(esc(u.path() + ":" + u.line())).append("</code> unused suppression: '")
              .append(esc(u.text())).append("' silences nothing.</li>\n");
        }
      }
      sb.append("</ul>\n</section>\n");
    }
    sb.append("</main>\n<footer>Generated by ").append(esc(Version.NAME + " " + Version.get()))
        .append(". Self-contained: this file loads nothing from the network.</footer>\n");
    sb.append("<script>\n").append(resource("report.js")).append("</script>\n</body>\n</html>\n");
    out.write(sb.toString());
    out.flush();
  }

  private static String th(String key, String label) {
    return "<th data-key=\"" + key + "\" tabindex=\"0\" aria-sort=\"none\">" + label + "</th>";
  }

  /**
   * The root causes, hottest first: one row each (priority, confidence, operation, place,
   * function, paths) with its paths (entry, place, priority, context, chain) folded under it.
   * Static: it reads without scripts, and the findings table links to its rows.
   */
  private static void rootCauses(StringBuilder sb, List<RootCause> causes, Report report) {
    int paths = causes.stream().mapToInt(RootCause::paths).sum();
    sb.append("<section id=\"root-causes\">\n<h2>Root causes</h2>\n");
    if (causes.isEmpty()) {
      sb.append("<p>No root causes.</p>\n</section>\n");
      return;
    }
    sb.append("<p class=\"count\">").append(causes.size())
        .append(causes.size() == 1 ? " operation" : " operations").append(" to fix, reached on ")
        .append(paths).append(paths == 1 ? " path" : " paths")
        .append(" (one per finding and root cause it reaches), hottest first.</p>\n");
    sb.append("<table id=\"root-causes-table\">\n<thead><tr><th>Priority</th><th>Confidence</th>")
        .append("<th>Category</th><th>Location</th><th>Function</th><th>Call</th><th>Paths</th>")
        .append("</tr></thead>\n<tbody>\n");
    for (RootCause rc : causes) {
      String prio = RootCauses.priority(rc);
      sb.append("<tr class=\"root-cause\" id=\"rc-").append(esc(rc.id()))
          .append("\" data-priority=\"").append(prio).append("\">\n");
      sb.append("<td><span class=\"pill ").append(prio.toLowerCase(Locale.ROOT)).append("\">")
          .append(prio).append("</span></td>");
      sb.append("<td>").append(RootCauses.confidence(rc)).append("</td>");
      sb.append("<td>").append(esc(Summary.categoryLabel(rc.category()))).append("</td>");
      sb.append("<td><code>").append(esc(rc.path() + ":" + rc.line() + ":" + rc.column()))
          .append("</code></td>");
      sb.append("<td><code>").append(esc(rc.function())).append("</code></td>");
      sb.append("<td><code>").append(esc(rc.api())).append("</code></td>\n");
      sb.append("<td><details class=\"chain\"><summary>")
          .append(esc(RootCauses.pathsLabel(rc))).append("</summary><ol>");
      for (RootCauses.PathTo p : RootCauses.paths(rc)) {
        Observed observed = report.observed().of(p.finding());
        sb.append("<li><code>").append(esc(p.entry())).append("</code> <span class=\"where\">")
            .append(esc(p.where())).append("</span> <span class=\"pill ")
            .append(p.priority().label().toLowerCase(Locale.ROOT)).append("\">")
            .append(p.priority().label()).append("</span> ").append(p.confidence().label())
            .append(" <span class=\"where\">").append(esc(p.context()))
            .append(observed == null ? "" : "; " + esc(observed.describe())).append("</span>");
        if (p.chain().size() > 1) {
          sb.append("<ol>");
          for (ChainHop h : p.chain()) {
            sb.append("<li><code>").append(esc(h.function())).append("</code> calls <code>")
                .append(esc(h.call())).append("</code> <span class=\"where\">")
                .append(esc(h.path() + ":" + h.line())).append("</span></li>");
          }
          sb.append("</ol>");
        }
        sb.append("</li>");
      }
      sb.append("</ol></details>");
      Finding speaker = RootCauses.speaker(rc);
      if (speaker != null) {
        sb.append("<div class=\"fix\">").append(esc(speaker.remediation())).append("</div>");
      }
      sb.append("</td>\n</tr>\n");
    }
    sb.append("</tbody>\n</table>\n</section>\n");
  }

  private static void row(StringBuilder sb, Finding f, Observed observed,
      Map<String, RootCause> rootCauses) {
    String text = String.join(" ", f.path(), f.function(), f.subject(), f.category(), f.message(),
        f.context(), f.priority().label(), f.confidence().label()).toLowerCase(Locale.ROOT);
    sb.append("<tr class=\"finding\" data-priority=\"").append(f.priority().label())
        .append("\" data-category=\"").append(esc(f.category()))
        .append("\" data-sort-priority=\"").append(f.priority().ordinal())
        .append("\" data-sort-confidence=\"").append(f.confidence().ordinal())
        .append("\" data-sort-category=\"").append(esc(f.category()))
        .append("\" data-sort-location=\"").append(esc(f.path())).append(':')
        .append(String.format(Locale.ROOT, "%08d:%06d", f.line(), f.span().column()))
        .append("\" data-sort-function=\"").append(esc(f.function()))
        .append("\" data-sort-api=\"").append(esc(f.subject()))
        .append("\" data-text=\"").append(esc(text)).append("\">\n");
    sb.append("<td><span class=\"pill ").append(f.priority().label().toLowerCase(Locale.ROOT)).append("\">")
        .append(f.priority().label()).append("</span></td>");
    sb.append("<td>").append(f.confidence().label()).append("</td>");
    sb.append("<td>").append(esc(Summary.categoryLabel(f.category()))).append("</td>");
    sb.append("<td><code>").append(esc(f.path() + ":" + f.line() + ":" + f.span().column())).append("</code></td>");
    sb.append("<td><code>").append(esc(f.function())).append("</code></td>");
    sb.append("<td><code>").append(esc(f.subject())).append("</code></td>\n");
    sb.append("<td><div class=\"message\">").append(esc(f.message())).append("</div>\n");
    if (f.chain().size() > 1) {
      sb.append("<details class=\"chain\"><summary>Chain: ").append(f.chain().size()).append(" calls</summary><ol>");
      for (ChainHop h : f.chain()) {
        sb.append("<li><code>").append(esc(h.function())).append("</code> calls <code>").append(esc(h.call()))
            .append("</code> <span class=\"where\">").append(esc(h.path() + ":" + h.line())).append("</span></li>");
      }
      sb.append("</ol></details>\n");
    }
    List<String> ids = f.rootCauseIds();
    if (!ids.isEmpty()) {
      sb.append("<div class=\"meta root-causes\"><span>").append(ids.size() == 1 ? "root cause:" : "root causes:");
      for (String id : ids) {
        RootCause rc = rootCauses.get(id);
        if (rc != null) {
          sb.append(" <a href=\"#rc-").append(esc(id)).append("\"><code>").append(esc(rc.api()))
              .append("</code> ").append(esc(rc.path() + ":" + rc.line())).append("</a>");
        }
      }
      sb.append("</span></div>\n");
    }
    sb.append("<div class=\"meta\">");
    if (observed != null) {
      sb.append("<span class=\"observed\">").append(esc(observed.describe())).append("</span>");
    }
    sb.append("<span>context: ").append(esc(f.context())).append("</span>");
    if (f.attribute(Attributes.TIMEOUT) != null) {
      sb.append("<span>timeout: ").append(esc(f.attribute(Attributes.TIMEOUT))).append("</span>");
    }
    if (f.excludedAs() != null) {
      sb.append("<span>in ").append(esc(f.excludedAs())).append(" code</span>");
    }
    sb.append("</div>\n<div class=\"fix\">").append(esc(f.remediation())).append("</div></td>\n</tr>\n");
  }

  /** A stacked bar per category, one colour per priority, as inline SVG. */
  private static void chart(StringBuilder sb, Summary sum) {
    sb.append("<section id=\"chart\">\n<h2>Findings by category and priority</h2>\n");
    if (sum.total() == 0) {
      sb.append("<p>No findings.</p>\n</section>\n");
      return;
    }
    int max = 1;
    for (String c : sum.categories()) {
      max = Math.max(max, sum.count(c));
    }
    int labelWidth = 150;
    int rowHeight = 26;
    int height = rowHeight * sum.categories().size() + 30;
    int width = labelWidth + BAR_WIDTH + 50;
    sb.append("<svg id=\"chart-svg\" role=\"img\" aria-label=\"Findings by category and priority\" width=\"")
        .append(width).append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width)
        .append(' ').append(height).append("\">\n");
    int y = 0;
    for (String c : sum.categories()) {
      sb.append("<g class=\"bar\" data-category=\"").append(esc(c)).append("\">");
      sb.append("<text x=\"0\" y=\"").append(y + 17).append("\">").append(esc(Summary.categoryLabel(c))).append("</text>");
      int x = labelWidth;
      for (Priority p : Priority.values()) {
        int n = sum.count(c, p);
        if (n == 0) {
          continue;
        }
        int w = Math.max(2, Math.round((float) n * BAR_WIDTH / max));
        sb.append("<rect x=\"").append(x).append("\" y=\"").append(y + 4).append("\" width=\"").append(w)
            .append("\" height=\"").append(rowHeight - 8).append("\" fill=\"").append(PRIORITY_COLORS[p.ordinal()])
            .append("\"><title>").append(esc(Summary.categoryLabel(c))).append(", ").append(p.label()).append(": ")
            .append(n).append("</title></rect>");
        x += w;
      }
      sb.append("<text x=\"").append(x + 6).append("\" y=\"").append(y + 17).append("\">").append(sum.count(c))
          .append("</text></g>\n");
      y += rowHeight;
    }
    int lx = labelWidth;
    for (Priority p : Priority.values()) {
      sb.append("<rect x=\"").append(lx).append("\" y=\"").append(y + 10).append("\" width=\"12\" height=\"12\" fill=\"")
          .append(PRIORITY_COLORS[p.ordinal()]).append("\"></rect><text x=\"").append(lx + 16).append("\" y=\"")
          .append(y + 21).append("\">").append(p.label()).append(" (").append(sum.count(p)).append(")</text>\n");
      lx += 90;
    }
    sb.append("</svg>\n</section>\n");
  }

  private static String resource(String name) {
    try (InputStream in = HtmlReporter.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }
}
