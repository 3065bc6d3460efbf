package dev.loopguard.python.review;

import dev.loopguard.core.diff.review.Review;
import dev.loopguard.core.diff.review.ReviewResult;
import dev.loopguard.core.diff.review.ReviewSources;
import dev.loopguard.core.frontend.Frontends;
import dev.loopguard.core.engine.Knowledge;
import dev.loopguard.core.config.ScanOptions;
import dev.loopguard.core.frontend.LanguageFrontend;
import dev.loopguard.core.knowledge.FactIndex;
import dev.loopguard.core.rules.Rules;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;

/** A real git repository in a temporary folder, with helpers to write, commit and review. */
final class GitRepo implements AutoCloseable {
  static final List<LanguageFrontend> FRONTENDS = Frontends.all();
  static final FactIndex FACTS = new Knowledge(FRONTENDS).load(List.of(), Set.of());
  private static final PersonIdent WHO = new PersonIdent("Test", "test@example.com");

  final Path dir;
  final Git git;

  GitRepo(Path dir) {
    this.dir = dir;
    try {
      this.git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
    } catch (GitAPIException e) {
      throw new IllegalStateException(e);
    }
  }

  GitRepo write(String path, String content) {
    try {
      Path p = dir.resolve(path);
      Files.createDirectories(p.getParent());
      Files.writeString(p, content, StandardCharsets.UTF_8);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  GitRepo delete(String path) {
    try {
      Files.delete(dir.resolve(path));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  RevCommit commit(String message) {
    try {
      git.add().addFilepattern(".").call();
      git.add().addFilepattern(".").setUpdate(true).call();
      return git.commit().setMessage(message).setAuthor(WHO).setCommitter(WHO).setSign(false).call();
    } catch (GitAPIException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Packs the objects (blobs are then read from a pack file, not loose). */
  GitRepo gc() {
    try {
      git.gc().call();
      return this;
    } catch (GitAPIException e) {
      throw new IllegalStateException(e);
    }
  }

  GitRepo branch(String name) {
    try {
      git.checkout().setCreateBranch(true).setName(name).call();
      return this;
    } catch (GitAPIException e) {
      throw new IllegalStateException(e);
    }
  }

  static Review review() {
    return new Review(FRONTENDS, FACTS, Rules.all());
  }

  static ScanOptions options(Path root) {
    return ScanOptions.of(root).withThreads(2);
  }

  /** Reviews {@code base..head} (head null: the working tree; base null: the default branch). */
  ReviewResult review(String base, String head) {
    Review r = review();
    ScanOptions o = options(dir);
    try (ReviewSources.Sides sides = ReviewSources.fromGit(dir, base, head, true, r.walker(o))) {
      return r.run(sides, o);
    }
  }

  @Override
  public void close() {
    git.close();
  }
}
