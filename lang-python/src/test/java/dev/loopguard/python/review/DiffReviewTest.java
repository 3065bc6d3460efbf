package dev.loopguard.python.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loopguard.core.diff.review.Review;
import dev.loopguard.core.diff.review.ReviewResult;
import dev.loopguard.core.diff.review.ReviewResult.Verdict;
import dev.loopguard.core.diff.review.ReviewSources;
import dev.loopguard.core.config.ScanOptions;
import dev.loopguard.core.model.Confidence;
import dev.loopguard.core.model.Finding;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code review --diff}: a unified diff plus the folder it applies to (before or after). */
class DiffReviewTest {
  @TempDir Path repoDir;
  @TempDir Path plain;

  @BeforeAll
  static void parser() {
    ReviewTest.parser();
  }

  private static final Map<String, String> BASE = Map.of(
      "app/__init__.py", "",
      "app/api.py", ReviewTest.API_BASE,
      "app/util.py", ReviewTest.UTIL_BASE,
      "app/jobs.py", ReviewTest.CALLERS,
      "README.md", "# demo\n");
  private static final Map<String, String> HEAD = Map.of(
      "app/__init__.py", "",
      "app/api.py", ReviewTest.API_HEAD,
      "app/jobs.py", ReviewTest.CALLERS,
      "app/new.py", "import time\n\nasync def tick():\n    time.sleep(1)\n",
      "README.md", "# demo\n\nnow with HTTP\n");

  /** A git diff from BASE to HEAD (app/util.py deleted, app/new.py added), made by JGit. */
  private byte[] gitDiff() throws IOException {
    try (GitRepo repo = new GitRepo(repoDir)) {
      BASE.forEach(repo::write);
      RevCommit a = repo.commit("base");
      repo.delete("app/util.py");
      HEAD.forEach(repo::write);
      RevCommit b = repo.commit("head");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (DiffFormatter df = new DiffFormatter(out)) {
        df.setRepository(repo.git.getRepository());
        df.format(a.getTree(), b.getTree());
      }
      return out.toByteArray();
    }
  }

  private void materialise(Map<String, String> files) throws IOException {
    for (Map.Entry<String, String> e : files.entrySet()) {
      Path p = plain.resolve(e.getKey());
      Files.createDirectories(p.getParent());
      Files.writeString(p, e.getValue(), StandardCharsets.UTF_8);
    }
  }

  private ReviewResult review(byte[] diff) {
    Review r = GitRepo.review();
    ScanOptions o = GitRepo.options(plain);
    return r.run(ReviewSources.fromDiff(plain, diff, r.walker(o)), o);
  }

  private static void assertFindings(ReviewResult r) {
    assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(r.confidence()).isEqualTo(Confidence.HIGH);
    assertThat(r.newFindings()).extracting(Finding::function, Finding::subject).containsExactlyInAnyOrder(
        org.assertj.core.groups.Tuple.tuple("app.api.notify", "requests.post"),
        org.assertj.core.groups.Tuple.tuple("app.new.tick", "time.sleep"));
    assertThat(r.changedFiles()).containsExactly("app/api.py", "app/new.py", "app/util.py");
    assertThat(r.changes()).extracting(c -> c.kind() + " " + c.function()).containsExactlyInAnyOrder(
        "MODIFIED app.api.notify", "ADDED app.new.tick", "REMOVED app.util.backoff");
  }

  @Test
  void aDiffAgainstTheFolderIsAppliedToIt() throws IOException {
    byte[] diff = gitDiff();
    materialise(BASE);
    ReviewResult r = review(diff);
    assertThat(r.head()).endsWith("with the diff applied");
    assertFindings(r);
    assertThat(r.notes()).singleElement().asString().contains("not analysed source files");
  }

  @Test
  void aDiffAlreadyAppliedInTheFolderIsReversed() throws IOException {
    byte[] diff = gitDiff();
    materialise(HEAD);
    ReviewResult r = review(diff);
    assertThat(r.base()).endsWith("with the diff reversed");
    assertFindings(r);
  }

  @Test
  void aDiffThatFitsNeitherSideIsAnError() throws IOException {
    byte[] diff = gitDiff();
    materialise(Map.of("app/api.py", "something else entirely\n"));
    assertThatThrownBy(() -> review(diff)).isInstanceOf(ReviewSources.SourceException.class)
        .hasMessageContaining("does not apply");
  }
}
