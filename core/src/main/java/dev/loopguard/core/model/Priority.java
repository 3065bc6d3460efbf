package dev.loopguard.core.model;

import java.util.Locale;

/** How hot the path is: P0 runs per message or per event, P3 rarely. */
public enum Priority {
  P0,
  P1,
  P2,
  P3;

  public String label() {
    return name();
  }

  public static Priority parse(String s) {
    return valueOf(s.trim().toUpperCase(Locale.ROOT));
  }

  public boolean atLeast(Priority other) {
    return ordinal() <= other.ordinal();
  }
}
