package dev.loopguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution's bin/loopguard (cli/dist/loopguard.sh), run by a POSIX shell in a made-up
 * distribution whose runtime/bin/java prints its arguments: the command line it builds, the
 * symbolic link it follows, and the class-data archive it makes for its folder.
 */
class DistScriptTest {
  private static final Path SCRIPT = Path.of("dist/loopguard.sh").toAbsolutePath();
  private static final Path OPTIONS = Path.of("jvm-options.sh").toAbsolutePath();

  @TempDir Path tmp;
  Path home;

  @BeforeEach
  void distribution() throws IOException {
    assumeTrue(Files.isRegularFile(SCRIPT) && Files.isRegularFile(Path.of("/bin/sh")), "run from the cli module, with /bin/sh");
    home = tmp.resolve("loopguard-9.9");
    Files.createDirectories(home.resolve("bin"));
    Files.createDirectories(home.resolve("lib"));
    Files.createDirectories(home.resolve("runtime/bin"));
    Files.copy(SCRIPT, home.resolve("bin/loopguard"));
    Files.copy(OPTIONS, home.resolve("lib/jvm-options.sh"));
    Files.writeString(home.resolve("lib/loopguard.jar"), "jar");
    // A java that prints each argument on its own line, and makes the archive it is asked to dump.
    executable(home.resolve("runtime/bin/java"), "#!/bin/sh\n"
        + "for a in \"$@\"; do\n"
        + "  case \"$a\" in -XX:SharedArchiveFile=*) archive=\"${a#-XX:SharedArchiveFile=}\" ;; -Xshare:dump) dump=1 ;; esac\n"
        + "done\n"
        + "if [ -n \"${dump:-}\" ]; then echo archive > \"$archive\"; echo \"$@\" >> \"$(dirname \"$0\")/dumps\"; exit 0; fi\n"
        + "printf '%s\\n' \"$@\"\n");
    executable(home.resolve("bin/loopguard"), Files.readString(home.resolve("bin/loopguard")));
  }

  private static void executable(Path file, String text) throws IOException {
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /** Runs {@code command} with only PATH, HOME and {@code env} set; returns its output lines. */
  private List<String> run(Map<String, String> env, String... command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile()).redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().put("PATH", "/usr/bin:/bin");
    pb.environment().put("HOME", tmp.resolve("user").toString());
    pb.environment().putAll(env);
    Process p = pb.start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isZero();
    return out.lines().toList();
  }

  @Test
  void theArgumentsComeAfterTheJvmOptionsTheSnapshotAndTheJarUnchanged() throws Exception {
    Files.writeString(home.resolve("lib/loopguard.facts"), "facts");
    List<String> args = run(Map.of("LOOPGUARD_JAVA_OPTS", "-Dx=1 -Dy=*"),
        home.resolve("bin/loopguard").toString(), "scan", "a file.py", "*", "", "--format=json");
    String real = home.toRealPath().toString();
    int jar = args.indexOf("-jar");
    assertThat(jar).isPositive();
    assertThat(args.subList(jar, args.size()))
        .containsExactly("-jar", real + "/lib/loopguard.jar", "scan", "a file.py", "*", "", "--format=json");
    List<String> jvm = args.subList(0, jar);
    assertThat(jvm).contains("-XX:+UseParallelGC", "-XX:TieredStopAtLevel=1", "-Dx=1", "-Dy=*",
        "-Dloopguard.knowledge.snapshot=" + real + "/lib/loopguard.facts");
    // the user's options come after the launcher's, so they win
    assertThat(jvm.indexOf("-Dx=1")).isGreaterThan(jvm.indexOf("-XX:+UseParallelGC"));
    assertThat(jvm).noneMatch(a -> a.startsWith("-XX:SharedArchiveFile")); // no class list: no archive
  }

  @Test
  void aSymbolicLinkToTheScriptFindsTheDistribution() throws Exception {
    Path links = Files.createDirectories(tmp.resolve("links"));
    Files.createSymbolicLink(links.resolve("loopguard"), Path.of("../loopguard-9.9/bin/loopguard"));
    List<String> args = run(Map.of(), links.resolve("loopguard").toString(), "--version");
    assertThat(args).contains(home.toRealPath() + "/lib/loopguard.jar");
    assertThat(args.get(args.size() - 1)).isEqualTo("--version");
  }

  @Test
  void theClassDataArchiveIsMadeOnceForThisFolderAndRemadeWhenTheFolderMoves() throws Exception {
    Files.writeString(home.resolve("lib/loopguard.classlist"), "java/lang/Object\n");
    List<String> first = run(Map.of(), home.resolve("bin/loopguard").toString(), "rules");
    Path archive = home.toRealPath().resolve("lib/loopguard.jsa");
    assertThat(first).contains("-XX:SharedArchiveFile=" + archive);
    assertThat(Files.readString(home.resolve("lib/loopguard.jsa.for")).trim()).isEqualTo(archive.getParent() + "/loopguard.jar");
    run(Map.of(), home.resolve("bin/loopguard").toString(), "rules");
    assertThat(Files.readAllLines(home.resolve("runtime/bin/dumps"))).hasSize(1); // the second run reuses it

    Path moved = Files.move(home, tmp.resolve("elsewhere"));
    List<String> again = run(Map.of(), moved.resolve("bin/loopguard").toString(), "rules");
    assertThat(again).contains("-XX:SharedArchiveFile=" + moved.toRealPath().resolve("lib/loopguard.jsa"));
    assertThat(Files.readAllLines(moved.resolve("runtime/bin/dumps"))).hasSize(2);

    List<String> off = run(Map.of("LOOPGUARD_CDS", "0"), moved.resolve("bin/loopguard").toString(), "rules");
    assertThat(off).noneMatch(a -> a.startsWith("-XX:SharedArchiveFile"));
  }

  @Test
  void anIncompleteDistributionSaysWhatIsMissing() throws Exception {
    Files.delete(home.resolve("lib/loopguard.jar"));
    ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/loopguard").toString(), "scan").redirectErrorStream(true);
    Process p = pb.start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("incomplete");
  }

}
