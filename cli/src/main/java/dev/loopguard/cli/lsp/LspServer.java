package dev.loopguard.cli.lsp;

import dev.loopguard.core.engine.Knowledge;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageClient;

/** Runs {@link LoopguardLanguageServer} on a pair of streams until the client exits or the input ends. */
public final class LspServer {
  private LspServer() {}

  /**
   * Serves one client on {@code in} and {@code out}; returns 0 when the client shut the server
   * down and exited, 1 when it exited without shutting down or the input ended first.
   */
  public static int run(Knowledge knowledge, Path cwd, InputStream in, OutputStream out, PrintStream log)
      throws InterruptedException {
    AtomicReference<Future<Void>> listening = new AtomicReference<>();
    LoopguardLanguageServer server = new LoopguardLanguageServer(knowledge, cwd, log, () -> {
      Future<Void> f = listening.get();
      if (f != null) {
        f.cancel(true);
      }
    });
    Launcher<LanguageClient> launcher = LSPLauncher.createServerLauncher(server, in, out);
    server.connect(launcher.getRemoteProxy());
    Future<Void> f = launcher.startListening();
    listening.set(f);
    try {
      f.get();
    } catch (CancellationException e) {
      // the client's exit notification
    } catch (ExecutionException e) {
      log.println("loopguard lsp: the connection failed: " + e.getCause());
    }
    return server.shutdownRequested() ? 0 : 1;
  }
}
