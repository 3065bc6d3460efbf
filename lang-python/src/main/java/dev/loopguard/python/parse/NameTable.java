package dev.loopguard.python.parse;

import java.util.Arrays;

/**
 * Intern table for identifiers and number literals: one String instance per distinct text,
 * looked up straight from the source {@code char[]} without allocating.
 *
 * <p>Two levels: a static, immutable table (built once per JVM, so safe to share between
 * threads) holding the keywords with their token types, the soft keywords and {@link
 * CommonNames}; and a per-parse table for everything else. A hit in the static table allocates
 * nothing. Not thread-safe; each parse owns one instance.
 */
final class NameTable {
  /** Interned (literal) instances: the parser may compare token values to these with ==. */
  static final String[] SOFT = {"match", "case", "type", "_", "print", "exec"};

  private static final String[] S_KEYS;
  private static final char[][] S_CHARS;
  private static final int[] S_HASHES;
  private static final int[] S_KINDS;
  private static final int S_MASK;

  static {
    int n = T.KEYWORDS.length + SOFT.length + CommonNames.NAMES.length;
    int cap = Integer.highestOneBit(n * 4 - 1) << 1;
    S_KEYS = new String[cap];
    S_CHARS = new char[cap][];
    S_HASHES = new int[cap];
    S_KINDS = new int[cap];
    S_MASK = cap - 1;
    for (int i = 0; i < T.KEYWORDS.length; i++) {
      staticPut(T.KEYWORDS[i], T.keywordType(i));
    }
    for (String s : SOFT) {
      staticPut(s, T.NAME);
    }
    for (String s : CommonNames.NAMES) {
      staticPut(s.intern(), T.NAME);
    }
  }

  private static void staticPut(String s, int kind) {
    int h = hash(s);
    int i = mix(h) & S_MASK;
    while (S_KEYS[i] != null) {
      if (S_KEYS[i].equals(s)) {
        return;
      }
      i = (i + 1) & S_MASK;
    }
    S_KEYS[i] = s;
    S_CHARS[i] = s.toCharArray();
    S_HASHES[i] = h;
    S_KINDS[i] = kind;
  }

  private String[] keys;
  private char[][] chars;
  private int[] hashes;
  private int[] kinds;
  private int size;
  private int mask;

  /** Last looked-up kind (token type: NAME or a keyword type, or NUMBER). */
  int lastKind;

  NameTable(int expectedChars) {
    int cap = 256;
    while (cap < expectedChars / 32 && cap < (1 << 16)) {
      cap <<= 1;
    }
    keys = new String[cap];
    chars = new char[cap][];
    hashes = new int[cap];
    kinds = new int[cap];
    mask = cap - 1;
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
   * Returns the interned string for {@code buf[start, end)} whose String.hashCode-style hash is
   * {@code h}; {@code kind} is used for a new entry. Sets {@link #lastKind}.
   */
  String intern(char[] buf, int start, int end, int h, int kind) {
    int m = mix(h);
    int i = m & S_MASK;
    for (String k; (k = S_KEYS[i]) != null; i = (i + 1) & S_MASK) {
      if (S_HASHES[i] == h && Arrays.equals(S_CHARS[i], 0, S_CHARS[i].length, buf, start, end)) {
        lastKind = S_KINDS[i];
        return k;
      }
    }
    i = m & mask;
    for (String k; (k = keys[i]) != null; i = (i + 1) & mask) {
      if (hashes[i] == h && Arrays.equals(chars[i], 0, chars[i].length, buf, start, end)) {
        lastKind = kinds[i];
        return k;
      }
    }
    char[] c = Arrays.copyOfRange(buf, start, end);
    String s = new String(c);
    insertAt(i, s, c, h, kind);
    lastKind = kind;
    return s;
  }

  /** Interns an already built string (used for normalized non-ASCII identifiers). */
  String intern(String s, int kind) {
    char[] c = s.toCharArray();
    return intern(c, 0, c.length, hash(s), kind);
  }

  private void insertAt(int i, String s, char[] c, int h, int kind) {
    keys[i] = s;
    chars[i] = c;
    hashes[i] = h;
    kinds[i] = kind;
    if (++size * 2 > keys.length) {
      grow();
    }
  }

  private void grow() {
    String[] ok = keys;
    char[][] oc = chars;
    int[] oh = hashes;
    int[] okd = kinds;
    int cap = ok.length * 2;
    keys = new String[cap];
    chars = new char[cap][];
    hashes = new int[cap];
    kinds = new int[cap];
    mask = cap - 1;
    for (int j = 0; j < ok.length; j++) {
      if (ok[j] != null) {
        int i = mix(oh[j]) & mask;
        while (keys[i] != null) {
          i = (i + 1) & mask;
        }
        keys[i] = ok[j];
        chars[i] = oc[j];
        hashes[i] = oh[j];
        kinds[i] = okd[j];
      }
    }
  }
}
