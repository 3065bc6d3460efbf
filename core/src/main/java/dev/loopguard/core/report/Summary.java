package dev.loopguard.core.report;

import dev.loopguard.core.model.Finding;
import dev.loopguard.core.model.Priority;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Counts of findings by category and priority, and the orders reports list findings in. */
public final class Summary {
  /** Most urgent first: priority, then confidence, then place. */
  public static final Comparator<Finding> BY_URGENCY = Comparator
      .comparing(Finding::priority)
      .thenComparing(Finding::confidence)
      .thenComparing(Finding::path)
      .thenComparingInt(Finding::line)
      .thenComparingInt(f -> f.span().column())
      .thenComparing(Finding::rule);

  private final Map<String, int[]> byCategory = new TreeMap<>();
  private final int[] byPriority = new int[Priority.values().length];
  private final int total;
  private final long files;

  public Summary(List<Finding> findings) {
    for (Finding f : findings) {
      byCategory.computeIfAbsent(f.category(), k -> new int[Priority.values().length])[f.priority().ordinal()]++;
      byPriority[f.priority().ordinal()]++;
    }
    this.total = findings.size();
    this.files = findings.stream().map(Finding::path).distinct().count();
  }

  public static List<Finding> byUrgency(List<Finding> findings) {
    List<Finding> out = new ArrayList<>(findings);
    out.sort(BY_URGENCY);
    return out;
  }

  /** Categories with findings, sorted by name. */
  public Set<String> categories() {
    return byCategory.keySet();
  }

  public int count(String category, Priority p) {
    int[] c = byCategory.get(category);
    return c == null ? 0 : c[p.ordinal()];
  }

  public int count(String category) {
    int[] c = byCategory.get(category);
    int n = 0;
    if (c != null) {
      for (int x : c) {
        n += x;
      }
    }
    return n;
  }

  public int count(Priority p) {
    return byPriority[p.ordinal()];
  }

  public int total() {
    return total;
  }

  public long files() {
    return files;
  }

  /** {@code P0: 1, P1: 2} over the priorities that have findings. */
  public String priorities() {
    StringBuilder sb = new StringBuilder();
    for (Priority p : Priority.values()) {
      if (count(p) > 0) {
        sb.append(sb.length() == 0 ? "" : ", ").append(p.label()).append(": ").append(count(p));
      }
    }
    return sb.toString();
  }

  /** {@code http: 1, sleep: 2} over the categories that have findings. */
  public String categoriesLine() {
    StringBuilder sb = new StringBuilder();
    for (String c : categories()) {
      sb.append(sb.length() == 0 ? "" : ", ").append(c).append(": ").append(count(c));
    }
    return sb.toString();
  }

  /** A category's name for people: {@code http} is {@code HTTP}. */
  public static String categoryLabel(String category) {
    if (category == null) {
      return "Other";
    }
    return switch (category) {
      case "http" -> "HTTP";
      case "sleep" -> "Sleep";
      case "file" -> "File I/O";
      case "subprocess" -> "Subprocess";
      case "process-wait" -> "Process wait";
      case "input" -> "Console input";
      case "network" -> "Network";
      case "db" -> "Database";
      case "sdk" -> "SDK client";
      case "thread-wait" -> "Thread/future wait";
      case "cpu" -> "CPU-heavy work";
      default -> "Other";
    };
  }

  /** How often code at a priority runs, in words. */
  public static String frequency(Priority p) {
    return switch (p) {
      case P0 -> "per message or event";
      case P1 -> "per request";
      case P2 -> "background or other async work";
      case P3 -> "rarely";
    };
  }
}
