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
 * @param outline null for a lowered module; for a file read without lowering its code (test and
 *     script files no analysed code imports), what a scan still reports of it. An outline's
 *     functions, classes, calls and bindings are empty but for the module scope.
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
    Outline outline) {

  /** A lowered module. */
  public ModuleIr(String path, String module, List<String> aliases, String language,
      boolean packageInit, int lines, List<FunctionIr> functions, List<ClassIr> classes,
      List<CallSite> calls, List<Binding> bindings, List<String> starImports,
      List<Directive> directives, List<Diagnostic> diagnostics) {
    this(path, module, aliases, language, packageInit, lines, functions, classes, calls, bindings,
        starImports, directives, diagnostics, null);
  }

  /**
   * What is known of a file read without lowering its code: how many functions it defines
   * (kind {@link FunctionIr.Kind#FUNCTION}), and how many of them are async.
   */
  public record Outline(int functions, int asyncFunctions) {}

  public FunctionIr moduleScope() {
    return functions.get(0);
  }

  /** Whether this is an outline: read without lowering its code. */
  public boolean isOutline() {
    return outline != null;
  }

  /** The functions (kind FUNCTION) the file defines, lowered or not. */
  public int functionCount() {
    if (outline != null) {
      return outline.functions();
    }
    int n = 0;
    for (FunctionIr f : functions) {
      if (f.kind() == FunctionIr.Kind.FUNCTION) {
        n++;
      }
    }
    return n;
  }

  /** The async functions (kind FUNCTION) the file defines, lowered or not. */
  public int asyncFunctionCount() {
    if (outline != null) {
      return outline.asyncFunctions();
    }
    int n = 0;
    for (FunctionIr f : functions) {
      if (f.kind() == FunctionIr.Kind.FUNCTION && f.async()) {
        n++;
      }
    }
    return n;
  }
}
