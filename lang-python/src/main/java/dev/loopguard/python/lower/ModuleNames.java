package dev.loopguard.python.lower;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Dotted module names of Python files.
 *
 * <p>A file whose folder holds an {@code __init__.py} is named from the topmost folder of the
 * contiguous {@code __init__.py} chain ({@code src/pkg/sub/m.py} with {@code src/pkg/__init__.py}
 * and {@code src/pkg/sub/__init__.py} is {@code pkg.sub.m}); any other file by its path from the
 * scan root ({@code app/routers/users.py} is {@code app.routers.users}). A package initialiser is
 * named after its package.
 */
public final class ModuleNames {
  private ModuleNames() {}

  public static String moduleName(String relativePath, Predicate<String> exists) {
    String[] parts = split(relativePath);
    int folders = parts.length - 1;
    String stem = stem(parts[parts.length - 1]);
    int top = folders;
    while (top > 0 && exists.test(join(parts, 0, top, "/") + "/__init__.py")) {
      top--;
    }
    // parts[top .. folders-1] are packages (when top < folders).
    int from = top < folders ? top : 0;
    return dotted(parts, from, folders, stem);
  }

  /**
   * The root-relative dotted name when it differs from the module name, then every proper
   * dotted suffix of it, longest first; never the module name itself.
   */
  public static List<String> moduleAliases(String relativePath, Predicate<String> exists) {
    String module = moduleName(relativePath, exists);
    String[] parts = split(relativePath);
    String full = dotted(parts, 0, parts.length - 1, stem(parts[parts.length - 1]));
    Set<String> out = new LinkedHashSet<>();
    out.add(full);
    // Inside a regular package, imports are absolute: only folders above the package root may be
    // stripped (src layouts). A file outside any package may be imported by any suffix of its
    // path, depending on where the program runs.
    boolean inPackage = !module.equals(full);
    int dot = full.indexOf('.');
    while (dot >= 0) {
      String suffix = full.substring(dot + 1);
      if (!inPackage || suffix.length() >= module.length()) {
        out.add(suffix);
      }
      dot = full.indexOf('.', dot + 1);
    }
    out.remove(module);
    out.remove("");
    return List.copyOf(new ArrayList<>(out));
  }

  /** Whether a path names a package initialiser. */
  public static boolean isPackageInit(String relativePath) {
    String[] parts = split(relativePath);
    String last = parts[parts.length - 1];
    return last.equals("__init__.py") || last.equals("__init__.pyi");
  }

  private static String[] split(String relativePath) {
    String p = relativePath.replace('\\', '/');
    while (p.startsWith("./")) {
      p = p.substring(2);
    }
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    List<String> parts = new ArrayList<>();
    for (String s : p.split("/")) {
      if (!s.isEmpty() && !s.equals(".")) {
        parts.add(s);
      }
    }
    if (parts.isEmpty()) {
      parts.add("");
    }
    return parts.toArray(new String[0]);
  }

  private static String stem(String fileName) {
    if (fileName.endsWith(".pyi")) {
      return fileName.substring(0, fileName.length() - 4);
    }
    if (fileName.endsWith(".py")) {
      return fileName.substring(0, fileName.length() - 3);
    }
    return fileName;
  }

  private static String dotted(String[] parts, int from, int to, String stem) {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < to; i++) {
      if (sb.length() > 0) {
        sb.append('.');
      }
      sb.append(parts[i]);
    }
    if (!stem.equals("__init__") || sb.length() == 0) {
      if (sb.length() > 0) {
        sb.append('.');
      }
      sb.append(stem);
    }
    return sb.toString();
  }

  private static String join(String[] parts, int from, int to, String sep) {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < to; i++) {
      if (i > from) {
        sb.append(sep);
      }
      sb.append(parts[i]);
    }
    return sb.toString();
  }
}
