package dev.loopguard.cli;

import dev.loopguard.core.Version;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code loopguard <command>}. */
@Command(
    name = "loopguard",
    mixinStandardHelpOptions = true,
    versionProvider = Main.VersionProvider.class,
    description = "Finds blocking operations reachable from an async event loop.",
    subcommands = {ScanCommand.class, BaselineCommand.class, ReviewCommand.class, ExplainCommand.class, RulesCommand.class, KnowledgeCommand.class,
        CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: try 'loopguard scan .'");
  }

  public static void main(String[] args) {
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true, StandardCharsets.UTF_8);
    Io io = new Io(out, err, System.getenv(), Path.of("").toAbsolutePath(), System.console() != null);
    int code = run(args, io);
    out.flush();
    System.exit(code);
  }

  /** Runs a command line with the given streams; returns the exit code. */
  public static int run(String[] args, Io io) {
    CommandLine cl = new CommandLine(new Main(), new Factory(io));
    cl.setOut(new PrintWriter(io.out(), true));
    cl.setErr(new PrintWriter(io.err(), true));
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      io.err().println("loopguard: " + (ex.getMessage() != null ? ex.getMessage() : ex.toString()));
      if (io.env().containsKey("LOOPGUARD_DEBUG")) {
        ex.printStackTrace(io.err());
      }
      return ExitCode.ERROR.code();
    });
    cl.setParameterExceptionHandler((ex, a) -> {
      io.err().println("loopguard: " + ex.getMessage());
      ex.getCommandLine().usage(io.err());
      return ExitCode.ERROR.code();
    });
    return cl.execute(args);
  }

  /** Hands the injected {@link Io} to commands that take it. */
  static final class Factory implements CommandLine.IFactory {
    private final Io io;

    Factory(Io io) {
      this.io = io;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
      try {
        return cls.getDeclaredConstructor(Io.class).newInstance(io);
      } catch (NoSuchMethodException e) {
        return CommandLine.defaultFactory().create(cls);
      }
    }
  }

  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {Version.NAME + " " + Version.get()};
    }
  }
}
