package dev.loopguard.python.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loopguard.python.ast.ParseResult;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Bench tool (not a test; run by {@code bench/difftest.sh}): the CPython differential check of
 * {@link CpythonDifferentialTest} over any folders, e.g. the benchmark corpora (stdlib, Debian).
 * Same oracle ({@code difftest/ast_counts.py}) and the same comparison: accept/reject, and the
 * counts of FunctionDef, AsyncFunctionDef, Call, Await, ClassDef, Import and Lambda plus every
 * Call's position for files CPython accepts.
 *
 * <pre>  CorpusDiff PYTHON REPORT DIR...</pre>
 * Prints a summary; writes every disagreement to REPORT. Exit code 1 when any file disagrees.
 */
public final class CorpusDiff {
  public static void main(String[] args) throws Exception {
    String python = args[0];
    Path report = Path.of(args[1]);
    Path script = Files.createTempFile("lg-ast-counts", ".py");
    script.toFile().deleteOnExit();
    try (var in = CorpusDiff.class.getResourceAsStream("/difftest/ast_counts.py")) {
      Files.write(script, in.readAllBytes());
    }
    ObjectMapper om = new ObjectMapper();
    int exit = 0;
    try (PrintStream out = new PrintStream(Files.newOutputStream(report), true, StandardCharsets.UTF_8)) {
      for (int a = 2; a < args.length; a++) {
        Path dir = Path.of(args[a]).toAbsolutePath().normalize();
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
          files = s.filter(x -> x.toString().endsWith(".py") && Files.isRegularFile(x)).sorted()
              .collect(Collectors.toList());
        }
        Process p = new ProcessBuilder(python, script.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Thread feeder = new Thread(() -> {
          try (OutputStream o = p.getOutputStream()) {
            for (Path f : files) {
              o.write((f + "\n").getBytes(StandardCharsets.UTF_8));
            }
          } catch (Exception e) {
            throw new RuntimeException(e);
          }
        });
        feeder.start();
        int seen = 0;
        int agree = 0;
        int rejectedByBoth = 0;
        int accepted = 0;
        TreeMap<String, Integer> kinds = new TreeMap<>();
        List<String> disagreements = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line = r.readLine(); line != null; line = r.readLine()) {
            seen++;
            JsonNode j = om.readTree(line);
            Path f = Path.of(j.get("file").asText());
            String rel = dir.relativize(f).toString();
            ParseResult res = null;
            String decodeError = null;
            try {
              res = PythonParser.parse(SourceDecoder.decode(Files.readAllBytes(f)));
            } catch (Exception | StackOverflowError e) {
              decodeError = e.toString();
            }
            String problem;
            String kind;
            if (j.has("error")) {
              kind = "rejected-by-cpython-only";
              problem = res != null && res.errors().isEmpty()
                  ? "CPython rejects it (" + j.get("error").asText() + ") but we report no error" : null;
              if (problem == null) {
                rejectedByBoth++;
              }
            } else {
              accepted++;
              if (res == null) {
                kind = "undecodable";
                problem = "CPython accepts it but we cannot decode it: " + decodeError;
              } else if (!res.errors().isEmpty()) {
                kind = "rejected-by-us-only";
                problem = "CPython accepts it but we report " + res.errors().get(0);
              } else {
                kind = "counts";
                problem = CpythonDifferentialTest.Counts.of(res.module()).diff(j);
              }
            }
            if (problem == null) {
              agree++;
            } else {
              kinds.merge(kind, 1, Integer::sum);
              disagreements.add(rel + ": " + problem);
            }
          }
        }
        feeder.join();
        p.waitFor();
        out.println("# " + dir);
        disagreements.forEach(out::println);
        System.out.printf("%s: %d files (%d accepted by CPython, %d rejected by both), %d agree, %d disagree %s%n",
            dir, seen, accepted, rejectedByBoth, agree, disagreements.size(), kinds.isEmpty() ? "" : kinds);
        if (seen != files.size()) {
          System.out.printf("  ast_counts.py answered for %d of %d files%n", seen, files.size());
          exit = 1;
        }
        if (!disagreements.isEmpty()) {
          exit = 1;
        }
      }
    }
    System.exit(exit);
  }
}
