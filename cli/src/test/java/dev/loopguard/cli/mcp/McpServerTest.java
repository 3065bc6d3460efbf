package dev.loopguard.cli.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loopguard.core.engine.Knowledge;
import dev.loopguard.core.frontend.Frontends;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import dev.loopguard.cli.Pipes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** An MCP session with {@link LoopguardMcpServer} on piped streams, spoken as a client speaks it: JSON lines. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class McpServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private OutputStream toServer;
  private BufferedReader fromServer;
  private Thread serverThread;
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private int nextId = 1;

  @BeforeEach
  void start() throws IOException {
    Pipes pipes = Pipes.open();
    toServer = pipes.toServer();
    PipedInputStream serverIn = pipes.serverIn();
    PipedInputStream clientIn = pipes.clientIn();
    PipedOutputStream serverOut = pipes.serverOut();
    fromServer = new BufferedReader(new InputStreamReader(clientIn, StandardCharsets.UTF_8));
    LoopguardMcpServer server = new LoopguardMcpServer(dir, new Knowledge(Frontends.all()),
        new PrintStream(log, true, StandardCharsets.UTF_8));
    serverThread = new Thread(() -> {
      try {
        server.run(serverIn, serverOut);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "mcp-server-under-test");
    serverThread.start();
  }

  @AfterEach
  void stop() throws Exception {
    toServer.close();
    serverThread.join(10_000);
  }

  @Test
  void initializeListAndScanFindTheBlockingSleep() throws Exception {
    Files.writeString(dir.resolve("app.py"), """
        import time


        async def handler():
            time.sleep(1)
        """);
    JsonNode init = request("initialize", Map.of("protocolVersion", "2025-06-18", "capabilities", Map.of(),
        "clientInfo", Map.of("name", "test-client", "version", "1")));
    assertThat(init.at("/result/serverInfo/name").asText()).isEqualTo("loopguard");
    assertThat(init.at("/result/capabilities/tools").isObject()).isTrue();
    assertThat(init.at("/result/instructions").asText()).contains("perf-004 (");
    notify("notifications/initialized");

    JsonNode list = request("tools/list", Map.of());
    List<String> names = new ArrayList<>();
    list.at("/result/tools").forEach(t -> names.add(t.get("name").asText()));
    assertThat(names).containsExactlyInAnyOrder("scan", "review", "explain", "knowledge");

    JsonNode scan = call("scan", Map.of("path", ".", "cache", false));
    assertThat(scan.at("/result/isError").asBoolean()).as(scan.toString()).isFalse();
    JsonNode report = JSON.readTree(scan.at("/result/content/0/text").asText());
    JsonNode finding = report.at("/findings/0");
    assertThat(report.get("findings")).hasSize(1);
    assertThat(finding.get("rule").asText()).isEqualTo("perf-004");
    assertThat(finding.toString()).contains("time.sleep").contains("app.py");
    assertThat(finding.toString()).contains("\"high\"");
  }

  @Test
  void explainKnowledgeAndReviewOfADiffAnswerJson() throws Exception {
    initialize();
    JsonNode card = JSON.readTree(call("explain", Map.of("rule", "perf-004")).at("/result/content/0/text").asText());
    assertThat(card.get("id").asText()).isEqualTo("perf-004");
    assertThat(card.get("fails-when")).isNotEmpty();

    JsonNode fact = JSON.readTree(call("knowledge", Map.of("api", "time.sleep")).at("/result/content/0/text").asText());
    assertThat(fact.get("kind").asText()).isEqualTo("blocking");
    assertThat(fact.get("replacement").asText()).contains("asyncio.sleep");

    Files.writeString(dir.resolve("app.py"), "import time\n\n\nasync def handler():\n    return 1\n");
    String diff = """
        --- a/app.py
        +++ b/app.py
        @@ -3,3 +3,4 @@
         
         async def handler():
        +    time.sleep(1)
             return 1
        """;
    JsonNode review = JSON.readTree(call("review", Map.of("path", ".", "diff", diff)).at("/result/content/0/text").asText());
    assertThat(review.get("verdict").asText()).isEqualTo("fail");
    assertThat(review.toString()).contains("time.sleep");
  }

  @Test
  void badInputGivesToolErrorsAndTheSessionGoesOn() throws Exception {
    initialize();
    JsonNode noRule = call("explain", Map.of("rule", "perf-999"));
    assertThat(noRule.at("/result/isError").asBoolean()).isTrue();
    assertThat(noRule.at("/result/content/0/text").asText()).contains("no rule 'perf-999'").contains("perf-004");

    JsonNode noPath = call("scan", Map.of("path", "does/not/exist"));
    assertThat(noPath.at("/result/isError").asBoolean()).isTrue();
    assertThat(noPath.at("/result/content/0/text").asText()).contains("does not exist");

    JsonNode wrongType = call("scan", Map.of("path", List.of(1, 2)));
    assertThat(wrongType.at("/result/isError").asBoolean()).isTrue();
    assertThat(wrongType.at("/result/content/0/text").asText()).contains("'path' must be a string");

    JsonNode notGit = call("review", Map.of("path", "."));
    assertThat(notGit.at("/result/isError").asBoolean()).isTrue();

    // not JSON, and JSON that is no JSON-RPC message: error responses, and the session goes on
    toServer.write("this is not json\n{\"id\": 7}\n".getBytes(StandardCharsets.UTF_8));
    toServer.flush();
    JsonNode parse = JSON.readTree(fromServer.readLine());
    assertThat(parse.at("/error/code").asInt()).isEqualTo(-32700);
    assertThat(parse.get("id").isNull()).isTrue();
    JsonNode invalid = JSON.readTree(fromServer.readLine());
    assertThat(invalid.at("/error/code").asInt()).isEqualTo(-32600);
    assertThat(invalid.get("id").asInt()).isEqualTo(7);
    JsonNode after = call("explain", Map.of("rule", "perf-004"));
    assertThat(after.at("/result/isError").asBoolean()).isFalse();
  }

  @Test
  void closedInputEndsTheServer() throws Exception {
    initialize();
    toServer.close();
    serverThread.join(10_000);
    assertThat(serverThread.isAlive()).isFalse();
  }

  private void initialize() throws IOException {
    request("initialize", Map.of("protocolVersion", "2025-06-18", "capabilities", Map.of(),
        "clientInfo", Map.of("name", "test-client", "version", "1")));
    notify("notifications/initialized");
  }

  private JsonNode call(String tool, Map<String, Object> arguments) throws IOException {
    return request("tools/call", Map.of("name", tool, "arguments", arguments));
  }

  private void notify(String method) throws IOException {
    ObjectNode n = JSON.createObjectNode().put("jsonrpc", "2.0").put("method", method);
    send(n);
  }

  private JsonNode request(String method, Map<String, Object> params) throws IOException {
    int id = nextId++;
    ObjectNode r = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", id).put("method", method);
    r.set("params", JSON.valueToTree(params));
    send(r);
    while (true) {
      String line = fromServer.readLine();
      assertThat(line).as("the server closed its output; log: " + log).isNotNull();
      JsonNode m = JSON.readTree(line);
      if (m.has("id") && m.get("id").asInt() == id && !m.has("method")) {
        assertThat(m.has("error")).as(m.toString()).isFalse();
        return m;
      }
    }
  }

  private void send(JsonNode message) throws IOException {
    toServer.write((JSON.writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8));
    toServer.flush();
  }
}
