package dev.loopguard.cli.lsp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopguard.core.engine.Knowledge;
import dev.loopguard.core.frontend.Frontends;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.CodeActionContext;
import org.eclipse.lsp4j.CodeActionParams;
import org.eclipse.lsp4j.Command;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.DidSaveTextDocumentParams;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.MessageActionItem;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.ShowMessageRequestParams;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.VersionedTextDocumentIdentifier;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageServer;
import dev.loopguard.cli.Pipes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** An editor session with the language server on piped streams, through LSP4J's client launcher. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LanguageServerTest {
  private static final String BLOCKING = """
      import time


      async def handler():
          time.sleep(1)
          return 1
      """;

  @TempDir Path dir;

  private final BlockingQueue<PublishDiagnosticsParams> diagnostics = new LinkedBlockingQueue<>();
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private PipedOutputStream toServer;
  private LanguageServer server;
  private Thread serverThread;
  private final AtomicInteger exitCode = new AtomicInteger(-1);
  private final AtomicInteger version = new AtomicInteger();

  @BeforeEach
  void start() throws IOException {
    Pipes pipes = Pipes.open();
    toServer = pipes.toServer();
    PipedInputStream serverIn = pipes.serverIn();
    PipedInputStream clientIn = pipes.clientIn();
    PipedOutputStream serverOut = pipes.serverOut();
    serverThread = new Thread(() -> {
      try {
        exitCode.set(LspServer.run(new Knowledge(Frontends.all()), dir, serverIn, serverOut,
            new PrintStream(log, true, StandardCharsets.UTF_8)));
        serverOut.close();
      } catch (InterruptedException | IOException e) {
        Thread.currentThread().interrupt();
      }
    }, "lsp-server-under-test");
    serverThread.start();
    Launcher<LanguageServer> launcher = LSPLauncher.createClientLauncher(new Client(), clientIn, toServer);
    launcher.startListening();
    server = launcher.getRemoteProxy();
  }

  @AfterEach
  void stop() throws Exception {
    toServer.close();
    serverThread.join(10_000);
  }

  @Test
  void openDiagnoseSuppressAndFixClearTheDiagnostic() throws Exception {
    Path file = dir.resolve("app.py");
    Files.writeString(file, BLOCKING);
    String uri = file.toUri().toString();
    initialize();
    open(uri, BLOCKING);
    Diagnostic d = single(awaitFor(uri));
    assertThat(d.getCode().getLeft()).isEqualTo("perf-004");
    assertThat(d.getSource()).isEqualTo("loopguard");
    assertThat(d.getMessage()).contains("time.sleep");
    assertThat(d.getRange().getStart()).isEqualTo(new Position(4, 4));
    assertThat(d.getSeverity()).isIn(DiagnosticSeverity.Warning, DiagnosticSeverity.Error);

    Hover hover = server.getTextDocumentService().hover(new HoverParams(new TextDocumentIdentifier(uri),
        new Position(4, 6))).get(20, TimeUnit.SECONDS);
    assertThat(hover.getContents().getRight().getValue()).contains("perf-004").contains("time.sleep");

    List<CodeAction> actions = actions(uri, d);
    CodeAction suppress = actions.stream().filter(a -> a.getTitle().startsWith("Suppress")).findFirst().orElseThrow();
    TextEdit comment = suppress.getEdit().getChanges().get(uri).get(0);
    assertThat(comment.getNewText()).contains("# loopguard: ignore[perf-004] ");
    CodeAction fix = actions.stream().filter(a -> a.getTitle().startsWith("Fix")).findFirst().orElseThrow();
    assertThat(fix.getEdit().getChanges().get(uri)).anySatisfy(e -> assertThat(e.getNewText()).contains("asyncio.sleep"));

    List<CodeAction> fixAll = actions.stream().filter(a -> LoopguardLanguageServer.FIX_ALL.equals(a.getKind())).toList();
    assertThat(fixAll).singleElement().satisfies(a -> assertThat(a.getEdit().getChanges().get(uri))
        .isEqualTo(fix.getEdit().getChanges().get(uri)));

    // the suppression, applied to the buffer (not saved): the diagnostic goes
    change(uri, apply(BLOCKING, List.of(comment)));
    assertThat(awaitFor(uri)).isEmpty();
    // back to the blocking text, then the fix applied: it goes again
    change(uri, BLOCKING);
    assertThat(awaitFor(uri)).hasSize(1);
    String fixed = apply(BLOCKING, fix.getEdit().getChanges().get(uri));
    assertThat(fixed).contains("await asyncio.sleep(1)").contains("import asyncio");
    change(uri, fixed);
    assertThat(awaitFor(uri)).isEmpty();
  }

  @Test
  void aHelperEditedInAnotherFileReachesTheAsyncFunctionWithItsChain() throws Exception {
    Path helpers = dir.resolve("helpers.py");
    Path app = dir.resolve("app.py");
    Files.writeString(helpers, "def wait():\n    return 1\n");
    Files.writeString(app, "from helpers import wait\n\n\nasync def handler():\n    wait()\n");
    initialize();
    String helpersUri = helpers.toUri().toString();
    open(helpersUri, Files.readString(helpers));
    assertThat(awaitFor(helpersUri)).isEmpty();
    // unsaved: the helper now sleeps; the async function in app.py reaches it
    change(helpersUri, "import time\n\n\ndef wait():\n    time.sleep(1)\n    return 1\n");
    PublishDiagnosticsParams p = awaitFor(app.toUri().toString(), true);
    Diagnostic d = single(p.getDiagnostics());
    assertThat(d.getRange().getStart().getLine()).isEqualTo(4);
    assertThat(d.getRelatedInformation()).isNotEmpty();
    assertThat(d.getRelatedInformation()).anySatisfy(r -> assertThat(r.getLocation().getUri()).isEqualTo(helpersUri));
  }

  @Test
  void configurationFromPyprojectApplies() throws Exception {
    Files.writeString(dir.resolve("pyproject.toml"), "[tool.loopguard]\nmin-confidence = \"high\"\n");
    Path app = dir.resolve("app.py");
    String text = "def wait():\n    import time\n    time.sleep(1)\n\n\nasync def handler():\n    wait()\n";
    Files.writeString(app, text);
    initialize();
    open(app.toUri().toString(), text);
    // the finding is of medium confidence (through a helper): the configuration leaves it out
    assertThat(awaitFor(app.toUri().toString())).isEmpty();
    // the configuration saved with a lower threshold: read again, the finding shows
    Path pyproject = dir.resolve("pyproject.toml");
    Files.writeString(pyproject, "[tool.loopguard]\nmin-confidence = \"low\"\n");
    server.getTextDocumentService().didSave(new DidSaveTextDocumentParams(new TextDocumentIdentifier(
        pyproject.toUri().toString())));
    assertThat(awaitFor(app.toUri().toString())).hasSize(1);
  }

  @Test
  void shutdownAndExitEndTheServerWithZeroAndAClosedInputWithOne() throws Exception {
    initialize();
    server.shutdown().get(20, TimeUnit.SECONDS);
    server.exit();
    serverThread.join(10_000);
    assertThat(serverThread.isAlive()).isFalse();
    assertThat(exitCode.get()).isZero();
  }

  @Test
  void aClosedInputEndsTheServer() throws Exception {
    initialize();
    toServer.close();
    serverThread.join(10_000);
    assertThat(serverThread.isAlive()).isFalse();
    assertThat(exitCode.get()).isEqualTo(1);
  }

  @Test
  void garbageGetsAnErrorResponseAndTheSessionGoesOn() throws Exception {
    initialize();
    byte[] junk = "{\"jsonrpc\":\"2.0\",\"id\":99,\"method\":\"textDocument/hover\",\"params\":42}".getBytes(StandardCharsets.UTF_8);
    byte[] notJson = "not json at all".getBytes(StandardCharsets.UTF_8);
    synchronized (toServer) {
      toServer.write(("Content-Length: " + notJson.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      toServer.write(notJson);
      toServer.write(("Content-Length: " + junk.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      toServer.write(junk);
      toServer.flush();
    }
    Path file = dir.resolve("app.py");
    Files.writeString(file, BLOCKING);
    open(file.toUri().toString(), BLOCKING);
    assertThat(awaitFor(file.toUri().toString())).hasSize(1);
  }

  private void initialize() throws Exception {
    InitializeParams p = new InitializeParams();
    p.setRootUri(dir.toUri().toString());
    assertThat(server.initialize(p).get(30, TimeUnit.SECONDS).getCapabilities().getCodeActionProvider()).isNotNull();
    server.initialized(new InitializedParams());
  }

  private void open(String uri, String text) {
    server.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(
        new TextDocumentItem(uri, "python", version.incrementAndGet(), text)));
  }

  private void change(String uri, String text) {
    server.getTextDocumentService().didChange(new DidChangeTextDocumentParams(
        new VersionedTextDocumentIdentifier(uri, version.incrementAndGet()),
        List.of(new TextDocumentContentChangeEvent(text))));
  }

  private List<CodeAction> actions(String uri, Diagnostic d) throws Exception {
    List<Either<Command, CodeAction>> got = server.getTextDocumentService().codeAction(new CodeActionParams(
        new TextDocumentIdentifier(uri), d.getRange(), new CodeActionContext(List.of(d)))).get(20, TimeUnit.SECONDS);
    return got.stream().filter(Either::isRight).map(Either::getRight).toList();
  }

  private List<Diagnostic> awaitFor(String uri) throws InterruptedException {
    return awaitFor(uri, false).getDiagnostics();
  }

  /** The next diagnostics published for {@code uri} (non-empty ones when {@code nonEmpty}). */
  private PublishDiagnosticsParams awaitFor(String uri, boolean nonEmpty) throws InterruptedException {
    while (true) {
      PublishDiagnosticsParams p = diagnostics.poll(30, TimeUnit.SECONDS);
      assertThat(p).as("no diagnostics for " + uri + "; server log: " + log).isNotNull();
      if (p.getUri().equals(uri) && (!nonEmpty || !p.getDiagnostics().isEmpty())) {
        return p;
      }
    }
  }

  private static Diagnostic single(List<Diagnostic> ds) {
    assertThat(ds).hasSize(1);
    return ds.get(0);
  }

  /** The text with LSP edits applied (last first, so that earlier positions hold). */
  static String apply(String text, List<TextEdit> edits) {
    List<TextEdit> sorted = edits.stream().sorted((a, b) -> {
      Position x = a.getRange().getStart();
      Position y = b.getRange().getStart();
      return x.getLine() != y.getLine() ? Integer.compare(y.getLine(), x.getLine())
          : Integer.compare(y.getCharacter(), x.getCharacter());
    }).toList();
    String out = text;
    for (TextEdit e : sorted) {
      out = out.substring(0, offset(out, e.getRange().getStart())) + e.getNewText()
          + out.substring(offset(out, e.getRange().getEnd()));
    }
    return out;
  }

  private static int offset(String text, Position p) {
    int at = 0;
    for (int line = 0; line < p.getLine(); line++) {
      at = text.indexOf('\n', at) + 1;
    }
    return at + p.getCharacter();
  }

  private final class Client implements LanguageClient {
    @Override
    public void telemetryEvent(Object object) {}

    @Override
    public void publishDiagnostics(PublishDiagnosticsParams p) {
      diagnostics.add(p);
    }

    @Override
    public void showMessage(MessageParams m) {
      log.writeBytes(("showMessage: " + m.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public CompletableFuture<MessageActionItem> showMessageRequest(ShowMessageRequestParams r) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void logMessage(MessageParams m) {}
  }
}
