package dev.loopguard.core.report;

import dev.loopguard.core.model.Cause;
import dev.loopguard.core.model.ChainHop;
import dev.loopguard.core.model.Confidence;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.model.Priority;
import dev.loopguard.core.model.RootCause;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How reports present a root cause and its paths: which path to list first, which finding speaks
 * for the operation itself (its fix and timeout), and what else a path reaches.
 */
public final class RootCauses {
  private RootCauses() {}

  /**
   * One path to a root cause: the finding, its steps to the operation, and the finding's cause
   * for it (null when the finding is its own root cause).
   */
  public record PathTo(Finding finding, List<ChainHop> chain, Cause cause) {
    /** The async function the path starts in. */
    public String entry() {
      return finding.function();
    }

    /** Whether the path reaches the operation only once per process. */
    public boolean once() {
      return cause != null && cause.once();
    }

    /** How hot the path is: P3 when it runs the operation only once, else its finding's. */
    public Priority priority() {
      return once() ? Priority.P3 : finding.priority();
    }

    /** How sure the path is: its cause's confidence, else its finding's. */
    public Confidence confidence() {
      return cause != null && cause.confidence() != null ? cause.confidence() : finding.confidence();
    }

    /** Why that priority: the finding's context, and one-time initialisation when it is. */
    public String context() {
      return finding.context() + (once() ? "; one-time initialisation" : "");
    }

    /** Where the path leaves its entry function: {@code path:line:col} of the finding. */
    public String where() {
      return finding.path() + ":" + finding.line() + ":" + finding.span().column();
    }
  }

  /** The paths of {@code rc}, most urgent first (priority, confidence, place). */
  public static List<PathTo> paths(RootCause rc) {
    List<PathTo> out = new ArrayList<>(rc.paths());
    for (int i = 0; i < rc.paths(); i++) {
      Finding f = rc.findings().get(i);
      Cause cause = f.causes().stream().filter(c -> c.id().equals(rc.id())).findFirst().orElse(null);
      out.add(new PathTo(f, rc.chains().get(i), cause));
    }
    out.sort(Comparator.comparing(PathTo::priority).thenComparing(PathTo::confidence)
        .thenComparing(PathTo::finding, Summary.BY_URGENCY));
    return out;
  }

  /**
   * Whether the root cause is one finding at its own location (a blocking call written in the
   * async function, say), or a finding that names no causes: reports show it as that finding.
   */
  public static boolean isOwnFinding(RootCause rc) {
    if (rc.paths() != 1) {
      return false;
    }
    Finding f = rc.findings().get(0);
    return f.causes().isEmpty() || f.chain().size() <= 1 && f.path().equals(rc.path()) && f.line() == rc.line()
        && f.span().column() == rc.column();
  }

  /**
   * The finding whose own chain leads to {@code rc} (its message, fix and attributes are about
   * this operation), the most urgent such; null when every path's finding is about another root
   * cause first.
   */
  public static Finding speaker(RootCause rc) {
    for (PathTo p : paths(rc)) {
      if (leadsTo(p.finding(), rc)) {
        return p.finding();
      }
    }
    return null;
  }

  /** Whether {@code f}'s own chain leads to {@code rc}. */
  public static boolean leadsTo(Finding f, RootCause rc) {
    return f.causes().isEmpty() ? rc.id().equals(f.fingerprint())
        : f.causes().get(0).id().equals(rc.id());
  }

  /**
   * The root causes in groups that read as one: those in the same function, at the same priority,
   * reached by the same findings (a helper that makes ten blocking calls, reached from 28
   * handlers). Groups are in the order of their first member; members keep their order.
   */
  public static List<List<RootCause>> groups(List<RootCause> causes) {
    Map<List<Object>, List<RootCause>> byKey = new LinkedHashMap<>();
    for (RootCause rc : causes) {
      List<String> findings = rc.findings().stream()
          .map(f -> f.path() + ":" + f.line() + ":" + f.span().column() + ":" + f.fingerprint())
          .sorted().toList();
      byKey.computeIfAbsent(List.of(rc.rule(), rc.path(), rc.function(),
          String.valueOf(rc.priority()), rc.once(), findings), k -> new ArrayList<>()).add(rc);
    }
    return new ArrayList<>(byKey.values());
  }

  /** {@code a, b, c and 4 more} of the first {@code max} other root causes {@code f} reaches. */
  public static String alsoReaches(Finding f, List<RootCause> group, int max) {
    List<String> ids = group.stream().map(RootCause::id).toList();
    List<String> others = f.causes().stream().filter(c -> !ids.contains(c.id()))
        .map(RootCauses::describe).toList();
    return Markdown.places(others, max);
  }

  /** {@code time.sleep (app/util.py:5)}. */
  public static String describe(Cause c) {
    return c.api() + " (" + c.path() + ":" + c.line() + ")";
  }

  /** {@code time.sleep at app/util.py:5:5 in app.util.backoff}. */
  public static String describe(RootCause rc) {
    return rc.api() + " at " + rc.path() + ":" + rc.line() + ":" + rc.column() + " in "
        + rc.function();
  }

  /** {@code 3 paths}, with {@code , one-time initialisation} when every path runs it once. */
  public static String pathsLabel(RootCause rc) {
    return Markdown.plural(rc.paths(), "path", "paths")
        + (rc.once() ? ", one-time initialisation" : "");
  }

  /** The distinct entry functions of the paths, most urgent first. */
  public static List<String> entries(RootCause rc) {
    return paths(rc).stream().map(PathTo::entry).distinct().toList();
  }

  /**
   * A chain on one line: {@code app.main.notify -> app.util.backoff (app/main.py:16) -> time.sleep
   * (app/util.py:5)}.
   */
  public static String oneLine(List<ChainHop> chain) {
    if (chain.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder(chain.get(0).function());
    for (ChainHop h : chain) {
      sb.append(" -> ").append(h.call()).append(" (").append(h.path()).append(':')
          .append(h.line()).append(')');
    }
    return sb.toString();
  }

  /** The priority label, {@code -} when unknown. */
  public static String priority(RootCause rc) {
    return rc.priority() == null ? "-" : rc.priority().label();
  }

  /** The confidence label, {@code -} when unknown. */
  public static String confidence(RootCause rc) {
    return rc.confidence() == null ? "-" : rc.confidence().label();
  }

  /**
   * How far the call at {@code column} (1-based) of {@code line} runs: to the bracket that closes
   * its first opening one, or the end of the line; the width in characters, at least 1.
   */
  public static int callWidth(String line, int column) {
    int start = Math.max(0, column - 1);
    if (start >= line.length()) {
      return 1;
    }
    int depth = 0;
    boolean opened = false;
    for (int i = start; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '(' || c == '[' || c == '{') {
        depth++;
        opened = true;
      } else if (c == ')' || c == ']' || c == '}') {
        depth--;
        if (depth <= 0) {
          return opened && depth == 0 ? i - start + 1 : Math.max(1, i - start);
        }
      }
    }
    return Math.max(1, line.stripTrailing().length() - start);
  }
}
