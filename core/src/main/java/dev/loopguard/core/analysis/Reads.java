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

  private final LongTable keys = new LongTable(512);

  /** Records a key. */
  void note(long key) {
    keys.put(key, 1);
  }

  /** The keys read, in no particular order. */
  public long[] keys() {
    return keys.keys();
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
