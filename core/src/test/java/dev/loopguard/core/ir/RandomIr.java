package dev.loopguard.core.ir;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Random IR records of any type the schema describes, made through the schema's makers: the
 * values of each field are drawn by kind (nulls, negatives, empty and long lists, deep refs
 * included), so a field added to the schema is generated without a change here.
 */
public final class RandomIr implements IrSchema.Values {
  private final Random random;
  private final ArrayDeque<List<Object>> stack = new ArrayDeque<>();
  private final Map<IrSchema.Type<?>, List<Object>> last = new HashMap<>();
  private int depth;

  public RandomIr(long seed) {
    this.random = new Random(seed);
  }

  /** A random record of {@code type}. */
  public <T> T make(IrSchema.Type<T> type) {
    stack.push(new ArrayList<>());
    depth++;
    try {
      T r = type.make().apply(this);
      last.put(type, stack.peek());
      return r;
    } finally {
      depth--;
      stack.pop();
    }
  }

  /** The values the last {@link #make} of {@code type} read, in order. */
  public List<Object> lastValues(IrSchema.Type<?> type) {
    return last.get(type);
  }

  /** A random module. */
  public ModuleIr module() {
    return make(IrSchema.MODULE);
  }

  private <V> V note(V v) {
    stack.peek().add(v);
    return v;
  }

  private int size() {
    // Short lists, rarely long ones; nested lists shorter.
    int r = random.nextInt(20);
    return depth > 2 ? Math.min(r, 2) : r < 15 ? r % 4 : random.nextInt(40);
  }

  @Override
  public int i() {
    int r = random.nextInt(10);
    return note(r < 6 ? random.nextInt(200) : r < 8 ? random.nextInt() : -random.nextInt(3));
  }

  @Override
  public boolean b() {
    return note(random.nextBoolean());
  }

  @Override
  public String s() {
    return note(string(true));
  }

  private String string(boolean nullable) {
    int r = random.nextInt(12);
    if (nullable && r == 0) {
      return null;
    }
    if (r == 1) {
      return "";
    }
    if (r == 2) {
      return "ünï€😀" + random.nextInt(5);
    }
    return "s" + random.nextInt(30);
  }

  @Override
  public <E extends Enum<E>> E e(Class<E> type) {
    E[] values = type.getEnumConstants();
    int i = random.nextInt(values.length + 1);
    return note(i == values.length ? null : values[i]);
  }

  @Override
  public <E extends Enum<E>> Set<E> flags(Class<E> type) {
    EnumSet<E> set = EnumSet.noneOf(type);
    for (E e : type.getEnumConstants()) {
      if (random.nextInt(3) == 0) {
        set.add(e);
      }
    }
    return note(Set.copyOf(set));
  }

  @Override
  public Ref ref() {
    return note(random.nextInt(8) == 0 ? null : randomRef(0));
  }

  private Ref randomRef(int d) {
    int kind = random.nextInt(d > 3 ? 7 : 8);
    return switch (kind) {
      case 0 -> new Ref.QName(string(false));
      case 1 -> new Ref.Var(string(true), string(false));
      case 2 -> new Ref.Call(random.nextInt(100));
      case 3 -> new Ref.Func(string(false));
      case 4 -> new Ref.Literal(Ref.LiteralKind.values()[random.nextInt(5)], string(true));
      case 5 -> new Ref.Super(string(true));
      case 6 -> new Ref.Unknown(string(true));
      default -> new Ref.Attr(randomRef(d + 1), string(false));
    };
  }

  @Override
  public Span span() {
    if (random.nextInt(6) == 0) {
      return note(null);
    }
    int line = random.nextInt(5000);
    return note(new Span(line, random.nextInt(120), line + random.nextInt(40),
        random.nextInt(120)));
  }

  @Override
  public List<String> strings() {
    int n = size();
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(string(false));
    }
    return note(List.copyOf(out));
  }

  @Override
  public List<Ref> refs() {
    int n = size();
    List<Ref> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(randomRef(0));
    }
    return note(List.copyOf(out));
  }

  @Override
  public <R> List<R> list(IrSchema.Type<R> type) {
    int n = size();
    List<R> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(make(type));
    }
    return note(List.copyOf(out));
  }

  @Override
  public <R> R record(IrSchema.Type<R> type) {
    return note(make(type));
  }

  @Override
  public int[] ints() {
    int[] a = new int[size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = random.nextInt(4) == 0 ? random.nextInt() : random.nextInt(300);
    }
    return note(a);
  }
}
