package dev.loopguard.core.engine.cache;

import dev.loopguard.core.ir.Arg;
import dev.loopguard.core.ir.Binding;
import dev.loopguard.core.ir.CallSite;
import dev.loopguard.core.ir.ClassIr;
import dev.loopguard.core.ir.Diagnostic;
import dev.loopguard.core.ir.Directive;
import dev.loopguard.core.ir.FunctionIr;
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
 * the records with variable-length integers and string indexes. Writing and reading are exact
 * inverses (a round trip gives an equal {@code ModuleIr}). Bump {@link #FORMAT} whenever the IR
 * or this encoding changes; old cache entries are then ignored.
 */
public final class IrCodec {
  /** Version of the encoding (and of the IR it encodes). */
  public static final int FORMAT = 3;

  private IrCodec() {}

  // ------------------------------------------------------------------ writing

  public static byte[] encode(ModuleIr m) {
    Encoder e = new Encoder();
    e.encode(m);
    byte[] out = new byte[e.length()];
    System.arraycopy(e.head.buf, 0, out, 0, e.head.size);
    System.arraycopy(e.body.buf, 0, out, e.head.size, e.body.size);
    return out;
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
      writer.module(m);
      head.size = 0;
      varint(head, FORMAT);
      varint(head, writer.table.size());
      for (String s : writer.table) {
        head.utf8(s);
      }
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

    void module(ModuleIr m) {
      str(m.path());
      str(m.module());
      strs(m.aliases());
      str(m.language());
      bool(m.packageInit());
      num(m.lines());
      num(m.functions().size());
      for (FunctionIr f : m.functions()) {
        function(f);
      }
      num(m.classes().size());
      for (ClassIr c : m.classes()) {
        str(c.id());
        str(c.qualifiedName());
        str(c.name());
        span(c.span());
        refs(c.bases());
        refs(c.decorators());
        str(c.scope());
      }
      num(m.calls().size());
      for (CallSite c : m.calls()) {
        num(c.index());
        str(c.scope());
        ref(c.callee());
        str(c.calleeText());
        span(c.span());
        bool(c.awaited());
        num(c.args().size());
        for (Arg a : c.args()) {
          str(a.keyword());
          num(a.position() + 1);
          ref(a.value());
          str(a.text());
        }
        num(c.loopDepth());
        en(c.loopKind());
        flags(c.flags());
      }
      num(m.bindings().size());
      for (Binding b : m.bindings()) {
        str(b.scope());
        en(b.kind());
        ref(b.target());
        ref(b.value());
        span(b.span());
      }
      strs(m.starImports());
      num(m.directives().size());
      for (Directive d : m.directives()) {
        num(d.line());
        str(d.text());
        bool(d.ownLine());
      }
      num(m.diagnostics().size());
      for (Diagnostic d : m.diagnostics()) {
        str(d.path());
        num(d.line());
        num(d.column());
        str(d.kind());
        str(d.message());
      }
      bool(m.isOutline());
    }

    void function(FunctionIr f) {
      str(f.id());
      str(f.qualifiedName());
      str(f.name());
      en(f.kind());
      bool(f.async());
      span(f.span());
      span(f.nameSpan());
      str(f.parent());
      str(f.classId());
      refs(f.decorators());
      num(f.params().size());
      for (FunctionIr.Param p : f.params()) {
        str(p.name());
        en(p.kind());
        ref(p.annotation());
        ref(p.defaultValue());
      }
      ref(f.returns());
      flags(f.flags());
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

    <E extends Enum<E>> void flags(Set<E> set) {
      long bits = 0;
      for (E e : set) {
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

  private static final class Reader {
    private final byte[] b;
    private int p;
    private final int end;
    private String[] table;
    // Refs are immutable records: equal ones within a module are decoded once and shared.
    private Ref.QName[] qnames;
    private final Map<Long, Ref.Var> vars = new HashMap<>();

    Reader(byte[] b, int offset, int end) {
      this.b = b;
      this.p = offset;
      this.end = end;
    }

    ModuleIr module() {
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
      String path = str();
      String module = str();
      List<String> aliases = strs();
      String language = str();
      boolean packageInit = bool();
      int lines = num();
      int nf = count();
      List<FunctionIr> functions = new ArrayList<>(nf);
      for (int i = 0; i < nf; i++) {
        functions.add(function());
      }
      int nc = count();
      List<ClassIr> classes = new ArrayList<>(nc);
      for (int i = 0; i < nc; i++) {
        classes.add(new ClassIr(str(), str(), str(), span(), refs(), refs(), str()));
      }
      int ncalls = count();
      List<CallSite> calls = new ArrayList<>(ncalls);
      for (int i = 0; i < ncalls; i++) {
        int index = num();
        String scope = str();
        Ref callee = ref();
        String calleeText = str();
        Span span = span();
        boolean awaited = bool();
        int na = count();
        List<Arg> args = new ArrayList<>(na);
        for (int j = 0; j < na; j++) {
          args.add(new Arg(str(), num() - 1, ref(), str()));
        }
        int loopDepth = num();
        CallSite.LoopKind loopKind = en(CallSite.LoopKind.values());
        Set<CallSite.CallFlag> flags = flags(CallSite.CallFlag.class);
        calls.add(new CallSite(index, scope, callee, calleeText, span, awaited,
            freeze(args), loopDepth, loopKind, flags));
      }
      int nb = count();
      List<Binding> bindings = new ArrayList<>(nb);
      for (int i = 0; i < nb; i++) {
        bindings.add(new Binding(str(), en(Binding.Kind.values()), ref(), ref(), span()));
      }
      List<String> starImports = strs();
      int nd = count();
      List<Directive> directives = new ArrayList<>(nd);
      for (int i = 0; i < nd; i++) {
        directives.add(new Directive(num(), str(), bool()));
      }
      int ng = count();
      List<Diagnostic> diagnostics = new ArrayList<>(ng);
      for (int i = 0; i < ng; i++) {
        diagnostics.add(new Diagnostic(str(), num(), num(), str(), str()));
      }
      boolean outline = bool();
      if (p != end) {
        throw new IllegalArgumentException("trailing bytes");
      }
      return new ModuleIr(path, module, aliases, language, packageInit, lines,
          freeze(functions), freeze(classes),
          freeze(calls), freeze(bindings), starImports,
          freeze(directives), freeze(diagnostics), outline);
    }

    FunctionIr function() {
      String id = str();
      String qualifiedName = str();
      String name = str();
      FunctionIr.Kind kind = en(FunctionIr.Kind.values());
      boolean async = bool();
      Span span = span();
      Span nameSpan = span();
      String parent = str();
      String classId = str();
      List<Ref> decorators = refs();
      int np = count();
      List<FunctionIr.Param> params = new ArrayList<>(np);
      for (int i = 0; i < np; i++) {
        params.add(new FunctionIr.Param(str(), en(FunctionIr.ParamKind.values()), ref(), ref()));
      }
      Ref returns = ref();
      Set<FunctionIr.Flag> flags = flags(FunctionIr.Flag.class);
      return new FunctionIr(id, qualifiedName, name, kind, async, span, nameSpan, parent, classId,
          decorators, freeze(params), returns, flags);
    }

    Ref ref() {
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
          Ref cur = ref();
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
          return new Ref.Literal(en(Ref.LiteralKind.values()), str());
        case 7:
          return new Ref.Super(str());
        case 8:
          return new Ref.Unknown(str());
        default:
          throw new IllegalArgumentException("ref tag " + tag);
      }
    }

    List<Ref> refs() {
      int n = count();
      if (n == 0) {
        return List.of();
      }
      List<Ref> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        out.add(ref());
      }
      return freeze(out);
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

    Span span() {
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

    <E extends Enum<E>> Set<E> flags(Class<E> type) {
      long bits = varlong();
      if (bits == 0) {
        return Set.of();
      }
      EnumSet<E> set = EnumSet.noneOf(type);
      E[] values = type.getEnumConstants();
      for (E e : values) {
        if ((bits & (1L << e.ordinal())) != 0) {
          set.add(e);
        }
      }
      return Collections.unmodifiableSet(set);
    }

    <E extends Enum<E>> E en(E[] values) {
      int i = num();
      return i == 0 ? null : values[i - 1];
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
