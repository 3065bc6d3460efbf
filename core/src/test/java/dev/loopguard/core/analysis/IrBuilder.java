package dev.loopguard.core.analysis;

import dev.loopguard.core.ir.Arg;
import dev.loopguard.core.ir.Binding;
import dev.loopguard.core.ir.CallSite;
import dev.loopguard.core.ir.ClassIr;
import dev.loopguard.core.ir.FunctionIr;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.ir.Ref;
import dev.loopguard.core.ir.Span;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Builds module IR by hand for language-neutral analysis tests. */
public final class IrBuilder {
  private final String path;
  private final String module;
  private final List<FunctionIr> functions = new ArrayList<>();
  private final List<ClassIr> classes = new ArrayList<>();
  private final List<CallSite> calls = new ArrayList<>();
  private final List<Binding> bindings = new ArrayList<>();
  private int line = 1;
  private List<String> aliases = List.of();

  public IrBuilder aliases(String... names) {
    this.aliases = List.of(names);
    return this;
  }

  public IrBuilder(String path, String module) {
    this.path = path;
    this.module = module;
    functions.add(new FunctionIr(module, module, "<module>", FunctionIr.Kind.MODULE, false,
        Span.of(1, 1, 1000, 1), Span.of(1, 1, 1, 1), null, null, List.of(), List.of(), null, Set.of()));
  }

  public String fn(String name, boolean async, Ref... decorators) {
    return fnIn(null, name, async, decorators);
  }

  public String method(String classId, String name, boolean async) {
    String id = classId + "." + name;
    int l = line++;
    functions.add(new FunctionIr(id, id, name, FunctionIr.Kind.FUNCTION, async, Span.of(l, 1, l, 10),
        Span.of(l, 5, l, 5 + name.length()), classId, classId, List.of(),
        List.of(new FunctionIr.Param("self", FunctionIr.ParamKind.POSITIONAL, null, null)), null, Set.of()));
    bindings.add(new Binding(id, Binding.Kind.ANNOTATION, new Ref.Var(id, "self"), new Ref.QName(classId), Span.NONE));
    return id;
  }

  public String fnIn(String parent, String name, boolean async, Ref... decorators) {
    String id = module + "." + name;
    int l = line++;
    functions.add(new FunctionIr(id, id, name, FunctionIr.Kind.FUNCTION, async, Span.of(l, 1, l, 10),
        Span.of(l, 5, l, 5 + name.length()), parent == null ? module : parent, null, List.of(decorators),
        List.of(), null, Set.of()));
    return id;
  }

  public String cls(String name, Ref... bases) {
    String id = module + "." + name;
    int l = line++;
    classes.add(new ClassIr(id, id, name, Span.of(l, 1, l, 10), List.of(bases), List.of(), module));
    functions.add(new FunctionIr(id, id, name, FunctionIr.Kind.CLASS_BODY, false, Span.of(l, 1, l, 10),
        Span.of(l, 7, l, 7 + name.length()), module, null, List.of(), List.of(), null, Set.of()));
    return id;
  }

  public Ref.Call call(String scope, Ref callee, Arg... args) {
    return call(scope, callee, false, 0, args);
  }

  public Ref.Call call(String scope, Ref callee, boolean awaited, int loopDepth, Arg... args) {
    int idx = calls.size();
    int l = line++;
    calls.add(new CallSite(idx, scope, callee, callee.toString(), Span.of(l, 5, l, 20), awaited,
        List.of(args), loopDepth, loopDepth > 0 ? CallSite.LoopKind.WHILE_TRUE : null,
        EnumSet.noneOf(CallSite.CallFlag.class)));
    return new Ref.Call(idx);
  }

  /** A call under the module's main guard (the file is a script). */
  public Ref.Call mainGuardCall(Ref callee) {
    int idx = calls.size();
    int l = line++;
    calls.add(new CallSite(idx, module, callee, callee.toString(), Span.of(l, 5, l, 20), false,
        List.of(), 0, null, EnumSet.of(CallSite.CallFlag.MAIN_GUARD)));
    return new Ref.Call(idx);
  }

  public void assign(String scope, Ref target, Ref value) {
    bindings.add(new Binding(scope, Binding.Kind.ASSIGN, target, value, Span.NONE));
  }

  public static Arg pos(int i, Ref v) {
    return new Arg(null, i, v, v.toString());
  }

  public static Arg kw(String k, Ref v) {
    return new Arg(k, -1, v, v.toString());
  }

  public static Ref.QName q(String n) {
    return new Ref.QName(n);
  }

  public ModuleIr build() {
    return new ModuleIr(path, module, aliases, "test", false, line, List.copyOf(functions),
        List.copyOf(classes), List.copyOf(calls), List.copyOf(bindings), List.of(), List.of(), List.of());
  }
}
