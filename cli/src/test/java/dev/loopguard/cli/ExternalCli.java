package dev.loopguard.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code loopguard} in a JVM of its own (for signals and for the child's own streams). */
final class ExternalCli {
  private ExternalCli() {}

  static ProcessBuilder command(Path cwd, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-Xshare:auto");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).directory(cwd.toFile());
  }

  static Process start(Path cwd, String... args) throws IOException {
    return command(cwd, args).start();
  }
}
