package dev.loopguard.core.model;

import java.util.Map;

/** Run-time observations by finding (findings without one were not observed). */
public final class Observations {
  public static final Observations NONE = new Observations(Map.of());

  private final Map<String, Observed> byKey;

  private Observations(Map<String, Observed> byKey) {
    this.byKey = byKey;
  }

  /** Observations keyed by {@link #key(Finding)}. */
  public static Observations of(Map<String, Observed> byKey) {
    return byKey.isEmpty() ? NONE : new Observations(Map.copyOf(byKey));
  }

  /** A finding's identity here: its fingerprint and where it is. */
  public static String key(Finding f) {
    return f.fingerprint() + '@' + f.path() + ':' + f.span().line() + ':' + f.span().column();
  }

  /** The observation of {@code f}, or null. */
  public Observed of(Finding f) {
    return byKey.isEmpty() ? null : byKey.get(key(f));
  }

  public boolean isEmpty() {
    return byKey.isEmpty();
  }

  public int size() {
    return byKey.size();
  }
}
