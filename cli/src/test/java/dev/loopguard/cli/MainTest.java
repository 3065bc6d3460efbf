package dev.loopguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The top-level command line. A line that names a command gets only that command's model; help,
 * versions and errors still see every command.
 */
class MainTest {
  private static final String[] COMMANDS = {"scan", "baseline", "review", "explain", "rules", "knowledge", "help"};

  private String out;
  private String err;

  private int run(String... args) {
    CliRun r = CliRun.of(Path.of("").toAbsolutePath(), args);
    out = r.out();
    err = r.err();
    return r.code();
  }

  @Test
  void helpListsEveryCommandInOrder() {
    assertThat(run("--help")).isZero();
    assertThat(out).containsSubsequence(COMMANDS);
  }

  @Test
  void anUnknownCommandIsAnErrorThatListsTheCommands() {
    assertThat(run("bogus")).isEqualTo(ExitCode.ERROR.code());
    assertThat(err).contains("bogus").containsSubsequence(COMMANDS);
  }

  @Test
  void theHelpCommandKnowsTheOtherCommands() {
    assertThat(run("help", "scan")).isZero();
    assertThat(out).contains("Usage: loopguard scan");
  }

  @Test
  void aNamedCommandRunsWithItsOwnOptionsAndSubcommands() {
    assertThat(run("rules")).isZero();
    assertThat(out).contains("perf-004");
    assertThat(run("knowledge", "packs")).isZero();
    assertThat(out).contains("python/");
    assertThat(run("scan", "--help")).isZero();
    assertThat(out).contains("--no-cache");
  }

  @Test
  void versionNeedsNoCommand() {
    assertThat(run("--version")).isZero();
    assertThat(out).startsWith("loopguard ");
  }
}
