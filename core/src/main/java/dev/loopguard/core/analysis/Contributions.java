package dev.loopguard.core.analysis;

import dev.loopguard.core.ir.Binding;
import dev.loopguard.core.ir.CallSite;
import dev.loopguard.core.ir.ClassIr;
import dev.loopguard.core.ir.FunctionIr;
import dev.loopguard.core.ir.IrSchema;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.ir.Ref;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one module's content answers of the project queries call resolution makes: the query
 * keys ({@link Reads}), sorted, each with a hash of the module's part of the answer. The hashes
 * cover what the evaluator reads of an answer and nothing else: no positions, so an edit that
 * moves code without changing what it binds changes no hash; a call site referred to by a binding
 * is hashed by its content, not its index. Which fields of a record the hashes cover is said once,
 * in {@link IrSchema} (its fields marked not hashed are left out). Between two versions of a module, the keys whose hash
 * differs (or that only one has) are the queries whose answers changed.
 */
public record Contributions(long[] keys, long[] hashes) {
  private static final long P = 0x100000001B3L;
  // Refs nest calls (a binding's value a call whose callee is a call ...): deeper than this, the
  // hash is the module's salt, which changes whenever anything in the module changes.
  private static final int MAX_DEPTH = 12;

  /**
   * The contributions of {@code m}, a version of a module at its path (this scan's, or an earlier
   * one), to a project that holds {@code project}'s other modules. {@code salt} must change
   * whenever the module's content does (its content hash): it stands for parts too deep to hash.
   * Null when they cannot be told apart from another module's: when a function of {@code m} has
   * the id of a function another module defines, which the project's index may file first.
   */
  public static Contributions of(Project project, ModuleIr m, long salt) {
    Map<String, FunctionIr> local = new HashMap<>();
    for (FunctionIr f : m.functions()) {
      Project.Fn indexed = project.function(f.id());
      if (indexed != null && !indexed.module().path().equals(m.path())) {
        return null;
      }
      local.putIfAbsent(f.id(), f);
    }
    Builder b = new Builder(m, salt);
    b.put(Reads.key(Reads.MODULE, m.module()), b.str(1, m.path()));
    for (String a : m.aliases()) {
      b.put(Reads.key(Reads.MODULE, a), b.str(2, m.path()));
    }
    b.put(Reads.key(Reads.MODULE_AT, m.path()), b.str(3, m.module()));
    long stars = 4;
    for (String s : m.starImports()) {
      stars = b.str(stars, s);
    }
    b.put(Reads.key(Reads.STAR_IMPORTS, m.path()), stars);
    for (FunctionIr f : m.functions()) {
      long h = b.function(f);
      b.put(Reads.key(Reads.FUNCTION, f.id()), h);
      b.put(Reads.key(Reads.FUNCTIONS_NAMED, f.qualifiedName()), h);
      if (f.classId() != null && f.kind() != FunctionIr.Kind.CLASS_BODY) {
        b.put(Reads.key(Reads.METHODS_NAMED, f.classId(), f.name()), h);
      }
    }
    for (ClassIr c : m.classes()) {
      b.put(Reads.key(Reads.CLASS, c.qualifiedName()), b.klass(c));
    }
    for (Binding bd : m.bindings()) {
      if (bd.kind() == Binding.Kind.RETURN) {
        b.put(Reads.key(Reads.RETURNS, bd.scope()), b.binding(bd));
      } else if (bd.target() instanceof Ref.Var v) {
        b.put(Reads.key(Reads.VAR, v.scope(), v.name()), b.binding(bd));
      } else if (bd.target() instanceof Ref.Attr a && a.base() instanceof Ref.Var base) {
        String cls = Project.receiverClass(base, local::get);
        if (cls != null) {
          b.put(Reads.key(Reads.ATTR, cls, a.name()), b.binding(bd));
        }
      }
    }
    return b.build();
  }

  /** The hash this module gives {@code key}, or 0 when it answers no such query. */
  public long hashOf(long key) {
    int i = Arrays.binarySearch(keys, key);
    return i >= 0 ? hashes[i] : 0;
  }

  /** Builds the sorted arrays from a table of key to combined hash. */
  private static final class Builder {
    private final ModuleIr module;
    private final long salt;
    // Hashes of the module's call sites by index (0: not yet), each computed once.
    private final long[] sites;
    private final LongTable table = new LongTable(128);

    Builder(ModuleIr module, long salt) {
      this.module = module;
      this.salt = salt;
      this.sites = new long[module.calls().size()];
    }

    /** Adds a part of the answer to {@code key}; parts combine in the order they are added. */
    void put(long key, long hash) {
      long old = table.get(key);
      table.put(key, finish(old == 0 ? hash : old * P ^ hash));
    }

    Contributions build() {
      long[] sorted = table.keys();
      Arrays.sort(sorted);
      long[] hashes = new long[sorted.length];
      for (int i = 0; i < sorted.length; i++) {
        hashes[i] = table.get(sorted[i]);
      }
      return new Contributions(sorted, hashes);
    }

    long function(FunctionIr f) {
      return record(11, IrSchema.FUNCTION, f, 0);
    }

    long klass(ClassIr c) {
      return record(12, IrSchema.CLASS, c, 0);
    }

    long binding(Binding b) {
      return record(13, IrSchema.BINDING, b, 0);
    }

    /** The hashed fields of {@code v}, as {@link IrSchema} marks them, in the schema's order. */
    private <T> long record(long h, IrSchema.Type<T> type, T v, int depth) {
      for (int i = 0, n = type.size(); i < n; i++) {
        IrSchema.Field<T> f = type.field(i);
        if (f.hashed()) {
          h = field(h, f, v, depth);
        }
      }
      return h;
    }

    @SuppressWarnings("unchecked")
    private <T> long field(long h, IrSchema.Field<T> f, T v, int depth) {
      switch (f.kind()) {
        case INT, BOOL -> {
          return h * P ^ f.getInt().applyAsInt(v);
        }
        case STRING -> {
          return str(h, (String) f.get().apply(v));
        }
        case ENUM -> {
          Enum<?> e = (Enum<?>) f.get().apply(v);
          return h * P ^ (e == null ? 0 : e.ordinal() + 1);
        }
        case FLAGS -> {
          long mask = 0;
          for (Enum<?> e : (Set<? extends Enum<?>>) f.get().apply(v)) {
            mask |= 1L << e.ordinal();
          }
          return h * P ^ mask;
        }
        case REF -> {
          return ref(h, (Ref) f.get().apply(v), depth);
        }
        case SPAN -> {
          return str(h, String.valueOf(f.get().apply(v)));
        }
        case STRINGS -> {
          List<String> l = (List<String>) f.get().apply(v);
          h = h * P ^ l.size();
          for (String s : l) {
            h = str(h, s);
          }
          return h;
        }
        case REFS -> {
          return refs(h, (List<Ref>) f.get().apply(v), depth);
        }
        case LIST -> {
          List<Object> l = (List<Object>) f.get().apply(v);
          IrSchema.Type<Object> element = (IrSchema.Type<Object>) f.element();
          h = h * P ^ l.size();
          for (Object o : l) {
            h = record(h, element, o, depth);
          }
          return h;
        }
        case RECORD -> {
          return record(h, (IrSchema.Type<Object>) f.element(), f.get().apply(v), depth);
        }
        case INTS -> {
          int[] a = (int[]) f.get().apply(v);
          h = h * P ^ a.length;
          for (int x : a) {
            h = h * P ^ x;
          }
          return h;
        }
        default -> {
          // A kind of field this hash does not know: changes whenever the module does.
          return h * P ^ salt;
        }
      }
    }

    private long refs(long h, List<Ref> refs, int depth) {
      h = h * P ^ refs.size();
      for (Ref r : refs) {
        h = ref(h, r, depth);
      }
      return h;
    }

    private long ref(long h, Ref r, int depth) {
      if (r == null) {
        return h * P ^ 21;
      }
      if (depth > MAX_DEPTH) {
        return h * P ^ salt;
      }
      if (r instanceof Ref.Var v) {
        return str(str(h * P ^ 22, v.scope()), v.name());
      } else if (r instanceof Ref.Attr a) {
        return str(ref(h * P ^ 23, a.base(), depth + 1), a.name());
      } else if (r instanceof Ref.QName q) {
        return str(h * P ^ 24, q.name());
      } else if (r instanceof Ref.Call c) {
        if (c.site() < 0 || c.site() >= module.calls().size()) {
          return h * P ^ 25 ^ ((long) c.site() << 8);
        }
        // By content: inserting a call elsewhere shifts indices but changes no result.
        long site = sites[c.site()];
        if (site == 0) {
          CallSite cs = module.calls().get(c.site());
          site = record(26, IrSchema.CALL_SITE, cs, depth + 1);
          site = site == 0 ? 1 : site;
          sites[c.site()] = site;
        }
        return h * P ^ site;
      } else if (r instanceof Ref.Func f) {
        return str(h * P ^ 27, f.functionId());
      } else if (r instanceof Ref.Literal l) {
        return str(h * P ^ (28 + 31L * l.kind().ordinal()), l.text());
      } else if (r instanceof Ref.Super s) {
        return str(h * P ^ 29, s.classId());
      } else if (r instanceof Ref.Unknown u) {
        return str(h * P ^ 30, u.text());
      }
      // A kind of reference this hash does not know: changes whenever the module does.
      return h * P ^ salt;
    }

    long str(long h, String s) {
      if (s == null) {
        return h * P ^ 0x5A5A;
      }
      h = h * P ^ s.length();
      for (int i = 0, n = s.length(); i < n; i++) {
        h = (h ^ s.charAt(i)) * P;
      }
      return h;
    }

    private static long finish(long z) {
      z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
      z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
      z ^= z >>> 33;
      return z == 0 ? 1 : z;
    }
  }
}
