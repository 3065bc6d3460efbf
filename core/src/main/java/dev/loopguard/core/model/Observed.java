package dev.loopguard.core.model;

import java.util.List;
import java.util.Locale;

/**
 * What run-time evidence says about a finding: it was seen {@code count} times, the longest for
 * {@code longestSeconds} (null when no event gave a duration), in {@code sources} (evidence files
 * with their format, {@code events.jsonl (loopguard)}).
 */
public record Observed(int count, Double longestSeconds, List<String> sources) {
  public Observed {
    sources = List.copyOf(sources);
  }

  /** One phrase for reports: {@code observed 3 times at run time, longest 0.201 s (events.jsonl (loopguard))}. */
  public String describe() {
    StringBuilder sb = new StringBuilder("observed ").append(count)
        .append(count == 1 ? " time" : " times").append(" at run time");
    if (longestSeconds != null) {
      sb.append(", longest ").append(String.format(Locale.ROOT, "%.3f s", longestSeconds));
    }
    return sb.append(" (").append(String.join(", ", sources)).append(')').toString();
  }
}
