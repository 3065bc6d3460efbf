package dev.loopguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code loopguard review}: formats and exit codes, on a real git repository. */
class ReviewCommandTest {
  @TempDir Path dir;

  private static final PersonIdent WHO = new PersonIdent("Test", "test@example.com");


  private CliRun run(String... args) {
    return CliRun.of(dir, args);
  }

  private void write(String path, String text) throws IOException {
    Path p = dir.resolve(path);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text, StandardCharsets.UTF_8);
  }

  private void commit(Git git, String message) throws Exception {
    git.add().addFilepattern(".").call();
    git.commit().setMessage(message).setAuthor(WHO).setCommitter(WHO).setSign(false).call();
  }

  private Git repo() throws Exception {
    Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
    write("app/__init__.py", "");
    write("app/api.py", "async def notify(url):\n    return url\n");
    write("tests/test_api.py", "async def test_notify():\n    assert True\n");
    commit(git, "base");
    return git;
  }

  @Test
  void failsWithExitCodeOneAndWritesEveryFormat() throws Exception {
    try (Git git = repo()) {
      git.checkout().setCreateBranch(true).setName("feature").call();
      write("app/api.py", "import requests\n\nasync def notify(url):\n    requests.post(url, timeout=5)\n    return url\n");
      commit(git, "post");

      CliRun json = run("review", "--format", "json", "--no-timing");
      assertThat(json.err()).isEmpty();
      assertThat(json.code()).isEqualTo(1);
      JsonNode n = new ObjectMapper().readTree(json.out());
      assertThat(n.get("verdict").asText()).isEqualTo("fail");
      assertThat(n.get("confidence").asText()).isEqualTo("high");
      assertThat(n.get("new").get(0).get("api").asText()).isEqualTo("requests.post");
      assertThat(n.get("fixed")).isEmpty();
      assertThat(n.get("reasons").get(0).asText()).contains("requests.post");
      assertThat(n.has("evidence")).isTrue();

      CliRun md = run("review", "--base", "main", "--format", "markdown");
      assertThat(md.code()).isEqualTo(1);
      assertThat(md.out()).contains("### loopguard review:").contains("fail").contains("`app.api.notify`");

      CliRun sarif = run("review", "--base", "main", "--format", "sarif", "--output", "out/review.sarif");
      assertThat(sarif.code()).isEqualTo(1);
      JsonNode s = new ObjectMapper().readTree(dir.resolve("out/review.sarif").toFile());
      assertThat(s.get("version").asText()).isEqualTo("2.1.0");
      assertThat(s.get("runs").get(0).get("results")).hasSize(1);
      assertThat(s.get("runs").get(0).get("results").get(0).get("locations").get(0)
          .get("physicalLocation").get("artifactLocation").get("uri").asText()).isEqualTo("app/api.py");

      CliRun text = run("review", "--base", "main", "--head", "feature", ".");
      assertThat(text.code()).isEqualTo(1);
      assertThat(text.out()).startsWith("loopguard review: FAIL (high confidence)");
    }
  }

  @Test
  void aSubFolderIsReviewedWithRepositoryPathsInSarif() throws Exception {
    try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
      write("svc/app/__init__.py", "");
      write("svc/app/api.py", "async def notify(url):\n    return url\n");
      write("other/x.py", "async def f():\n    return 1\n");
      commit(git, "base");
      write("svc/app/api.py", "import time\n\nasync def notify(url):\n    time.sleep(1)\n");
      write("other/x.py", "import time\n\nasync def f():\n    time.sleep(1)\n");
      CliRun r = run("review", "--format", "sarif", "svc");
      assertThat(r.code()).isEqualTo(1);
      JsonNode results = new ObjectMapper().readTree(r.out()).get("runs").get(0).get("results");
      assertThat(results).hasSize(1);
      assertThat(results.get(0).get("locations").get(0).get("physicalLocation").get("artifactLocation")
          .get("uri").asText()).isEqualTo("svc/app/api.py");
      CliRun json = run("review", "--format", "json", "svc");
      JsonNode n = new ObjectMapper().readTree(json.out());
      assertThat(n.get("changedFiles").get(0).asText()).isEqualTo("app/api.py");
      assertThat(n.get("changedFiles")).hasSize(1);
    }
  }

  @Test
  void unknownExitsZeroUnlessAskedToFailOnIt() throws Exception {
    repo().close();
    write("tests/test_api.py", "import time\n\nasync def test_notify():\n    time.sleep(1)\n");
    CliRun plain = run("review", "--format", "json");
    assertThat(plain.code()).isEqualTo(0);
    assertThat(new ObjectMapper().readTree(plain.out()).get("verdict").asText()).isEqualTo("unknown");
    assertThat(run("review", "--fail-on", "unknown").code()).isEqualTo(1);
  }

  @Test
  void passExitsZero() throws Exception {
    repo().close();
    write("app/api.py", "import asyncio\n\nasync def notify(url):\n    await asyncio.sleep(1)\n    return url\n");
    CliRun r = run("review", "--format", "json");
    assertThat(r.code()).isEqualTo(0);
    assertThat(new ObjectMapper().readTree(r.out()).get("verdict").asText()).isEqualTo("pass");
  }

  @Test
  void errorsExitTwo() throws Exception {
    assertThat(run("review").code()).isEqualTo(2); // not a git repository
    repo().close();
    CliRun bad = run("review", "--base", "no-such-branch");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("no-such-branch");
    assertThat(run("review", "--format", "xml").code()).isEqualTo(2);
    assertThat(run("review", "--diff", "missing.diff").code()).isEqualTo(2);
  }

  @Test
  void writesSeveralFormatsInOneReview() throws Exception {
    try (Git git = repo()) {
      git.checkout().setCreateBranch(true).setName("feature").call();
      write("app/api.py", "import requests\n\nasync def notify(url):\n    requests.post(url, timeout=5)\n    return url\n");
      commit(git, "post");
      CliRun r = run("review", "--base", "main", "--format", "markdown=out/review.md,sarif=out/review.sarif",
          "--format", "json", "--no-timing");
      assertThat(r.code()).as(r.err()).isEqualTo(1);
      assertThat(new ObjectMapper().readTree(r.out()).get("verdict").asText()).isEqualTo("fail");
      assertThat(Files.readString(dir.resolve("out/review.md"))).startsWith("<!-- loopguard-review -->");
      assertThat(new ObjectMapper().readTree(dir.resolve("out/review.sarif").toFile()).get("version").asText()).isEqualTo("2.1.0");

      CliRun dirOut = run("review", "--base", "main", "--output-dir", "reports", "--format", "text,json");
      assertThat(dirOut.code()).isEqualTo(1);
      assertThat(dir.resolve("reports/loopguard-review.txt")).isRegularFile();
      assertThat(dir.resolve("reports/loopguard-review.json")).isRegularFile();
      CliRun two = run("review", "--base", "main", "--format", "text,json");
      assertThat(two.code()).isEqualTo(2);
      assertThat(two.err()).contains("several formats");
    }
  }
}
