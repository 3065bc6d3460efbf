package dev.loopguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * cli/jvm-options.sh, which the launcher and the benchmarks source: the heap options it adds for a
 * machine's memory, and how the user's options override them.
 */
class JvmOptionsScriptTest {
  private static final Path SCRIPT = Path.of("jvm-options.sh").toAbsolutePath();

  /** The options for a machine of {@code memory} bytes ("" when unknown) and the user's {@code extra}. */
  private static List<String> options(String memory, String extra) throws Exception {
    assumeTrue(Files.isRegularFile(SCRIPT), "run from the cli module");
    // The script, with the machine's memory replaced by the test's.
    String program = ". \"$0\"\n"
        + "MEMORY=\"$1\"\n"
        + "loopguard_memory_bytes() { [ -n \"$MEMORY\" ] && echo \"$MEMORY\"; return 0; }\n"
        + "loopguard_jvm_options \"$2\"\n"
        + "printf '%s\\n' \"${LOOPGUARD_JVM_OPTS[@]}\"\n";
    Process p;
    try {
      p = new ProcessBuilder("bash", "-c", program, SCRIPT.toString(), memory, extra).redirectErrorStream(true).start();
    } catch (IOException noBash) {
      assumeTrue(false, "bash is not available");
      return List.of();
    }
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isZero();
    return out.lines().toList();
  }

  @Test
  void aLargeMachineGetsAHeapReservedInFullAndA128MbYoungGeneration() throws Exception {
    List<String> o = options("25276514304", "");
    assertThat(o).contains("-XX:+UseParallelGC", "-XX:TieredStopAtLevel=1",
        "-XX:InitialRAMPercentage=25", "-Xmn128m");
  }

  @Test
  void theYoungGenerationIsAQuarterOfTheHeapOnSmallMachinesAndLeftAloneOnTinyOnes() throws Exception {
    assertThat(options("1073741824", "")).contains("-Xmn64m", "-XX:InitialRAMPercentage=25");
    assertThat(options("268435456", "")).contains("-Xmn16m");
    assertThat(options("200000000", "")).noneMatch(s -> s.startsWith("-Xmn") || s.contains("RAMPercentage"));
    assertThat(options("", "")).noneMatch(s -> s.startsWith("-Xmn") || s.contains("RAMPercentage"));
  }

  @Test
  void theUsersHeapOptionsReplaceTheHeapSizingAndOtherOptionsComeLast() throws Exception {
    List<String> sized = options("25276514304", "-Xmx2g -Dx=1");
    assertThat(sized).noneMatch(s -> s.startsWith("-Xmn") || s.contains("RAMPercentage"));
    assertThat(sized.subList(sized.size() - 2, sized.size())).containsExactly("-Xmx2g", "-Dx=1");
    assertThat(options("25276514304", "-XX:MaxRAMPercentage=50"))
        .noneMatch(s -> s.startsWith("-Xmn") || s.startsWith("-XX:InitialRAM"));
    List<String> other = options("25276514304", "-XX:GCTimeRatio=4");
    assertThat(other).contains("-Xmn128m");
    assertThat(other.get(other.size() - 1)).isEqualTo("-XX:GCTimeRatio=4");
  }
}
