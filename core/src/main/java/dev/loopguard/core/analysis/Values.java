package dev.loopguard.core.analysis;

import dev.loopguard.core.ir.Arg;
import dev.loopguard.core.frontend.LanguageSemantics;
import dev.loopguard.core.ir.Binding;
import dev.loopguard.core.ir.CallSite;
import dev.loopguard.core.ir.FunctionIr;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.ir.Ref;
import dev.loopguard.core.knowledge.Fact;
import dev.loopguard.core.knowledge.FactIndex;
import dev.loopguard.core.knowledge.FactKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates IR references to sets of abstract values: a flow-insensitive, bounded points-to
 * analysis over names, attributes and call results, across modules. Results are memoised;
 * cycles yield what is known so far.
 *
 * <p>Not thread-safe: {@link #fork()} gives each thread or task an evaluator of its own.
 */
public final class Values {
  static final int MAX_VALUES = 8;
  private static final int MAX_DEPTH = 24;
  private static final List<Val> NONE = List.of();

  private final Project project;
  private final FactIndex facts;
  private final LanguageSemantics semantics;
  private final Map<Object, List<Val>> memo = new HashMap<>();
  private final Set<Object> inProgress = new HashSet<>();
  private final Map<String, List<Val>> mroMemo = new HashMap<>();
  // The project queries made, when recorded (see Reads); else null.
  private final Reads reads;
  private int depth;

  public Values(Project project, FactIndex facts, LanguageSemantics semantics) {
    this(project, facts, semantics, null);
  }

  private Values(Project project, FactIndex facts, LanguageSemantics semantics, Reads reads) {
    this.project = project;
    this.facts = facts;
    this.semantics = semantics;
    this.reads = reads;
  }

  /** What the semantic model knows of the language. */
  LanguageSemantics semantics() {
    return semantics;
  }

  /**
   * A fresh evaluator over the same project, for another thread or task. Evaluators share
   * nothing: where a cycle is cut depends on the order of evaluation, so a result computed by
   * one task must not leak into another's (per-module tasks cost about as much as one shared
   * evaluator, since a module's calls need little of the rest of the project).
   */
  public Values fork() {
    return new Values(project, facts, semantics);
  }

  /** A fork that records in {@code reads} every project query it makes. */
  Values fork(Reads reads) {
    return new Values(project, facts, semantics, reads);
  }

  // ------------------------------------------------------------------ project queries
  // Every query of the project goes through these, so that a recording evaluator sees them all.

  Project.Fn function(String id) {
    if (reads != null) {
      reads.note(Reads.key(Reads.FUNCTION, id));
    }
    return project.function(id);
  }

  private List<Project.Fn> functionsNamed(String qualifiedName) {
    if (reads != null) {
      reads.note(Reads.key(Reads.FUNCTIONS_NAMED, qualifiedName));
    }
    return project.functionsNamed(qualifiedName);
  }

  Project.Cls classNamed(String qualifiedName) {
    if (reads != null) {
      reads.note(Reads.key(Reads.CLASS, qualifiedName));
    }
    return project.classNamed(qualifiedName);
  }

  private List<Binding> bindingsOf(String scope, String name) {
    if (reads != null) {
      reads.note(Reads.key(Reads.VAR, scope, name));
    }
    return project.bindingsOf(scope, name);
  }

  private List<Binding> attributeBindings(String classQName, String attr) {
    if (reads != null) {
      reads.note(Reads.key(Reads.ATTR, classQName, attr));
    }
    return project.attributeBindings(classQName, attr);
  }

  private List<Binding> returnBindings(String functionId) {
    if (reads != null) {
      reads.note(Reads.key(Reads.RETURNS, functionId));
    }
    return project.returnsOf(functionId);
  }

  List<Project.Fn> methodsNamed(String classId, String name) {
    if (reads != null) {
      reads.note(Reads.key(Reads.METHODS_NAMED, classId, name));
    }
    return project.methodsNamed(classId, name);
  }

  private ModuleIr module(String name, ModuleIr from) {
    if (reads != null) {
      reads.note(Reads.key(Reads.MODULE, name));
    }
    return project.module(name, from);
  }

  private List<String> starImports(ModuleIr m) {
    if (reads != null) {
      reads.note(Reads.key(Reads.STAR_IMPORTS, m.path()));
    }
    return m.starImports();
  }

  private ModuleIr moduleAt(String path) {
    if (reads != null) {
      reads.note(Reads.key(Reads.MODULE_AT, path));
    }
    return project.moduleAt(path);
  }

  public Project project() {
    return project;
  }

  public FactIndex facts() {
    return facts;
  }

  private record Key(String context, Ref ref) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.ref.equals(ref) && k.context.equals(context);
    }

    @Override
    public int hashCode() {
      return context.hashCode() * 31 + ref.hashCode();
    }
  }

  /**
   * The memo key of {@code ref} read in {@code m}. Variables, functions and literals mean the same
   * everywhere; call results and unknown names only in their module; dotted names in their folder
   * (module lookup prefers modules near the importer).
   */
  private static Object keyOf(ModuleIr m, Ref ref) {
    Ref root = ref;
    while (root instanceof Ref.Attr a) {
      root = a.base();
    }
    if (root instanceof Ref.Call || root instanceof Ref.Unknown) {
      return new Key(m.path(), ref);
    }
    if (root instanceof Ref.QName) {
      return new Key(Project.folderOf(m.path()), ref);
    }
    return ref;
  }

  /** What {@code ref}, read in module {@code m}, may denote. */
  public List<Val> eval(ModuleIr m, Ref ref) {
    if (ref == null) {
      return NONE;
    }
    Object key = keyOf(m, ref);
    List<Val> cached = memo.get(key);
    if (cached != null) {
      return cached;
    }
    if (depth > MAX_DEPTH || !inProgress.add(key)) {
      return NONE;
    }
    depth++;
    List<Val> result;
    try {
      result = compute(m, ref);
    } finally {
      depth--;
      inProgress.remove(key);
    }
    memo.put(key, result);
    return result;
  }

  private List<Val> compute(ModuleIr m, Ref ref) {
    if (ref instanceof Ref.QName q) {
      return resolveQName(q.name(), m);
    } else if (ref instanceof Ref.Var v) {
      return evalVar(m, v.scope(), v.name());
    } else if (ref instanceof Ref.Attr a) {
      Set<Val> out = new LinkedHashSet<>();
      for (Val base : eval(m, a.base())) {
        out.addAll(member(base, a.name()));
      }
      if (out.isEmpty()) {
        out.add(new Val.UnknownMember(a.name()));
      }
      return cap(out);
    } else if (ref instanceof Ref.Call c) {
      if (c.site() < 0 || c.site() >= m.calls().size()) {
        return NONE;
      }
      CallSite cs = m.calls().get(c.site());
      Set<Val> out = new LinkedHashSet<>();
      for (Val callee : eval(m, cs.callee())) {
        out.addAll(callResult(m, cs, callee));
      }
      return cap(out);
    } else if (ref instanceof Ref.Func f) {
      return List.of(new Val.Func(f.functionId()));
    } else if (ref instanceof Ref.Super s) {
      Project.Fn body = function(s.classId());
      if (body == null) {
        return NONE;
      }
      List<Val> mro = mro(body.ir().qualifiedName());
      return mro.size() > 1 ? List.of(new Val.Super(body.ir().qualifiedName())) : NONE;
    } else if (ref instanceof Ref.Unknown u) {
      for (String star : starImports(m)) {
        ModuleIr sm = module(star, m);
        if (sm != null) {
          List<Val> vs = moduleMember(sm, u.text(), m);
          if (!vs.isEmpty()) {
            return vs;
          }
        }
      }
      return NONE;
    }
    return NONE;
  }

  private List<Val> evalVar(ModuleIr m, String scope, String name) {
    List<Binding> bindings = bindingsOf(scope, name);
    if (bindings.isEmpty()) {
      return NONE;
    }
    Set<Val> out = new LinkedHashSet<>();
    for (Binding b : bindings) {
      ModuleIr bm = project.moduleOf(b);
      if (bm == null) {
        bm = m;
      }
      switch (b.kind()) {
        case ASSIGN, IMPORT -> out.addAll(eval(bm, b.value()));
        case WITH -> out.addAll(entered(eval(bm, b.value())));
        case ANNOTATION -> out.addAll(instancesOf(eval(bm, b.value())));
        case RETURN -> {}
      }
    }
    return cap(out);
  }

  /** What entering a context manager yields: for known types, the manager itself. */
  private List<Val> entered(List<Val> managers) {
    return managers;
  }

  /** Instances of the classes in {@code types} (for annotations). */
  public List<Val> instancesOf(List<Val> types) {
    List<Val> out = new ArrayList<>();
    for (Val t : types) {
      if (t instanceof Val.Class c) {
        out.add(new Val.Instance(c.qualifiedName(), true));
      } else if (t instanceof Val.External e) {
        out.add(new Val.Instance(e.name(), false));
      }
    }
    return out;
  }

  /** Resolves a dotted name to project entities, or an external name. */
  public List<Val> resolveQName(String name, ModuleIr from) {
    // Longest prefix that is a project module.
    int end = name.length();
    while (end > 0) {
      String prefix = name.substring(0, end);
      ModuleIr mod = module(prefix, from);
      if (mod != null) {
        if (end == name.length()) {
          return List.of(new Val.Module(mod.module(), mod.path()));
        }
        String rest = name.substring(end + 1);
        return memberPath(new Val.Module(mod.module(), mod.path()), rest);
      }
      end = name.lastIndexOf('.', end - 1);
    }
    // Classes nested in functions have no module prefix of their own.
    Project.Cls cls = classNamed(name);
    if (cls != null) {
      return List.of(new Val.Class(name));
    }
    return List.of(external(name));
  }

  private Val external(String name) {
    return new Val.External(name);
  }

  private List<Val> memberPath(Val base, String dotted) {
    List<Val> cur = List.of(base);
    int start = 0;
    while (start <= dotted.length()) {
      int dot = dotted.indexOf('.', start);
      String seg = dot < 0 ? dotted.substring(start) : dotted.substring(start, dot);
      Set<Val> next = new LinkedHashSet<>();
      for (Val v : cur) {
        next.addAll(member(v, seg));
      }
      cur = cap(next);
      if (dot < 0) {
        break;
      }
      start = dot + 1;
    }
    return cur;
  }

  /** Reads attribute {@code name} of {@code base}. */
  public List<Val> member(Val base, String name) {
    if (base instanceof Val.Module mv) {
      ModuleIr mod = moduleAt(mv.path());
      if (mod == null) {
        return NONE;
      }
      ModuleIr sub = module(mv.name() + "." + name, mod);
      if (sub != null) {
        return List.of(new Val.Module(sub.module(), sub.path()));
      }
      return moduleMember(mod, name, mod);
    } else if (base instanceof Val.Class c) {
      return classMember(c.qualifiedName(), name, false, 0);
    } else if (base instanceof Val.Instance inst) {
      if (inst.project()) {
        return classMember(inst.type(), name, true, 0);
      }
      return List.of(externalMember(inst.type(), name));
    } else if (base instanceof Val.External e) {
      return List.of(externalMember(e.name(), name));
    } else if (base instanceof Val.Super s) {
      return classMember(s.classQName(), name, true, 1);
    } else if (base instanceof Val.Func) {
      return NONE;
    }
    return NONE;
  }

  private Val externalMember(String owner, String name) {
    String full = owner + "." + name;
    Fact f = facts.lookup(full);
    if (f != null && f.kind() == FactKind.TYPE && f.returns() != null) {
      return new Val.Instance(f.returns(), false);
    }
    return new Val.External(full);
  }

  /** Names defined at the top level of a module. */
  List<Val> moduleMember(ModuleIr mod, String name, ModuleIr from) {
    String qn = mod.module() + "." + name;
    Set<Val> out = new LinkedHashSet<>();
    List<Project.Fn> fns = functionsNamed(qn);
    for (Project.Fn fn : fns) {
      if (fn.module() == mod && fn.ir().kind() == FunctionIr.Kind.FUNCTION) {
        out.add(new Val.Func(fn.id()));
      }
    }
    Project.Cls cls = classNamed(qn);
    if (cls != null && cls.module() == mod) {
      out.add(new Val.Class(qn));
    }
    if (out.isEmpty()) {
      out.addAll(eval(mod, new Ref.Var(mod.moduleScope().id(), name)));
    }
    if (out.isEmpty()) {
      for (String star : starImports(mod)) {
        ModuleIr sm = module(star, mod);
        if (sm != null && sm != mod) {
          out.addAll(moduleMember(sm, name, from));
        } else if (sm == null) {
          // A star import from outside the project may supply the name.
          return List.of(external(star + "." + name));
        }
      }
    }
    return cap(out);
  }

  /**
   * The order member lookup visits a project class and its ancestors (project classes and
   * external bases), as the language linearises them.
   */
  List<Val> mro(String classQName) {
    List<Val> cached = mroMemo.get(classQName);
    if (cached != null) {
      return cached;
    }
    // A cycle in the bases sees the class alone.
    Val self = new Val.Class(classQName);
    mroMemo.put(classQName, List.of(self));
    List<List<Val>> bases = new ArrayList<>();
    Project.Cls cls = classNamed(classQName);
    if (cls != null) {
      for (Ref base : cls.ir().bases()) {
        for (Val b : eval(cls.module(), base)) {
          if (b instanceof Val.Class bc) {
            bases.add(mro(bc.qualifiedName()));
          } else if (b instanceof Val.External e) {
            bases.add(List.of(e));
          }
        }
      }
    }
    List<Val> out = semantics.linearise(self, bases);
    List<Val> result = List.copyOf(out);
    mroMemo.put(classQName, result);
    return result;
  }

  private List<Val> classMember(String classQName, String name, boolean onInstance, int skip) {
    List<Val> mro = mro(classQName);
    Set<Val> out = new LinkedHashSet<>();
    boolean foundClassLevel = false;
    for (int i = skip; i < mro.size(); i++) {
      Val k = mro.get(i);
      if (k instanceof Val.Class kc) {
        Project.Cls cls = classNamed(kc.qualifiedName());
        if (cls == null) {
          continue;
        }
        if (onInstance) {
          for (Binding b : attributeBindings(kc.qualifiedName(), name)) {
            ModuleIr bm = project.moduleOf(b);
            if (bm == null) {
              bm = cls.module();
            }
            if (b.kind() == Binding.Kind.ANNOTATION) {
              out.addAll(instancesOf(eval(bm, b.value())));
            } else {
              out.addAll(eval(bm, b.value()));
            }
          }
        }
        if (!foundClassLevel) {
          for (Project.Fn method : methodsNamed(cls.ir().id(), name)) {
            {
              foundClassLevel = true;
              if (onInstance && method.ir().hasFlag(FunctionIr.Flag.PROPERTY)) {
                out.addAll(returnsOf(method));
              } else {
                out.add(new Val.Func(method.id()));
              }
            }
          }
          if (!foundClassLevel) {
            List<Binding> classVars = bindingsOf(cls.ir().id(), name);
            if (!classVars.isEmpty()) {
              foundClassLevel = true;
              for (Binding b : classVars) {
                if (b.kind() == Binding.Kind.ANNOTATION) {
                  out.addAll(instancesOf(eval(cls.module(), b.value())));
                } else {
                  out.addAll(eval(cls.module(), b.value()));
                }
              }
            }
          }
        }
      } else if (k instanceof Val.External e && !foundClassLevel && out.isEmpty()) {
        out.add(externalMember(e.name(), name));
        foundClassLevel = true;
      }
    }
    return cap(out);
  }

  /** What calling {@code callee} at {@code cs} may return. */
  public List<Val> callResult(ModuleIr m, CallSite cs, Val callee) {
    if (callee instanceof Val.Func f) {
      Project.Fn fn = function(f.id());
      if (fn == null || fn.ir().async()) {
        return NONE;
      }
      return returnsOf(fn);
    } else if (callee instanceof Val.Class c) {
      return List.of(new Val.Instance(c.qualifiedName(), true));
    } else if (callee instanceof Val.Instance inst) {
      if (semantics.callOperatorMember() == null) {
        return NONE;
      }
      if (inst.project()) {
        List<Val> out = new ArrayList<>();
        for (Val call : classMember(inst.type(), semantics.callOperatorMember(), true, 0)) {
          out.addAll(callResult(m, cs, call));
        }
        return out;
      }
      // Calling an instance of an external class: what its call member returns, if known.
      Fact call = facts.lookup(inst.type() + "." + semantics.callOperatorMember());
      return call != null && call.returns() != null
          ? List.of(new Val.Instance(call.returns(), false)) : NONE;
    } else if (callee instanceof Val.External e) {
      Fact fact = facts.lookup(e.name());
      if (fact != null) {
        if (fact.kind() == FactKind.PARTIAL && cs != null) {
          Arg a = callableArg(cs, fact);
          List<Val> out = new ArrayList<>();
          if (a != null) {
            for (Val t : eval(m, a.value())) {
              out.add(new Val.Partial(t));
            }
          }
          return out;
        }
        if (fact.returns() != null) {
          return List.of(new Val.Instance(fact.returns(), false));
        }
      }
      return List.of(new Val.Instance(e.name(), false));
    } else if (callee instanceof Val.Partial p) {
      return callResult(m, null, p.target());
    } else if (callee instanceof Val.UnknownMember u) {
      Fact fact = facts.lookup("?." + u.name());
      if (fact != null && fact.returns() != null) {
        return List.of(new Val.Instance(fact.returns(), false));
      }
    }
    return NONE;
  }

  private List<Val> returnsOf(Project.Fn fn) {
    Set<Val> out = new LinkedHashSet<>();
    for (Binding b : returnBindings(fn.id())) {
      out.addAll(eval(fn.module(), b.value()));
    }
    if (fn.ir().returns() != null) {
      out.addAll(instancesOf(eval(fn.module(), fn.ir().returns())));
    }
    return cap(out);
  }

  /** The argument that carries the callable for a fact with callable-arg / callable-keyword. */
  public static Arg callableArg(CallSite cs, Fact fact) {
    Arg a = null;
    if (fact.callableKeyword() != null) {
      a = cs.keyword(fact.callableKeyword());
    }
    if (a == null && fact.callableArg() != null) {
      a = cs.arg(fact.callableArg());
    }
    return a;
  }

  private static List<Val> cap(Set<Val> values) {
    if (values.isEmpty()) {
      return NONE;
    }
    if (values.size() <= MAX_VALUES) {
      return List.copyOf(values);
    }
    return List.copyOf(new ArrayList<>(values).subList(0, MAX_VALUES));
  }
}
