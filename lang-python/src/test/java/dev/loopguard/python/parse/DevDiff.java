package dev.loopguard.python.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loopguard.python.ast.ParseResult;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Developer tool (not a test): full-dump comparison against a CPython interpreter.
 *
 * <pre>
 *   DevDiff PYTHON DIR_OR_FILE...     report files whose dump hash or accept/reject differs
 *   DevDiff PYTHON --show FILE        print both dumps to /tmp/lg-ours.txt and /tmp/lg-cpy.txt
 * </pre>
 */
public final class DevDiff {
  public static void main(String[] args) throws Exception {
    String python = args[0];
    Path script = Path.of("lang-python/src/test/resources/difftest/ast_counts.py").toAbsolutePath();
    if (args[1].equals("--show")) {
      Path f = Path.of(args[2]);
      String ours = AstDump.dump(PythonParser.parse(SourceDecoder.decode(Files.readAllBytes(f))).module(),
          exact(python, script));
      Files.writeString(Path.of("/tmp/lg-ours.txt"), ours);
      Process p = new ProcessBuilder(python, script.toString(), "--dump", f.toString())
          .redirectOutput(Path.of("/tmp/lg-cpy.txt").toFile()).redirectErrorStream(false).start();
      p.waitFor();
      System.out.println(PythonParser.parse(SourceDecoder.decode(Files.readAllBytes(f))).errors());
      return;
    }
    boolean exact = exact(python, script);
    List<Path> files = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      Path p = Path.of(args[i]);
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.walk(p)) {
          files.addAll(s.filter(x -> x.toString().endsWith(".py") && Files.isRegularFile(x))
              .filter(x -> p.toString().contains("site-packages")
                  || !x.toString().contains("/site-packages/"))
              .sorted().collect(Collectors.toList()));
        }
      } else {
        files.add(p);
      }
    }
    Process p = new ProcessBuilder(python, script.toString(), "--hash").start();
    Thread feeder = new Thread(() -> {
      try (OutputStream o = p.getOutputStream()) {
        for (Path f : files) {
          o.write((f.toString() + "\n").getBytes(StandardCharsets.UTF_8));
        }
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    feeder.start();
    ObjectMapper om = new ObjectMapper();
    int ok = 0;
    int bad = 0;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        JsonNode j = om.readTree(line);
        Path f = Path.of(j.get("file").asText());
        String problem = null;
        ParseResult res = null;
        try {
          res = PythonParser.parse(SourceDecoder.decode(Files.readAllBytes(f)));
        } catch (Exception e) {
          problem = "decode: " + e;
        }
        if (j.has("error")) {
          if (res != null && res.errors().isEmpty()) {
            problem = "cpython rejects (" + j.get("error").asText() + "), we accept";
          } else if (res == null) {
            problem = null; // both reject (decoding)
          }
        } else if (res == null) {
          problem = problem + " but cpython accepts";
        } else if (!res.errors().isEmpty()) {
          problem = "we reject: " + res.errors().get(0);
        } else {
          String h = AstDump.sha1(AstDump.dump(res.module(), exact));
          if (!h.equals(j.get("dump").asText())) {
            problem = "dump differs";
          }
        }
        if (problem != null) {
          bad++;
          System.out.println(f + ": " + problem);
        } else {
          ok++;
        }
      }
    }
    System.out.println("agree=" + ok + " disagree=" + bad);
  }

  private static boolean exact(String python, Path script) throws Exception {
    Process p = new ProcessBuilder(python, script.toString(), "--info").start();
    String info = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    JsonNode j = new ObjectMapper().readTree(info);
    String[] v = j.get("version").asText().split("\\.");
    return Integer.parseInt(v[0]) > 3 || Integer.parseInt(v[1]) >= 12;
  }
}
