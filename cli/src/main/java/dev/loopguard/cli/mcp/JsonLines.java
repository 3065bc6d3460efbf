package dev.loopguard.cli.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/**
 * The stdio framing of MCP (one JSON-RPC message per line) kept honest in front of the SDK, whose
 * reader stops for good at the first line it cannot read: lines that are not JSON-RPC messages get
 * a JSON-RPC error response here and never reach it, and the end of the input (or a failing read)
 * is signalled so that the server stops with it. Output is written a whole line at a time, so that
 * these responses and the SDK's never interleave.
 */
final class JsonLines {
  /** The longest line read; a longer one is answered with an error and skipped. */
  static final int MAX_LINE = 64 << 20;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Input input;
  private final Output output;
  private final CountDownLatch ended = new CountDownLatch(1);

  JsonLines(InputStream in, OutputStream out) {
    this.output = new Output(out);
    this.input = new Input(in);
  }

  /** What the SDK reads: the well-formed messages of the input. */
  InputStream input() {
    return input;
  }

  /** What the SDK writes to: whole lines to the output. */
  OutputStream output() {
    return output;
  }

  /** Waits until the input has ended or failed. */
  void awaitEnd() throws InterruptedException {
    ended.await();
  }

  /** Why a line is not a JSON-RPC message, or null when it is one. */
  static String problem(JsonNode m) {
    if (m == null || !m.isObject()) {
      return "a message is one JSON object per line";
    }
    if (!"2.0".equals(m.path("jsonrpc").asText(null))) {
      return "a message needs \"jsonrpc\": \"2.0\"";
    }
    if (m.has("method")) {
      return m.get("method").isTextual() ? null : "\"method\" must be a string";
    }
    if (m.has("id") && (m.has("result") || m.has("error"))) {
      return null;
    }
    return "a message is a request, a notification or a response";
  }

  private void reject(int code, String message, JsonNode id) {
    ObjectNode r = JSON.createObjectNode().put("jsonrpc", "2.0");
    if (id != null && (id.isTextual() || id.isNumber())) {
      r.set("id", id);
    } else {
      r.putNull("id");
    }
    r.putObject("error").put("code", code).put("message", message);
    try {
      output.line((JSON.writeValueAsString(r) + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // the client is gone: the input's end stops the server
    }
  }

  private final class Input extends InputStream {
    private final InputStream in;
    private byte[] line = new byte[0];
    private int pos;
    private boolean eof;

    Input(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      if (!fill()) {
        return -1;
      }
      return line[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (!fill()) {
        return -1;
      }
      int n = Math.min(len, line.length - pos);
      System.arraycopy(line, pos, b, off, n);
      pos += n;
      return n;
    }

    @Override
    public void close() throws IOException {
      ended.countDown();
      in.close();
    }

    /** Makes bytes of a well-formed line available; false at the end of the input. */
    private boolean fill() throws IOException {
      while (pos >= line.length) {
        if (eof) {
          return false;
        }
        byte[] next;
        try {
          next = readLine();
        } catch (IOException e) {
          eof = true;
          ended.countDown();
          throw e;
        }
        if (next == null) {
          eof = true;
          ended.countDown();
          return false;
        }
        String text = new String(next, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
          continue;
        }
        JsonNode m;
        try {
          m = JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          reject(-32700, "Parse error: not JSON (" + e.getOriginalMessage() + ")", null);
          continue;
        }
        String problem = problem(m);
        if (problem != null) {
          reject(-32600, "Invalid Request: " + problem, m != null ? m.get("id") : null);
          continue;
        }
        line = (text + "\n").getBytes(StandardCharsets.UTF_8);
        pos = 0;
      }
      return true;
    }

    /** The next line without its end, or null at the end of the input; an overlong line is skipped. */
    private byte[] readLine() throws IOException {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      boolean overlong = false;
      int c;
      while ((c = in.read()) >= 0 && c != '\n') {
        if (buf.size() < MAX_LINE) {
          buf.write(c);
        } else {
          overlong = true;
        }
      }
      if (c < 0 && buf.size() == 0) {
        return null;
      }
      if (overlong) {
        reject(-32600, "Invalid Request: a line is longer than " + MAX_LINE + " bytes", null);
        return new byte[0];
      }
      return buf.toByteArray();
    }
  }

  /** Buffers what is written until a line ends, then writes the line whole. */
  private static final class Output extends OutputStream {
    private final OutputStream out;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    Output(OutputStream out) {
      this.out = out;
    }

    @Override
    public synchronized void write(int b) throws IOException {
      pending.write(b);
      if (b == '\n') {
        line(pending.toByteArray());
        pending.reset();
      }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
      for (int i = off; i < off + len; i++) {
        write(b[i]);
      }
    }

    synchronized void line(byte[] bytes) throws IOException {
      out.write(bytes);
      out.flush();
    }

    @Override
    public synchronized void flush() throws IOException {
      out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
      out.close();
    }
  }
}
