package dev.loopguard.core.analysis;

import dev.loopguard.core.ir.Binding;
import dev.loopguard.core.ir.CallSite;
import dev.loopguard.core.ir.ClassIr;
import dev.loopguard.core.ir.FunctionIr;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.ir.Ref;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Index over every module of the scanned tree: modules by name, functions and classes by id and
 * qualified name, bindings by what they bind. Built once, read-only afterwards.
 */
public final class Project {
  private final List<ModuleIr> modules;
  private final Map<String, List<ModuleIr>> byName;
  private final Map<String, ModuleIr> byPath;
  private final Map<String, List<ModuleIr>> byAlias = new HashMap<>();
  // Folders (scan-relative, see baseFolder) that modules are named from: the import roots in use.
  private final java.util.Set<String> importRoots = new java.util.HashSet<>();
  // Folders holding a script (a module with code under a main guard): on the import path when it runs.
  private final java.util.Set<String> scriptFolders = new java.util.HashSet<>();
  private final Map<String, Fn> functions;
  // Values of the maps declared Map<..., Object>: see put() and values().
  private final Map<String, Object> functionsByQName;
  private final Map<String, Cls> classesByQName;
  private final Map<Object, Object> varBindings;
  private final Map<Object, List<Binding>> attrBindings = new HashMap<>();
  private final Map<String, Object> returns;
  private final Map<String, Map<String, List<Fn>>> methodsByClassAndName;
  private final Map<String, Object> callsByScope;
  private final java.util.IdentityHashMap<Binding, ModuleIr> bindingModules;

  /** A function in its module. */
  public record Fn(ModuleIr module, FunctionIr ir) {
    public String id() {
      return ir.id();
    }
  }

  /** A class in its module. */
  public record Cls(ModuleIr module, ClassIr ir) {}

  public Project(Collection<ModuleIr> input) {
    this(input, 1);
  }

  /**
   * Indexes {@code input}; with two threads or more, the bindings are indexed on one while the
   * definitions and calls are on another. The index is the same either way: each map is filled by
   * one thread, in module order.
   */
  public Project(Collection<ModuleIr> input, int threads) {
    List<ModuleIr> sorted = new ArrayList<>(input);
    sorted.sort(Comparator.comparing(ModuleIr::path));
    this.modules = List.copyOf(sorted);
    int bindingCount = 0;
    int functionCount = 0;
    int classCount = 0;
    for (ModuleIr m : modules) {
      bindingCount += m.bindings().size();
      functionCount += m.functions().size();
      classCount += m.classes().size();
    }
    // Sized up front: growing maps of this size costs more than filling them (an
    // IdentityHashMap's size is the number of entries it expects). Values are added with add(),
    // or put() for the maps declared Map<..., Object>.
    this.bindingModules = new java.util.IdentityHashMap<>(bindingCount);
    this.byName = new HashMap<>(capacity(modules.size()));
    this.byPath = new HashMap<>(capacity(modules.size()));
    this.functions = new HashMap<>(capacity(functionCount));
    this.functionsByQName = new HashMap<>(capacity(functionCount));
    this.classesByQName = new HashMap<>(capacity(classCount));
    this.varBindings = new HashMap<>(capacity(bindingCount));
    this.returns = new HashMap<>(capacity(functionCount));
    this.methodsByClassAndName = new HashMap<>(capacity(classCount));
    this.callsByScope = new HashMap<>(capacity(functionCount));
    // Attribute bindings need the functions (to know a method's class): indexed after both.
    List<Binding> attributeAssignments = new ArrayList<>();
    Runnable definitions = () -> {
      for (ModuleIr m : modules) {
        add(byName, m.module(), m);
        byPath.put(m.path(), m);
        importRoots.add(baseFolder(m, m.module()));
        for (String a : m.aliases()) {
          add(byAlias, a, m);
        }
        for (FunctionIr f : m.functions()) {
          Fn fn = new Fn(m, f);
          functions.putIfAbsent(f.id(), fn);
          put(functionsByQName, f.qualifiedName(), fn);
          if (f.classId() != null && f.kind() != FunctionIr.Kind.CLASS_BODY) {
            add(methodsByClassAndName.computeIfAbsent(f.classId(), k -> new HashMap<>(4)), f.name(), fn);
          }
        }
        for (ClassIr c : m.classes()) {
          classesByQName.putIfAbsent(c.qualifiedName(), new Cls(m, c));
        }
        boolean script = false;
        for (CallSite cs : m.calls()) {
          put(callsByScope, cs.scope(), cs);
          script |= cs.hasFlag(CallSite.CallFlag.MAIN_GUARD);
        }
        if (script) {
          scriptFolders.add(folderOf(m.path()));
        }
      }
    };
    Runnable bindings = () -> {
      for (ModuleIr m : modules) {
        for (Binding b : m.bindings()) {
          bindingModules.put(b, m);
          if (b.kind() == Binding.Kind.RETURN) {
            put(returns, b.scope(), b);
          } else if (b.target() instanceof Ref.Var v) {
            put(varBindings, varKey(v.scope(), v.name()), b);
          } else if (b.target() instanceof Ref.Attr a && a.base() instanceof Ref.Var) {
            attributeAssignments.add(b);
          }
        }
      }
    };
    if (threads > 1) {
      Parallel.run(new Runnable[] {definitions, bindings}, 2);
    } else {
      definitions.run();
      bindings.run();
    }
    for (Binding b : attributeAssignments) {
      Ref.Attr a = (Ref.Attr) b.target();
      String cls = receiverClass((Ref.Var) a.base());
      if (cls != null) {
        add(attrBindings, attrKey(cls, a.name()), b);
      }
    }
  }

  /**
   * Adds {@code value} to the list of {@code key}. Most keys have one value (most names one
   * binding, most scopes one call): a key's first value is held in an immutable one-element list
   * (24 bytes) instead of an ArrayList and its array (40), which is replaced on the second.
   */
  private static <K, V> void add(Map<K, List<V>> map, K key, V value) {
    List<V> list = map.get(key);
    if (list == null) {
      map.put(key, List.of(value));
    } else if (list instanceof ArrayList<V> growing) {
      growing.add(value);
    } else {
      List<V> two = new ArrayList<>(2);
      two.add(list.get(0));
      two.add(value);
      map.put(key, two);
    }
  }

  /**
   * As {@link #add}, for the largest maps (a name's bindings, a scope's calls and returns, the
   * functions of a qualified name), where a key's only value is held as itself, not in a list;
   * {@link #values} wraps it on the way out. Values are never lists themselves.
   */
  @SuppressWarnings("unchecked")
  private static <K> void put(Map<K, Object> map, K key, Object value) {
    Object old = map.putIfAbsent(key, value);
    if (old instanceof ArrayList<?> list) {
      ((ArrayList<Object>) list).add(value);
    } else if (old != null) {
      List<Object> two = new ArrayList<>(2);
      two.add(old);
      two.add(value);
      map.put(key, two);
    }
  }

  /** The values {@link #put} stored under a key ({@code stored}: null, a value or a list). */
  @SuppressWarnings("unchecked")
  private static <V> List<V> values(Object stored) {
    if (stored == null) {
      return List.of();
    }
    return stored instanceof ArrayList<?> list ? (List<V>) list : List.of((V) stored);
  }

  private static int capacity(int entries) {
    return (int) (entries / 0.75f) + 1;
  }

  /** The class whose instance {@code v} is, when v is a method's receiver parameter. */
  String receiverClass(Ref.Var v) {
    return receiverClass(v, id -> {
      Fn fn = functions.get(id);
      return fn == null ? null : fn.ir();
    });
  }

  /** As {@link #receiverClass(Ref.Var)}, finding functions by id with {@code functions}. */
  static String receiverClass(Ref.Var v, java.util.function.Function<String, FunctionIr> functions) {
    FunctionIr f = functions.apply(v.scope());
    if (f == null || f.classId() == null || f.params().isEmpty()) {
      return null;
    }
    if (f.hasFlag(FunctionIr.Flag.STATIC) || f.hasFlag(FunctionIr.Flag.CLASSMETHOD)) {
      return null;
    }
    if (!f.params().get(0).name().equals(v.name())) {
      return null;
    }
    FunctionIr cls = functions.apply(f.classId());
    return cls == null ? null : cls.qualifiedName();
  }

  private record Key(String owner, String name) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.name.equals(name) && k.owner.equals(owner);
    }

    @Override
    public int hashCode() {
      return owner.hashCode() * 31 + name.hashCode();
    }
  }

  static Object varKey(String scope, String name) {
    return new Key(scope, name);
  }

  static Object attrKey(String classQName, String attr) {
    return new Key(classQName, attr);
  }

  public List<ModuleIr> modules() {
    return modules;
  }

  public Fn function(String id) {
    return functions.get(id);
  }

  public List<Fn> functionsNamed(String qualifiedName) {
    return values(functionsByQName.get(qualifiedName));
  }

  public Cls classNamed(String qualifiedName) {
    return classesByQName.get(qualifiedName);
  }

  public List<Binding> bindingsOf(String scope, String name) {
    return values(varBindings.get(varKey(scope, name)));
  }

  public List<Binding> attributeBindings(String classQName, String attr) {
    return attrBindings.getOrDefault(attrKey(classQName, attr), List.of());
  }

  /** The module a binding stands in. */
  public ModuleIr moduleOf(Binding b) {
    return bindingModules.get(b);
  }

  public List<Binding> returnsOf(String functionId) {
    return values(returns.get(functionId));
  }

  /** Methods named {@code name} defined directly in class {@code classId}. */
  public List<Fn> methodsNamed(String classId, String name) {
    Map<String, List<Fn>> byName = methodsByClassAndName.get(classId);
    if (byName == null) {
      return List.of();
    }
    return byName.getOrDefault(name, List.of());
  }

  public List<CallSite> callsIn(String scope) {
    return values(callsByScope.get(scope));
  }

  /**
   * The project module called {@code name}: by its own name, else by an alias. An alias (the
   * module's name relative to a folder above it) is trusted only where Python would resolve it:
   * when that folder is an import root (some module is named from it), or when it holds a script
   * (code under a main guard; its folder is on the import path when it runs) and the importer is
   * in that folder or below it. A module is never its own import. Among trusted aliases, one in
   * the importer's folder is preferred, then one in its top-level folder, then the only one. So a
   * {@code cache/redis.py} never stands for the {@code redis} library elsewhere in the project.
   */
  public ModuleIr module(String name, ModuleIr from) {
    List<ModuleIr> named = byName.get(name);
    if (named != null) {
      if (named.size() == 1 || from == null) {
        return named.get(0);
      }
      String top = topFolder(from.path());
      for (ModuleIr m : named) {
        if (topFolder(m.path()).equals(top)) {
          return m;
        }
      }
      return named.get(0);
    }
    List<ModuleIr> candidates = byAlias.get(name);
    if (candidates == null || candidates.isEmpty() || from == null) {
      return null;
    }
    String top = topFolder(from.path());
    String dir = folderOf(from.path());
    ModuleIr sameTop = null;
    int sameTopCount = 0;
    ModuleIr sameDir = null;
    int sameDirCount = 0;
    ModuleIr only = null;
    int count = 0;
    for (ModuleIr c : candidates) {
      if (c == from || !trusted(c, name, dir)) {
        continue;
      }
      only = c;
      count++;
      if (topFolder(c.path()).equals(top)) {
        sameTop = c;
        sameTopCount++;
        if (folderOf(c.path()).equals(dir)) {
          sameDir = c;
          sameDirCount++;
        }
      }
    }
    if (sameDirCount == 1) {
      return sameDir;
    }
    if (sameTopCount == 1) {
      return sameTop;
    }
    return count == 1 ? only : null;
  }

  private boolean trusted(ModuleIr c, String alias, String importerDir) {
    String base = baseFolder(c, alias);
    if (importRoots.contains(base)) {
      return true;
    }
    return scriptFolders.contains(base)
        && (base.isEmpty() || importerDir.equals(base) || importerDir.startsWith(base + "/"));
  }

  /**
   * The folder that {@code m} is called {@code name} from: its path without as many parts as
   * the name has (one more for a package initialiser); {@code ../} for each level above the scan
   * root.
   */
  static String baseFolder(ModuleIr m, String name) {
    int parts = 1;
    for (int i = 0; i < name.length(); i++) {
      if (name.charAt(i) == '.') {
        parts++;
      }
    }
    if (m.packageInit()) {
      parts++;
    }
    String path = m.path();
    int end = path.length();
    while (parts > 0 && end > 0) {
      end = path.lastIndexOf('/', end - 1);
      parts--;
      if (end < 0) {
        end = 0;
        break;
      }
    }
    String base = path.substring(0, Math.max(end, 0));
    return parts > 0 ? "../".repeat(parts) + base : base;
  }

  /** The module read from {@code path}. */
  public ModuleIr moduleAt(String path) {
    return byPath.get(path);
  }

  private static String topFolder(String path) {
    int slash = path.indexOf('/');
    return slash < 0 ? "" : path.substring(0, slash);
  }

  /** The folder of a path ("" at the top). */
  static String folderOf(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "" : path.substring(0, slash);
  }
}
