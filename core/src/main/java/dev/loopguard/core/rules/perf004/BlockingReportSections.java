package dev.loopguard.core.rules.perf004;

import dev.loopguard.core.model.Finding;
import dev.loopguard.core.rules.ReportSections;
import dev.loopguard.core.rules.ReportSections.Check;
import dev.loopguard.core.rules.ReportSections.Section;
import java.util.List;
import java.util.Set;

/**
 * perf-004's part of the inventory (one table per kind of blocking call, as a migration issue is
 * written) and of the audit's compliance checklist, by the categories of its knowledge facts.
 */
final class BlockingReportSections {
  private BlockingReportSections() {}

  private static final Set<String> CLIENT_CATEGORIES = Set.of("http", "db", "sdk", "network");

  private static boolean direct(Finding f) {
    return f.chain().size() <= 1;
  }

  private static boolean in(Finding f, String... categories) {
    return Set.of(categories).contains(f.category());
  }

  static final ReportSections SECTIONS = new ReportSections(
      List.of(
          new Section("Blocking HTTP in async functions", f -> direct(f) && in(f, "http"), true),
          new Section("Blocking work in sync code reached from async functions", f -> !direct(f), true),
          new Section("Thread and future waits",
              f -> direct(f) && in(f, "thread-wait", "process-wait"), true),
          new Section("Sleeps", f -> direct(f) && in(f, "sleep"), true),
          new Section("File I/O", f -> direct(f) && in(f, "file"), true),
          new Section("Database and SDK clients", f -> direct(f) && in(f, "db", "sdk"), true),
          new Section("Other blocking calls (subprocesses, sockets, console input, CPU-heavy work)",
              f -> direct(f) && in(f, "subprocess", "network", "input", "cpu", "other"), false)),
      List.of(
          new Check("No synchronous sleep in async code", f -> in(f, "sleep")),
          new Check("No blocking file I/O in async code", f -> in(f, "file")),
          new Check("No blocking HTTP or network calls in async code", f -> in(f, "http", "network")),
          new Check("No subprocess calls or process waits in async code",
              f -> in(f, "subprocess", "process-wait")),
          new Check("No blocking database or SDK calls in async code", f -> in(f, "db", "sdk")),
          new Check("No thread, future, lock or queue waits, CPU-heavy work or console input in async code",
              f -> in(f, "thread-wait", "cpu", "input", "other"))),
      f -> CLIENT_CATEGORIES.contains(f.category()));
}
