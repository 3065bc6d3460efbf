package dev.loopguard.core.report.inventory;

import dev.loopguard.core.result.ScanResult;
import dev.loopguard.core.model.ChainHop;
import dev.loopguard.core.model.Attributes;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.model.Observations;
import dev.loopguard.core.model.RootCause;
import dev.loopguard.core.report.RootCauses;
import dev.loopguard.core.rules.ReportSections;
import dev.loopguard.core.rules.Rule;
import dev.loopguard.core.model.Priority;
import dev.loopguard.core.report.CallSites;
import dev.loopguard.core.report.Evidence;
import dev.loopguard.core.report.Markdown;
import dev.loopguard.core.report.Report;
import dev.loopguard.core.report.Reporter;
import dev.loopguard.core.report.Summary;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * An inventory in Markdown for the people who fix, written as a migration issue is: one table per
 * kind of blocking call with one row per root cause, hottest first (the site to change, then the
 * async functions that reach it), what is already correct (offloads, async clients, awaited async
 * APIs), how clients are reused, and a phase plan from P0 down with the files and sites to change
 * in each phase.
 */
public final class InventoryReporter implements Reporter {
  private static final List<String> COLUMNS =
      List.of("Priority", "File:Line", "Call", "Entry points", "Context", "Timeout", "Frequency");
  /** How many entry points a row names; the rest are counted. */
  private static final int ENTRIES_SHOWN = 5;
  @Override
  public String format() {
    return "inventory";
  }

  @Override
  public void write(Report report, Writer out) throws IOException {
    ScanResult r = report.result();
    List<Finding> findings = Summary.byUrgency(r.findings());
    Summary sum = new Summary(findings);
    CallSites sites = new CallSites(r);
    Evidence ev = new Evidence(report.evidence());
    StringBuilder sb = new StringBuilder();
    sb.append("# Blocking-call inventory: ").append(report.projectName()).append("\n\n");
    ScanResult.Stats s = r.stats();
    List<RootCause> causes = report.rootCauses();
    sb.append(findings.isEmpty() ? "No blocking calls on the event loop"
        : Markdown.plural(causes.size(), "blocking call", "blocking calls") + " to change ("
            + priorities(causes) + "), reached from "
            + Markdown.plural(findings.size(), "call site", "call sites") + " of async code in "
            + Markdown.plural(sum.files(), "file", "files"))
        .append("; scanned ").append(Markdown.plural(s.files(), "file", "files")).append(", ")
        .append(Markdown.plural(s.asyncFunctions(), "async function", "async functions")).append(".\n\n");

    for (Rule rule : report.rules()) {
      ReportSections sections = rule.reportSections();
      for (ReportSections.Section sec : sections.inventory()) {
        List<RootCause> here = causes.stream()
            .filter(rc -> rc.rule().equals(rule.id()) && sec.holds().test(sortedBy(rc))).toList();
        section(sb, sec, here, sites, report.observed());
      }
    }

    if (report.unknownCalls() != null) {
      unknown(sb, report.unknownCalls());
    }

    // Already correct
    sb.append("## Already correct\n\n");
    sb.append("### Offloads (").append(ev.offloadCount()).append(")\n\n");
    table(sb, "Offloaded with", ev.offloads());
    sb.append("### Async clients (").append(ev.asyncClients().size()).append(")\n\n");
    table(sb, "Client", ev.asyncClients());
    sb.append("### Awaited async APIs (").append(ev.asyncApiCount()).append(")\n\n");
    table(sb, "API", ev.asyncApis());

    // Client reuse
    sb.append("## Client reuse\n\n");
    Map<String, List<String>> uses = new TreeMap<>();
    for (Finding f : findings) {
      if (!clientCall(report.rules(), f) || f.chain().isEmpty()) {
        continue;
      }
      ChainHop last = f.chain().get(f.chain().size() - 1);
      String client = CallSites.clientOf(f.subject());
      CallSites.ClientKind kind = sites.clientKind(last, f.subject());
      String name = client != null ? client : module(f.subject());
      uses.computeIfAbsent(name + "\u0000sync\u0000" + kind.label(), k -> new ArrayList<>())
          .add(Markdown.code(last.path() + ":" + last.line()));
    }
    for (var e : ev.raw()) {
      String client = CallSites.clientOf(e.api());
      if (!"async-api".equals(e.kind()) || client == null) {
        continue;
      }
      var m = sites.module(e.path());
      CallSites.ClientKind kind = m == null || e.callIndex() < 0 || e.callIndex() >= m.calls().size()
          ? CallSites.ClientKind.UNKNOWN : CallSites.clientKind(m, m.calls().get(e.callIndex()), e.api());
      List<String> places = uses.computeIfAbsent(client + "\u0000async\u0000" + kind.label(), k -> new ArrayList<>());
      String place = Markdown.code(e.path() + ":" + e.line());
      if (!places.contains(place)) {
        places.add(place);
      }
    }
    if (uses.isEmpty()) {
      sb.append("No client calls found.\n\n");
    } else {
      sb.append(Markdown.header(List.of("Client", "Kind", "How it is obtained", "Calls", "Places")));
      for (Map.Entry<String, List<String>> e : uses.entrySet()) {
        String[] k = e.getKey().split("\u0000");
        List<String> places = new ArrayList<>(new TreeSet<>(e.getValue()));
        sb.append(Markdown.row(List.of(Markdown.code(k[0]), k[1].equals("sync") ? "blocking" : "async",
            k[2], String.valueOf(e.getValue().size()), Markdown.places(places, 5))));
      }
      sb.append("\nA client created per call opens new connections every time; create it once (at"
          + " startup) and reuse it. A module-level function of a client library does the same.\n\n");
    }

    // Phase plan
    sb.append("## Suggested phase plan\n\n");
    if (findings.isEmpty()) {
      sb.append("Nothing to plan.\n");
    }
    int phase = 0;
    for (Priority p : Priority.values()) {
      List<RootCause> here = causes.stream().filter(rc -> rc.priority() == p).toList();
      if (here.isEmpty()) {
        continue;
      }
      Map<String, List<RootCause>> byFile = new TreeMap<>();
      here.forEach(rc -> byFile.computeIfAbsent(rc.path(), k -> new ArrayList<>()).add(rc));
      sb.append("### Phase ").append(++phase).append(" — ").append(p.label()).append(": ")
          .append(Summary.frequency(p)).append(" (")
          .append(Markdown.plural(here.size(), "blocking call", "blocking calls")).append(" in ")
          .append(Markdown.plural(byFile.size(), "file", "files")).append(")\n\n");
      for (Map.Entry<String, List<RootCause>> e : byFile.entrySet()) {
        List<RootCause> calls = new ArrayList<>(e.getValue());
        calls.sort((a, b) -> a.line() != b.line() ? Integer.compare(a.line(), b.line())
            : Integer.compare(a.column(), b.column()));
        List<String> items = new ArrayList<>();
        for (RootCause rc : calls) {
          items.add("line " + rc.line() + " " + Markdown.code(rc.api())
              + (RootCauses.isOwnFinding(rc) ? "" : " (" + RootCauses.pathsLabel(rc) + ")"));
        }
        sb.append("- ").append(Markdown.code(e.getKey())).append(": ").append(String.join(", ", items)).append('\n');
      }
      sb.append('\n');
    }
    out.write(sb.toString().stripTrailing() + "\n");
    out.flush();
  }

  /**
   * One table of root causes: the site to change, then the async functions that reach it, as a
   * migration issue is written.
   */
  private static void section(StringBuilder sb, ReportSections.Section sec, List<RootCause> here,
      CallSites sites, Observations observed) {
    if (here.isEmpty() && !sec.always()) {
      return;
    }
    sb.append("## ").append(sec.title()).append(" (").append(here.size()).append(")\n\n");
    if (here.isEmpty()) {
      sb.append("None found.\n\n");
      return;
    }
    sb.append(Markdown.header(COLUMNS));
    for (RootCause rc : here) {
      List<RootCauses.PathTo> paths = RootCauses.paths(rc);
      RootCauses.PathTo hottest = paths.get(0);
      String seen = paths.stream().map(p -> observed.of(p.finding())).filter(o -> o != null)
          .map(o -> "; " + o.describe()).findFirst().orElse("");
      Finding speaker = RootCauses.speaker(rc);
      String timeout = speaker == null ? null : speaker.attribute(Attributes.TIMEOUT);
      boolean inLoop = paths.stream().anyMatch(p -> sites.inLoop(p.finding()));
      sb.append(Markdown.row(List.of(
          "**" + RootCauses.priority(rc) + "**",
          Markdown.code(rc.path() + ":" + rc.line()),
          call(rc),
          entries(paths),
          Markdown.cell(hottest.context() + seen),
          timeout == null ? "—" : Markdown.cell(timeout),
          (rc.priority() == null ? "—" : Summary.frequency(rc.priority()))
              + (rc.once() ? ", once per process" : "") + (inLoop ? ", in a loop" : ""))));
    }
    sb.append('\n');
  }

  /**
   * The finding a section's test is put to for a root cause: a path written at the operation
   * itself, else the finding whose chain leads to it, else its most urgent path's.
   */
  private static Finding sortedBy(RootCause rc) {
    List<RootCauses.PathTo> paths = RootCauses.paths(rc);
    for (RootCauses.PathTo p : paths) {
      if (p.chain().size() <= 1 && RootCauses.leadsTo(p.finding(), rc)) {
        return p.finding();
      }
    }
    Finding speaker = RootCauses.speaker(rc);
    return speaker != null ? speaker : paths.get(0).finding();
  }

  /** The operation, and the function it is in when that is not the entry itself. */
  private static String call(RootCause rc) {
    if (RootCauses.isOwnFinding(rc)) {
      return Markdown.code(rc.api());
    }
    return Markdown.code(rc.api()) + " in " + Markdown.code(rc.function());
  }

  /** {@code `a` (`x.py:3`), `b` (`y.py:9`) and 4 more}, most urgent first. */
  private static String entries(List<RootCauses.PathTo> paths) {
    List<String> items = new ArrayList<>();
    for (RootCauses.PathTo p : paths) {
      String item = Markdown.code(p.entry());
      if (p.chain().size() > 1) {
        item += " (" + Markdown.code(p.finding().path() + ":" + p.finding().line()) + ")";
      }
      items.add(item);
    }
    return Markdown.places(items, ENTRIES_SHOWN);
  }

  /** {@code P0: 1, P1: 2} over the priorities of {@code causes}. */
  private static String priorities(List<RootCause> causes) {
    StringBuilder sb = new StringBuilder();
    for (Priority p : Priority.values()) {
      long n = causes.stream().filter(rc -> rc.priority() == p).count();
      if (n > 0) {
        sb.append(sb.length() == 0 ? "" : ", ").append(p.label()).append(": ").append(n);
      }
    }
    return sb.toString();
  }

  private static boolean clientCall(List<Rule> rules, Finding f) {
    for (Rule r : rules) {
      if (r.id().equals(f.rule())) {
        return r.reportSections().clientCalls().test(f);
      }
    }
    return false;
  }

  private static String module(String api) {
    int dot = api.lastIndexOf('.');
    return dot < 0 ? api : api.substring(0, dot);
  }

  private static void table(StringBuilder sb, String first, Map<String, List<Evidence.Place>> groups) {
    if (groups.isEmpty()) {
      sb.append("None found.\n\n");
      return;
    }
    sb.append(Markdown.header(List.of(first, "Count", "Places")));
    for (Map.Entry<String, List<Evidence.Place>> e : groups.entrySet()) {
      sb.append(Markdown.row(List.of(Markdown.code(e.getKey()), String.valueOf(e.getValue().size()),
          Evidence.places(e.getValue(), 5))));
    }
    sb.append('\n');
  }

  private static final int UNKNOWN_ROWS = 25;

  /** What we could not see: undescribed external calls on the loop, with the entry to declare each. */
  private static void unknown(StringBuilder sb, List<dev.loopguard.core.model.UndescribedCall> entries) {
    sb.append("## What we could not see (").append(entries.size()).append(")\n\n");
    if (entries.isEmpty()) {
      sb.append("Every external call made on the event loop is described by a fact.\n\n");
      return;
    }
    sb.append("External calls made on the event loop that no fact describes, most-reached first. "
        + "If one blocks, declare it under `[tool.loopguard.blocking]` in pyproject.toml "
        + "(or at the top level of `[blocking]` in loopguard.toml).\n\n");
    sb.append(Markdown.header(List.of("Async functions", "Sites", "Call", "First site", "Entry")));
    for (var e : entries.subList(0, Math.min(UNKNOWN_ROWS, entries.size()))) {
      sb.append(Markdown.row(List.of(String.valueOf(e.roots()), String.valueOf(e.sites()),
          Markdown.code(e.api()), Markdown.code(e.examplePath() + ":" + e.exampleLine()),
          Markdown.code(e.tomlEntry()))));
    }
    if (entries.size() > UNKNOWN_ROWS) {
      sb.append("\n").append(entries.size() - UNKNOWN_ROWS)
          .append(" more: `loopguard scan --unknown-calls` lists them all.\n");
    }
    sb.append('\n');
  }
}
