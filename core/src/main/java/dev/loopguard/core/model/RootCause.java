package dev.loopguard.core.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The unit people fix: one operation in the repository with every reported path that reaches it.
 * A finding that names no causes is its own root cause.
 *
 * @param id stable identity (see {@link Cause#id}; a finding's fingerprint for its own)
 * @param rule the rule of the findings
 * @param api what the operation calls (null when the finding names no API)
 * @param category its category (null when none)
 * @param path file of the operation
 * @param line its line
 * @param column its column
 * @param function the function holding it
 * @param functionLine that function's definition line (0 when unknown)
 * @param priority the hottest priority of the paths that reach it every time they run; P3 when
 *     every path reaches it only once per process
 * @param confidence the most confident path's
 * @param once whether every path reaches it only through one-time work
 * @param findings the findings that reach it (its paths), in report order
 * @param chains for each finding, its path to this operation
 */
public record RootCause(
    String id,
    String rule,
    String api,
    String category,
    String path,
    int line,
    int column,
    String function,
    int functionLine,
    Priority priority,
    Confidence confidence,
    boolean once,
    List<Finding> findings,
    List<List<ChainHop>> chains) {

  /** How many reported paths reach it. */
  public int paths() {
    return findings.size();
  }

  /**
   * The root causes of {@code findings}, hottest first (then most paths, then by place). A cause
   * of a finding counts only while the finding is reported.
   */
  public static List<RootCause> of(List<Finding> findings) {
    Map<String, Builder> byId = new LinkedHashMap<>();
    for (Finding f : findings) {
      if (f.causes().isEmpty()) {
        Builder b = byId.computeIfAbsent(f.rule() + '\0' + f.fingerprint(), k -> new Builder(
            f.fingerprint(), f.rule(), f.attribute(Attributes.API),
            f.attribute(Attributes.CATEGORY), f.path(), f.line(),
            f.span().column(), f.function(), 0));
        b.add(f, f.chain(), f.confidence(), false);
        continue;
      }
      for (Cause c : f.causes()) {
        Builder b = byId.computeIfAbsent(f.rule() + '\0' + c.id(), k -> new Builder(c.id(),
            f.rule(), c.api(), c.category(), c.path(), c.line(), c.column(), c.function(),
            c.functionLine()));
        b.add(f, c.chain(), c.confidence(), c.once());
      }
    }
    List<RootCause> out = new ArrayList<>(byId.size());
    for (Builder b : byId.values()) {
      out.add(b.build());
    }
    out.sort(Comparator.comparing(RootCause::priority, Comparator.nullsLast(Comparator.naturalOrder()))
        .thenComparing(Comparator.comparingInt(RootCause::paths).reversed())
        .thenComparing(RootCause::path)
        .thenComparingInt(RootCause::line)
        .thenComparingInt(RootCause::column));
    return out;
  }

  private static final class Builder {
    private final String id;
    private final String rule;
    private final String api;
    private final String category;
    private final String path;
    private final int line;
    private final int column;
    private final String function;
    private final int functionLine;
    private final List<Finding> findings = new ArrayList<>();
    private final List<List<ChainHop>> chains = new ArrayList<>();
    private Priority hottest;
    private Priority hottestOnce;
    private Confidence confidence;
    private boolean once = true;

    Builder(String id, String rule, String api, String category, String path, int line,
        int column, String function, int functionLine) {
      this.id = id;
      this.rule = rule;
      this.api = api;
      this.category = category;
      this.path = path;
      this.line = line;
      this.column = column;
      this.function = function;
      this.functionLine = functionLine;
    }

    void add(Finding f, List<ChainHop> chain, Confidence c, boolean pathOnce) {
      findings.add(f);
      chains.add(chain);
      if (c != null && (confidence == null || c.ordinal() < confidence.ordinal())) {
        confidence = c;
      }
      Priority p = f.priority();
      if (pathOnce) {
        hottestOnce = hotter(hottestOnce, p);
      } else {
        once = false;
        hottest = hotter(hottest, p);
      }
    }

    private static Priority hotter(Priority a, Priority b) {
      if (a == null) {
        return b;
      }
      return b == null || a.ordinal() <= b.ordinal() ? a : b;
    }

    RootCause build() {
      Priority p = once ? (hottestOnce == null ? null : Priority.P3) : hottest;
      return new RootCause(id, rule, api, category, path, line, column, function, functionLine, p,
          confidence, once, List.copyOf(findings), List.copyOf(chains));
    }
  }
}
