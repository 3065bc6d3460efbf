package dev.loopguard.core.ir;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * Shared immutable flag sets. The IR of a large tree holds hundreds of thousands of call sites
 * and functions, nearly all with one of a handful of flag combinations, so each combination is
 * one set, made once per enum.
 */
final class FlagSets {
  private FlagSets() {}

  /** Every combination of {@code type}'s constants, indexed by the bit mask of their ordinals. */
  @SuppressWarnings("unchecked")
  static <E extends Enum<E>> Set<E>[] all(Class<E> type) {
    E[] values = type.getEnumConstants();
    if (values.length > 10) {
      throw new IllegalArgumentException(type + " has too many constants to tabulate");
    }
    Set<E>[] table = new Set[1 << values.length];
    for (int mask = 0; mask < table.length; mask++) {
      EnumSet<E> s = EnumSet.noneOf(type);
      for (E e : values) {
        if ((mask & (1 << e.ordinal())) != 0) {
          s.add(e);
        }
      }
      table[mask] = Collections.unmodifiableSet(s);
    }
    return table;
  }

  /** The shared set of {@code table} equal to {@code flags}. */
  static <E extends Enum<E>> Set<E> canonical(Set<E> flags, Set<E>[] table) {
    int mask = 0;
    for (E e : flags) {
      mask |= 1 << e.ordinal();
    }
    return table[mask];
  }
}
