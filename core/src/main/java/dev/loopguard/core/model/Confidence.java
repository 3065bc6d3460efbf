package dev.loopguard.core.model;

import java.util.Locale;

/** How sure loopguard is that a finding is real. Separate from how much it matters (Priority). */
public enum Confidence {
  /** The blocking call is visible in the async function itself. */
  HIGH,
  /** Reached through sync helpers in the repository. */
  MEDIUM,
  /** Rests on code outside the repository that is only presumed to block. */
  LOW;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Confidence parse(String s) {
    return valueOf(s.trim().toUpperCase(Locale.ROOT));
  }

  public Confidence min(Confidence other) {
    return other.ordinal() > ordinal() ? other : this;
  }

  public boolean atLeast(Confidence other) {
    return ordinal() <= other.ordinal();
  }
}
