package dev.loopguard.core.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The rule-specific attributes of a finding, in the order the rule gave them: what the finding
 * is about ({@code api}, {@code category}), details ({@code timeout}) and where to read more
 * ({@code replacement}, {@code reference}, {@code fact}). Each attribute sits in a {@link Slot}
 * that says where formats with a fixed field order (the JSON contract) put it. Values are strings
 * or booleans; an attribute without a value is not kept.
 *
 * <p>Keys are a vocabulary shared by every rule ({@link #CATEGORY}, {@link #API}, ...), so that
 * reports render them the same way whichever rule set them; a rule may add keys of its own.
 */
public final class Attributes {
  /** The kind of operation, for grouping ({@code http}, {@code sleep}, ...). */
  public static final String CATEGORY = "category";
  /** The external API or operation the finding is about ({@code requests.post}). */
  public static final String API = "api";
  /** The timeout an outbound call has ({@code 15s}, {@code none}, {@code default}). */
  public static final String TIMEOUT = "timeout";
  /** The API to use instead. */
  public static final String REPLACEMENT = "replacement";
  /** Documentation to read. */
  public static final String REFERENCE = "reference";
  /** The id of the knowledge fact the finding rests on. */
  public static final String FACT = "fact";
  /** The finding rests on a heuristic rather than a fact. */
  public static final String INFERRED = "inferred";

  /** Where an attribute goes among a finding's generic fields. */
  public enum Slot {
    /** What the finding is about: after the function. */
    SUBJECT,
    /** A detail of the finding: after its context. */
    DETAIL,
    /** What to read or use: after the remediation. */
    REFERENCE
  }

  /** One attribute. */
  public record Attribute(String key, Object value, Slot slot) {}

  public static final Attributes NONE = new Attributes(List.of());

  private final List<Attribute> entries;

  private Attributes(List<Attribute> entries) {
    this.entries = entries;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Every attribute, in order. */
  public List<Attribute> entries() {
    return entries;
  }

  /** The attributes in {@code slot}, in order. */
  public List<Attribute> in(Slot slot) {
    List<Attribute> out = new ArrayList<>();
    for (Attribute a : entries) {
      if (a.slot() == slot) {
        out.add(a);
      }
    }
    return out;
  }

  /** The value of {@code key} as text, or null. */
  public String get(String key) {
    for (Attribute a : entries) {
      if (a.key().equals(key)) {
        return String.valueOf(a.value());
      }
    }
    return null;
  }

  /** Whether {@code key} is set to true. */
  public boolean flag(String key) {
    for (Attribute a : entries) {
      if (a.key().equals(key)) {
        return Boolean.TRUE.equals(a.value());
      }
    }
    return false;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Attributes a && a.entries.equals(entries);
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }

  @Override
  public String toString() {
    return entries.toString();
  }

  /** Builds attributes in order; null values and false flags are left out. */
  public static final class Builder {
    private final List<Attribute> entries = new ArrayList<>();

    public Builder put(String key, String value, Slot slot) {
      if (value != null) {
        remove(key);
        entries.add(new Attribute(key, value, slot));
      }
      return this;
    }

    public Builder flag(String key, boolean value, Slot slot) {
      remove(key);
      if (value) {
        entries.add(new Attribute(key, Boolean.TRUE, slot));
      }
      return this;
    }

    private void remove(String key) {
      entries.removeIf(a -> a.key().equals(key));
    }

    public Attributes build() {
      return entries.isEmpty() ? NONE : new Attributes(List.copyOf(entries));
    }
  }
}
