package dev.loopguard.core.engine;

import dev.loopguard.core.analysis.PathGlob;
import dev.loopguard.core.ir.Diagnostic;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.eclipse.jgit.ignore.IgnoreNode;

/**
 * Finds the source files to scan: skips VCS, dependency and build folders and what .gitignore
 * files exclude, follows no symlink twice (loops end), reads only regular files, and reports
 * what it could not read as diagnostics.
 */
public final class FileWalker {
  private static final Set<String> SKIP_DIRS =
      Set.of(".git", ".hg", ".svn", "node_modules", ".idea", ".vscode", ".loopguard_cache",
          "target", ".gradle", ".cache");

  /** A file to scan: its absolute path and its path relative to the root. */
  public record Found(Path file, String relative) {}

  private final Path root;
  private final List<String> extensions;
  private final Set<String> skipDirs = new HashSet<>(SKIP_DIRS);
  private final List<PathGlob> skipDirGlobs = new ArrayList<>();
  private final List<String> skipMarkers;
  private final List<PathGlob> exclude = new ArrayList<>();
  private final boolean gitignore;
  private final List<Diagnostic> diagnostics = new ArrayList<>();
  private final Set<Object> visitedDirs = new HashSet<>();

  public FileWalker(Path root, List<String> extensions, List<String> extraSkipDirs,
      List<String> skipMarkers, List<String> excludeGlobs, boolean gitignore) {
    this.root = root.toAbsolutePath().normalize();
    this.skipMarkers = skipMarkers;
    this.extensions = extensions;
    for (String d : extraSkipDirs) {
      if (d.contains("*")) {
        skipDirGlobs.add(PathGlob.compile(d));
      } else {
        skipDirs.add(d);
      }
    }
    excludeGlobs.forEach(g -> exclude.add(PathGlob.compile(g)));
    this.gitignore = gitignore;
  }

  public List<Diagnostic> diagnostics() {
    return diagnostics;
  }

  /** Every file to scan under {@code paths}, sorted by relative path. */
  public List<Found> walk(List<Path> paths) {
    TreeSet<String> seen = new TreeSet<>();
    List<Found> out = new ArrayList<>();
    for (Path p : paths) {
      Path abs = p.toAbsolutePath().normalize();
      if (!Files.exists(abs, LinkOption.NOFOLLOW_LINKS) && !Files.exists(abs)) {
        diagnostics.add(new Diagnostic(relative(abs), 0, 0, "unreadable", "No such file or folder."));
        continue;
      }
      if (Files.isDirectory(abs)) {
        List<IgnoreNode> ignores = new ArrayList<>();
        if (gitignore) {
          // .gitignore files in folders between the root and the scanned folder apply too.
          Path cur = abs;
          List<Path> chain = new ArrayList<>();
          while (cur != null && cur.startsWith(root)) {
            chain.add(0, cur);
            if (cur.equals(root)) {
              break;
            }
            cur = cur.getParent();
          }
          for (Path dir : chain.subList(0, Math.max(0, chain.size() - 1))) {
            IgnoreNode n = readIgnore(dir);
            if (n != null) {
              ignores.add(n);
            }
          }
        }
        walkDir(abs, ignores, out, seen);
      } else if (matchesExtension(abs.getFileName().toString())) {
        String rel = relative(abs);
        if (seen.add(rel)) {
          out.add(new Found(abs, rel));
        }
      }
    }
    out.sort((a, b) -> a.relative().compareTo(b.relative()));
    return out;
  }

  private void walkDir(Path dir, List<IgnoreNode> ignores, List<Found> out, Set<String> seen) {
    Object key;
    try {
      BasicFileAttributes attrs = Files.readAttributes(dir, BasicFileAttributes.class);
      key = attrs.fileKey() != null ? attrs.fileKey() : dir.toRealPath();
    } catch (IOException e) {
      diagnostics.add(new Diagnostic(relative(dir), 0, 0, "unreadable", "Cannot read folder: " + e.getMessage()));
      return;
    }
    if (!visitedDirs.add(key)) {
      return; // a symlink loop or a second link to a folder already walked
    }
    List<IgnoreNode> here = ignores;
    if (gitignore) {
      IgnoreNode n = readIgnore(dir);
      if (n != null) {
        here = new ArrayList<>(ignores);
        here.add(n);
      }
    }
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path c : ds) {
        children.add(c);
      }
    } catch (IOException | SecurityException e) {
      diagnostics.add(new Diagnostic(relative(dir), 0, 0, "unreadable", "Cannot read folder: " + e.getMessage()));
      return;
    }
    children.sort(null);
    for (Path c : children) {
      String name = c.getFileName().toString();
      String rel = relative(c);
      boolean isDir = Files.isDirectory(c);
      if (isDir) {
        if (skipDirs.contains(name) || name.endsWith(".egg-info") || matchesAny(skipDirGlobs, name)
            || hasSkipMarker(c)) {
          continue;
        }
        if (excluded(rel + "/") || ignored(here, c, true)) {
          continue;
        }
        walkDir(c, here, out, seen);
      } else if (matchesExtension(name)) {
        if (excluded(rel) || ignored(here, c, false)) {
          continue;
        }
        if (!Files.isRegularFile(c)) {
          if (Files.isSymbolicLink(c) && !Files.exists(c)) {
            diagnostics.add(new Diagnostic(rel, 0, 0, "unreadable",
                "Broken or looping symbolic link; skipped."));
          } else if (Files.exists(c, LinkOption.NOFOLLOW_LINKS)) {
            diagnostics.add(new Diagnostic(rel, 0, 0, "unreadable", "Not a regular file; skipped."));
          }
          continue;
        }
        if (seen.add(rel)) {
          out.add(new Found(c, rel));
        }
      }
    }
  }

  /**
   * Whether a walk would select the file at {@code relative} ({@code /}-separated, relative to
   * the root) in a tree that is not on disk: it has a source extension, no folder on its way is
   * skipped (by name, glob or a skip marker that {@code exists} reports in it) and no exclude
   * glob matches. .gitignore files are not consulted: such trees (a revision of a repository)
   * hold tracked files only.
   */
  public boolean selects(String relative, Predicate<String> exists) {
    int slash = relative.lastIndexOf('/');
    if (!matchesExtension(relative.substring(slash + 1))) {
      return false;
    }
    String[] parts = relative.split("/");
    StringBuilder dir = new StringBuilder();
    for (int i = 0; i < parts.length - 1; i++) {
      String name = parts[i];
      if (dir.length() > 0) {
        dir.append('/');
      }
      dir.append(name);
      if (skipDirs.contains(name) || name.endsWith(".egg-info") || matchesAny(skipDirGlobs, name)
          || excluded(dir + "/")) {
        return false;
      }
      for (String marker : skipMarkers) {
        if (exists.test(dir + "/" + marker)) {
          return false;
        }
      }
    }
    return !excluded(relative);
  }

  private boolean hasSkipMarker(Path dir) {
    for (String marker : skipMarkers) {
      if (Files.isRegularFile(dir.resolve(marker))) {
        return true;
      }
    }
    return false;
  }

  private boolean excluded(String rel) {
    for (PathGlob g : exclude) {
      if (g.matches(rel) || (rel.endsWith("/") && g.matches(rel.substring(0, rel.length() - 1)))) {
        return true;
      }
    }
    return false;
  }

  private static boolean matchesAny(List<PathGlob> globs, String name) {
    for (PathGlob g : globs) {
      if (g.matches(name)) {
        return true;
      }
    }
    return false;
  }

  private boolean ignored(List<IgnoreNode> nodes, Path file, boolean dir) {
    // Deepest .gitignore decides first; CHECK_PARENT defers to the one above.
    for (int i = nodes.size() - 1; i >= 0; i--) {
      IgnoreNode n = nodes.get(i);
      Path nodeDir = bases.get(n);
      String rel = nodeDir.relativize(file).toString().replace('\\', '/');
      IgnoreNode.MatchResult r = n.isIgnored(rel, dir);
      if (r == IgnoreNode.MatchResult.IGNORED) {
        return true;
      } else if (r == IgnoreNode.MatchResult.NOT_IGNORED) {
        return false;
      }
    }
    return false;
  }

  private final IdentityHashMap<IgnoreNode, Path> bases = new IdentityHashMap<>();

  private IgnoreNode readIgnore(Path dir) {
    Path f = dir.resolve(".gitignore");
    if (!Files.isRegularFile(f)) {
      return null;
    }
    IgnoreNode n = new IgnoreNode();
    try (InputStream in = Files.newInputStream(f)) {
      n.parse(f.toString(), in);
    } catch (IOException e) {
      diagnostics.add(new Diagnostic(relative(f), 0, 0, "unreadable", "Cannot read .gitignore: " + e.getMessage()));
      return null;
    }
    bases.put(n, dir);
    return n;
  }

  private boolean matchesExtension(String name) {
    for (String e : extensions) {
      if (name.endsWith(e)) {
        return true;
      }
    }
    return false;
  }

  public String relative(Path p) {
    Path abs = p.toAbsolutePath().normalize();
    if (abs.startsWith(root)) {
      String r = root.relativize(abs).toString().replace('\\', '/');
      return r.isEmpty() ? abs.getFileName().toString() : r;
    }
    return abs.toString().replace('\\', '/');
  }
}
