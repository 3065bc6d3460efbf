package dev.loopguard.core.config;

import dev.loopguard.core.model.Confidence;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.model.Priority;
import java.util.Collection;
import java.util.Locale;

/**
 * Which reported findings make the scan fail (exit code 1): those at {@code priority} or hotter
 * and at {@code confidence} or surer; {@code never} makes no finding fail the scan.
 *
 * <p>Written as {@code "any"} (the default: every reported finding), {@code "never"}, a priority
 * ({@code "P1"}: P0 and P1), a confidence ({@code "medium"}: high and medium), or a table with
 * both ({@code {priority = "P2", confidence = "medium"}}).
 */
public record FailOn(Priority priority, Confidence confidence, boolean never) {
  public static final FailOn ANY = new FailOn(Priority.P3, Confidence.LOW, false);
  public static final FailOn NEVER = new FailOn(Priority.P3, Confidence.LOW, true);

  public boolean fails(Finding f) {
    return !never && f.priority().atLeast(priority) && f.confidence().atLeast(confidence);
  }

  public boolean failsAny(Collection<Finding> findings) {
    return findings.stream().anyMatch(this::fails);
  }

  /** Parses the one-word form; null when {@code text} is none of them. */
  public static FailOn parseWord(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    switch (t) {
      case "any":
        return ANY;
      case "never":
      case "none":
        return NEVER;
      case "high":
      case "medium":
      case "low":
        return new FailOn(Priority.P3, Confidence.parse(t), false);
      case "p0":
      case "p1":
      case "p2":
      case "p3":
        return new FailOn(Priority.parse(t), Confidence.LOW, false);
      default:
        return null;
    }
  }

  /** How the threshold reads in messages: {@code P1 or hotter}, {@code any finding}. */
  public String describe() {
    if (never) {
      return "never";
    }
    boolean p = priority != Priority.P3;
    boolean c = confidence != Confidence.LOW;
    if (!p && !c) {
      return "any finding";
    }
    StringBuilder sb = new StringBuilder();
    if (p) {
      sb.append(priority.label()).append(priority == Priority.P0 ? "" : " or hotter");
    }
    if (c) {
      sb.append(p ? " with " : "").append(confidence.label())
          .append(confidence == Confidence.HIGH ? "" : " or higher").append(" confidence");
    }
    return sb.toString();
  }
}
