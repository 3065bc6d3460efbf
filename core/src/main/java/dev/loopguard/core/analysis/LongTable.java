package dev.loopguard.core.analysis;

/**
 * An open-addressing map from {@code long} keys (never 0) to {@code long} values (0 reads as
 * absent): hashed query keys, which are many, with no boxing. Not thread-safe.
 */
final class LongTable {
  private long[] keys;
  private long[] values;
  private int size;

  /** A table with room for about {@code expected} keys before it grows. */
  LongTable(int expected) {
    int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    keys = new long[capacity];
    values = new long[capacity];
  }

  /** The value of {@code key}, or 0 when it has none. */
  long get(long key) {
    int mask = keys.length - 1;
    for (int i = slot(key, mask); keys[i] != 0; i = (i + 1) & mask) {
      if (keys[i] == key) {
        return values[i];
      }
    }
    return 0;
  }

  /** Sets the value of {@code key} (not 0). */
  void put(long key, long value) {
    if ((size + 1) * 2 > keys.length) {
      grow();
    }
    int mask = keys.length - 1;
    int i = slot(key, mask);
    while (keys[i] != 0 && keys[i] != key) {
      i = (i + 1) & mask;
    }
    if (keys[i] == 0) {
      keys[i] = key;
      size++;
    }
    values[i] = value;
  }

  /** The keys, in no particular order. */
  long[] keys() {
    long[] out = new long[size];
    int n = 0;
    for (long k : keys) {
      if (k != 0) {
        out[n++] = k;
      }
    }
    return out;
  }

  private static int slot(long key, int mask) {
    return (int) (key ^ (key >>> 32)) & mask;
  }

  private void grow() {
    long[] oldKeys = keys;
    long[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    values = new long[oldKeys.length * 2];
    int mask = keys.length - 1;
    for (int k = 0; k < oldKeys.length; k++) {
      if (oldKeys[k] != 0) {
        int i = slot(oldKeys[k], mask);
        while (keys[i] != 0) {
          i = (i + 1) & mask;
        }
        keys[i] = oldKeys[k];
        values[i] = oldValues[k];
      }
    }
  }
}
