package dev.loopguard.core.engine.cache;

import dev.loopguard.core.ir.IrSchema;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.ir.Ref;
import dev.loopguard.core.ir.Span;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A compact binary form of one {@link ModuleIr}: a table of the module's distinct strings, then
 * the records with variable-length integers and string indexes, field by field as {@link
 * IrSchema} describes them (this class knows no IR record but {@link Ref} and {@link Span}). Writing and reading are exact
 * inverses (a round trip gives an equal {@code ModuleIr}). Bump {@link #FORMAT} whenever the IR
 * or this encoding changes; old cache entries are then ignored.
 */
public final class IrCodec {
  /** Version of the encoding (and of the IR it encodes). */
  public static final int FORMAT = 7;

  private IrCodec() {}

  // ------------------------------------------------------------------ writing

  public static byte[] encode(ModuleIr m) {
    Encoder e = new Encoder();
    e.encode(m);
    return e.bytes();
  }

  /**
   * A list of IR records of {@code type} (diagnostics in the result cache, say), in the same
   * form as a module: {@link #decodeList} reads it back.
   */
  public static <T> byte[] encodeList(IrSchema.Type<T> type, List<T> values) {
    Encoder e = new Encoder();
    e.writer.reset();
    e.writer.num(values.size());
    for (T v : values) {
      e.writer.record(type, v);
    }
    e.head();
    return e.bytes();
  }

  /** Decodes what {@link #encodeList} wrote; throws {@link IllegalArgumentException} on bad data. */
  public static <T> List<T> decodeList(IrSchema.Type<T> type, byte[] data) {
    try {
      Reader r = new Reader(data, 0, data.length);
      r.header();
      int n = r.count();
      List<T> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        out.add(r.read(type));
      }
      r.end();
      return List.copyOf(out);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("corrupt IR cache entry", e);
    }
  }

  /**
   * Encodes modules one after another into buffers it reuses, for writing many (a pack): after
   * {@link #encode}, {@link #length}, {@link #crc} and {@link #writeTo} give what {@link
   * IrCodec#encode} would have returned. Not thread-safe.
   */
  public static final class Encoder {
    private final Writer writer = new Writer();
    private final Bytes head = new Bytes(4096);
    private final Bytes body = writer.body;

    /** Encodes {@code m}, replacing what the last call encoded. */
    public void encode(ModuleIr m) {
      writer.reset();
      writer.record(IrSchema.MODULE, m);
      head();
    }

    /** The head (format and string table) of what the writer holds. */
    private void head() {
      head.size = 0;
      varint(head, FORMAT);
      varint(head, writer.table.size());
      for (String s : writer.table) {
        head.utf8(s);
      }
    }

    private byte[] bytes() {
      byte[] out = new byte[length()];
      System.arraycopy(head.buf, 0, out, 0, head.size);
      System.arraycopy(body.buf, 0, out, head.size, body.size);
      return out;
    }

    /** Bytes of the last encoding. */
    public int length() {
      return head.size + body.size;
    }

    /** The CRC32C of the last encoding. */
    public int crc() {
      java.util.zip.CRC32C c = new java.util.zip.CRC32C();
      c.update(head.buf, 0, head.size);
      c.update(body.buf, 0, body.size);
      return (int) c.getValue();
    }

    /** Writes the last encoding. */
    public void writeTo(java.io.DataOutput out) throws java.io.IOException {
      out.write(head.buf, 0, head.size);
      out.write(body.buf, 0, body.size);
    }
  }

  private static final class Writer {
    // The module's distinct strings: their index in the table (see StringIds).
    private final StringIds strings = new StringIds();
    private final List<String> table = new ArrayList<>();
    private final Bytes body = new Bytes(4096);

    void reset() {
      strings.clear();
      table.clear();
      body.size = 0;
    }

    /** Writes {@code v}'s fields in the schema's order. */
    <T> void record(IrSchema.Type<T> type, T v) {
      for (int i = 0, n = type.size(); i < n; i++) {
        field(type.field(i), v);
      }
    }

    @SuppressWarnings("unchecked")
    <T> void field(IrSchema.Field<T> f, T v) {
      switch (f.kind()) {
        case INT -> num(f.getInt().applyAsInt(v));
        case BOOL -> bool(f.getInt().applyAsInt(v) != 0);
        case STRING -> str((String) f.get().apply(v));
        case ENUM -> en((Enum<?>) f.get().apply(v));
        case FLAGS -> flags((Set<? extends Enum<?>>) f.get().apply(v));
        case REF -> ref((Ref) f.get().apply(v));
        case SPAN -> span((Span) f.get().apply(v));
        case STRINGS -> strs((List<String>) f.get().apply(v));
        case REFS -> refs((List<Ref>) f.get().apply(v));
        case LIST -> {
          List<Object> list = (List<Object>) f.get().apply(v);
          IrSchema.Type<Object> element = (IrSchema.Type<Object>) f.element();
          int n = list.size();
          num(n);
          for (int i = 0; i < n; i++) {
            record(element, list.get(i));
          }
        }
        case RECORD -> record((IrSchema.Type<Object>) f.element(), f.get().apply(v));
        case INTS -> {
          int[] a = (int[]) f.get().apply(v);
          num(a.length);
          for (int x : a) {
            num(x);
          }
        }
        default -> throw new IllegalStateException("field kind " + f.kind());
      }
    }

    void ref(Ref r) {
      if (r == null) {
        num(0);
      } else if (r instanceof Ref.QName q) {
        num(1);
        str(q.name());
      } else if (r instanceof Ref.Var v) {
        num(2);
        str(v.scope());
        str(v.name());
      } else if (r instanceof Ref.Attr a) {
        // Attribute chains are left-deep: write the names outermost first, then the base.
        int depth = 0;
        Ref cur = a;
        while (cur instanceof Ref.Attr x) {
          depth++;
          cur = x.base();
        }
        num(3);
        num(depth);
        cur = a;
        while (cur instanceof Ref.Attr x) {
          str(x.name());
          cur = x.base();
        }
        ref(cur);
      } else if (r instanceof Ref.Call c) {
        num(4);
        num(c.site());
      } else if (r instanceof Ref.Func f) {
        num(5);
        str(f.functionId());
      } else if (r instanceof Ref.Literal l) {
        num(6);
        en(l.kind());
        str(l.text());
      } else if (r instanceof Ref.Super s) {
        num(7);
        str(s.classId());
      } else if (r instanceof Ref.Unknown u) {
        num(8);
        str(u.text());
      } else {
        throw new IllegalArgumentException("unknown Ref " + r.getClass());
      }
    }

    void refs(List<Ref> rs) {
      num(rs.size());
      for (Ref r : rs) {
        ref(r);
      }
    }

    void strs(List<String> ss) {
      num(ss.size());
      for (String s : ss) {
        str(s);
      }
    }

    void span(Span s) {
      if (s == null) {
        num(0);
        return;
      }
      num(1);
      num(s.line());
      num(s.column());
      num(s.endLine() - s.line() + 1);
      num(s.endColumn());
    }

    void flags(Set<? extends Enum<?>> set) {
      long bits = 0;
      for (Enum<?> e : set) {
        bits |= 1L << e.ordinal();
      }
      varlong(bits);
    }

    void en(Enum<?> e) {
      num(e == null ? 0 : e.ordinal() + 1);
    }

    void bool(boolean b) {
      body.write(b ? 1 : 0);
    }

    void str(String s) {
      if (s == null) {
        num(0);
        return;
      }
      int i = strings.indexOf(s, table.size());
      if (i == table.size()) {
        table.add(s);
      }
      num(i + 1);
    }

    void num(int v) {
      varint(body, v);
    }

    void varlong(long v) {
      while ((v & ~0x7FL) != 0) {
        body.write((int) ((v & 0x7F) | 0x80));
        v >>>= 7;
      }
      body.write((int) v);
    }

  }

  private static void varint(Bytes out, int v) {
    // zig-zag so that the rare negative values (spans of synthetic nodes) stay short
    out.unsigned((v << 1) ^ (v >> 31));
  }

  /**
   * String to index, by equality, without boxing: open addressing over arrays kept between
   * modules (a slot is in use when its generation is the current one, so clearing is O(1)).
   */
  private static final class StringIds {
    private String[] keys = new String[1024];
    private int[] ids = new int[1024];
    private int[] generations = new int[1024];
    private int generation = 1;
    private int size;

    void clear() {
      generation++;
      size = 0;
    }

    /** The index of {@code s}; when absent, records it as {@code next} and returns that. */
    int indexOf(String s, int next) {
      int mask = keys.length - 1;
      int i = mix(s.hashCode()) & mask;
      while (generations[i] == generation) {
        String k = keys[i];
        if (k == s || k.equals(s)) {
          return ids[i];
        }
        i = (i + 1) & mask;
      }
      keys[i] = s;
      ids[i] = next;
      generations[i] = generation;
      if (++size * 2 > keys.length) {
        grow();
      }
      return next;
    }

    private static int mix(int h) {
      h *= 0x9E3779B9;
      return h ^ (h >>> 16);
    }

    private void grow() {
      String[] oldKeys = keys;
      int[] oldIds = ids;
      int[] oldGenerations = generations;
      int current = generation;
      keys = new String[oldKeys.length * 2];
      ids = new int[keys.length];
      generations = new int[keys.length];
      generation = 1;
      int mask = keys.length - 1;
      for (int j = 0; j < oldKeys.length; j++) {
        if (oldGenerations[j] == current) {
          int i = mix(oldKeys[j].hashCode()) & mask;
          while (generations[i] == 1) {
            i = (i + 1) & mask;
          }
          keys[i] = oldKeys[j];
          ids[i] = oldIds[j];
          generations[i] = 1;
        }
      }
    }
  }

  /**
   * A growable byte array. (ByteArrayOutputStream synchronizes every write, which costs more than
   * the encoding itself.)
   */
  private static final class Bytes {
    byte[] buf;
    int size;

    Bytes(int capacity) {
      buf = new byte[Math.max(16, capacity)];
    }

    /** Makes room for {@code n} more bytes. */
    private void ensure(int n) {
      if (size + n > buf.length) {
        buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
      }
    }

    void write(int b) {
      ensure(1);
      buf[size++] = (byte) b;
    }

    /** {@code z} as an unsigned variable-length integer: 7 bits a byte, low bits first. */
    void unsigned(int z) {
      ensure(5);
      byte[] b = buf;
      int n = size;
      while ((z & ~0x7F) != 0) {
        b[n++] = (byte) ((z & 0x7F) | 0x80);
        z >>>= 7;
      }
      b[n++] = (byte) z;
      size = n;
    }

    void write(byte[] b, int off, int len) {
      ensure(len);
      System.arraycopy(b, off, buf, size, len);
      size += len;
    }

    /** {@code s} as its UTF-8 length (a variable-length integer) and bytes. */
    void utf8(String s) {
      // For an ASCII string (nearly all), the JDK copies the string's bytes.
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      varint(this, b.length);
      write(b, 0, b.length);
    }
  }

  // ------------------------------------------------------------------ reading

  /** Decodes what {@link #encode} wrote; throws {@link IllegalArgumentException} on bad data. */
  public static ModuleIr decode(byte[] data, int offset, int length) {
    try {
      return new Reader(data, offset, offset + length).module();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("corrupt IR cache entry", e);
    }
  }

  private static final Ref.LiteralKind[] LITERAL_KINDS = Ref.LiteralKind.values();

  // The constants of an enum, without the copy getEnumConstants makes each call.
  private static final ClassValue<Object[]> ENUM_VALUES = new ClassValue<>() {
    @Override
    protected Object[] computeValue(Class<?> type) {
      return type.getEnumConstants();
    }
  };

  /**
   * Reads the records the schema describes: the maker of each record type reads its fields' values
   * through this, and each read is checked against the kind of the field the schema has next.
   */
  private static final class Reader implements IrSchema.Values {
    private final byte[] b;
    private int p;
    private final int end;
    private String[] table;
    // Refs are immutable records: equal ones within a module are decoded once and shared.
    private Ref.QName[] qnames;
    private final Map<Long, Ref.Var> vars = new HashMap<>();
    // The type of the record being read (null outside one), and the index of its next field.
    private IrSchema.Type<?> current;
    private int k;

    Reader(byte[] b, int offset, int end) {
      this.b = b;
      this.p = offset;
      this.end = end;
    }

    ModuleIr module() {
      header();
      ModuleIr m = read(IrSchema.MODULE);
      end();
      return m;
    }

    /** The format and the string table. */
    void header() {
      if (num() != FORMAT) {
        throw new IllegalArgumentException("format");
      }
      int n = num();
      table = new String[n];
      for (int i = 0; i < n; i++) {
        int len = num();
        check(len);
        table[i] = new String(b, p, len, StandardCharsets.UTF_8);
        p += len;
      }
      qnames = new Ref.QName[n];
    }

    void end() {
      if (p != end) {
        throw new IllegalArgumentException("trailing bytes");
      }
    }

    /** Reads one record of {@code type}: its maker reads every field, in order. */
    private <T> T read(IrSchema.Type<T> type) {
      IrSchema.Type<?> outer = current;
      int outerK = k;
      current = type;
      k = 0;
      T r = type.make().apply(this);
      if (k != type.size()) {
        throw new IllegalStateException(type + ": its maker read " + k + " of "
            + type.size() + " fields");
      }
      current = outer;
      k = outerK;
      return r;
    }

    /** The next field, which must be of {@code kind}. */
    private IrSchema.Field<?> expect(IrSchema.Kind kind) {
      IrSchema.Field<?> f = current != null && k < current.size() ? current.field(k) : null;
      if (f == null || f.kind() != kind) {
        throw new IllegalStateException("schema: field " + k + " read as " + kind + " but is "
            + (f == null ? "past the end" : f.name() + " " + f.kind()));
      }
      k++;
      return f;
    }

    @Override
    public int i() {
      expect(IrSchema.Kind.INT);
      return num();
    }

    @Override
    public boolean b() {
      expect(IrSchema.Kind.BOOL);
      return bool();
    }

    @Override
    public String s() {
      expect(IrSchema.Kind.STRING);
      return str();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <E extends Enum<E>> E e(Class<E> type) {
      expect(IrSchema.Kind.ENUM);
      int i = num();
      return i == 0 ? null : (E) ENUM_VALUES.get(type)[i - 1];
    }

    @Override
    @SuppressWarnings("unchecked")
    public <E extends Enum<E>> Set<E> flags(Class<E> type) {
      expect(IrSchema.Kind.FLAGS);
      long bits = varlong();
      if (bits == 0) {
        return Set.of();
      }
      EnumSet<E> set = EnumSet.noneOf(type);
      for (Object o : ENUM_VALUES.get(type)) {
        E e = (E) o;
        if ((bits & (1L << e.ordinal())) != 0) {
          set.add(e);
        }
      }
      return Collections.unmodifiableSet(set);
    }

    @Override
    public Ref ref() {
      expect(IrSchema.Kind.REF);
      return refValue();
    }

    @Override
    public Span span() {
      expect(IrSchema.Kind.SPAN);
      return spanValue();
    }

    @Override
    public List<String> strings() {
      expect(IrSchema.Kind.STRINGS);
      return strs();
    }

    @Override
    public List<Ref> refs() {
      expect(IrSchema.Kind.REFS);
      int n = count();
      if (n == 0) {
        return List.of();
      }
      List<Ref> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        out.add(refValue());
      }
      return freeze(out);
    }

    @Override
    public <R> List<R> list(IrSchema.Type<R> type) {
      if (expect(IrSchema.Kind.LIST).element() != type) {
        throw new IllegalStateException("schema: list of " + type + " read as another type");
      }
      int n = count();
      if (n == 0) {
        return List.of();
      }
      List<R> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        out.add(read(type));
      }
      return freeze(out);
    }

    @Override
    public <R> R record(IrSchema.Type<R> type) {
      if (expect(IrSchema.Kind.RECORD).element() != type) {
        throw new IllegalStateException("schema: record " + type + " read as another type");
      }
      return read(type);
    }

    @Override
    public int[] ints() {
      expect(IrSchema.Kind.INTS);
      int n = count();
      int[] a = new int[n];
      for (int i = 0; i < n; i++) {
        a[i] = num();
      }
      return a;
    }

    Ref refValue() {
      int tag = num();
      switch (tag) {
        case 0:
          return null;
        case 1: {
          int i = num();
          if (i <= 0 || i > table.length) {
            throw new IllegalArgumentException("qname");
          }
          Ref.QName q = qnames[i - 1];
          if (q == null) {
            q = new Ref.QName(table[i - 1]);
            qnames[i - 1] = q;
          }
          return q;
        }
        case 2: {
          int si = num();
          int ni = num();
          if (si < 0 || si > table.length || ni < 0 || ni > table.length) {
            throw new IllegalArgumentException("var");
          }
          long k = ((long) si << 32) | ni;
          Ref.Var v = vars.get(k);
          if (v == null) {
            v = new Ref.Var(si == 0 ? null : table[si - 1], ni == 0 ? null : table[ni - 1]);
            vars.put(k, v);
          }
          return v;
        }
        case 3: {
          int depth = count();
          String[] names = new String[depth];
          for (int i = 0; i < depth; i++) {
            names[i] = str();
          }
          Ref cur = refValue();
          for (int i = depth - 1; i >= 0; i--) {
            cur = new Ref.Attr(cur, names[i]);
          }
          return cur;
        }
        case 4:
          return new Ref.Call(num());
        case 5:
          return new Ref.Func(str());
        case 6:
          {
          int kind = num();
          return new Ref.Literal(kind == 0 ? null : LITERAL_KINDS[kind - 1], str());
        }
        case 7:
          return new Ref.Super(str());
        case 8:
          return new Ref.Unknown(str());
        default:
          throw new IllegalArgumentException("ref tag " + tag);
      }
    }

    List<String> strs() {
      int n = count();
      if (n == 0) {
        return List.of();
      }
      List<String> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        out.add(str());
      }
      return freeze(out);
    }

    Span spanValue() {
      if (num() == 0) {
        return null;
      }
      int line = num();
      int col = num();
      int endLine = line + num() - 1;
      int endCol = num();
      if (line == 0 && col == 0 && endLine == 0 && endCol == 0) {
        return Span.NONE;
      }
      return new Span(line, col, endLine, endCol);
    }

    boolean bool() {
      check(1);
      return b[p++] != 0;
    }

    String str() {
      int i = num();
      return i == 0 ? null : table[i - 1];
    }

    int count() {
      int n = num();
      if (n < 0 || n > end - p) {
        throw new IllegalArgumentException("count " + n);
      }
      return n;
    }

    int num() {
      int z = 0;
      int shift = 0;
      while (true) {
        check(1);
        int x = b[p++] & 0xFF;
        z |= (x & 0x7F) << shift;
        if ((x & 0x80) == 0) {
          break;
        }
        shift += 7;
        if (shift > 28) {
          throw new IllegalArgumentException("varint");
        }
      }
      return (z >>> 1) ^ -(z & 1);
    }

    long varlong() {
      long v = 0;
      int shift = 0;
      while (true) {
        check(1);
        int x = b[p++] & 0xFF;
        v |= (long) (x & 0x7F) << shift;
        if ((x & 0x80) == 0) {
          return v;
        }
        shift += 7;
        if (shift > 63) {
          throw new IllegalArgumentException("varlong");
        }
      }
    }

    /** A compact immutable copy (List.of), or an unmodifiable view when an element is null. */
    static <T> List<T> freeze(List<T> l) {
      if (l.isEmpty()) {
        return List.of();
      }
      for (T t : l) {
        if (t == null) {
          return Collections.unmodifiableList(l);
        }
      }
      return List.copyOf(l);
    }

    void check(int n) {
      if (n < 0 || p + n > end) {
        throw new IllegalArgumentException("truncated");
      }
    }
  }
}
