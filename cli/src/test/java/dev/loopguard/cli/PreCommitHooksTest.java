package dev.loopguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hooks of .pre-commit-hooks.yaml, run as pre-commit runs them (the entry, its args, then the
 * staged files of the hook's types unless pass_filenames is false) in a temporary git repository,
 * with the command line handed to {@link Main#run}; and, when Debian's pre-commit is installed,
 * through pre-commit itself.
 */
class PreCommitHooksTest {
  private static final Path HOOKS = Path.of("../.pre-commit-hooks.yaml").toAbsolutePath().normalize();
  private static final PersonIdent WHO = new PersonIdent("Test", "test@example.com");

  @TempDir Path dir;
  @TempDir Path bin;

  private void write(String path, String text) throws IOException {
    Path p = dir.resolve(path);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text, StandardCharsets.UTF_8);
  }

  /** A project whose async handler calls a sync helper, and an old blocking call in another file. */
  private Git project() throws Exception {
    Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
    write("app/__init__.py", "");
    write("app/util.py", "def backoff():\n    return 1\n");
    write("app/api.py", "from app.util import backoff\n\n\nasync def notify():\n    backoff()\n");
    write("app/old.py", "import time\n\n\nasync def legacy():\n    time.sleep(1)\n");
    git.add().addFilepattern(".").call();
    git.commit().setMessage("base").setAuthor(WHO).setCommitter(WHO).setSign(false).call();
    return git;
  }

  private static JsonNode hook(String id) throws IOException {
    JsonNode hooks = new ObjectMapper(new YAMLFactory()).readTree(HOOKS.toFile());
    for (JsonNode h : hooks) {
      if (h.path("id").asText().equals(id)) {
        return h;
      }
    }
    throw new AssertionError("no hook " + id + " in " + HOOKS);
  }

  /** The hook's command line for the staged files, as pre-commit builds it. */
  private static List<String> commandLine(JsonNode hook, Git git) throws Exception {
    List<String> argv = new ArrayList<>(List.of(hook.path("entry").asText().trim().split("\\s+")));
    hook.path("args").forEach(a -> argv.add(a.asText()));
    if (hook.path("pass_filenames").asBoolean(true)) {
      Set<String> types = new TreeSet<>();
      hook.path("types_or").forEach(t -> types.add(t.asText()));
      hook.path("types").forEach(t -> types.add(t.asText()));
      Status st = git.status().call();
      Set<String> staged = new TreeSet<>(st.getAdded());
      staged.addAll(st.getChanged());
      for (String f : staged) {
        if ((types.contains("python") && f.endsWith(".py")) || (types.contains("pyi") && f.endsWith(".pyi"))) {
          argv.add(f);
        }
      }
    }
    return argv;
  }

  private CliRun runHook(String id, Git git) throws Exception {
    List<String> argv = commandLine(hook(id), git);
    assertThat(argv.get(0)).isEqualTo("loopguard");
    return CliRun.of(dir, argv.subList(1, argv.size()).toArray(String[]::new));
  }

  @Test
  void theScanHookReportsFindingsInOrThroughTheChangedFilesWithTheProjectAsContext() throws Exception {
    try (Git git = project()) {
      write("app/util.py", "import time\n\n\ndef backoff():\n    time.sleep(1)\n");
      git.add().addFilepattern("app/util.py").call();

      assertThat(commandLine(hook("loopguard"), git)).containsExactly("loopguard", "scan", "--only", "app/util.py");
      CliRun r = runHook("loopguard", git);
      assertThat(r.code()).as(r.err()).isEqualTo(1);
      // the async caller in an unchanged file, through the changed helper; not app/old.py's old finding
      // (the root cause in the changed helper, with its path from the async caller)
      assertThat(r.out()).contains("app/util.py:5:5: perf-004").contains("path from app.api.notify at app/api.py:5:5")
          .doesNotContain("app/old.py");

      // a change that touches no finding passes, though the project has one
      git.reset().addPath("app/util.py").call();
      write("app/util.py", "def backoff():\n    return 2\n");
      git.add().addFilepattern("app/util.py").call();
      CliRun clean = runHook("loopguard", git);
      assertThat(clean.code()).as(clean.out() + clean.err()).isZero();
      assertThat(clean.out()).doesNotContain("app/old.py");
    }
  }

  @Test
  void theReviewHookJudgesTheIndexNotTheWorkingTree() throws Exception {
    try (Git git = project()) {
      assertThat(commandLine(hook("loopguard-review"), git)).containsExactly("loopguard", "review", "--staged");
      write("app/api.py", "import requests\nfrom app.util import backoff\n\n\nasync def notify():\n"
          + "    requests.get('http://x')\n    backoff()\n");
      git.add().addFilepattern("app/api.py").call();
      CliRun staged = runHook("loopguard-review", git);
      assertThat(staged.code()).as(staged.err()).isEqualTo(1);
      assertThat(staged.out()).startsWith("loopguard review: FAIL").contains("requests.get");

      // the blocking call only in the working tree: the staged change (a comment) passes
      git.reset().addPath("app/api.py").call();
      write("app/api.py", "from app.util import backoff\n\n\nasync def notify():\n    # retries once\n    backoff()\n");
      git.add().addFilepattern("app/api.py").call();
      write("app/api.py", "import requests\nfrom app.util import backoff\n\n\nasync def notify():\n"
          + "    requests.get('http://x')\n    backoff()\n");
      CliRun index = runHook("loopguard-review", git);
      assertThat(index.code()).as(index.out() + index.err()).isZero();
      assertThat(index.out()).doesNotContain("requests.get");
      assertThat(CliRun.of(dir, "review", "--base", "HEAD").code()).isEqualTo(1); // the working tree does fail
    }
  }

  @Test
  void stagedFilesOfAFirstCommitAreComparedWithAnEmptyTree() throws Exception {
    try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
      write("svc.py", "import time\n\n\nasync def tick():\n    time.sleep(1)\n");
      git.add().addFilepattern("svc.py").call();
      CliRun r = runHook("loopguard-review", git);
      assertThat(r.code()).as(r.err()).isEqualTo(1);
      assertThat(r.out()).contains("time.sleep");
    }
  }

  @Test
  void badOnlyFilesAndStagedWithHeadAreUsageErrors() throws Exception {
    try (Git git = project()) {
      CliRun missing = CliRun.of(dir, "scan", "--only", "app/nope.py");
      assertThat(missing.code()).isEqualTo(2);
      assertThat(missing.err()).contains("--only app/nope.py: no such file");
      CliRun outside = CliRun.of(dir, "scan", "--only", "..");
      assertThat(outside.code()).isEqualTo(2);
      assertThat(outside.err()).contains("outside the project root");
      CliRun both = CliRun.of(dir, "review", "--staged", "--head", "HEAD");
      assertThat(both.code()).isEqualTo(2);
      assertThat(both.err()).contains("--staged reviews the index");
    }
  }

  /** Both hooks through pre-commit itself (Debian's pre-commit), when it is installed. */
  @Test
  void preCommitRunsBothHooks() throws Exception {
    Path preCommit = Path.of("/usr/bin/pre-commit");
    assumeTrue(Files.isExecutable(preCommit), "pre-commit is not installed (Debian: pre-commit)");
    try (Git git = project()) {
      // `loopguard` on the PATH: this build's classes, run by this JVM's java
      Path launcher = bin.resolve("loopguard");
      Files.writeString(launcher, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java")
          + "' -cp '" + System.getProperty("java.class.path") + "' dev.loopguard.cli.Main \"$@\"\n");
      Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
      // the hooks as a local repository's: the config names them with this repository's definitions
      StringBuilder config = new StringBuilder("repos:\n  - repo: local\n    hooks:\n");
      for (String line : Files.readAllLines(HOOKS)) {
        if (!line.startsWith("#") && !line.isBlank()) {
          config.append("      ").append(line).append('\n');
        }
      }
      write(".pre-commit-config.yaml", config.toString());
      write("app/util.py", "import time\n\n\ndef backoff():\n    time.sleep(1)\n");
      git.add().addFilepattern(".").call();

      ProcessBuilder pb = new ProcessBuilder(preCommit.toString(), "run").directory(dir.toFile()).redirectErrorStream(true);
      pb.environment().put("PATH", bin + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
      pb.environment().put("PRE_COMMIT_HOME", dir.resolve(".pre-commit-home").toString());
      Process p = pb.start();
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.exitValue()).as(out).isEqualTo(1);
      assertThat(out).contains("loopguard (blocking calls in async code)").contains("loopguard review (the staged change)")
          .contains("app/api.py:5:5: perf-004").contains("Failed");
    }
  }
}
