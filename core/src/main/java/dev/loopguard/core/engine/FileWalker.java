package dev.loopguard.core.engine;

import dev.loopguard.core.analysis.PathGlob;
import dev.loopguard.core.fs.RegularFiles;
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
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Finds the source files to scan: skips VCS, dependency and build folders and what .gitignore
 * files exclude, follows no symlink twice (loops end), reads only regular files, and reports
 * what it could not read as diagnostics. A symbolic link inside the tree that leads out of the
 * scan root (and out of every path given) is not followed unless {@link #followingSymlinks}
 * says so; the paths given are read as given.
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
  private boolean followSymlinks;
  // Where links may lead when they are not followed everywhere: the real scan root and the real
  // path of every folder given.
  private final List<Path> linkBases = new ArrayList<>();

  /** A .gitignore file's rules and the folder they are relative to. */
  private record Ignore(GitIgnore rules, Path base) {}

  /** The largest .gitignore file read (a larger one is reported and not read). */
  static final long MAX_GITIGNORE_BYTES = 4L << 20;

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

  /** This walker, following symbolic links out of the scan root or not (the default). */
  public FileWalker followingSymlinks(boolean follow) {
    this.followSymlinks = follow;
    return this;
  }

  public List<Diagnostic> diagnostics() {
    return diagnostics;
  }

  /** Every file to scan under {@code paths}, sorted by relative path. */
  public List<Found> walk(List<Path> paths) {
    TreeSet<String> seen = new TreeSet<>();
    List<Found> out = new ArrayList<>();
    linkBases.clear();
    addLinkBase(root);
    for (Path p : paths) {
      addLinkBase(p.toAbsolutePath().normalize());
    }
    for (Path p : paths) {
      Path abs = p.toAbsolutePath().normalize();
      if (!Files.exists(abs, LinkOption.NOFOLLOW_LINKS) && !Files.exists(abs)) {
        diagnostics.add(new Diagnostic(relative(abs), 0, 0, "unreadable", "No such file or folder."));
        continue;
      }
      if (Files.isDirectory(abs)) {
        List<Ignore> ignores = new ArrayList<>();
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
            Ignore n = readIgnore(dir);
            if (n != null) {
              ignores.add(n);
            }
          }
        }
        walkDir(abs, ignores, out, seen);
      } else if (matchesExtension(abs.getFileName().toString())) {
        String rel = relative(abs);
        if (!Files.isRegularFile(abs)) {
          diagnostics.add(new Diagnostic(rel, 0, 0, "unreadable", "Not a regular file; skipped."));
        } else if (seen.add(rel)) {
          out.add(new Found(abs, rel));
        }
      }
    }
    out.sort((a, b) -> a.relative().compareTo(b.relative()));
    return out;
  }

  private void addLinkBase(Path p) {
    try {
      linkBases.add(p.toRealPath());
    } catch (IOException | SecurityException e) {
      linkBases.add(p);
    }
  }

  /**
   * Whether the walk may follow {@code link}, a symbolic link in the tree: always with
   * {@code --follow-symlinks}, else when its target is under the scan root or a path given.
   * Reports a link it does not follow.
   */
  private boolean mayFollow(Path link, String rel) {
    if (followSymlinks) {
      return true;
    }
    Path real;
    try {
      real = link.toRealPath();
    } catch (IOException | SecurityException e) {
      return true; // broken or looping: reported where it is read
    }
    for (Path base : linkBases) {
      if (real.startsWith(base)) {
        return true;
      }
    }
    diagnostics.add(new Diagnostic(rel, 0, 0, "symlink-outside",
        "Symbolic link to a place outside the scan root; not followed (--follow-symlinks follows it)."));
    return false;
  }

  private void walkDir(Path dir, List<Ignore> ignores, List<Found> out, Set<String> seen) {
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
    List<Ignore> here = ignores;
    if (gitignore) {
      Ignore n = readIgnore(dir);
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
      boolean link = Files.isSymbolicLink(c);
      if (link && (isDir || matchesExtension(name)) && !excluded(isDir ? rel + "/" : rel)
          && !mayFollow(c, rel)) {
        continue;
      }
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

  private boolean ignored(List<Ignore> nodes, Path file, boolean dir) {
    // Deepest .gitignore decides first; an undecided one defers to the one above.
    for (int i = nodes.size() - 1; i >= 0; i--) {
      Ignore n = nodes.get(i);
      String rel = n.base().relativize(file).toString().replace('\\', '/');
      GitIgnore.Match r = n.rules().match(rel, dir);
      if (r == GitIgnore.Match.IGNORED) {
        return true;
      } else if (r == GitIgnore.Match.NOT_IGNORED) {
        return false;
      }
    }
    return false;
  }

  private Ignore readIgnore(Path dir) {
    Path f = dir.resolve(".gitignore");
    if (!Files.exists(f, LinkOption.NOFOLLOW_LINKS)) {
      return null;
    }
    try {
      if (Files.isSymbolicLink(f) && !mayFollow(f, relative(f))) {
        return null;
      }
      byte[] b = RegularFiles.read(f, MAX_GITIGNORE_BYTES);
      return new Ignore(GitIgnore.parse(new String(b, java.nio.charset.StandardCharsets.UTF_8)), dir);
    } catch (IOException | SecurityException e) {
      diagnostics.add(new Diagnostic(relative(f), 0, 0, "unreadable", "Cannot read .gitignore: " + e.getMessage()));
      return null;
    }
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
