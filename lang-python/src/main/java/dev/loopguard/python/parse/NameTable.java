package dev.loopguard.python.parse;

import java.util.Arrays;

/**
 * Intern table for identifiers and number literals: one String instance per distinct text,
 * looked up straight from the source {@code char[]} without allocating.
 *
 * <p>Two levels: a static, immutable table (built once per JVM, so safe to share between
 * threads) holding the keywords with their token types, the soft keywords and {@link
 * CommonNames}; and a per-parse table for everything else. A hit in the static table allocates
 * nothing.
 *
 * <p>Layout for cache locality: open addressing over an {@code int[]} with 4 ints per slot
 * (hash, offset of the text in a shared {@code char[]} pool, length, token kind), so a probe
 * touches one slot line and one pool line; the String is only loaded on a hit. Not thread-safe;
 * each parse owns one instance.
 */
final class NameTable {
  /** Interned (literal) instances: the parser may compare token values to these with ==. */
  static final String[] SOFT = {"match", "case", "type", "_", "print", "exec"};

  private static final Level STATIC = new Level(2048, 8192);

  static {
    for (int i = 0; i < T.KEYWORDS.length; i++) {
      STATIC.put(T.KEYWORDS[i], T.keywordType(i));
    }
    for (String s : SOFT) {
      STATIC.put(s, T.NAME);
    }
    for (String s : CommonNames.NAMES) {
      STATIC.put(s.intern(), T.NAME);
    }
  }

  /** One open-addressing table. */
  private static final class Level {
    int[] slots; // per slot: hash, pool offset, length (0 = empty slot), kind
    String[] strs;
    char[] pool;
    int poolTop;
    int size;
    int mask;

    Level(int cap, int poolCap) {
      slots = new int[cap * 4];
      strs = new String[cap];
      pool = new char[poolCap];
      mask = cap - 1;
    }

    /** Slot index of {@code buf[start,end)} with hash h, or the negative (-1 - free slot). */
    int find(char[] buf, int start, int end, int h, int m) {
      int n = end - start;
      int[] sl = slots;
      char[] pl = pool;
      int i = m & mask;
      for (;;) {
        int b = i << 2;
        int len = sl[b + 2];
        if (len == 0) {
          return -1 - i;
        }
        if (sl[b] == h && len == n) {
          int off = sl[b + 1];
          int j = 0;
          while (j < n && pl[off + j] == buf[start + j]) {
            j++;
          }
          if (j == n) {
            return i;
          }
        }
        i = (i + 1) & mask;
      }
    }

    void insert(int i, String s, char[] buf, int start, int end, int h, int kind) {
      int n = end - start;
      if (poolTop + n > pool.length) {
        pool = Arrays.copyOf(pool, Math.max(pool.length * 2, poolTop + n));
      }
      System.arraycopy(buf, start, pool, poolTop, n);
      int b = i << 2;
      slots[b] = h;
      slots[b + 1] = poolTop;
      slots[b + 2] = n;
      slots[b + 3] = kind;
      strs[i] = s;
      poolTop += n;
      if (++size * 2 > strs.length) {
        grow();
      }
    }

    void put(String s, int kind) {
      char[] c = s.toCharArray();
      int h = hash(s);
      int i = find(c, 0, c.length, h, mix(h));
      if (i < 0) {
        insert(-1 - i, s, c, 0, c.length, h, kind);
      }
    }

    private void grow() {
      int[] os = slots;
      String[] ost = strs;
      int cap = ost.length * 2;
      slots = new int[cap * 4];
      strs = new String[cap];
      mask = cap - 1;
      for (int j = 0; j < ost.length; j++) {
        int ob = j << 2;
        if (os[ob + 2] != 0) {
          int i = mix(os[ob]) & mask;
          while (slots[(i << 2) + 2] != 0) {
            i = (i + 1) & mask;
          }
          System.arraycopy(os, ob, slots, i << 2, 4);
          strs[i] = ost[j];
        }
      }
    }
  }

  private final Level local;

  /** Last looked-up kind (token type: NAME or a keyword type, or NUMBER). */
  int lastKind;

  NameTable(int expectedChars) {
    int cap = 128;
    while (cap < expectedChars / 64 && cap < (1 << 16)) {
      cap <<= 1;
    }
    local = new Level(cap, cap * 6);
  }

  static int hash(String s) {
    int h = 0;
    for (int i = 0; i < s.length(); i++) {
      h = 31 * h + s.charAt(i);
    }
    return h;
  }

  static int mix(int h) {
    h ^= (h >>> 16);
    h *= 0x85ebca6b;
    h ^= (h >>> 13);
    return h;
  }

  /**
   * Returns the interned string for {@code buf[start, end)} (non-empty) whose
   * String.hashCode-style hash is {@code h}; {@code kind} is used for a new entry. Sets {@link
   * #lastKind}.
   */
  String intern(char[] buf, int start, int end, int h, int kind) {
    int m = mix(h);
    Level st = STATIC;
    int i = st.find(buf, start, end, h, m);
    if (i >= 0) {
      lastKind = st.slots[(i << 2) + 3];
      return st.strs[i];
    }
    Level lo = local;
    i = lo.find(buf, start, end, h, m);
    if (i >= 0) {
      lastKind = lo.slots[(i << 2) + 3];
      return lo.strs[i];
    }
    String s = new String(buf, start, end - start);
    lo.insert(-1 - i, s, buf, start, end, h, kind);
    lastKind = kind;
    return s;
  }

  /** Interns an already built string (used for normalized non-ASCII identifiers). */
  String intern(String s, int kind) {
    char[] c = s.toCharArray();
    return intern(c, 0, c.length, hash(s), kind);
  }
}
