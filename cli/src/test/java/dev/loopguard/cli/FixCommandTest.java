package dev.loopguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code loopguard fix [--diff]}: what it writes, prints and exits with, and that a second run changes nothing. */
class FixCommandTest {
  @TempDir Path dir;

  private static final String APP = "import time\n\nimport requests\n\n\nasync def handler(url):\n"
      + "    time.sleep(1)\n    requests.get(url, timeout=5)\n";

  @Test
  void diffPrintsTheChangesAndWritesNothingThenFixWritesThemOnce() throws Exception {
    Path app = dir.resolve("app.py");
    Files.writeString(app, APP);

    CliRun diff = CliRun.of(dir, "fix", "--diff", "--no-cache");
    assertThat(diff.code()).as(diff.err()).isEqualTo(1);
    assertThat(diff.out()).startsWith("--- a/app.py\n+++ b/app.py\n")
        .contains("+import asyncio\n", "-    time.sleep(1)\n", "+    await asyncio.sleep(1)\n",
            "+    await asyncio.to_thread(requests.get, url, timeout=5)\n");
    assertThat(diff.err()).contains("loopguard fix: 2 findings to fix in 1 file; 0 left alone.");
    assertThat(Files.readString(app)).isEqualTo(APP);

    CliRun fix = CliRun.of(dir, "fix", "--no-cache");
    assertThat(fix.code()).as(fix.err()).isZero();
    assertThat(fix.out()).isEmpty();
    String fixed = Files.readString(app);
    assertThat(fixed).isEqualTo("import asyncio\nimport time\n\nimport requests\n\n\nasync def handler(url):\n"
        + "    await asyncio.sleep(1)\n    await asyncio.to_thread(requests.get, url, timeout=5)\n");

    CliRun again = CliRun.of(dir, "fix", "--diff");
    assertThat(again.code()).isZero();
    assertThat(again.out()).isEmpty();
    assertThat(CliRun.of(dir, "fix").code()).isZero();
    assertThat(Files.readString(app)).isEqualTo(fixed);
    assertThat(CliRun.of(dir, "scan", "--no-cache").code()).isZero(); // nothing blocks any more
  }

  @Test
  void findingsLeftAloneAreListedWithTheReasonAndTheExitCodeIsOne() throws Exception {
    Files.writeString(dir.resolve("util.py"), "import time\n\n\ndef backoff():\n    time.sleep(1)\n");
    Files.writeString(dir.resolve("api.py"), "from util import backoff\n\n\nasync def handler():\n    backoff()\n");
    // Latin-1 bytes with a declared encoding: not UTF-8, so not rewritten
    Files.write(dir.resolve("legacy.py"), ("# -*- coding: latin-1 -*-\nimport time\n\n\nasync def caf\u00e9():\n"
        + "    time.sleep(1)  # caf\u00e9\n").getBytes(StandardCharsets.ISO_8859_1));
    CliRun r = CliRun.of(dir, "fix", "--no-cache");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("api.py:5:5: perf-004 (time.sleep) left alone: only a direct blocking call")
        .contains("legacy.py:6:5: perf-004 (time.sleep) left alone: the file is not UTF-8 text")
        .contains("loopguard fix: 0 findings fixed in 0 files; 2 left alone.");
  }

  @Test
  void aByteOrderMarkIsKept() throws Exception {
    Path app = dir.resolve("app.py");
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    byte[] text = "import time\nasync def f():\n    time.sleep(1)\n".getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[bom.length + text.length];
    System.arraycopy(bom, 0, all, 0, 3);
    System.arraycopy(text, 0, all, 3, text.length);
    Files.write(app, all);
    assertThat(CliRun.of(dir, "fix", "--no-cache").code()).isZero();
    byte[] out = Files.readAllBytes(app);
    assertThat(new String(out, 0, 3, StandardCharsets.ISO_8859_1)).isEqualTo(new String(bom, StandardCharsets.ISO_8859_1));
    assertThat(new String(out, 3, out.length - 3, StandardCharsets.UTF_8))
        .isEqualTo("import asyncio\nimport time\nasync def f():\n    await asyncio.sleep(1)\n");
  }
}
