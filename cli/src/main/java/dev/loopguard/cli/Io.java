package dev.loopguard.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/** The streams, environment and working directory a command runs with (injected for tests). */
public record Io(PrintStream out, PrintStream err, Map<String, String> env, Path cwd, boolean terminal) {

  public boolean colorAllowed() {
    return terminal && !env.containsKey("NO_COLOR") && !"dumb".equals(env.get("TERM"));
  }
}
