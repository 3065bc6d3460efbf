package dev.loopguard.core.ir;

import java.util.List;

/**
 * Everything the core knows about one source file. Frontends build it; nothing in it refers to
 * syntax trees, which are dropped after lowering.
 *
 * @param path path relative to the scan root, {@code /}-separated
 * @param module dotted module name (see {@code LanguageFrontend#moduleName})
 * @param aliases other dotted names the module may be imported as (e.g. the name relative to
 *     the scan root when the package root is deeper), possibly empty
 * @param language frontend id ({@code python})
 * @param packageInit the file is a package's initialiser ({@code __init__.py})
 * @param lines number of lines
 * @param functions scopes; index 0 is the module scope (kind MODULE, id = module name)
 * @param classes class definitions
 * @param calls call sites; {@link CallSite#index()} is the position in this list
 * @param bindings what names and attributes may hold
 * @param starImports modules imported with {@code from m import *}, resolved to absolute names
 * @param directives comments that may speak to loopguard
 * @param diagnostics problems found while reading the file
 * @param outline whether this is an outline: a file whose code the scan does not analyse (test
 *     and script files no analysed code imports), not parsed. An outline holds the file's path,
 *     names and line count; its functions are the module scope alone, and its classes, calls,
 *     bindings, star imports, directives and diagnostics are empty.
 */
public record ModuleIr(
    String path,
    String module,
    List<String> aliases,
    String language,
    boolean packageInit,
    int lines,
    List<FunctionIr> functions,
    List<ClassIr> classes,
    List<CallSite> calls,
    List<Binding> bindings,
    List<String> starImports,
    List<Directive> directives,
    List<Diagnostic> diagnostics,
    boolean outline) {

  /** A lowered module. */
  public ModuleIr(String path, String module, List<String> aliases, String language,
      boolean packageInit, int lines, List<FunctionIr> functions, List<ClassIr> classes,
      List<CallSite> calls, List<Binding> bindings, List<String> starImports,
      List<Directive> directives, List<Diagnostic> diagnostics) {
    this(path, module, aliases, language, packageInit, lines, functions, classes, calls, bindings,
        starImports, directives, diagnostics, false);
  }

  /**
   * The outline of a file of {@code lines} lines: its module scope spans from the start of the
   * first line to the start of the last (the file was not read for its columns).
   */
  public static ModuleIr outline(String path, String module, List<String> aliases,
      String language, boolean packageInit, int lines) {
    FunctionIr scope = FunctionIr.moduleScope(module, Span.of(1, 1, Math.max(1, lines), 1));
    return new ModuleIr(path, module, List.copyOf(aliases), language, packageInit, lines,
        List.of(scope), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), true);
  }

  public FunctionIr moduleScope() {
    return functions.get(0);
  }

  /** Whether this is an outline: a file the scan neither parsed nor analyses. */
  public boolean isOutline() {
    return outline;
  }

  /** The functions (kind FUNCTION) lowering found in the file; none in an outline. */
  public int functionCount() {
    int n = 0;
    for (FunctionIr f : functions) {
      if (f.kind() == FunctionIr.Kind.FUNCTION) {
        n++;
      }
    }
    return n;
  }

  /** The async functions (kind FUNCTION) lowering found in the file; none in an outline. */
  public int asyncFunctionCount() {
    int n = 0;
    for (FunctionIr f : functions) {
      if (f.kind() == FunctionIr.Kind.FUNCTION && f.async()) {
        n++;
      }
    }
    return n;
  }
}
