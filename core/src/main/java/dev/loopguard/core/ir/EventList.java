package dev.loopguard.core.ir;

import java.util.Arrays;
import java.util.List;

/**
 * What a function does, in the order it does it: calls, awaits, reads and writes of attributes,
 * items and module variables, with the loops, branches, try statements and {@code with} blocks
 * around them. Nested functions, lambdas and classes have their own lists; comprehensions belong
 * to the function that contains them.
 *
 * <p>The list is an array of code words and a table of the references they name. A word holds a
 * {@link Kind} in its low {@value #KIND_BITS} bits and an operand in the rest: a call site index
 * (into {@link ModuleIr#calls()}), an index into {@link #refs()}, a loop or branch kind, or a
 * line. Most events are one word; {@link Kind#READ_ITEM}, {@link Kind#WRITE_ITEM} and
 * {@link Kind#DELETE_ITEM} are followed by a second word, the item's key (an index into refs plus
 * one, 0 when the key is not a literal or a name). A {@link Kind#LINE} word sets the line of the
 * events after it; it is written only when the line changes.
 *
 * <p>Read it with a {@link Cursor}: one object per walk, no object per event. An event's
 * {@linkplain Cursor#position() position} is its word index: events are ordered by position, so
 * "between these two events" is a range of positions.
 *
 * @param code the code words
 * @param refs the references the events name, each once
 */
public record EventList(int[] code, List<Ref> refs) {
  /** Bits of a code word that hold the kind. */
  public static final int KIND_BITS = 6;
  private static final int KIND_MASK = (1 << KIND_BITS) - 1;
  /** The largest operand a code word holds. */
  public static final int MAX_OPERAND = (1 << (31 - KIND_BITS)) - 1;

  private static final Kind[] KINDS = Kind.values();

  public static final EventList EMPTY = new EventList(new int[0], List.of());

  /** What an event is. The ordinals are the encoding: add new kinds at the end. */
  public enum Kind {
    /** Operand: the line of the events that follow. Not an event a cursor stops at. */
    LINE,
    /** A call happens (after its arguments are evaluated). Operand: call site index. */
    CALL,
    /**
     * The function suspends: {@code await}, or entering/leaving {@code async with}, or each step of
     * {@code async for}. Operand: the awaited call site plus one, 0 when what is awaited is no call.
     */
    AWAIT,
    /** An attribute is read ({@code self.status}). Operand: the {@link Ref.Attr} in refs. */
    READ_ATTR,
    /** An attribute is assigned. Operand: the {@link Ref.Attr} in refs. */
    WRITE_ATTR,
    /** An attribute is deleted. Operand: the {@link Ref.Attr} in refs. */
    DELETE_ATTR,
    /**
     * An item is read ({@code d[k]}). Operand: the container's ref; the next word: the key's ref
     * plus one (0: not a literal or a name).
     */
    READ_ITEM,
    /** An item is assigned ({@code d[k] = v}); operands as for {@link #READ_ITEM}. */
    WRITE_ITEM,
    /** An item is deleted ({@code del d[k]}); operands as for {@link #READ_ITEM}. */
    DELETE_ITEM,
    /** A module variable is read. Operand: the variable's ref (a {@link Ref.Var}). */
    READ_GLOBAL,
    /** A module variable is assigned. Operand: the variable's ref. */
    WRITE_GLOBAL,
    /** A loop starts. Operand: the {@link CallSite.LoopKind} ordinal. Its test (while) follows. */
    LOOP,
    /** The end of the innermost open loop (its else clause, if any, follows). */
    LOOP_END,
    /**
     * A branching statement or expression starts; its first condition follows. Operand: the
     * {@link BranchKind} ordinal.
     */
    BRANCH,
    /**
     * The condition before it is complete (of an if, elif, while, match case guard or
     * conditional expression): what was read since the matching {@link #BRANCH}, {@link #ARM} or
     * {@link #LOOP} decided what runs next.
     */
    TEST,
    /** The next arm of the innermost branch starts: elif (its test follows), else, or a case. */
    ARM,
    /** The end of the innermost open branch. */
    BRANCH_END,
    /** A try statement's body starts. */
    TRY,
    /**
     * An exception handler of the innermost try starts (its type expression follows, then a
     * {@link #CATCH} per type). Operand: 1 for a handler that catches everything (a bare
     * {@code except}), else 0.
     */
    EXCEPT,
    /** The else clause of the innermost try starts. */
    TRY_ELSE,
    /** The finally clause of the innermost try starts. */
    FINALLY,
    /** The end of the innermost try statement. */
    TRY_END,
    /**
     * A context manager is entered (its expression was evaluated just before). Operand: its ref
     * (a {@link Ref.Call} when it is a call's result). One per item of a multi-item with.
     */
    WITH,
    /** As {@link #WITH}, for an asynchronous context manager ({@code async with}). */
    ASYNC_WITH,
    /** The innermost open context manager is left. */
    WITH_END,
    /** The function returns (after the returned value is evaluated). */
    RETURN,
    /** An exception is raised (after the exception is evaluated). */
    RAISE,
    /** A generator yields ({@code yield}, {@code yield from}): it suspends. */
    YIELD,
    /** A {@code break}: the innermost open loop is left. */
    BREAK,
    /**
     * A type the innermost exception handler catches, one event per type, after the handler's
     * {@link #EXCEPT} and its type expression. Operand: the type's ref (as resolved: a
     * {@link Ref.QName} for an imported or built-in name). A handler that catches everything (a
     * bare {@code except}) has none: its {@link #EXCEPT} operand is 1.
     */
    CATCH,
    /**
     * What the loop that starts next iterates over (a for loop or a comprehension's generator),
     * after its evaluation's events and just before its {@link #LOOP}. Operand: the iterable's ref
     * (a {@link Ref.Var}, {@link Ref.Attr}, {@link Ref.Call}, ... ; a {@link Ref.Unknown} for an
     * expression the frontend does not describe).
     */
    ITER
  }

  /** What sort of branch a {@link Kind#BRANCH} opens. The ordinals are the encoding. */
  public enum BranchKind {
    /** if / elif / else. */
    IF,
    /** match / case. */
    MATCH,
    /** A conditional expression ({@code a if c else b}). */
    CONDITIONAL
  }

  public EventList {
    refs = List.copyOf(refs);
  }

  /** Whether the kind is followed by a key word. */
  public static boolean hasKey(Kind kind) {
    return kind == Kind.READ_ITEM || kind == Kind.WRITE_ITEM || kind == Kind.DELETE_ITEM;
  }

  /** A code word. */
  public static int word(Kind kind, int operand) {
    if (operand < 0 || operand > MAX_OPERAND) {
      throw new IllegalArgumentException("operand out of range: " + operand);
    }
    return kind.ordinal() | operand << KIND_BITS;
  }

  public boolean isEmpty() {
    return code.length == 0;
  }

  /** A cursor before the first event. */
  public Cursor cursor() {
    return new Cursor(this);
  }

  /** The number of events (line words and keys not counted). */
  public int count() {
    int n = 0;
    Cursor c = cursor();
    while (c.next()) {
      n++;
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o == this || o instanceof EventList e && Arrays.equals(e.code, code)
        && e.refs.equals(refs);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(code) * 31 + refs.hashCode();
  }

  /** One event a line, as {@code line: KIND operand}, for tests and debugging. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    Cursor c = cursor();
    while (c.next()) {
      sb.append(c.line()).append(": ").append(c.describe()).append('\n');
    }
    return sb.toString();
  }

  /**
   * Writes an event list in order, for frontends: each event with the line it stands on (a line
   * word is written when the line changes); each reference enters the table once. Not thread-safe.
   */
  public static final class Builder {
    private int[] code = new int[16];
    private int size;
    private int line;
    private final java.util.HashMap<Ref, Integer> index = new java.util.HashMap<>();
    private final java.util.ArrayList<Ref> refs = new java.util.ArrayList<>();

    /** An event with a plain operand (a site, a kind ordinal, or none). */
    public Builder add(Kind kind, int operand, int atLine) {
      at(atLine);
      put(word(kind, operand));
      return this;
    }

    /** An event without an operand. */
    public Builder add(Kind kind, int atLine) {
      return add(kind, 0, atLine);
    }

    /** An event naming {@code ref} (an attribute, variable or context manager). */
    public Builder add(Kind kind, Ref ref, int atLine) {
      return add(kind, refIndex(ref), atLine);
    }

    /** An item event: the container and, when a literal or a name, the key (else null). */
    public Builder item(Kind kind, Ref container, Ref key, int atLine) {
      if (!hasKey(kind)) {
        throw new IllegalArgumentException(kind + " is no item event");
      }
      add(kind, refIndex(container), atLine);
      put(key == null ? 0 : refIndex(key) + 1);
      return this;
    }

    /**
     * The current position, for {@link #moveToEnd}. The next event writes its line, so that a
     * stretch between two marks starts with its own line.
     */
    public int mark() {
      line = -1;
      return size;
    }

    /**
     * Moves the words written between marks {@code from} and {@code to} after the words written
     * since {@code to}: for a frontend whose walk visits a part before the part that runs first
     * (Python evaluates an assignment's value before its targets).
     */
    public void moveToEnd(int from, int to) {
      if (from < 0 || from > to || to > size) {
        throw new IllegalArgumentException("marks " + from + ", " + to + " of " + size);
      }
      if (from == to || to == size) {
        return;
      }
      int[] moved = Arrays.copyOfRange(code, from, to);
      System.arraycopy(code, to, code, from, size - to);
      System.arraycopy(moved, 0, code, size - moved.length, moved.length);
      line = -1;
    }

    /** The number of code words written. */
    public int size() {
      return size;
    }

    public EventList build() {
      return size == 0 ? EMPTY : new EventList(Arrays.copyOf(code, size), refs);
    }

    private void at(int atLine) {
      // After a mark (line -1) the line is written even when unknown (0).
      if (atLine != line && (atLine > 0 || line < 0)) {
        line = Math.max(0, Math.min(atLine, MAX_OPERAND));
        put(word(Kind.LINE, line));
      }
    }

    private int refIndex(Ref ref) {
      java.util.Objects.requireNonNull(ref, "ref");
      Integer i = index.get(ref);
      if (i == null) {
        i = refs.size();
        refs.add(ref);
        index.put(ref, i);
      }
      return i;
    }

    private void put(int w) {
      if (size == code.length) {
        code = Arrays.copyOf(code, size * 2);
      }
      code[size++] = w;
    }
  }

  /**
   * Walks the events in order. {@link #next()} moves to the next event; the accessors read the
   * current one (each names which kinds it applies to).
   */
  public static final class Cursor {
    private final int[] code;
    private final List<Ref> refs;
    private int pos = -1;
    private int next;
    private int line;
    private Kind kind;
    private int operand;
    private int key;

    private Cursor(EventList events) {
      this.code = events.code;
      this.refs = events.refs;
    }

    /** Moves to the next event; false at the end. */
    public boolean next() {
      while (next < code.length) {
        int w = code[next];
        Kind k = KINDS[w & KIND_MASK];
        int op = w >>> KIND_BITS;
        if (k == Kind.LINE) {
          line = op;
          next++;
          continue;
        }
        pos = next;
        kind = k;
        operand = op;
        if (hasKey(k)) {
          key = next + 1 < code.length ? code[next + 1] : 0;
          next += 2;
        } else {
          key = 0;
          next++;
        }
        return true;
      }
      pos = code.length;
      kind = null;
      return false;
    }

    /** The current event's position (word index); positions increase along the list. */
    public int position() {
      return pos;
    }

    public Kind kind() {
      return kind;
    }

    /** The line the current event stands on (0 when the frontend gave none). */
    public int line() {
      return line;
    }

    /** The raw operand. */
    public int operand() {
      return operand;
    }

    /** CALL: the call site; AWAIT: the awaited call site, or -1. Otherwise -1. */
    public int site() {
      return switch (kind) {
        case CALL -> operand;
        case AWAIT -> operand - 1;
        default -> -1;
      };
    }

    /**
     * The reference the event names: the attribute, the item's container, the module variable, or
     * the context manager. Null for other kinds.
     */
    public Ref ref() {
      return switch (kind) {
        case READ_ATTR, WRITE_ATTR, DELETE_ATTR, READ_ITEM, WRITE_ITEM, DELETE_ITEM, READ_GLOBAL,
            WRITE_GLOBAL, WITH, ASYNC_WITH, CATCH, ITER -> refs.get(operand);
        default -> null;
      };
    }

    /** An item event's key when it is a literal or a name; otherwise null. */
    public Ref key() {
      return key == 0 ? null : refs.get(key - 1);
    }

    /** LOOP: the loop's kind. */
    public CallSite.LoopKind loopKind() {
      return kind == Kind.LOOP ? CallSite.LoopKind.values()[operand] : null;
    }

    /** EXCEPT: whether the handler catches everything (a bare {@code except}). */
    public boolean catchesAll() {
      return kind == Kind.EXCEPT && operand == 1;
    }

    /** BRANCH: the branch's kind. */
    public BranchKind branchKind() {
      return kind == Kind.BRANCH ? BranchKind.values()[operand] : null;
    }

    /** Whether the event is a read (of an attribute, item or module variable). */
    public boolean isRead() {
      return kind == Kind.READ_ATTR || kind == Kind.READ_ITEM || kind == Kind.READ_GLOBAL;
    }

    /** Whether the event is a write or delete (of an attribute, item or module variable). */
    public boolean isWrite() {
      return kind == Kind.WRITE_ATTR || kind == Kind.WRITE_ITEM || kind == Kind.WRITE_GLOBAL
          || kind == Kind.DELETE_ATTR || kind == Kind.DELETE_ITEM;
    }

    /** Whether the function may suspend here (await, async with/for steps, yield). */
    public boolean isSuspension() {
      return kind == Kind.AWAIT || kind == Kind.YIELD;
    }

    /** The event as {@code KIND operand}, for tests and debugging. */
    public String describe() {
      String name = kind.name();
      return switch (kind) {
        case CALL -> name + " #" + operand;
        case AWAIT -> operand == 0 ? name : name + " #" + (operand - 1);
        case READ_ITEM, WRITE_ITEM, DELETE_ITEM -> name + " " + ref() + "[" + (key == 0 ? "?"
            : key()) + "]";
        case READ_ATTR, WRITE_ATTR, DELETE_ATTR, READ_GLOBAL, WRITE_GLOBAL, WITH, ASYNC_WITH, CATCH ->
            name + " " + ref();
        case EXCEPT -> operand == 1 ? name + " all" : name;
        case LOOP -> name + " " + loopKind();
        case BRANCH -> name + " " + branchKind();
        default -> name;
      };
    }
  }
}
