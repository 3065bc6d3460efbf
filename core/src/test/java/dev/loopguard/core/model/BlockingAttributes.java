package dev.loopguard.core.model;

/** perf-004-shaped attributes for hand-built findings in core tests. */
public final class BlockingAttributes {
  private BlockingAttributes() {}

  public static Attributes of(String category, String api, String timeout, String replacement,
      String reference, String fact, boolean inferred) {
    return Attributes.builder()
        .put(Attributes.CATEGORY, category, Attributes.Slot.SUBJECT)
        .put(Attributes.API, api, Attributes.Slot.SUBJECT)
        .put(Attributes.TIMEOUT, timeout, Attributes.Slot.DETAIL)
        .put(Attributes.REPLACEMENT, replacement, Attributes.Slot.REFERENCE)
        .put(Attributes.REFERENCE, reference, Attributes.Slot.REFERENCE)
        .put(Attributes.FACT, fact, Attributes.Slot.REFERENCE)
        .flag(Attributes.INFERRED, inferred, Attributes.Slot.REFERENCE)
        .build();
  }
}
