package dev.loopguard.python.lower;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.loopguard.core.frontend.ModuleNamer;
import dev.loopguard.core.frontend.ProjectFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Python 3's import semantics for the files of one scan: the folders from which absolute
 * imports resolve (import roots), and the module names they give.
 *
 * <p>The project root is the nearest folder at or above the scan root holding a
 * {@code pyproject.toml}, {@code setup.py} or {@code setup.cfg} (a {@code .git} folder met first
 * ends the search). The import roots are the project root; each folder holding such a project
 * file (sub-projects of a monorepo); their {@code src/} folders (src layouts); the folders their
 * project files declare packages in ({@code [tool.setuptools] package-dir},
 * {@code packages.find.where}, Poetry's {@code from}, Hatch's {@code packages}, PDM's and
 * uv's module roots, setup.cfg's {@code package_dir} / {@code where}, setup.py's
 * {@code package_dir} / {@code find_packages(where=...)}); and the scanned folder unless it is a
 * package; and every {@code site-packages} or {@code dist-packages} folder (an installed
 * environment, on {@code sys.path}). The folder above a package is not a root by itself: {@code services/openai/} is
 * {@code services.openai}, never {@code openai}.
 *
 * <p>A module is named under the deepest import root above it ({@code src/pkg/m.py} is
 * {@code pkg.m}), the same whichever folder of the project is scanned; names under the other
 * roots are aliases. A file's bare name (the name next to the files of its own folder) is an
 * alias too: Python resolves it only when that folder is on the import path (a script run from
 * it), which the analysis decides ({@code Project.module}). A {@code cache/redis.py} is thus
 * never {@code redis} for the rest of the project.
 *
 * <p>Everything here is computed from the list of paths and a few project files, before any
 * source file is read: no extra pass over the files.
 */
public final class ImportRoots implements ModuleNamer {
  private static final List<String> PROJECT_FILES = List.of("pyproject.toml", "setup.py", "setup.cfg");
  private static final int MAX_CLIMB = 40;

  // Project-relative folders ("" is the project root) that are import roots.
  private final Set<String> roots = new HashSet<>();
  // The scan root's folder relative to the project root ("" when they are the same).
  private final String prefix;
  private final ProjectFiles files;
  private final Map<String, Boolean> packages = new java.util.concurrent.ConcurrentHashMap<>();

  public ImportRoots(ProjectFiles files) {
    this.files = files;
    this.prefix = findPrefix(files);
    String up = climb(prefix);
    roots.add("");
    Set<String> folders = new HashSet<>();
    for (String rel : files.paths()) {
      String p = normal(prefix + rel);
      for (String f = parent(p); f != null; f = parent(f)) {
        if (!folders.add(f)) {
          break;
        }
      }
    }
    folders.add("");
    for (String folder : folders) {
      boolean project = false;
      for (String pf : PROJECT_FILES) {
        String rel = up + (folder.isEmpty() ? "" : folder + "/") + pf;
        if (files.exists().test(rel)) {
          project = true;
          declared(folder, pf, files.text().apply(rel));
        }
      }
      if (isSitePackages(folder)) {
        // An installed environment's folder is on sys.path: its packages are named from it.
        roots.add(folder);
      }
      if (project || folder.isEmpty()) {
        roots.add(folder);
        String src = folder.isEmpty() ? "src" : folder + "/src";
        if (folders.contains(src) && !isPackage(src)) {
          roots.add(src);
        }
      }
    }
    // The scanned folder, when it is not inside a package: the folder a program is run from.
    String scanned = prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1);
    if (!isPackage(scanned)) {
      roots.add(scanned);
    }
  }

  /** Whether {@code folder} is where an environment installs packages ({@code site-packages}). */
  private static boolean isSitePackages(String folder) {
    String last = folder.substring(folder.lastIndexOf('/') + 1);
    return last.equals("site-packages") || last.equals("dist-packages");
  }

  /** The import roots, relative to the project root. */
  public Set<String> roots() {
    return Set.copyOf(roots);
  }

  /** The scan root relative to the project root. */
  public String prefix() {
    return prefix;
  }

  @Override
  public String name(String relativePath) {
    String p = normal(prefix + relativePath);
    String root = deepestRoot(p);
    return dotted(root, p);
  }

  /**
   * The names of the module relative to every folder above it, longest first, without its
   * name: the names under the other import roots, and those a script's folder on the import path
   * would give. The analysis trusts a name only when its folder is an import root or a script's
   * folder ({@code Project.module}).
   */
  @Override
  public List<String> aliases(String relativePath) {
    String p = normal(prefix + relativePath);
    String name = name(relativePath);
    Set<String> out = new LinkedHashSet<>();
    for (String f = parent(p); f != null; f = parent(f)) {
      out.add(dotted(f, p));
    }
    List<String> sorted = new ArrayList<>(out);
    sorted.sort((a, b) -> Integer.compare(b.length(), a.length()));
    sorted.remove(name);
    sorted.remove("");
    return List.copyOf(sorted);
  }

  private String deepestRoot(String path) {
    for (String f = parent(path); f != null; f = parent(f)) {
      if (roots.contains(f)) {
        // A package initialiser at a root (src/__init__.py) is named from above it.
        if (!(ModuleNames.isPackageInit(path) && f.equals(parent(path)) && !f.isEmpty())) {
          return f;
        }
      }
    }
    return "";
  }

  private boolean isPackage(String folder) {
    if (folder == null) {
      return false;
    }
    return packages.computeIfAbsent(folder, f -> {
      String dir = f.isEmpty() ? "" : f + "/";
      String up = climb(prefix);
      return files.exists().test(up + dir + "__init__.py") || files.exists().test(up + dir + "__init__.pyi");
    });
  }

  // --- project files -------------------------------------------------------------------------

  private static final Pattern CFG_PACKAGE_DIR = Pattern.compile(
      "(?m)^\\s*package_dir\\s*=\\s*(?:\\n\\s+)?=\\s*([\\w./-]+)");
  private static final Pattern CFG_WHERE = Pattern.compile("(?m)^\\s*where\\s*=\\s*([\\w./-]+)");
  private static final Pattern PY_PACKAGE_DIR = Pattern.compile(
      "package_dir\\s*=\\s*\\{\\s*[\"']{2}\\s*:\\s*[\"']([\\w./-]+)[\"']");
  private static final Pattern PY_WHERE = Pattern.compile(
      "find(?:_namespace)?_packages\\s*\\(\\s*(?:where\\s*=\\s*)?[\"']([\\w./-]+)[\"']");

  private void declared(String folder, String file, String text) {
    if (text == null) {
      return;
    }
    List<String> dirs = new ArrayList<>();
    switch (file) {
      case "pyproject.toml" -> dirs.addAll(pyproject(text));
      case "setup.cfg" -> {
        all(CFG_PACKAGE_DIR, text, dirs);
        all(CFG_WHERE, text, dirs);
      }
      default -> {
        all(PY_PACKAGE_DIR, text, dirs);
        all(PY_WHERE, text, dirs);
      }
    }
    for (String d : dirs) {
      String clean = normal(d.replace('\\', '/'));
      if (clean.isEmpty() || clean.equals(".") || clean.startsWith("..")) {
        continue;
      }
      roots.add(folder.isEmpty() ? clean : folder + "/" + clean);
    }
  }

  private static void all(Pattern p, String text, List<String> out) {
    Matcher m = p.matcher(text);
    while (m.find()) {
      out.add(m.group(1));
    }
  }

  private static List<String> pyproject(String text) {
    List<String> out = new ArrayList<>();
    JsonNode doc;
    try {
      doc = new TomlMapper().readTree(text);
    } catch (Exception e) {
      return out; // a broken pyproject.toml names no roots; the configuration loader reports it
    }
    JsonNode st = doc.path("tool").path("setuptools");
    JsonNode packageDir = st.path("package-dir");
    if (packageDir.has("")) {
      out.add(packageDir.get("").asText());
    }
    JsonNode where = st.path("packages").path("find").path("where");
    if (where.isArray()) {
      where.forEach(w -> out.add(w.asText()));
    } else if (where.isTextual()) {
      out.add(where.asText());
    }
    for (JsonNode p : doc.path("tool").path("poetry").path("packages")) {
      if (p.has("from")) {
        out.add(p.get("from").asText());
      }
    }
    JsonNode hatch = doc.path("tool").path("hatch").path("build");
    for (JsonNode list : List.of(hatch.path("targets").path("wheel").path("packages"), hatch.path("packages"))) {
      for (JsonNode p : list) {
        String s = p.asText();
        int slash = s.replace('\\', '/').lastIndexOf('/');
        if (slash > 0) {
          out.add(s.substring(0, slash));
        }
      }
    }
    JsonNode pdm = doc.path("tool").path("pdm").path("build").path("package-dir");
    if (pdm.isTextual()) {
      out.add(pdm.asText());
    }
    JsonNode uv = doc.path("tool").path("uv").path("build-backend").path("module-root");
    if (uv.isTextual()) {
      out.add(uv.asText());
    }
    JsonNode maturin = doc.path("tool").path("maturin").path("python-source");
    if (maturin.isTextual()) {
      out.add(maturin.asText());
    }
    return out;
  }

  // --- the project root ----------------------------------------------------------------------

  /**
   * The scan root relative to the project root: the nearest folder at or above the scan root
   * with a project file, unless a repository's top ({@code .git}) comes first.
   */
  private static String findPrefix(ProjectFiles files) {
    if (files.root() == null) {
      return "";
    }
    Path dir = files.root().toAbsolutePath().normalize();
    List<String> below = new ArrayList<>();
    for (int i = 0; i < MAX_CLIMB && dir != null; i++) {
      for (String pf : PROJECT_FILES) {
        if (Files.isRegularFile(dir.resolve(pf))) {
          return joinBelow(below);
        }
      }
      if (Files.exists(dir.resolve(".git"))) {
        return joinBelow(below);
      }
      if (dir.getFileName() == null) {
        break;
      }
      below.add(0, dir.getFileName().toString());
      dir = dir.getParent();
    }
    return "";
  }

  private static String joinBelow(List<String> below) {
    return below.isEmpty() ? "" : String.join("/", below) + "/";
  }

  /** The relative path from the scan root up to the project root ({@code ../} per level). */
  private static String climb(String prefix) {
    if (prefix.isEmpty()) {
      return "";
    }
    int levels = prefix.split("/").length;
    return "../".repeat(levels);
  }

  // --- names ---------------------------------------------------------------------------------

  private static String normal(String path) {
    String p = path.replace('\\', '/');
    while (p.startsWith("./")) {
      p = p.substring(2);
    }
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }

  /** The folder of a project-relative path ("" at the top), or null above the top. */
  private static String parent(String path) {
    if (path == null || path.isEmpty()) {
      return null;
    }
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "" : path.substring(0, slash);
  }

  /** The dotted name of file {@code path} under folder {@code root}. */
  private static String dotted(String root, String path) {
    String rel = root.isEmpty() ? path : path.substring(root.length() + 1);
    String[] parts = rel.split("/");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < parts.length - 1; i++) {
      if (sb.length() > 0) {
        sb.append('.');
      }
      sb.append(parts[i]);
    }
    String last = parts[parts.length - 1];
    String stem = last.endsWith(".pyi") ? last.substring(0, last.length() - 4)
        : last.endsWith(".py") ? last.substring(0, last.length() - 3) : last;
    if (!stem.equals("__init__") || sb.length() == 0) {
      if (sb.length() > 0) {
        sb.append('.');
      }
      sb.append(stem);
    }
    return sb.toString();
  }
}
