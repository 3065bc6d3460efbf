package dev.loopguard.cli;

import dev.loopguard.cli.lsp.LspServer;
import dev.loopguard.core.engine.Knowledge;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code loopguard lsp}: the language server on standard input and output. */
@Command(name = "lsp", mixinStandardHelpOptions = true,
    description = {"Serve the Language Server Protocol on standard input and output, for editors: diagnostics "
        + "on open, change and save, hover with the chain, code actions (the loopguard fix rewrite, a "
        + "suppression with a reason). The project is the editor's workspace folder; its loopguard.toml or "
        + "pyproject.toml configures the analysis.",
        "Exit code: 0 after shutdown and exit, 1 when the client exits without shutdown or the input ends."})
final class LspCommand implements Callable<Integer> {
  private final Io io;
  private final Knowledge knowledge;

  LspCommand(Io io, Knowledge knowledge) {
    this.io = io;
    this.knowledge = knowledge;
  }

  @Override
  public Integer call() throws InterruptedException {
    return LspServer.run(knowledge, io.cwd(), System.in, io.out(), io.err());
  }
}
