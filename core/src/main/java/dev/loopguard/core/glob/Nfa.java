package dev.loopguard.core.glob;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A Thompson NFA over characters, matched against a whole string by keeping the set of live
 * states (no backtracking): time is O(length of the input × number of states) whatever the
 * pattern, so a pattern a repository or a user writes ({@code a*a*a*a*...b}) cannot make a scan
 * hang. Built from {@link Frag fragments} with {@link Builder}.
 */
public final class Nfa {
  /** A set of characters one state consumes. */
  @FunctionalInterface
  public interface CharSet {
    boolean test(char c);
  }

  private static final int SPLIT = -1;
  private static final int MATCH = -2;

  // State i: sets[i] (the characters it consumes; null for SPLIT and MATCH), kind[i] (its set's
  // index, SPLIT or MATCH), out1[i], out2[i] (SPLIT only).
  private final CharSet[] sets;
  private final int[] kind;
  private final int[] out1;
  private final int[] out2;
  private final int start;

  // For NFAs of at most 64 states: each state's closure through splits as a bit set, so that a
  // match allocates nothing.
  private final long[] closure;

  private Nfa(CharSet[] sets, int[] kind, int[] out1, int[] out2, int start) {
    this.sets = sets;
    this.kind = kind;
    this.out1 = out1;
    this.out2 = out2;
    this.start = start;
    int n = kind.length;
    if (n <= 64) {
      closure = new long[n];
      int[] list = new int[n];
      int[] mark = new int[n];
      int[] stack = new int[2 * n + 2];
      for (int i = 0; i < n; i++) {
        int count = add(list, 0, i, mark, i + 1, stack);
        long bits = 0;
        for (int k = 0; k < count; k++) {
          bits |= 1L << list[k];
        }
        closure[i] = bits;
      }
    } else {
      closure = null;
    }
  }

  private boolean matchesSmall(CharSequence s) {
    long current = closure[start];
    for (int i = 0; i < s.length() && current != 0; i++) {
      char c = s.charAt(i);
      long next = 0;
      for (long rest = current; rest != 0; rest &= rest - 1) {
        int st = Long.numberOfTrailingZeros(rest);
        if (kind[st] >= 0 && sets[kind[st]].test(c)) {
          next |= closure[out1[st]];
        }
      }
      current = next;
    }
    for (long rest = current; rest != 0; rest &= rest - 1) {
      if (kind[Long.numberOfTrailingZeros(rest)] == MATCH) {
        return true;
      }
    }
    return false;
  }

  /** The number of states. */
  public int size() {
    return kind.length;
  }

  /** Whether the whole of {@code s} matches. */
  public boolean matches(CharSequence s) {
    if (closure != null) {
      return matchesSmall(s);
    }
    int n = kind.length;
    int[] current = new int[n];
    int[] next = new int[n];
    int[] mark = new int[n];
    int[] stack = new int[2 * n + 2];
    int generation = 1;
    int count = add(current, 0, start, mark, generation, stack);
    for (int i = 0; i < s.length() && count > 0; i++) {
      char c = s.charAt(i);
      generation++;
      int nextCount = 0;
      for (int k = 0; k < count; k++) {
        int st = current[k];
        if (kind[st] >= 0 && sets[kind[st]].test(c)) {
          nextCount = add(next, nextCount, out1[st], mark, generation, stack);
        }
      }
      int[] t = current;
      current = next;
      next = t;
      count = nextCount;
    }
    for (int k = 0; k < count; k++) {
      if (kind[current[k]] == MATCH) {
        return true;
      }
    }
    return false;
  }

  /** Adds {@code state} and every state its splits reach to {@code list}; returns the new count. */
  private int add(int[] list, int count, int state, int[] mark, int generation, int[] stack) {
    int top = 0;
    stack[top++] = state;
    while (top > 0) {
      int s = stack[--top];
      if (mark[s] == generation) {
        continue;
      }
      mark[s] = generation;
      if (kind[s] == SPLIT) {
        stack[top++] = out2[s];
        stack[top++] = out1[s];
      } else {
        list[count++] = s;
      }
    }
    return count;
  }

  /** A piece of an NFA under construction: its first state and the exits still to connect. */
  public static final class Frag {
    final int start;
    // Exits: state * 2 + (0: out1, 1: out2).
    final int[] exits;

    Frag(int start, int[] exits) {
      this.start = start;
      this.exits = exits;
    }
  }

  /** Builds one NFA; fragments belong to the builder that made them. */
  public static final class Builder {
    private final List<CharSet> sets = new ArrayList<>();
    private int[] kind = new int[16];
    private int[] out1 = new int[16];
    private int[] out2 = new int[16];
    private int size;

    private int state(int k, int o1, int o2) {
      if (size == kind.length) {
        kind = Arrays.copyOf(kind, size * 2);
        out1 = Arrays.copyOf(out1, size * 2);
        out2 = Arrays.copyOf(out2, size * 2);
      }
      kind[size] = k;
      out1[size] = o1;
      out2[size] = o2;
      return size++;
    }

    private void patch(int[] exits, int target) {
      for (int e : exits) {
        if ((e & 1) == 0) {
          out1[e >> 1] = target;
        } else {
          out2[e >> 1] = target;
        }
      }
    }

    private static int[] concat(int[] a, int[] b) {
      int[] r = Arrays.copyOf(a, a.length + b.length);
      System.arraycopy(b, 0, r, a.length, b.length);
      return r;
    }

    /** One character of {@code set}. */
    public Frag chars(CharSet set) {
      sets.add(set);
      int s = state(sets.size() - 1, -1, -1);
      return new Frag(s, new int[] {s << 1});
    }

    /** The character {@code c}. */
    public Frag literal(char c) {
      return chars(x -> x == c);
    }

    /** The empty string. */
    public Frag empty() {
      int s = state(SPLIT, -1, -1);
      // both exits lead on: a split whose two branches join at once
      return new Frag(s, new int[] {s << 1, (s << 1) | 1});
    }

    /** {@code a} then {@code b}. */
    public Frag seq(Frag a, Frag b) {
      patch(a.exits, b.start);
      return new Frag(a.start, b.exits);
    }

    /** {@code a} or {@code b}. */
    public Frag alt(Frag a, Frag b) {
      int s = state(SPLIT, a.start, b.start);
      return new Frag(s, concat(a.exits, b.exits));
    }

    /** {@code a} zero or more times. */
    public Frag star(Frag a) {
      int s = state(SPLIT, a.start, -1);
      patch(a.exits, s);
      return new Frag(s, new int[] {(s << 1) | 1});
    }

    /** {@code a} or nothing. */
    public Frag optional(Frag a) {
      int s = state(SPLIT, a.start, -1);
      return new Frag(s, concat(a.exits, new int[] {(s << 1) | 1}));
    }

    /** The NFA that matches exactly what {@code f} matches. */
    public Nfa build(Frag f) {
      int m = state(MATCH, -1, -1);
      patch(f.exits, m);
      return new Nfa(sets.toArray(new CharSet[0]), Arrays.copyOf(kind, size),
          Arrays.copyOf(out1, size), Arrays.copyOf(out2, size), f.start);
    }
  }
}
