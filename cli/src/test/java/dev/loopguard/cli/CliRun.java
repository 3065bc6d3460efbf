package dev.loopguard.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** One command line run through {@link Main#run} with captured streams: its exit code and output. */
record CliRun(int code, String out, String err) {

  /** Runs {@code args} in {@code cwd} with environment {@code env}, on a terminal or not. */
  static CliRun of(Path cwd, Map<String, String> env, boolean terminal, String... args) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    Io io = new Io(new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8),
        new HashMap<>(env), cwd, terminal);
    int code = Main.run(args, io);
    return new CliRun(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
  }

  /** Runs {@code args} in {@code cwd}, with no environment and not on a terminal. */
  static CliRun of(Path cwd, String... args) {
    return of(cwd, Map.of(), false, args);
  }
}
