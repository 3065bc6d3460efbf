package dev.loopguard.core.diff.review;

import dev.loopguard.core.engine.FileWalker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * Where the two sides of a review come from: revisions of a git repository (or its working
 * tree), or a folder plus a unified diff.
 */
public final class ReviewSources {
  private ReviewSources() {}

  /**
   * The two sides, notes on how they were chosen, and the reviewed folder relative to the
   * repository root ({@code /}-terminated; empty at the root or without a repository). Sides read
   * from a repository read their files lazily: close them after the review.
   */
  public record Sides(Snapshot base, Snapshot head, List<String> notes, String pathPrefix,
      AutoCloseable resource) implements AutoCloseable {

    public Sides(Snapshot base, Snapshot head, List<String> notes, String pathPrefix) {
      this(base, head, notes, pathPrefix, null);
    }

    @Override
    public void close() {
      if (resource != null) {
        try {
          resource.close();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    }
  }

  /** Raised when the sides cannot be built (no repository, bad revision, a diff that does not apply). */
  public static final class SourceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SourceException(String message) {
      super(message);
    }
  }

  /**
   * The sides from git. Head: revision {@code headRev}, or the working tree when null. Base:
   * {@code baseRev}, or the default branch when null; when {@code mergeBase}, the merge base of
   * that and the head commit (as a pull request compares), when there is one. The repository
   * stays open until the sides are closed.
   */
  public static Sides fromGit(Path folder, String baseRev, String headRev, boolean mergeBase, FileWalker walker) {
    return git(folder, baseRev, headRev, false, mergeBase, walker);
  }

  /**
   * The sides of the staged change, as {@code git diff --cached} sees it: the head is the index
   * (what the next commit will hold, not the working tree); the base is {@code baseRev}, or HEAD
   * when null (an empty tree before the first commit); {@code mergeBase} as for
   * {@link #fromGit}, with HEAD as the head commit.
   */
  public static Sides fromGitIndex(Path folder, String baseRev, boolean mergeBase, FileWalker walker) {
    return git(folder, baseRev, null, true, mergeBase, walker);
  }

  private static Sides git(Path folder, String baseRev, String headRev, boolean staged, boolean mergeBase,
      FileWalker walker) {
    GitTrees git;
    try {
      git = GitTrees.open(folder);
    } catch (GitTrees.GitException e) {
      throw new SourceException(e.getMessage());
    }
    if (git == null) {
      throw new SourceException(folder + " is not in a git repository (use --diff FILE to review a patch)");
    }
    boolean handedOver = false;
    try {
      List<String> notes = new ArrayList<>();
      RevCommit headCommit;
      Snapshot head;
      if (headRev != null) {
        headCommit = git.commit(headRev);
        head = git.atCommit(headCommit, headRev + " (" + abbrev(headCommit) + ")");
      } else {
        headCommit = git.repository().resolve("HEAD^{commit}") == null ? null : git.commit("HEAD");
        head = staged ? git.index("index (staged)") : git.workingTree(walker);
      }
      String baseName = baseRev;
      if (baseName == null && staged) {
        if (headCommit == null) {
          notes.add("No commit yet: the staged files are compared with an empty tree.");
          Sides sides = new Sides(new Snapshot("empty tree (no commit yet)", Map.of()), head, List.copyOf(notes),
              git.prefix(), git);
          handedOver = true;
          return sides;
        }
        baseName = "HEAD";
      }
      if (baseName == null) {
        baseName = git.defaultBranch();
        if (baseName == null) {
          if (headRev == null && headCommit != null) {
            baseName = "HEAD";
            notes.add("No default branch (origin/HEAD, main, master) found: comparing the working tree with HEAD.");
          } else {
            throw new SourceException("no default branch (origin/HEAD, main, master) found: say --base REV");
          }
        }
      }
      RevCommit baseCommit = git.commit(baseName);
      String baseLabel = baseName + " (" + abbrev(baseCommit) + ")";
      if (mergeBase && headCommit != null && !baseCommit.equals(headCommit)) {
        RevCommit mb = git.mergeBase(baseCommit, headCommit);
        if (mb == null) {
          notes.add(baseName + " and the head share no history: comparing with " + baseName + " itself.");
        } else if (!mb.equals(baseCommit)) {
          baseLabel = "merge base of " + baseName + " and " + (headRev == null ? "HEAD" : headRev)
              + " (" + abbrev(mb) + ")";
          baseCommit = mb;
        }
      }
      Sides sides = new Sides(git.atCommit(baseCommit, baseLabel), head, List.copyOf(notes), git.prefix(), git);
      handedOver = true;
      return sides;
    } catch (GitTrees.GitException e) {
      throw new SourceException(e.getMessage());
    } catch (IOException e) {
      throw new SourceException("cannot read the repository: " + e.getMessage());
    } finally {
      if (!handedOver) {
        git.close();
      }
    }
  }

  private static String abbrev(RevCommit c) {
    return c.abbreviate(7).name();
  }

  /**
   * The sides from a folder and a unified diff. The diff may have been made against the folder
   * (the folder is the base; the head is the folder with the diff applied) or may already be
   * applied in it (the folder is the head; the base is the folder with the diff reversed): the
   * side it fits decides. Only files a scan would select are patched; contents are handled byte
   * for byte, whatever their encoding.
   */
  public static Sides fromDiff(Path folder, byte[] diff, FileWalker walker) {
    List<UnifiedDiff.FilePatch> patches;
    try {
      patches = UnifiedDiff.parse(new String(diff, StandardCharsets.ISO_8859_1));
    } catch (UnifiedDiff.DiffException e) {
      throw new SourceException("cannot read the diff: " + e.getMessage());
    }
    if (patches.isEmpty()) {
      throw new SourceException("the diff holds no file patch");
    }
    Path root = folder.toAbsolutePath().normalize();
    Map<String, Path> files = new TreeMap<>();
    for (FileWalker.Found f : walker.walk(List.of(root))) {
      files.put(f.relative(), f.file());
    }
    Snapshot tree = GitTrees.folderSnapshot(root.toString(), files);
    List<UnifiedDiff.FilePatch> relevant = new ArrayList<>();
    int skipped = 0;
    for (UnifiedDiff.FilePatch p : patches) {
      boolean source = (p.oldPath() != null && walker.selects(p.oldPath(), x -> false))
          || (p.newPath() != null && walker.selects(p.newPath(), x -> false));
      if (source && !p.binary()) {
        relevant.add(p);
      } else {
        skipped++;
      }
    }
    List<String> notes = new ArrayList<>();
    if (skipped > 0) {
      notes.add(skipped + (skipped == 1 ? " file" : " files") + " of the diff are not analysed source files.");
    }
    String forwardError;
    try {
      Map<String, byte[]> changed = applyAll(relevant, root, false);
      return new Sides(tree, tree.with(root + " with the diff applied", changed), List.copyOf(notes), "");
    } catch (UnifiedDiff.DiffException e) {
      forwardError = e.getMessage();
    }
    try {
      Map<String, byte[]> changed = applyAll(relevant, root, true);
      return new Sides(tree.with(root + " with the diff reversed", changed), tree, List.copyOf(notes), "");
    } catch (UnifiedDiff.DiffException e) {
      throw new SourceException("the diff does not apply to " + root + ", neither as its old side ("
          + forwardError + ") nor as its new side (" + e.getMessage() + ")");
    }
  }

  /** The contents the patches give (null: the file is gone), applied forwards or backwards. */
  private static Map<String, byte[]> applyAll(List<UnifiedDiff.FilePatch> patches, Path root, boolean reverse) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (UnifiedDiff.FilePatch p : patches) {
      String from = reverse ? p.newPath() : p.oldPath();
      String to = reverse ? p.oldPath() : p.newPath();
      String content = read(root, from);
      String result = UnifiedDiff.apply(p, content, reverse);
      if (from != null && !from.equals(to)) {
        out.put(from, null);
      }
      if (to != null) {
        out.put(to, result == null ? null : result.getBytes(StandardCharsets.ISO_8859_1));
      }
    }
    return out;
  }

  private static String read(Path root, String rel) {
    if (rel == null) {
      return null;
    }
    Path p = root.resolve(rel).normalize();
    if (!p.startsWith(root)) {
      throw new UnifiedDiff.DiffException(rel + ": the path leaves the folder");
    }
    if (!Files.isRegularFile(p)) {
      return null;
    }
    try {
      return new String(dev.loopguard.core.fs.RegularFiles.read(p), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
