package dev.loopguard.cli.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loopguard.core.Version;
import dev.loopguard.core.engine.Knowledge;
import dev.loopguard.core.rules.Rules;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code loopguard mcp}: a Model Context Protocol server on a pair of streams (standard input and
 * output), with the tools {@code scan}, {@code review}, {@code explain} and {@code knowledge}. Each
 * answers with JSON text; input it cannot act on gives a tool error result (the session goes on).
 * The server ends when its input ends.
 */
public final class LoopguardMcpServer {
  private static final String PATH_OPTIONS = """
      "config": {"type": "string", "description": "Configuration file (loopguard.toml or pyproject.toml); default: the one found above path."},
      "noConfig": {"type": "boolean", "description": "Read no configuration file."},
      "include": {"type": "array", "items": {"type": "string"}, "description": "Also judge do-not-flag contexts: test, script, cli, startup."},
      "exclude": {"type": "array", "items": {"type": "string"}, "description": "Leave out paths matching these globs."},
      "rules": {"type": "array", "items": {"type": "string"}, "description": "Run only these rules (default: all)."},
      "disableFacts": {"type": "array", "items": {"type": "string"}, "description": "Knowledge fact ids to drop."},
      "minConfidence": {"type": "string", "enum": ["high", "medium", "low"]},
      "minPriority": {"type": "string", "enum": ["P0", "P1", "P2", "P3"]}""";

  private final McpTools tools;
  private final PrintStream log;

  /** A server resolving relative paths against {@code cwd}; {@code log} gets what the operator should read. */
  public LoopguardMcpServer(Path cwd, Knowledge knowledge, PrintStream log) {
    this.tools = new McpTools(cwd, knowledge);
    this.log = log;
  }

  /** Serves the session on {@code in} and {@code out} until {@code in} ends (or fails); returns then. */
  public void run(InputStream in, OutputStream out) throws InterruptedException {
    JsonLines lines = new JsonLines(in, out);
    McpJsonMapper mapper = new JacksonMcpJsonMapper(new ObjectMapper());
    StdioServerTransportProvider transport =
        new StdioServerTransportProvider(mapper, lines.input(), lines.output());
    McpSyncServer server = McpServer.sync(transport)
        .serverInfo("loopguard", Version.get())
        .instructions(instructions())
        .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
        .jsonMapper(mapper)
        .tools(specifications(mapper))
        .build();
    try {
      lines.awaitEnd();
    } finally {
      server.closeGracefully();
    }
  }

  /** What the server tells the agent: what loopguard does, its rules (by id and title), its tools. */
  static String instructions() {
    String rules = Rules.all().stream().map(r -> r.id() + " (" + r.card().title() + ")")
        .collect(Collectors.joining(", "));
    return "loopguard analyses source code for the rules " + rules + ". Tools: scan a project, review a "
        + "change (verdict pass / fail / unknown with the evidence), explain a rule, or look up what "
        + "loopguard knows about an external API.";
  }

  private List<SyncToolSpecification> specifications(McpJsonMapper mapper) {
    return List.of(
        tool(mapper, "scan", "Scan a project (or file) for blocking calls reachable from an event loop. "
            + "Returns the report; format json (default) is loopguard's JSON report contract.", """
            {"type": "object", "properties": {
              "path": {"type": "string", "description": "Project folder or file to scan (relative to the server's folder)."},
              "format": {"type": "string", "enum": ["json", "sarif", "text", "github", "audit", "inventory"]},
              "only": {"type": "array", "items": {"type": "string"}, "description": "Report only findings in (or whose chain goes through) these files."},
              "cache": {"type": "boolean", "description": "Use the project's .loopguard_cache/ (default true)."},
            %s},
             "required": ["path"]}""".formatted(PATH_OPTIONS), tools::scan),
        tool(mapper, "review", "Review a change: git revisions (base/head, default: the default branch against "
            + "the working tree), the staged change, or a unified diff. Returns the review as JSON: verdict "
            + "pass / fail / unknown, per touched event-loop path, with the evidence.", """
            {"type": "object", "properties": {
              "path": {"type": "string", "description": "The repository folder (or the tree a diff applies to)."},
              "base": {"type": "string", "description": "Base revision."},
              "head": {"type": "string", "description": "Head revision (default: the working tree)."},
              "staged": {"type": "boolean", "description": "Review the index against HEAD (or base)."},
              "mergeBase": {"type": "boolean", "description": "Compare with the merge base of base and head (default true)."},
              "diff": {"type": "string", "description": "A unified diff to review instead of revisions."},
            %s},
             "required": ["path"]}""".formatted(PATH_OPTIONS), tools::review),
        tool(mapper, "explain", "A rule's card as JSON: intent, when it applies, passes, fails or is unknown, "
            + "confidence and priority, remediation, examples.", """
            {"type": "object", "properties": {
              "rule": {"type": "string", "description": "Rule id (the server's instructions list them)."}},
             "required": ["rule"]}""", tools::explain),
        tool(mapper, "knowledge", "What loopguard knows about an external API: the fact with an id, or the fact "
            + "that governs a qualified API name (blocking, offloads, entry point, ...), as JSON.", """
            {"type": "object", "properties": {
              "id": {"type": "string", "description": "A fact id, e.g. py:requests.api."},
              "api": {"type": "string", "description": "A qualified API name, e.g. requests.get or time.sleep."},
              "path": {"type": "string", "description": "A project whose configuration adds or disables facts."}}}""",
            tools::knowledge));
  }

  private SyncToolSpecification tool(McpJsonMapper mapper, String name, String description, String schema,
      Function<Map<String, Object>, String> run) {
    return SyncToolSpecification.builder()
        .tool(McpSchema.Tool.builder().name(name).description(description).inputSchema(mapper, schema).build())
        .callHandler((exchange, request) -> {
          try {
            return result(run.apply(request.arguments() == null ? Map.of() : request.arguments()), false);
          } catch (McpTools.ToolException e) {
            return result(e.getMessage(), true);
          } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            // A defect or an exhausted resource: the caller gets the reason, the server goes on.
            log.println("loopguard mcp: " + name + " failed: " + e);
            return result(name + " failed: " + (e.getMessage() != null ? e.getMessage() : e.toString()), true);
          }
        })
        .build();
  }

  private static CallToolResult result(String text, boolean error) {
    return CallToolResult.builder().content(List.of(new TextContent(text))).isError(error).build();
  }
}
