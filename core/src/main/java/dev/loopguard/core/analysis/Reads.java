package dev.loopguard.core.analysis;

/**
 * The project queries an evaluation made, as 64-bit hashes of their keys (the query's kind and
 * arguments; never 0): what call resolution depended on besides the modules it resolved. Each
 * module's {@link Contributions} says which keys its content answers; when no key a task read has
 * a different answer after a change, the task would compute the same again. Keys can collide: a
 * collision only makes a task look dependent when it is not.
 *
 * <p>Not thread-safe: one per task.
 */
public final class Reads {
  static final int FUNCTION = 1;
  static final int FUNCTIONS_NAMED = 2;
  static final int CLASS = 3;
  static final int VAR = 4;
  static final int ATTR = 5;
  static final int RETURNS = 6;
  static final int METHODS_NAMED = 7;
  static final int MODULE = 8;
  static final int MODULE_AT = 9;
  static final int STAR_IMPORTS = 10;

  private long[] slots = new long[1024];
  private int size;

  /** Records a key. */
  void note(long key) {
    if ((size + 1) * 2 > slots.length) {
      grow();
    }
    insert(slots, key);
  }

  private boolean insert(long[] table, long key) {
    int mask = table.length - 1;
    int i = (int) (key ^ (key >>> 32)) & mask;
    while (table[i] != 0) {
      if (table[i] == key) {
        return false;
      }
      i = (i + 1) & mask;
    }
    table[i] = key;
    if (table == slots) {
      size++;
    }
    return true;
  }

  private void grow() {
    long[] old = slots;
    slots = new long[old.length * 2];
    for (long k : old) {
      if (k != 0) {
        insert(slots, k);
      }
    }
  }

  /** The keys read, in no particular order. */
  public long[] keys() {
    long[] out = new long[size];
    int n = 0;
    for (long k : slots) {
      if (k != 0) {
        out[n++] = k;
      }
    }
    return out;
  }

  // Keys hash strings by their cached String.hashCode: a weak hash, but keys only decide whether
  // a task may depend on a change, and a collision only makes it look dependent.
  static long key(int kind, String a) {
    return mix(kind * 0x9E3779B97F4A7C15L + ((long) a.length() << 32 | (a.hashCode() & 0xFFFFFFFFL)));
  }

  static long key(int kind, String a, String b) {
    long h = kind * 0x9E3779B97F4A7C15L + ((long) a.length() << 32 | (a.hashCode() & 0xFFFFFFFFL));
    return mix(mix(h) + ((long) b.length() << 32 | (b.hashCode() & 0xFFFFFFFFL)));
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
    z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
    z ^= z >>> 33;
    return z == 0 ? 1 : z;
  }
}
