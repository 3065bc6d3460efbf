package dev.loopguard.core.report.audit;

import dev.loopguard.core.result.ScanResult;
import dev.loopguard.core.model.ChainHop;
import dev.loopguard.core.model.Confidence;
import dev.loopguard.core.model.Attributes;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.model.RootCause;
import dev.loopguard.core.report.RootCauses;
import dev.loopguard.core.rules.ReportSections;
import dev.loopguard.core.rules.Rule;
import dev.loopguard.core.model.Observed;
import dev.loopguard.core.model.Priority;
import dev.loopguard.core.report.Evidence;
import dev.loopguard.core.report.Markdown;
import dev.loopguard.core.report.Report;
import dev.loopguard.core.report.Reporter;
import dev.loopguard.core.report.Summary;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * An audit in Markdown for people who decide: an executive summary with an overall status, the
 * key findings (the hottest root causes, each with the async functions that reach it), every finding by category with its location, analysis and verdict, a compliance
 * checklist, recommendations (immediate and later) and a conclusion.
 *
 * <p>Counts of blocking calls are of root causes (operations to fix); call sites are findings.
 *
 * <p>Status: FAIL when a finding runs on a hot path (P0, P1) with high or medium confidence;
 * WARN when there are other findings; PASS when there are none.
 */
public final class AuditReporter implements Reporter {
  private static final int KEY_FINDINGS = 5;

  @Override
  public String format() {
    return "audit";
  }

  /** The overall status of a set of findings: PASS, WARN or FAIL. */
  public static String status(List<Finding> findings) {
    if (findings.stream().anyMatch(AuditReporter::critical)) {
      return "FAIL";
    }
    return findings.isEmpty() ? "PASS" : "WARN";
  }

  /** A root cause is critical when a critical finding reaches it on a hot path of its own. */
  private static boolean critical(RootCause rc) {
    return RootCauses.paths(rc).stream().anyMatch(p -> critical(p.finding())
        && p.priority().atLeast(Priority.P1) && p.confidence().atLeast(Confidence.MEDIUM));
  }

  private static boolean critical(Finding f) {
    return f.priority().atLeast(Priority.P1) && f.confidence().atLeast(Confidence.MEDIUM);
  }

  @Override
  public void write(Report report, Writer out) throws IOException {
    ScanResult r = report.result();
    List<Finding> findings = Summary.byUrgency(r.findings());
    Summary sum = new Summary(findings);
    Evidence ev = new Evidence(report.evidence());
    StringBuilder sb = new StringBuilder();
    sb.append("# Event-loop blocking audit: ").append(report.projectName()).append("\n\n");

    // Executive summary
    String status = status(findings);
    long criticalPaths = findings.stream().filter(AuditReporter::critical).count();
    List<RootCause> causes = report.rootCauses();
    long critical = causes.stream().filter(AuditReporter::critical).count();
    sb.append("## Executive summary\n\n");
    sb.append("**Overall status: ").append(status).append("** — ");
    switch (status) {
      case "FAIL" -> sb.append(Markdown.plural(critical, "blocking call runs", "blocking calls run"))
          .append(" on hot paths (P0 or P1) of the event loop, reached from ")
          .append(Markdown.plural(criticalPaths, "call site", "call sites"))
          .append(" of async code, and must be fixed.\n\n");
      case "WARN" -> sb.append(Markdown.plural(causes.size(), "blocking call reaches", "blocking calls reach"))
          .append(" the event loop, none of them on a hot path with high or medium confidence.\n\n");
      default -> sb.append("no blocking call reaches the event loop in the scanned code.\n\n");
    }
    ScanResult.Stats s = r.stats();
    sb.append(Markdown.header(List.of("Measure", "Value")));
    sb.append(Markdown.row(List.of("Findings", findings.isEmpty() ? "0"
        : findings.size() + " (" + sum.priorities() + ")")));
    sb.append(Markdown.row(List.of("Root causes (operations to fix)",
        String.valueOf(causes.size()))));
    sb.append(Markdown.row(List.of("Files with findings", String.valueOf(sum.files()))));
    sb.append(Markdown.row(List.of("Scanned", Markdown.plural(s.files(), "file", "files") + ", "
        + Markdown.plural(s.lines(), "line", "lines") + ", "
        + Markdown.plural(s.asyncFunctions(), "async function", "async functions"))));
    sb.append(Markdown.row(List.of("Already correct", Markdown.plural(ev.offloadCount(), "offload", "offloads")
        + ", " + Markdown.plural(ev.asyncApiCount(), "awaited async call", "awaited async calls"))));
    sb.append(Markdown.row(List.of("Suppressed", String.valueOf(r.suppressed().size()))));
    if (report.baselined() != null) {
      sb.append(Markdown.row(List.of("In the baseline (not shown)", String.valueOf(report.baselined()))));
    }
    if (!r.diagnostics().isEmpty()) {
      sb.append(Markdown.row(List.of("Files with problems", String.valueOf(r.diagnostics().size()))));
    }
    sb.append("\nStatus rules: FAIL when a finding runs on a hot path (P0: per message or event, P1:"
        + " per request) with high or medium confidence; WARN when there are other findings; PASS"
        + " when there are none.\n\n");

    // Key findings: the hottest root causes
    sb.append("## Key findings\n\n");
    if (causes.isEmpty()) {
      sb.append("None.\n\n");
    } else {
      int i = 0;
      for (RootCause rc : causes) {
        if (i++ == KEY_FINDINGS) {
          break;
        }
        sb.append(i).append(". **").append(RootCauses.priority(rc)).append("** ")
            .append(Markdown.code(rc.path() + ":" + rc.line())).append(" — ");
        if (RootCauses.isOwnFinding(rc)) {
          sb.append(Markdown.text(rc.findings().get(0).message()));
        } else {
          List<String> entries = RootCauses.entries(rc);
          sb.append(Markdown.code(rc.api())).append(" in ").append(Markdown.code(rc.function()))
              .append(" is reached on ").append(RootCauses.pathsLabel(rc)).append(" from ")
              .append(Markdown.places(entries.stream().map(Markdown::code).toList(), 3)).append('.');
        }
        sb.append(" (").append(Summary.categoryLabel(rc.category())).append(", ")
            .append(RootCauses.confidence(rc)).append(" confidence)\n");
      }
      if (causes.size() > KEY_FINDINGS) {
        sb.append("\n").append(Markdown.plural(causes.size() - KEY_FINDINGS, "more root cause",
            "more root causes")).append("; every finding is below.\n");
      }
      sb.append('\n');
    }

    // Findings by category
    sb.append("## Findings by category\n\n");
    if (findings.isEmpty()) {
      sb.append("None.\n\n");
    }
    for (String category : sum.categories()) {
      List<Finding> here = findings.stream().filter(f -> f.category().equals(category)).toList();
      sb.append("### ").append(Summary.categoryLabel(category)).append(" (").append(here.size()).append(")\n\n");
      for (Finding f : here) {
        sb.append("#### ").append(Markdown.code(f.path() + ":" + f.line())).append(" — ")
            .append(Markdown.code(f.subject())).append("\n\n");
        sb.append("- **Location:** ").append(Markdown.code(f.path() + ":" + f.line() + ":" + f.span().column()))
            .append(" in ").append(Markdown.code(f.function())).append('\n');
        sb.append("- **Analysis:** ").append(Markdown.text(f.message())).append(" Context: ")
            .append(Markdown.text(f.context())).append('.');
        Observed observed = report.observed().of(f);
        if (observed != null) {
          sb.append(" Evidence: ").append(Markdown.text(observed.describe())).append('.');
        }
        if (f.attribute(Attributes.TIMEOUT) != null) {
          sb.append(" Timeout: ").append(Markdown.text(f.attribute(Attributes.TIMEOUT))).append('.');
        }
        sb.append(" Confidence: ").append(f.confidence().label()).append(" (").append(confidenceWhy(f)).append(").\n");
        if (!f.causes().isEmpty() && f.causes().size() > 1) {
          sb.append("- **Root causes:** ").append(Markdown.places(f.causes().stream()
              .map(c -> Markdown.code(c.api()) + " (" + Markdown.code(c.path() + ":" + c.line()) + ")"
                  + (c.once() ? " once per process" : "")).toList(), 5)).append('\n');
        }
        if (f.chain().size() > 1) {
          sb.append("- **Chain:** ");
          for (int i = 0; i < f.chain().size(); i++) {
            ChainHop h = f.chain().get(i);
            sb.append(i == 0 ? Markdown.code(h.function()) : "").append(" → ").append(Markdown.code(h.call()))
                .append(" (").append(Markdown.code(h.path() + ":" + h.line())).append(')');
          }
          sb.append('\n');
        }
        sb.append("- **Verdict:** ").append(verdict(f)).append('\n');
        sb.append("- **Fix:** ").append(Markdown.text(f.remediation())).append("\n\n");
      }
    }

    // Compliance checklist
    sb.append("## Compliance checklist\n\n");
    for (Rule rule : report.rules()) {
      for (ReportSections.Check c : rule.reportSections().checklist()) {
        check(sb, c.title(), findings, f -> f.rule().equals(rule.id()) && c.fails().test(f));
      }
    }
    List<Finding> chains = findings.stream().filter(f -> f.chain().size() > 1).toList();
    sb.append("- [").append(chains.isEmpty() ? "x" : " ").append("] Offloading used where needed (")
        .append(Markdown.plural(ev.offloadCount(), "offload", "offloads")).append(" in place)");
    if (!chains.isEmpty()) {
      sb.append(" — ").append(Markdown.plural(chains.size(), "sync helper call blocks", "sync helper calls block"))
          .append(" the loop: ").append(where(chains));
    }
    sb.append('\n');
    List<Finding> noTimeout = findings.stream().filter(f -> "none".equals(f.attribute(Attributes.TIMEOUT))).toList();
    sb.append("- [").append(noTimeout.isEmpty() ? "x" : " ").append("] Timeouts set on network calls");
    if (!noTimeout.isEmpty()) {
      sb.append(" — ").append(Markdown.plural(noTimeout.size(), "call has", "calls have"))
          .append(" no timeout: ").append(where(noTimeout));
    }
    sb.append("\n\n");

    // Recommendations
    sb.append("## Recommendations\n\n");
    List<Finding> now = findings.stream().filter(f -> f.priority().atLeast(Priority.P1)).toList();
    List<Finding> later = findings.stream().filter(f -> !f.priority().atLeast(Priority.P1)).toList();
    sb.append("### Immediate (P0, P1)\n\n");
    recommend(sb, now, noTimeout.stream().filter(f -> f.priority().atLeast(Priority.P1)).toList());
    sb.append("### Later (P2, P3)\n\n");
    recommend(sb, later, noTimeout.stream().filter(f -> !f.priority().atLeast(Priority.P1)).toList());

    // Conclusion
    sb.append("## Conclusion\n\n");
    if (findings.isEmpty()) {
      sb.append("No blocking call reaches the event loop in the ").append(Markdown.plural(s.files(), "file", "files"))
          .append(" scanned");
      if (ev.offloadCount() + ev.asyncApiCount() > 0) {
        sb.append("; the async code awaits async APIs (").append(ev.asyncApiCount()).append(") and offloads blocking work (")
            .append(ev.offloadCount()).append(")");
      }
      sb.append(". Keep loopguard in CI so it stays that way.\n");
    } else {
      sb.append("loopguard found ").append(Markdown.plural(causes.size(), "blocking call", "blocking calls"))
          .append(" on the event loop, reached from ")
          .append(Markdown.plural(findings.size(), "call site", "call sites")).append(" in ")
          .append(Markdown.plural(sum.files(), "file", "files")).append(". ");
      if (critical > 0) {
        sb.append(critical == 1 ? "1 runs on a hot path and stalls every other request while it waits: fix it"
            : critical + " run on hot paths and stall every other request while they wait: fix them")
            .append(" before the next release. ");
      } else {
        sb.append("None runs on a hot path with high or medium confidence; fix them as the code is touched. ");
      }
      if (ev.offloadCount() + ev.asyncApiCount() > 0) {
        sb.append("The code already shows the pattern to follow: ")
            .append(Markdown.plural(ev.asyncApiCount(), "awaited async call", "awaited async calls")).append(" and ")
            .append(Markdown.plural(ev.offloadCount(), "offload", "offloads")).append(".");
      } else {
        sb.append("Use the async APIs named in each fix, or offload the call to a worker thread.");
      }
      sb.append('\n');
    }
    out.write(sb.toString());
    out.flush();
  }

  private static String confidenceWhy(Finding f) {
    return switch (f.confidence()) {
      case HIGH -> "the call is in the async function";
      case MEDIUM -> "reached through sync helpers in the repository";
      case LOW -> "rests on code outside the repository";
    };
  }

  private static String verdict(Finding f) {
    String when = Summary.frequency(f.priority());
    if (f.confidence() == Confidence.LOW) {
      return "Review — loopguard presumes this blocks; it runs " + when + ".";
    }
    return switch (f.priority()) {
      case P0, P1 -> "Must fix — blocks the event loop " + when + ".";
      case P2 -> "Should fix — blocks the event loop in " + when + ".";
      case P3 -> "Fix when convenient — runs " + when + ".";
    };
  }

  private static void check(StringBuilder sb, String title, List<Finding> findings, Predicate<Finding> which) {
    List<Finding> bad = findings.stream().filter(which).toList();
    sb.append("- [").append(bad.isEmpty() ? "x" : " ").append("] ").append(title);
    if (!bad.isEmpty()) {
      sb.append(" — ").append(Markdown.plural(bad.size(), "finding", "findings")).append(": ").append(where(bad));
    }
    sb.append('\n');
  }

  private static String where(List<Finding> findings) {
    List<String> places = new ArrayList<>();
    for (Finding f : findings) {
      places.add(Markdown.code(f.path() + ":" + f.line()));
    }
    return Markdown.places(places, 5);
  }

  private static void recommend(StringBuilder sb, List<Finding> findings, List<Finding> noTimeout) {
    if (findings.isEmpty()) {
      sb.append("Nothing to do.\n\n");
      return;
    }
    Map<String, List<Finding>> byFix = new LinkedHashMap<>();
    for (Finding f : findings) {
      byFix.computeIfAbsent(f.remediation(), k -> new ArrayList<>()).add(f);
    }
    int i = 0;
    for (Map.Entry<String, List<Finding>> e : byFix.entrySet()) {
      sb.append(++i).append(". ").append(e.getKey()).append(" — ").append(where(e.getValue())).append('\n');
    }
    if (!noTimeout.isEmpty()) {
      sb.append(++i).append(". Pass an explicit timeout to the network calls that have none — ")
          .append(where(noTimeout)).append('\n');
    }
    sb.append('\n');
  }
}
