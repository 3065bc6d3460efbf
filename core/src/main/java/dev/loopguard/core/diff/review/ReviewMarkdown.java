package dev.loopguard.core.diff.review;

import dev.loopguard.core.Version;
import dev.loopguard.core.diff.review.ReviewResult.EvidenceItem;
import dev.loopguard.core.diff.review.ReviewResult.PathVerdict;
import dev.loopguard.core.diff.review.ReviewResult.Verdict;
import dev.loopguard.core.model.ChainHop;
import dev.loopguard.core.model.Attributes;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.report.Markdown;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Locale;

/** The review as the body of a pull-request comment (GitHub-flavoured Markdown). */
public final class ReviewMarkdown {
  /** A hidden marker, so a workflow can find and update its earlier comment. */
  public static final String MARKER = "<!-- loopguard-review -->";

  private ReviewMarkdown() {}

  public static void write(ReviewResult r, boolean timing, Writer out) throws IOException {
    StringBuilder sb = new StringBuilder();
    sb.append(MARKER).append('\n');
    sb.append("### loopguard review: ").append(icon(r.verdict())).append(' ').append(r.verdict().label());
    if (r.confidence() != null) {
      sb.append(" (").append(r.confidence().label()).append(" confidence)");
    }
    sb.append("\n\n");
    sb.append(switch (r.verdict()) {
      case FAIL -> "This change blocks the event loop: a synchronous call stalls every other request "
          + "on the loop until it returns.";
      case PASS -> "The changed async paths do not block the event loop.";
      case UNKNOWN -> "loopguard cannot judge this change for blocking calls on the event loop.";
    }).append("\n\n");
    for (String reason : r.reasons()) {
      sb.append("- ").append(escape(reason)).append('\n');
    }
    if (!r.paths().isEmpty()) {
      sb.append("\n| | Event-loop path | Change | Runs as | Why |\n|---|---|---|---|---|\n");
      for (PathVerdict p : r.paths()) {
        String verdict = icon(p.verdict()) + " " + p.verdict().label()
            + (p.confidence() != null ? ", " + p.confidence().label() : "");
        sb.append(Markdown.row(List.of(verdict, code(p.function()) + " " + code(p.path() + ":" + p.line()),
            escape(p.describeChange()), escape(p.context()), cell(p))));
      }
    }
    if (!r.newFindings().isEmpty()) {
      sb.append("\n#### New findings (").append(r.newFindings().size()).append(")\n\n");
      for (Finding f : r.newFindings()) {
        sb.append("- **").append(escape(f.subject())).append("** in ").append(code(f.function())).append(" ")
            .append(code(f.path() + ":" + f.line())).append(" (").append(f.confidence().label())
            .append(" confidence, ").append(f.priority().label()).append("): ").append(escape(f.message()))
            .append('\n');
        if (f.chain().size() > 1) {
          StringBuilder block = new StringBuilder();
          int depth = 0;
          for (ChainHop h : f.chain()) {
            block.append("  ").append("  ".repeat(depth)).append(depth == 0 ? "" : "-> ")
                .append(Markdown.plain(h.function())).append(" calls ").append(Markdown.plain(h.call()))
                .append("  (").append(Markdown.plain(h.path())).append(':').append(h.line()).append(")\n");
            depth++;
          }
          String fence = Markdown.fence(block);
          sb.append("  <details><summary>call chain</summary>\n\n  ").append(fence).append("text\n")
              .append(block).append("  ").append(fence).append("\n\n  </details>\n");
        }
        sb.append("  Fix: ").append(escape(f.remediation())).append('\n');
      }
    }
    if (!r.fixed().isEmpty()) {
      sb.append("\n#### Fixed (").append(r.fixed().size()).append(")\n\n");
      for (Finding f : r.fixed()) {
        sb.append("- ~~").append(escape(f.subject())).append(" in ").append(code(f.function())).append("~~ ")
            .append("(was ").append(code(f.path() + ":" + f.line())).append(")\n");
      }
    }
    List<PathVerdict> failing = r.paths().stream().filter(p -> p.verdict() == Verdict.FAIL).toList();
    List<Finding> old = failing.stream().flatMap(p -> p.findings().stream())
        .filter(f -> r.newFindings().stream().noneMatch(n -> n.fingerprint().equals(f.fingerprint()))).toList();
    if (!old.isEmpty()) {
      sb.append("\n<details><summary>Blocking calls already there before this change, on paths it touches (")
          .append(old.size()).append(")</summary>\n\n");
      for (Finding f : old) {
        sb.append("- ").append(escape(f.message())).append(' ').append(code(f.path() + ":" + f.line()))
            .append('\n');
      }
      sb.append("\n</details>\n");
    }
    if (!r.remediation().isEmpty()) {
      sb.append("\n#### How to fix\n\n");
      for (String m : r.remediation()) {
        sb.append("- ").append(escape(m.strip().replaceAll("\\s+", " "))).append('\n');
      }
    }
    for (String n : r.notes()) {
      sb.append("\n> ").append(escape(n)).append('\n');
    }
    ReviewResult.Stats s = r.stats();
    sb.append("\n<sub>").append(Version.NAME).append(' ').append(Version.get()).append(" · ")
        .append(escape(r.base())).append(" → ").append(escape(r.head())).append(" · ")
        .append(r.changedFiles().size()).append(r.changedFiles().size() == 1 ? " changed file" : " changed files")
        .append(", ").append(r.changes().size()).append(r.changes().size() == 1 ? " changed function" : " changed functions");
    if (timing) {
      sb.append(String.format(Locale.ROOT, " · %.1fs", s.seconds()));
    }
    sb.append("</sub>\n");
    out.write(sb.toString());
    out.flush();
  }

  private static String cell(PathVerdict p) {
    if (p.verdict() == Verdict.FAIL) {
      StringBuilder sb = new StringBuilder();
      for (Finding f : p.findings()) {
        sb.append(sb.length() == 0 ? "" : "<br>").append(code(f.subject())).append(" at ")
            .append(code(f.path() + ":" + f.line()));
        if (f.chain().size() > 1) {
          sb.append(" via ").append(code(f.chain().get(0).call()));
        }
        if (f.attribute(Attributes.REPLACEMENT) != null) {
          sb.append(" → use ").append(code(f.attribute(Attributes.REPLACEMENT)));
        }
      }
      return sb.toString();
    }
    if (p.verdict() == Verdict.PASS) {
      StringBuilder sb = new StringBuilder();
      for (EvidenceItem e : p.evidence()) {
        sb.append(sb.length() == 0 ? "" : "<br>");
        if (e.api() != null && e.text().contains(e.api())) {
          int at = e.text().indexOf(e.api());
          sb.append(escape(e.text().substring(0, at))).append(code(e.api()))
              .append(escape(e.text().substring(at + e.api().length())));
        } else {
          sb.append(escape(e.text()));
        }
      }
      return sb.toString();
    }
    return escape(p.reasons().isEmpty() ? "" : p.reasons().get(0));
  }

  private static String icon(Verdict v) {
    return switch (v) {
      case FAIL -> "\u274c";
      case PASS -> "\u2705";
      case UNKNOWN -> "\u2754";
    };
  }

  private static String code(String s) {
    return Markdown.code(s);
  }

  /** Text safe in Markdown paragraphs (and, through {@link Markdown#inTable}, table cells). */
  static String escape(String s) {
    return Markdown.text(s);
  }
}
