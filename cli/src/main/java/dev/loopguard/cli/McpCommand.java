package dev.loopguard.cli;

import dev.loopguard.cli.mcp.LoopguardMcpServer;
import dev.loopguard.core.engine.Knowledge;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code loopguard mcp}: the Model Context Protocol server on standard input and output. */
@Command(name = "mcp", mixinStandardHelpOptions = true,
    description = {"Serve the Model Context Protocol on standard input and output, for review agents:",
        "tools scan, review (pass / fail / unknown with evidence), explain and knowledge, answering JSON.",
        "Ends when standard input closes."})
final class McpCommand implements Callable<Integer> {
  private final Io io;
  private final Knowledge knowledge;

  McpCommand(Io io, Knowledge knowledge) {
    this.io = io;
    this.knowledge = knowledge;
  }

  @Override
  public Integer call() throws InterruptedException {
    new LoopguardMcpServer(io.cwd(), knowledge, io.err()).run(System.in, io.out());
    return ExitCode.OK.code();
  }
}
