package dev.loopguard.cli;

import dev.loopguard.core.Version;
import dev.loopguard.core.frontend.Frontends;
import dev.loopguard.core.engine.Knowledge;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code loopguard <command>}. */
@Command(
    name = "loopguard",
    mixinStandardHelpOptions = true,
    versionProvider = Main.VersionProvider.class,
    description = "Finds blocking operations reachable from an async event loop.")
public final class Main implements Runnable {
  /** The commands, by name, in the order help lists them. */
  private static final Map<String, Class<?>> COMMANDS = commands();

  private static Map<String, Class<?>> commands() {
    Map<String, Class<?>> c = new LinkedHashMap<>();
    c.put("scan", ScanCommand.class);
    c.put("baseline", BaselineCommand.class);
    c.put("review", ReviewCommand.class);
    c.put("fix", FixCommand.class);
    c.put("runtime", RuntimeCommand.class);
    c.put("explain", ExplainCommand.class);
    c.put("rules", RulesCommand.class);
    c.put("knowledge", KnowledgeCommand.class);
    c.put("lsp", LspCommand.class);
    c.put("mcp", McpCommand.class);
    c.put("help", CommandLine.HelpCommand.class);
    return Collections.unmodifiableMap(c);
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: try 'loopguard scan .'");
  }

  /** The system property naming the file of parsed built-in knowledge packs (the launcher's). */
  static final String KNOWLEDGE_SNAPSHOT = "loopguard.knowledge.snapshot";

  public static void main(String[] args) {
    Knowledge knowledge = new Knowledge(Frontends.all());
    if (args.length > 0 && Set.of("scan", "review", "baseline", "fix", "lsp", "mcp").contains(args[0])) {
      // These load the knowledge packs; parsing the built-in ones takes a cold JVM a few tenths of a
      // second of CPU, which a second core can spend while this one reads the command line. The
      // launcher names a snapshot of them beside the jar (KnowledgeSnapshot), read instead.
      String snapshot = System.getProperty(KNOWLEDGE_SNAPSHOT, "");
      Thread preload = new Thread(() -> {
        try {
          if (snapshot.isBlank()) {
            knowledge.preload();
          } else {
            knowledge.preload(Path.of(snapshot));
          }
        } catch (RuntimeException e) {
          // the command reports it when it loads the packs
        }
      }, "loopguard-knowledge-preload");
      preload.setDaemon(true);
      preload.start();
    }
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true, StandardCharsets.UTF_8);
    Io io = new Io(out, err, System.getenv(), Path.of("").toAbsolutePath(), System.console() != null);
    int code = run(args, io, knowledge);
    out.flush();
    System.exit(code);
  }

  /** Runs a command line with the given streams; returns the exit code. */
  public static int run(String[] args, Io io) {
    return run(args, io, new Knowledge(Frontends.all()));
  }

  /**
   * Runs a command line with the given streams and the process's knowledge (whose built-in packs
   * may be loading meanwhile); returns the exit code.
   */
  public static int run(String[] args, Io io, Knowledge knowledge) {
    Factory factory = new Factory(io, knowledge);
    CommandLine cl = new CommandLine(new Main(), factory);
    // picocli reads a command's annotations when it is added, which costs a cold JVM about a
    // tenth of a second for all of them: a command line that names a command gets only that one
    // (help, versions, errors and anything else get them all, to list them).
    Class<?> named = args.length > 0 ? COMMANDS.get(args[0]) : null;
    if (named != null && named != CommandLine.HelpCommand.class) {
      cl.addSubcommand(args[0], command(named, factory));
    } else {
      COMMANDS.forEach((name, type) -> cl.addSubcommand(name, command(type, factory)));
    }
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
    int code = cl.execute(args);
    io.out().flush();
    if (io.out().checkError()) {
      // A PrintStream swallows write errors (a closed pipe, a full disk): a report that did not
      // reach its reader must not pass as one that did.
      io.err().println("loopguard: cannot write to standard output (closed pipe, full disk or I/O error); the report is incomplete");
      return ExitCode.OUTPUT_ERROR.code();
    }
    return code;
  }

  private static CommandLine command(Class<?> type, Factory factory) {
    CommandLine c = new CommandLine(type, factory);
    // runtime's COMMAND keeps its own options: everything from the first positional on is its.
    return type == RuntimeCommand.class ? c.setStopAtPositional(true) : c;
  }

  /** Hands the injected {@link Io} and the process's {@link Knowledge} to commands that take them. */
  static final class Factory implements CommandLine.IFactory {
    private final Io io;
    private final Knowledge knowledge;

    Factory(Io io, Knowledge knowledge) {
      this.io = io;
      this.knowledge = knowledge;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
      try {
        return cls.getDeclaredConstructor(Io.class, Knowledge.class).newInstance(io, knowledge);
      } catch (NoSuchMethodException e) {
        try {
          return cls.getDeclaredConstructor(Io.class).newInstance(io);
        } catch (NoSuchMethodException e2) {
          return CommandLine.defaultFactory().create(cls);
        }
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
