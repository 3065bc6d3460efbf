package dev.loopguard.core.analysis;

import dev.loopguard.core.ir.Binding;
import dev.loopguard.core.ir.Diagnostic;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.ir.Ref;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Imports of the project's own modules that did not resolve, said once per scan: an absolute
 * import that names no importable module of the project although a file or folder of the project
 * has its first name (an {@code import config} beside {@code bot/config.py} when {@code bot/}
 * is not on the import path). Calls through such imports are not followed, so findings behind
 * them are missed; the scan says so instead of passing silently.
 */
public final class UnresolvedImports {
  private UnresolvedImports() {}

  /** The one diagnostic for {@code project}, or null when every such import resolved. */
  public static Diagnostic of(Project project) {
    // Names the project's files and folders have, outside regular packages' own files.
    Set<String> own = new HashSet<>();
    Set<String> packageFolders = new HashSet<>();
    for (ModuleIr m : project.modules()) {
      if (m.packageInit()) {
        packageFolders.add(Project.folderOf(m.path()));
      }
    }
    for (ModuleIr m : project.modules()) {
      String folder = Project.folderOf(m.path());
      if (packageFolders.contains(folder)) {
        continue; // cache/redis.py in package cache is cache.redis: no first name of its own
      }
      String file = m.path().substring(m.path().lastIndexOf('/') + 1);
      int dot = file.indexOf('.');
      String stem = dot > 0 ? file.substring(0, dot) : file;
      if (!stem.startsWith("_")) { // __main__, __init__: the runtime's names, not the project's
        own.add(stem);
      }
    }
    int count = 0;
    Set<String> files = new TreeSet<>();
    String[] example = null;
    for (ModuleIr m : project.modules()) {
      for (Binding b : m.bindings()) {
        if (b.kind() != Binding.Kind.IMPORT || !(b.value() instanceof Ref.QName q)) {
          continue;
        }
        String name = q.name();
        int dot = name.indexOf('.');
        String top = dot < 0 ? name : name.substring(0, dot);
        if (!own.contains(top) || resolves(project, name, m)) {
          continue;
        }
        count++;
        files.add(m.path());
        String line = String.valueOf(b.span().line());
        if (example == null || m.path().compareTo(example[0]) < 0
            || (m.path().equals(example[0]) && b.span().line() < Integer.parseInt(example[1]))) {
          example = new String[] {m.path(), line, name};
        }
      }
    }
    if (count == 0) {
      return null;
    }
    return new Diagnostic(example[0], Integer.parseInt(example[1]), 0, "unresolved-imports",
        count + (count == 1 ? " import" : " imports") + " in " + files.size()
            + (files.size() == 1 ? " file" : " files") + (count == 1 ? " names" : " name")
            + " a module of the project that is"
            + " not importable from its import roots (e.g. '" + example[2] + "' here); calls through"
            + " them are not followed. Scan the folder they are imported from, or declare that folder"
            + " in the project's build file.");
  }

  private static boolean resolves(Project project, String name, ModuleIr from) {
    for (String n = name; ; ) {
      if (project.module(n, from) != null) {
        return true;
      }
      int dot = n.lastIndexOf('.');
      if (dot < 0) {
        return false;
      }
      n = n.substring(0, dot);
    }
  }
}
