package dev.loopguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A FastAPI service under {@code loopguard runtime}, served by uvicorn on loopback under a bounded
 * load of ten concurrent sessions: a handler that sleeps and calls a sleeping helper serialises
 * every request (about 5 requests/s where the fixed app serves all ten sessions at once); the
 * events name both lines, the lag histogram shows the loop stalled, and {@code scan --evidence}
 * marks both static findings observed. The fixed app records no event under load.
 */
class FastApiEndToEndTest {
  private static final int SESSIONS = 10;
  private static final int REQUESTS_PER_SESSION = 2;
  private static final int REQUESTS = SESSIONS * REQUESTS_PER_SESSION;

  @TempDir Path dir;

  private static final String UTIL = """
      import time


      def audit_log(item_id):
          time.sleep(0.1)
          return item_id
      """;
  private static final String BLOCKING = """
      import time

      from fastapi import FastAPI

      from app.util import audit_log

      app = FastAPI()


      @app.get("/items/{item_id}")
      async def read_item(item_id: int):
          time.sleep(0.1)
          audit_log(item_id)
          return {"item_id": item_id}
      """;
  private static final String FIXED = """
      import asyncio

      from fastapi import FastAPI

      from app.util import audit_log

      app = FastAPI()


      @app.get("/items/{item_id}")
      async def read_item(item_id: int):
          await asyncio.sleep(0.1)
          await asyncio.to_thread(audit_log, item_id)
          return {"item_id": item_id}
      """;

  /** What one served run gave: throughput, the time load began (Unix seconds), the project. */
  private record Served(double requestsPerSecond, double loadStart, Path project) {}

  private Served serve(String python, String name, String main) throws Exception {
    Path project = dir.resolve(name);
    Files.createDirectories(project.resolve("app"));
    Files.writeString(project.resolve("app/__init__.py"), "");
    Files.writeString(project.resolve("app/util.py"), UTIL);
    Files.writeString(project.resolve("app/main.py"), main);
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Process server = ExternalCli.command(project, "runtime", "-o", "events.jsonl", "--metrics", "lag.prom", "--",
            python, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1", "--port", Integer.toString(port),
            "--log-level", "warning")
        .redirectOutput(project.resolve("server.out").toFile())
        .redirectError(project.resolve("server.err").toFile())
        .start();
    try {
      waitUntilListening(port, server, project);
      double loadStart = System.currentTimeMillis() / 1000.0;
      double rate = load(port);
      server.toHandle().destroy(); // SIGTERM to loopguard, passed on to uvicorn: a graceful stop
      assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(server.exitValue()).as(Files.readString(project.resolve("server.err"))).isZero();
      return new Served(rate, loadStart, project);
    } finally {
      server.destroyForcibly();
    }
  }

  private static void waitUntilListening(int port, Process server, Path project) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        throw new AssertionError("the server stopped: " + Files.readString(project.resolve("server.err")));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    throw new AssertionError("the server did not listen within 30 s");
  }

  /** Ten sessions, each sending its requests one after the other; returns requests per second. */
  private static double load(int port) throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    ExecutorService pool = Executors.newFixedThreadPool(SESSIONS);
    try {
      long t0 = System.nanoTime();
      List<Future<Integer>> sessions = new ArrayList<>();
      for (int s = 0; s < SESSIONS; s++) {
        int session = s;
        sessions.add(pool.submit(() -> {
          int ok = 0;
          for (int i = 0; i < REQUESTS_PER_SESSION; i++) {
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/items/" + session))
                .timeout(Duration.ofSeconds(20)).build();
            if (client.send(req, HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
              ok++;
            }
          }
          return ok;
        }));
      }
      int ok = 0;
      for (Future<Integer> f : sessions) {
        ok += f.get(60, TimeUnit.SECONDS);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      assertThat(ok).isEqualTo(REQUESTS);
      return REQUESTS / seconds;
    } finally {
      pool.shutdownNow();
    }
  }

  private static List<JsonNode> blockingEvents(Path project, double since) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(project.resolve("events.jsonl"))) {
      JsonNode n = json.readTree(line);
      if (n.path("kind").asText().equals("blocking") && n.path("time").asDouble() >= since) {
        out.add(n);
      }
    }
    return out;
  }

  private static String site(JsonNode event) {
    List<String> frames = new ArrayList<>();
    for (JsonNode f : event.path("stack")) {
      String file = f.path("file").asText();
      if (file.contains("/app/")) {
        frames.add(file.substring(file.lastIndexOf("/app/") + 1) + ":" + f.path("line").asInt());
      }
    }
    return event.path("api").asText() + " " + String.join(" > ", frames);
  }

  private static long histogram(String prom, String series) {
    Matcher m = Pattern.compile(Pattern.quote(series) + " (\\d+)").matcher(prom);
    assertThat(m.find()).as(series + " in\n" + prom).isTrue();
    return Long.parseLong(m.group(1));
  }

  @Test
  void aSyncCallInAHandlerSerialisesTheServiceAndTheEvidenceJoinsTheFindings() throws Exception {
    String python = Pythons.require("fastapi", "uvicorn");

    Served blocking = serve(python, "blocking", BLOCKING);
    assertThat(blocking.requestsPerSecond()).as("requests/s with a blocking handler").isBetween(1.0, 7.0);
    List<JsonNode> events = blockingEvents(blocking.project(), blocking.loadStart());
    assertThat(events).extracting(FastApiEndToEndTest::site)
        .containsOnly("time.sleep app/main.py:12", "time.sleep app/main.py:13 > app/util.py:5")
        .hasSize(2 * REQUESTS);
    assertThat(events).allSatisfy(e -> assertThat(e.path("duration").asDouble()).isGreaterThanOrEqualTo(0.09));
    String prom = Files.readString(blocking.project().resolve("lag.prom"));
    String loop = prom.contains("loop=\"uvloop\"") ? "uvloop" : "asyncio";
    long count = histogram(prom, "event_loop_lag_seconds_count{loop=\"" + loop + "\"}");
    long within100ms = histogram(prom, "event_loop_lag_seconds_bucket{loop=\"" + loop + "\",le=\"0.1\"}");
    assertThat(count).isPositive();
    assertThat(count - within100ms).as("probes that ran more than 100 ms late").isPositive();
    assertThat(prom).contains("event_loop_lag_seconds_sum{loop=\"" + loop + "\"}");

    CliRun scan = CliRun.of(blocking.project(), "scan", "--format", "json", "--no-cache", "--evidence", "events.jsonl");
    JsonNode findings = new ObjectMapper().readTree(scan.out()).path("findings");
    assertThat(findings).hasSize(2);
    for (JsonNode f : findings) {
      assertThat(f.path("path").asText()).isEqualTo("app/main.py");
      assertThat(f.path("observed").path("count").asInt()).isEqualTo(REQUESTS);
      assertThat(f.path("observed").path("longestSeconds").asDouble()).isGreaterThanOrEqualTo(0.09);
    }
    assertThat(findings.get(0).path("line").asInt()).isEqualTo(12);
    assertThat(findings.get(1).path("chain").get(1).path("path").asText()).isEqualTo("app/util.py");

    Served fixed = serve(python, "fixed", FIXED);
    // ten sessions at once: about ten times the blocking rate on an idle machine; at least 2.5 on a busy one
    assertThat(fixed.requestsPerSecond()).as("requests/s with the fixed handler")
        .isGreaterThan(2.5 * blocking.requestsPerSecond());
    assertThat(blockingEvents(fixed.project(), fixed.loadStart())).isEmpty();
    CliRun fixedScan = CliRun.of(fixed.project(), "scan", "--format", "json", "--no-cache", "--evidence", "events.jsonl");
    assertThat(new ObjectMapper().readTree(fixedScan.out()).path("findings")).isEmpty();
    System.out.printf("FastAPI under loopguard runtime, %d sessions x %d requests: blocking %.1f req/s, fixed %.1f req/s%n",
        SESSIONS, REQUESTS_PER_SESSION, blocking.requestsPerSecond(), fixed.requestsPerSecond());
  }
}
