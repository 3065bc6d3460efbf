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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * action.yml (the composite GitHub Action) and its scripts in action/: the YAML parses, what it
 * references exists, and the scripts run as the runner runs them: run.sh with this build's
 * loopguard in a temporary repository (so its command lines are checked by the real command
 * parser), install.sh and comment.sh with a made-up {@code gh}.
 */
class GitHubActionTest {
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final PersonIdent WHO = new PersonIdent("Test", "test@example.com");

  @TempDir Path work;
  @TempDir Path tools;
  Path runnerTemp;
  Path outputs;
  Path summary;

  @BeforeEach
  void runner() throws IOException {
    assumeTrue(Files.isRegularFile(REPO.resolve("action.yml")), "run from the cli module");
    runnerTemp = Files.createDirectories(tools.resolve("runner-temp"));
    outputs = tools.resolve("github-output");
    summary = tools.resolve("step-summary");
    Files.writeString(outputs, "");
    Files.writeString(summary, "");
  }

  private static JsonNode action() throws IOException {
    return new ObjectMapper(new YAMLFactory()).readTree(REPO.resolve("action.yml").toFile());
  }

  private static String script(String name) throws IOException {
    return Files.readString(REPO.resolve("action").resolve(name));
  }

  @Test
  void theActionIsACompositeWhoseReferencesExist() throws Exception {
    JsonNode a = action();
    assertThat(a.path("runs").path("using").asText()).isEqualTo("composite");
    Set<String> inputs = new TreeSet<>();
    a.path("inputs").fieldNames().forEachRemaining(inputs::add);
    assertThat(inputs).contains("mode", "path", "base", "install", "upload-sarif", "comment", "github-token");
    a.path("inputs").forEach(i -> assertThat(i.path("description").asText()).isNotBlank());

    String text = Files.readString(REPO.resolve("action.yml"));
    Matcher used = Pattern.compile("inputs\\.([a-z-]+)").matcher(text);
    while (used.find()) {
      assertThat(inputs).as("inputs.%s", used.group(1)).contains(used.group(1));
    }
    // every step output the action reads is written by its step's script
    Map<String, String> scriptOfStep = new LinkedHashMap<>();
    for (JsonNode step : a.path("runs").path("steps")) {
      String run = step.path("run").asText("");
      Matcher m = Pattern.compile("\\$GITHUB_ACTION_PATH/(action/[a-z-]+\\.sh)").matcher(run);
      if (m.find()) {
        Path file = REPO.resolve(m.group(1));
        assertThat(file).isRegularFile();
        String body = Files.readString(file);
        if (step.has("id")) {
          scriptOfStep.put(step.path("id").asText(), body);
        }
        // every LG_ variable the script reads is set by the step
        Matcher v = Pattern.compile("\\$\\{(LG_[A-Z_]+)").matcher(body);
        while (v.find()) {
          assertThat(step.path("env").has(v.group(1))).as("%s sets %s", m.group(1), v.group(1)).isTrue();
        }
      } else if (step.has("uses")) {
        assertThat(step.path("uses").asText()).isEqualTo("github/codeql-action/upload-sarif@v3");
        assertThat(step.path("with").path("sarif_file").asText()).contains("steps.run.outputs.sarif-file");
      }
    }
    Matcher read = Pattern.compile("steps\\.([a-z]+)\\.outputs\\.([a-z-]+)").matcher(text);
    while (read.find()) {
      String body = scriptOfStep.get(read.group(1));
      assertThat(body).as("step %s", read.group(1)).isNotNull();
      assertThat(body).as("step %s writes %s", read.group(1), read.group(2))
          .containsAnyOf("output " + read.group(2) + " ", "echo \"" + read.group(2) + "=");
    }
    a.path("outputs").forEach(o -> assertThat(o.path("value").asText()).startsWith("${{ steps."));
  }

  /** Runs an action script with the runner's variables, {@code env} and {@code tools} first on the PATH. */
  private String runScript(String name, Map<String, String> env, int expectedExit) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bash", REPO.resolve("action").resolve(name).toString())
        .directory(work.toFile()).redirectErrorStream(true);
    Map<String, String> e = pb.environment();
    e.put("PATH", tools + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    e.put("GITHUB_ACTION_PATH", REPO.toString());
    e.put("GITHUB_WORKSPACE", work.toString());
    e.put("RUNNER_TEMP", runnerTemp.toString());
    e.put("GITHUB_OUTPUT", outputs.toString());
    e.put("GITHUB_STEP_SUMMARY", summary.toString());
    e.put("GITHUB_PATH", tools.resolve("github-path").toString());
    e.putAll(env);
    Process p = pb.start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isEqualTo(expectedExit);
    return out;
  }

  private Map<String, String> outputs() throws IOException {
    Map<String, String> out = new HashMap<>();
    for (String line : Files.readAllLines(outputs)) {
      int eq = line.indexOf('=');
      out.put(line.substring(0, eq), line.substring(eq + 1));
    }
    return out;
  }

  private void executable(Path file, String text) throws IOException {
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /** bin/loopguard as the installed distribution would be: this build's classes on this JVM. */
  private Path loopguard() throws IOException {
    Path lg = tools.resolve("loopguard");
    executable(lg, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java")
        + "' -cp '" + System.getProperty("java.class.path") + "' dev.loopguard.cli.Main \"$@\"\n");
    return lg;
  }

  private void write(String path, String text) throws IOException {
    Path p = work.resolve(path);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text, StandardCharsets.UTF_8);
  }

  @Test
  void runReviewsAPullRequestAndScansAPushWithTheRealCommandLine() throws Exception {
    Path lg = loopguard();
    try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
      write("app/api.py", "async def notify(url):\n    return url\n");
      git.add().addFilepattern(".").call();
      git.commit().setMessage("base").setAuthor(WHO).setCommitter(WHO).setSign(false).call();
      git.checkout().setCreateBranch(true).setName("feature").call();
      write("app/api.py", "import requests\n\n\nasync def notify(url):\n    requests.post(url, timeout=5)\n    return url\n");
      git.add().addFilepattern(".").call();
      git.commit().setMessage("post").setAuthor(WHO).setCommitter(WHO).setSign(false).call();
    }
    String review = runScript("run.sh", Map.of("LG_BIN", lg.toString(), "LG_MODE", "auto", "GITHUB_EVENT_NAME", "pull_request",
        "LG_BASE", "main", "LG_SUMMARY", "true"), 0);
    Map<String, String> o = outputs();
    assertThat(o).as(review).containsEntry("mode", "review").containsEntry("exit-code", "1").containsEntry("verdict", "fail");
    assertThat(Path.of(o.get("sarif-file"))).isRegularFile();
    assertThat(Files.readString(Path.of(o.get("markdown-file")))).startsWith("<!-- loopguard-review -->");
    assertThat(Files.readString(summary)).startsWith("<!-- loopguard-review -->").contains("requests.post");
    assertThat(review).contains("loopguard review: FAIL");

    Files.writeString(outputs, "");
    Files.writeString(summary, "");
    String scan = runScript("run.sh", Map.of("LG_BIN", lg.toString(), "LG_MODE", "auto", "GITHUB_EVENT_NAME", "push",
        "LG_ARGS", "--no-timing", "LG_FAIL_ON", "P0"), 0);
    o = outputs();
    assertThat(o).as(scan).containsEntry("mode", "scan").containsEntry("exit-code", "0").containsEntry("verdict", "pass");
    assertThat(scan).contains("::warning file=app/api.py,line=5").contains("requests.post"); // the github format's annotation
    JsonNode sarif = new ObjectMapper().readTree(Path.of(o.get("sarif-file")).toFile());
    assertThat(sarif.path("runs").get(0).path("results")).hasSize(1);
    assertThat(Files.readString(summary)).contains("requests.post");

    Files.writeString(outputs, "");
    runScript("run.sh", Map.of("LG_BIN", lg.toString(), "LG_MODE", "review", "GITHUB_EVENT_NAME", "push"), 0);
    assertThat(outputs()).containsEntry("exit-code", "2"); // no base to review against
  }

  @Test
  void installDownloadsTheReleaseAssetForThisMachineAndPutsItOnThePath() throws Exception {
    // a made-up distribution, packed as `./loopguard dist` packs it
    Path made = Files.createDirectories(tools.resolve("made/loopguard-9.9/bin"));
    executable(made.resolve("loopguard"), "#!/bin/sh\necho 'loopguard 9.9'\n");
    Path assets = Files.createDirectories(tools.resolve("assets"));
    String os = new String(new ProcessBuilder("uname", "-s").start().getInputStream().readAllBytes()).trim().toLowerCase();
    String machine = new String(new ProcessBuilder("uname", "-m").start().getInputStream().readAllBytes()).trim();
    String arch = switch (machine) {
      case "x86_64", "amd64" -> "x64";
      case "aarch64", "arm64" -> "aarch64";
      default -> machine;
    };
    Process tar = new ProcessBuilder("tar", "-C", tools.resolve("made").toString(), "-czf",
        assets.resolve("loopguard-9.9-" + os + "-" + arch + ".tar.gz").toString(), "loopguard-9.9").start();
    assertThat(tar.waitFor()).isZero();
    // gh release download TAG --repo R --pattern P --dir D: copies the assets matching P
    executable(tools.resolve("gh"), "#!/bin/bash\necho \"$@\" >> '" + tools.resolve("gh-calls") + "'\n"
        + "[ \"$1 $2 $3\" = 'release download v9.9' ] || exit 1\n"
        + "while [ $# -gt 0 ]; do case \"$1\" in --pattern) pat=\"$2\"; shift;; --dir) dir=\"$2\"; shift;; esac; shift; done\n"
        + "mkdir -p \"$dir\"; n=0; for f in '" + assets + "'/$pat; do [ -f \"$f\" ] && cp \"$f\" \"$dir\" && n=1; done; [ $n = 1 ]\n");
    String log = runScript("install.sh", Map.of("LG_INSTALL", "auto", "LG_ACTION_REF", "v9.9",
        "LG_ACTION_REPOSITORY", "owner/loopguard", "LG_RELEASE", "", "GH_TOKEN", "t"), 0);
    assertThat(log).contains("loopguard 9.9");
    Path bin = runnerTemp.resolve("loopguard/loopguard-9.9/bin");
    assertThat(outputs()).containsEntry("bin", bin.resolve("loopguard").toString());
    assertThat(Files.readString(tools.resolve("github-path")).trim()).isEqualTo(bin.toString());
    assertThat(Files.readString(tools.resolve("gh-calls"))).contains("--repo owner/loopguard", "--pattern loopguard-*-" + os + "-" + arch + ".tar.gz");

    // a release that does not exist, asked for explicitly, is an error
    runScript("install.sh", Map.of("LG_INSTALL", "release", "LG_RELEASE", "v0.0-none",
        "LG_ACTION_REPOSITORY", "owner/loopguard", "LG_ACTION_REF", "", "GH_TOKEN", "t"), 2);
    runScript("install.sh", Map.of("LG_INSTALL", "sideways", "LG_RELEASE", "", "LG_ACTION_REPOSITORY", "",
        "LG_ACTION_REF", "", "GH_TOKEN", "t"), 2);
  }

  @Test
  void commentUpdatesTheCommentWithTheMarkerOrCreatesOne() throws Exception {
    Path body = tools.resolve("review.md");
    Files.writeString(body, "<!-- loopguard-review -->\n### loopguard review: fail\n");
    Path calls = tools.resolve("gh-calls");
    // gh api: the listing answers with the ids the test puts in `existing`; writes are recorded
    executable(tools.resolve("gh"), "#!/bin/bash\necho \"$@\" >> '" + calls + "'\n"
        + "case \"$*\" in *--jq*) cat '" + tools.resolve("existing") + "' ;; esac\n");
    Map<String, String> env = Map.of("GITHUB_REPOSITORY", "o/r", "LG_PR", "7", "LG_BODY", body.toString(), "GH_TOKEN", "t");

    Files.writeString(tools.resolve("existing"), "");
    runScript("comment.sh", env, 0);
    List<String> first = Files.readAllLines(calls);
    assertThat(first.get(0)).contains("api --paginate repos/o/r/issues/7/comments", "startswith(\"<!-- loopguard-review -->\")");
    assertThat(first.get(1)).startsWith("api --method POST repos/o/r/issues/7/comments -F body=@");

    Files.writeString(calls, "");
    Files.writeString(tools.resolve("existing"), "4242\n");
    runScript("comment.sh", env, 0);
    assertThat(Files.readAllLines(calls).get(1)).startsWith("api --method PATCH repos/o/r/issues/comments/4242 -F body=@");
    String sent = Files.readString(runnerTemp.resolve("loopguard-comment.md"));
    assertThat(sent).startsWith("<!-- loopguard-review -->\n### loopguard review: fail"); // the marker once

    // a token that may not write: a warning, not a failed job
    executable(tools.resolve("gh"), "#!/bin/bash\ncase \"$*\" in *--jq*) exit 0 ;; esac\nexit 1\n");
    assertThat(runScript("comment.sh", env, 0)).contains("::warning title=loopguard::could not comment on #7");
  }
}
