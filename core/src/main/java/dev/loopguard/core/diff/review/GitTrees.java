package dev.loopguard.core.diff.review;

import dev.loopguard.core.engine.FileWalker;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;

/**
 * Trees of a git repository as {@link Snapshot}s: a revision's tree read straight from the object
 * database (blobs are read only when a file is scanned), or the working tree. Paths are relative
 * to the review folder, which may be a sub-folder of the repository.
 */
public final class GitTrees implements AutoCloseable {
  /** Raised when a revision cannot be resolved or the repository cannot be read. */
  public static final class GitException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GitException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final Repository repo;
  private final Path folder;
  /** The review folder relative to the work tree, with a trailing {@code /}; empty at the top. */
  private final String prefix;

  private GitTrees(Repository repo, Path folder, String prefix) {
    this.repo = repo;
    this.folder = folder;
    this.prefix = prefix;
  }

  /** The repository that holds {@code folder}, or null when there is none. */
  public static GitTrees open(Path folder) {
    Path abs = folder.toAbsolutePath().normalize();
    FileRepositoryBuilder b = new FileRepositoryBuilder().readEnvironment().findGitDir(abs.toFile());
    if (b.getGitDir() == null) {
      return null;
    }
    try {
      Repository repo = b.setMustExist(true).build();
      if (repo.isBare()) {
        repo.close();
        return null;
      }
      Path top = repo.getWorkTree().toPath().toAbsolutePath().normalize();
      Path realTop = top.toRealPath();
      Path realFolder = abs.toRealPath();
      String rel = realTop.relativize(realFolder).toString().replace(File.separatorChar, '/');
      return new GitTrees(repo, abs, rel.isEmpty() ? "" : rel + "/");
    } catch (IOException e) {
      throw new GitException("cannot open the git repository at " + folder + ": " + e.getMessage(), e);
    }
  }

  /** The review folder relative to the repository root, {@code /}-terminated (empty at the root). */
  public String prefix() {
    return prefix;
  }

  public Repository repository() {
    return repo;
  }

  /** The commit a revision names ({@code HEAD}, {@code origin/main}, a hash, {@code HEAD~2}). */
  public RevCommit commit(String rev) {
    try (RevWalk rw = new RevWalk(repo)) {
      ObjectId id = repo.resolve(rev + "^{commit}");
      if (id == null) {
        throw new GitException("unknown revision '" + rev + "'", null);
      }
      return rw.parseCommit(id);
    } catch (IOException e) {
      throw new GitException("cannot resolve '" + rev + "': " + e.getMessage(), e);
    }
  }

  /** The best common ancestor of two commits, or null when they share no history. */
  public RevCommit mergeBase(RevCommit a, RevCommit b) {
    try (RevWalk rw = new RevWalk(repo)) {
      rw.setRevFilter(RevFilter.MERGE_BASE);
      rw.markStart(rw.parseCommit(a));
      rw.markStart(rw.parseCommit(b));
      RevCommit mb = rw.next();
      return mb == null ? null : rw.parseCommit(mb);
    } catch (IOException e) {
      throw new GitException("cannot compute the merge base: " + e.getMessage(), e);
    }
  }

  /**
   * The default branch: what {@code origin/HEAD} points to, else the first of
   * {@code origin/main}, {@code origin/master}, {@code main}, {@code master} that exists; null
   * when none does.
   */
  public String defaultBranch() {
    try {
      Ref originHead = repo.exactRef("refs/remotes/origin/HEAD");
      if (originHead != null && originHead.isSymbolic()) {
        return Repository.shortenRefName(originHead.getTarget().getName());
      }
      for (String name : List.of("refs/remotes/origin/main", "refs/remotes/origin/master",
          "refs/heads/main", "refs/heads/master")) {
        if (repo.exactRef(name) != null) {
          return Repository.shortenRefName(name);
        }
      }
      return null;
    } catch (IOException e) {
      throw new GitException("cannot read refs: " + e.getMessage(), e);
    }
  }

  /** The commit's tree, below the review folder. */
  public Snapshot atCommit(RevCommit commit, String label) {
    Map<String, Snapshot.Entry> entries = new TreeMap<>();
    try (TreeWalk tw = new TreeWalk(repo)) {
      tw.addTree(commit.getTree());
      tw.setRecursive(true);
      if (!prefix.isEmpty()) {
        tw.setFilter(PathFilter.create(prefix.substring(0, prefix.length() - 1)));
      }
      while (tw.next()) {
        FileMode mode = tw.getFileMode(0);
        if ((mode.getBits() & FileMode.TYPE_MASK) != FileMode.TYPE_FILE) {
          continue; // symlinks and submodules hold no source
        }
        String path = tw.getPathString();
        if (!path.startsWith(prefix)) {
          continue;
        }
        ObjectId id = tw.getObjectId(0);
        entries.put(path.substring(prefix.length()), new Snapshot.Entry(id.name(), () -> {
          ObjectLoader l = repo.open(id, Constants.OBJ_BLOB);
          return l.getCachedBytes(Integer.MAX_VALUE - 16);
        }));
      }
    } catch (IOException e) {
      throw new GitException("cannot read the tree of " + commit.name() + ": " + e.getMessage(), e);
    }
    return new Snapshot(label, entries);
  }

  /**
   * The index (the staging area: what the next commit will hold) below the review folder, read
   * from the object database as a revision is. Entries of an unresolved merge (stages 1 to 3) are
   * left out, as are symbolic links and submodules.
   */
  public Snapshot index(String label) {
    Map<String, Snapshot.Entry> entries = new TreeMap<>();
    try {
      DirCache dc = repo.readDirCache();
      for (int i = 0; i < dc.getEntryCount(); i++) {
        DirCacheEntry e = dc.getEntry(i);
        String path = e.getPathString();
        if (!path.startsWith(prefix) || e.getStage() != DirCacheEntry.STAGE_0
            || (e.getFileMode().getBits() & FileMode.TYPE_MASK) != FileMode.TYPE_FILE) {
          continue;
        }
        ObjectId id = e.getObjectId();
        entries.put(path.substring(prefix.length()), new Snapshot.Entry(id.name(), () -> {
          ObjectLoader l = repo.open(id, Constants.OBJ_BLOB);
          return l.getCachedBytes(Integer.MAX_VALUE - 16);
        }));
      }
    } catch (IOException e) {
      throw new GitException("cannot read the index: " + e.getMessage(), e);
    }
    return new Snapshot(label, entries);
  }

  /**
   * The working tree below the review folder: the files a scan would walk (honouring .gitignore)
   * plus every file in the index that is on disk (tracked files count even when ignored, as
   * they do in a revision).
   */
  public Snapshot workingTree(FileWalker walker) {
    Map<String, Path> files = new TreeMap<>();
    for (FileWalker.Found f : walker.walk(List.of(folder))) {
      files.put(f.relative(), f.file());
    }
    try {
      DirCache dc = repo.readDirCache();
      for (int i = 0; i < dc.getEntryCount(); i++) {
        DirCacheEntry e = dc.getEntry(i);
        String path = e.getPathString();
        if (!path.startsWith(prefix) || e.getFileMode() == FileMode.GITLINK
            || e.getFileMode() == FileMode.SYMLINK) {
          continue;
        }
        Path p = repo.getWorkTree().toPath().resolve(path);
        if (Files.isRegularFile(p)) {
          files.putIfAbsent(path.substring(prefix.length()), p);
        }
      }
    } catch (IOException e) {
      throw new GitException("cannot read the index: " + e.getMessage(), e);
    }
    return folderSnapshot("working tree", files);
  }

  /** A snapshot of files on disk (no content ids: they compare by content). */
  static Snapshot folderSnapshot(String label, Map<String, Path> files) {
    Map<String, Snapshot.Entry> entries = new TreeMap<>();
    files.forEach((rel, p) -> entries.put(rel, new Snapshot.Entry(null, () -> dev.loopguard.core.fs.RegularFiles.read(p))));
    return new Snapshot(label, entries);
  }

  @Override
  public void close() {
    repo.close();
  }
}
