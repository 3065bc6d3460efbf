package dev.loopguard.cli.lsp;

import dev.loopguard.core.engine.Knowledge;
import dev.loopguard.core.fix.FixOutcome;
import dev.loopguard.core.fix.FixSite;
import dev.loopguard.core.frontend.LanguageFrontend;
import dev.loopguard.core.model.Finding;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.CodeActionKind;
import org.eclipse.lsp4j.CodeActionOptions;
import org.eclipse.lsp4j.CodeActionParams;
import org.eclipse.lsp4j.Command;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DidChangeConfigurationParams;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidChangeWatchedFilesParams;
import org.eclipse.lsp4j.DidCloseTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.DidSaveTextDocumentParams;
import org.eclipse.lsp4j.FileEvent;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.MarkupContent;
import org.eclipse.lsp4j.MarkupKind;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.MessageType;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.SaveOptions;
import org.eclipse.lsp4j.ServerCapabilities;
import org.eclipse.lsp4j.ServerInfo;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.eclipse.lsp4j.TextDocumentSyncKind;
import org.eclipse.lsp4j.TextDocumentSyncOptions;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.WorkspaceEdit;
import org.eclipse.lsp4j.WorkspaceFolder;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageClientAware;
import org.eclipse.lsp4j.services.LanguageServer;
import org.eclipse.lsp4j.services.TextDocumentService;
import org.eclipse.lsp4j.services.WorkspaceService;

/**
 * {@code loopguard lsp}: diagnostics for the findings of the project as the editor holds it
 * (on open, change and save), hover with the chain, and code actions (the rewrite the language's
 * frontend offers, a suppression comment with a reason). The project is analysed on one worker
 * thread; edits that arrive during an analysis are analysed together after it.
 */
public final class LoopguardLanguageServer implements LanguageServer, LanguageClientAware, TextDocumentService,
    WorkspaceService {
  /** The reason a suppression comment carries until the user writes theirs. */
  static final String REASON_PLACEHOLDER = "TODO: say why this cannot block the event loop";

  /** The kind of the action that applies every rewrite of a file (as {@code loopguard fix} does). */
  static final String FIX_ALL = CodeActionKind.SourceFixAll + ".loopguard";

  private final Knowledge knowledge;
  private final Path fallbackRoot;
  private final PrintStream log;
  private final ExecutorService analyser = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "loopguard-lsp-analysis");
    t.setDaemon(true);
    return t;
  });
  private final AtomicBoolean queued = new AtomicBoolean();
  private final Map<String, List<Diagnostic>> published = new HashMap<>();
  private final Runnable onExit;
  private volatile LanguageClient client;
  private volatile Workspace workspace;
  private volatile Workspace.Analysis last;
  private volatile boolean shutdown;

  /**
   * A server for the folder the client names at initialisation (else {@code fallbackRoot});
   * {@code onExit} runs at the client's exit notification; {@code log} gets what the operator
   * should read.
   */
  public LoopguardLanguageServer(Knowledge knowledge, Path fallbackRoot, PrintStream log, Runnable onExit) {
    this.knowledge = knowledge;
    this.fallbackRoot = fallbackRoot;
    this.log = log;
    this.onExit = onExit;
  }

  /** Whether the client asked to shut down before it exited (the exit code says so). */
  public boolean shutdownRequested() {
    return shutdown;
  }

  /** The last analysis (for tests and measurements), or null. */
  Workspace.Analysis lastAnalysis() {
    return last;
  }

  @Override
  public void connect(LanguageClient client) {
    this.client = client;
  }

  @Override
  public CompletableFuture<InitializeResult> initialize(InitializeParams params) {
    Path root = fallbackRoot;
    List<WorkspaceFolder> folders = params.getWorkspaceFolders();
    try {
      if (folders != null && !folders.isEmpty()) {
        root = Path.of(URI.create(folders.get(0).getUri()));
      } else if (params.getRootUri() != null) {
        root = Path.of(URI.create(params.getRootUri()));
      }
    } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
      throw new ResponseErrorException(new ResponseError(ResponseErrorCode.InvalidParams,
          "the workspace folder is not a file URI: " + e.getMessage(), null));
    }
    workspace = new Workspace(root, knowledge);
    ServerCapabilities caps = new ServerCapabilities();
    TextDocumentSyncOptions sync = new TextDocumentSyncOptions();
    sync.setOpenClose(true);
    sync.setChange(TextDocumentSyncKind.Full);
    sync.setSave(new SaveOptions(false));
    caps.setTextDocumentSync(sync);
    caps.setHoverProvider(true);
    caps.setCodeActionProvider(new CodeActionOptions(List.of(CodeActionKind.QuickFix, FIX_ALL)));
    return CompletableFuture.completedFuture(
        new InitializeResult(caps, new ServerInfo("loopguard", dev.loopguard.core.Version.get())));
  }

  @Override
  public void initialized(InitializedParams params) {
    schedule();
  }

  @Override
  public CompletableFuture<Object> shutdown() {
    shutdown = true;
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void exit() {
    analyser.shutdownNow();
    onExit.run();
  }

  @Override
  public TextDocumentService getTextDocumentService() {
    return this;
  }

  @Override
  public WorkspaceService getWorkspaceService() {
    return this;
  }

  // ---- documents

  @Override
  public void didOpen(DidOpenTextDocumentParams params) {
    String path = path(params.getTextDocument().getUri());
    if (path != null) {
      workspace().setText(path, params.getTextDocument().getText());
      schedule();
    }
  }

  @Override
  public void didChange(DidChangeTextDocumentParams params) {
    String path = path(params.getTextDocument().getUri());
    if (path == null) {
      return;
    }
    for (TextDocumentContentChangeEvent c : params.getContentChanges()) {
      if (c.getRange() != null) {
        throw new ResponseErrorException(new ResponseError(ResponseErrorCode.InvalidParams,
            "the server asked for whole-document changes (TextDocumentSyncKind.Full)", null));
      }
      workspace().setText(path, c.getText());
    }
    schedule();
  }

  @Override
  public void didClose(DidCloseTextDocumentParams params) {
    String path = path(params.getTextDocument().getUri());
    if (path != null) {
      workspace().close(path);
      schedule();
    }
  }

  @Override
  public void didSave(DidSaveTextDocumentParams params) {
    String path = path(params.getTextDocument().getUri());
    if (path != null) {
      if (workspace().isConfiguration(path)) {
        workspace().configurationChanged();
      }
      schedule();
    }
  }

  @Override
  public CompletableFuture<Hover> hover(HoverParams params) {
    return afterPendingAnalyses(() -> hoverNow(params), null);
  }

  /**
   * {@code answer} computed on the analysis thread, after the analyses of every edit received
   * before this request: a request that follows an edit is answered from that edit's findings,
   * never from an older analysis. {@code none} once the server is exiting.
   */
  private <T> CompletableFuture<T> afterPendingAnalyses(java.util.function.Supplier<T> answer, T none) {
    try {
      return CompletableFuture.supplyAsync(answer, analyser);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      return CompletableFuture.completedFuture(none);
    }
  }

  private Hover hoverNow(HoverParams params) {
    String path = path(params.getTextDocument().getUri());
    Workspace.Analysis a = last;
    if (path == null || a == null) {
      return null;
    }
    Position p = params.getPosition();
    Range at = new Range(p, p);
    StringBuilder sb = new StringBuilder();
    Range range = null;
    for (Finding f : a.findings(path)) {
      Range r = Findings.range(f.span());
      if (Findings.overlaps(r, at)) {
        sb.append(sb.length() > 0 ? "\n---\n\n" : "").append(Findings.hover(f));
        range = range == null ? r : range;
      }
    }
    if (sb.length() == 0) {
      return null;
    }
    return new Hover(new MarkupContent(MarkupKind.MARKDOWN, sb.toString()), range);
  }

  @Override
  public CompletableFuture<List<Either<Command, CodeAction>>> codeAction(CodeActionParams params) {
    return afterPendingAnalyses(() -> codeActionsNow(params), List.of());
  }

  private List<Either<Command, CodeAction>> codeActionsNow(CodeActionParams params) {
    String uri = params.getTextDocument().getUri();
    String path = path(uri);
    Workspace.Analysis a = last;
    List<Either<Command, CodeAction>> actions = new ArrayList<>();
    if (path == null || a == null) {
      return actions;
    }
    String analysed = a.texts().get(path);
    String current = workspace().text(path);
    if (analysed == null || !analysed.equals(current)) {
      // the findings were made on another text: edits placed from them could land anywhere
      return actions;
    }
    LanguageFrontend frontend = workspace().frontendOf(path);
    String[] lines = current.split("\n", -1);
    List<String> only = params.getContext() == null ? null : params.getContext().getOnly();
    boolean quickFixes = only == null || only.stream().anyMatch(CodeActionKind.QuickFix::startsWith);
    for (Finding f : quickFixes ? a.findings(path) : List.<Finding>of()) {
      Range r = Findings.range(f.span());
      if (!Findings.overlaps(r, params.getRange())) {
        continue;
      }
      Diagnostic d = Findings.diagnostic(f, workspace().root());
      if (frontend != null) {
        FixOutcome fix = frontend.fixes(path, current, List.of(FixSite.of(f)));
        if (!fix.edits().isEmpty() && !fix.fixed().isEmpty()) {
          CodeAction ca = new CodeAction("Fix " + f.rule() + ": rewrite " + api(f) + " (loopguard fix)");
          ca.setKind(CodeActionKind.QuickFix);
          ca.setDiagnostics(List.of(d));
          ca.setIsPreferred(true);
          ca.setEdit(new WorkspaceEdit(Map.of(uri, fix.edits().stream().map(Findings::edit).toList())));
          actions.add(Either.forRight(ca));
        }
      }
      int line = f.span().line() - 1;
      if (frontend != null && line >= 0 && line < lines.length) {
        String text = lines[line].endsWith("\r") ? lines[line].substring(0, lines[line].length() - 1) : lines[line];
        String comment = frontend.lineCommentPrefix() + " loopguard: ignore[" + f.rule() + "] " + REASON_PLACEHOLDER;
        Position end = new Position(line, text.length());
        CodeAction ca = new CodeAction("Suppress " + f.rule() + " on this line (with a reason)");
        ca.setKind(CodeActionKind.QuickFix);
        ca.setDiagnostics(List.of(d));
        ca.setEdit(new WorkspaceEdit(Map.of(uri, List.of(new TextEdit(new Range(end, end), "  " + comment)))));
        actions.add(Either.forRight(ca));
      }
    }
    if (frontend != null && (only == null || only.stream().anyMatch(FIX_ALL::startsWith))) {
      List<FixSite> sites = a.findings(path).stream().map(FixSite::of).toList();
      FixOutcome all = sites.isEmpty() ? null : frontend.fixes(path, current, sites);
      if (all != null && !all.edits().isEmpty()) {
        CodeAction ca = new CodeAction("Fix all " + all.fixed().size() + " rewritable loopguard findings in this file");
        ca.setKind(FIX_ALL);
        ca.setEdit(new WorkspaceEdit(Map.of(uri, all.edits().stream().map(Findings::edit).toList())));
        actions.add(Either.forRight(ca));
      }
    }
    return actions;
  }

  private static String api(Finding f) {
    Object api = f.attributes() == null ? null : f.attributes().get("api");
    return api == null ? "the call" : api.toString();
  }

  // ---- workspace

  @Override
  public void didChangeConfiguration(DidChangeConfigurationParams params) {
    workspace().configurationChanged();
    schedule();
  }

  @Override
  public void didChangeWatchedFiles(DidChangeWatchedFilesParams params) {
    for (FileEvent e : params.getChanges()) {
      String path = path(e.getUri());
      if (path != null && workspace().isConfiguration(path)) {
        workspace().configurationChanged();
      }
    }
    schedule();
  }

  // ---- analysis

  private Workspace workspace() {
    Workspace w = workspace;
    if (w == null) {
      throw new ResponseErrorException(new ResponseError(ResponseErrorCode.ServerNotInitialized,
          "the client has not sent initialize", null));
    }
    return w;
  }

  /** The path relative to the root of a document, or null when it lies outside the workspace. */
  private String path(String uri) {
    try {
      URI u = URI.create(uri);
      if (!"file".equals(u.getScheme())) {
        return null;
      }
      return workspace().relative(Path.of(u));
    } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
      throw new ResponseErrorException(new ResponseError(ResponseErrorCode.InvalidParams,
          "not a document URI: " + uri, null));
    }
  }

  /** Analyses the project soon: once, for all the edits that arrive before the analysis starts. */
  private void schedule() {
    if (shutdown || workspace == null || !queued.compareAndSet(false, true)) {
      return;
    }
    try {
      analyser.execute(() -> {
        queued.set(false);
        analyseAndPublish();
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      queued.set(false); // exiting
    }
  }

  private void analyseAndPublish() {
    Workspace.Analysis a;
    try {
      a = workspace.analyse();
    } catch (RuntimeException | StackOverflowError e) {
      String message = "loopguard: the analysis failed: " + (e.getMessage() != null ? e.getMessage() : e);
      log.println(message);
      LanguageClient c = client;
      if (c != null) {
        c.showMessage(new MessageParams(MessageType.Error, message));
      }
      return;
    }
    last = a;
    LanguageClient c = client;
    if (c == null) {
      return;
    }
    Map<String, List<Diagnostic>> now = new HashMap<>();
    a.findingsByPath().forEach((path, fs) -> now.put(Findings.uri(workspace.root(), path),
        fs.stream().map(f -> Findings.diagnostic(f, workspace.root())).toList()));
    for (String path : a.texts().keySet()) {
      now.putIfAbsent(Findings.uri(workspace.root(), path), List.of());
    }
    Set<String> uris = new HashSet<>(published.keySet());
    uris.addAll(now.keySet());
    for (String uri : uris) {
      List<Diagnostic> ds = now.getOrDefault(uri, List.of());
      if (!ds.equals(published.get(uri))) {
        c.publishDiagnostics(new PublishDiagnosticsParams(uri, ds));
      }
    }
    published.clear();
    now.forEach((uri, ds) -> {
      if (!ds.isEmpty() || a.texts().containsKey(workspace.relative(Path.of(URI.create(uri))))) {
        published.put(uri, ds);
      }
    });
  }
}
