package dev.loopguard.python.lower;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopguard.core.frontend.SourceFile;
import dev.loopguard.core.ir.Binding;
import dev.loopguard.core.ir.CallSite;
import dev.loopguard.core.ir.FunctionIr;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.ir.Ref;
import dev.loopguard.python.PythonFrontend;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/** Test helpers: lower Python source through the real parser and find things in the IR. */
final class Py {
  private Py() {}

  static final PythonFrontend FRONTEND = new PythonFrontend();

  /** Lowers {@code src} as {@code app/mod.py}, module {@code app.mod}, without diagnostics. */
  static ModuleIr lower(String src) {
    ModuleIr ir = lower("app/mod.py", "app.mod", src);
    assertThat(ir.diagnostics()).as("diagnostics").isEmpty();
    return ir;
  }

  static ModuleIr lower(String path, String module, String src) {
    return lowerBytes(path, module, src.getBytes(StandardCharsets.UTF_8));
  }

  static ModuleIr lowerBytes(String path, String module, byte[] content) {
    return FRONTEND.lower(new SourceFile(path, module, List.of(), content));
  }

  static List<CallSite> calls(ModuleIr ir, String calleeText) {
    return ir.calls().stream().filter(c -> c.calleeText().equals(calleeText))
        .collect(Collectors.toList());
  }

  /** The only call with this callee text. */
  static CallSite call(ModuleIr ir, String calleeText) {
    List<CallSite> found = calls(ir, calleeText);
    assertThat(found).as("calls of " + calleeText + " in " + texts(ir)).hasSize(1);
    return found.get(0);
  }

  static List<String> texts(ModuleIr ir) {
    return ir.calls().stream().map(CallSite::calleeText).collect(Collectors.toList());
  }

  static FunctionIr fn(ModuleIr ir, String id) {
    return ir.functions().stream().filter(f -> f.id().equals(id)).findFirst()
        .orElseThrow(() -> new AssertionError("no function " + id + " in "
            + ir.functions().stream().map(FunctionIr::id).collect(Collectors.toList())));
  }

  static List<Binding> bindings(ModuleIr ir, Binding.Kind kind, Ref target) {
    return ir.bindings().stream()
        .filter(b -> b.kind() == kind && java.util.Objects.equals(b.target(), target))
        .collect(Collectors.toList());
  }

  static List<Ref> values(ModuleIr ir, Binding.Kind kind, Ref target) {
    return bindings(ir, kind, target).stream().map(Binding::value).collect(Collectors.toList());
  }

  static Ref.QName q(String name) {
    return new Ref.QName(name);
  }

  static Ref.Var var(String scope, String name) {
    return new Ref.Var(scope, name);
  }

  static Ref.Attr attr(Ref base, String name) {
    return new Ref.Attr(base, name);
  }
}
