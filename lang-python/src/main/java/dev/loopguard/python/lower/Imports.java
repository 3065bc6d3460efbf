package dev.loopguard.python.lower;

/** Resolution of {@code from ... import} module names. */
final class Imports {
  private Imports() {}

  /**
   * The absolute module of {@code from <dots><module> import ...} in module {@code current}:
   * level 0 is absolute; level 1 is the current package (the module itself for a package
   * initialiser, else its parent); each further dot goes one package up. Dots beyond the top
   * package are ignored (CPython raises ImportError there). May return "" for {@code from .
   * import x} in a top-level module.
   */
  static String resolveFrom(String current, boolean packageInit, int level, String module) {
    String mod = module == null ? "" : module;
    if (level <= 0) {
      return mod;
    }
    String pkg = packageInit ? current : parentOf(current);
    for (int i = 1; i < level; i++) {
      pkg = parentOf(pkg);
    }
    if (pkg.isEmpty()) {
      return mod;
    }
    return mod.isEmpty() ? pkg : pkg + "." + mod;
  }

  static String join(String module, String name) {
    return module == null || module.isEmpty() ? name : module + "." + name;
  }

  private static String parentOf(String dotted) {
    int i = dotted.lastIndexOf('.');
    return i < 0 ? "" : dotted.substring(0, i);
  }
}
