package dev.loopguard.python.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loopguard.python.ast.Ast;
import dev.loopguard.python.ast.AstWalker;
import dev.loopguard.python.ast.ParseResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Differential test against CPython's own parser over the whole standard library of the
 * machine's {@code python3} (site-packages excluded).
 *
 * <p>For every file CPython's {@code ast.parse} rejects we must report a syntax error (or fail to
 * decode it, as CPython does). For every file it accepts we must report no error and produce the
 * same number of FunctionDef, AsyncFunctionDef, Call, Await, ClassDef, Import+ImportFrom and
 * Lambda nodes, and the same (line, UTF-16 column) position for every Call (Calls inside
 * f-strings only on Python ≥ 3.12, whose f-string positions are exact).
 *
 * <p>A second test does the same for ~2000 deterministic random mutations of small stdlib files
 * (about half of them invalid), checking that we report a syntax error on exactly the mutants
 * CPython rejects.
 *
 * <p>Options: {@code -Dlg.python=/path/to/python3} (or env {@code LG_PYTHON}) picks the
 * interpreter (and so the stdlib); {@code -Dlg.difftest.mutants=N} the number of mutants;
 * {@code -Dlg.difftest.full=true} additionally compares a hash
 * of the complete normalized tree dump (every node, field and position; slower).
 */
class CpythonDifferentialTest {

  private static String python() {
    String p = System.getProperty("lg.python");
    if (p == null || p.isBlank()) {
      p = System.getenv("LG_PYTHON");
    }
    return p == null || p.isBlank() ? "python3" : p;
  }

  private static Path script() throws IOException {
    Path tmp = Files.createTempFile("lg-ast-counts", ".py");
    tmp.toFile().deleteOnExit();
    try (InputStream in = CpythonDifferentialTest.class.getResourceAsStream("/difftest/ast_counts.py")) {
      Files.write(tmp, in.readAllBytes());
    }
    return tmp;
  }

  /** Counts computed from our tree exactly as ast_counts.py does from CPython's. */
  static final class Counts {
    int functionDef;
    int asyncFunctionDef;
    int call;
    int await;
    int classDef;
    int imports;
    int lambda;
    final List<List<Integer>> calls = new ArrayList<>();
    final List<List<Integer>> fcalls = new ArrayList<>();

    static Counts of(Ast.Mod mod) {
      Counts c = new Counts();
      int[] inF = {0};
      AstWalker.walk(mod, new AstWalker.Visitor() {
        @Override
        public boolean enter(Ast.Node n) {
          if (n instanceof Ast.FunctionDef) {
            if (((Ast.FunctionDef) n).isAsync()) {
              c.asyncFunctionDef++;
            } else {
              c.functionDef++;
            }
          } else if (n instanceof Ast.Call) {
            c.call++;
            (inF[0] > 0 ? c.fcalls : c.calls).add(List.of(n.loc().line(), n.loc().col()));
          } else if (n instanceof Ast.Await) {
            c.await++;
          } else if (n instanceof Ast.ClassDef) {
            c.classDef++;
          } else if (n instanceof Ast.Import || n instanceof Ast.ImportFrom) {
            c.imports++;
          } else if (n instanceof Ast.Lambda) {
            c.lambda++;
          } else if (n instanceof Ast.JoinedStr) {
            inF[0]++;
          }
          return true;
        }

        @Override
        public void leave(Ast.Node n) {
          if (n instanceof Ast.JoinedStr) {
            inF[0]--;
          }
        }
      });
      java.util.Comparator<List<Integer>> cmp = (a, b) -> a.get(0).equals(b.get(0))
          ? Integer.compare(a.get(1), b.get(1)) : Integer.compare(a.get(0), b.get(0));
      c.calls.sort(cmp);
      c.fcalls.sort(cmp);
      return c;
    }

    String diff(JsonNode j) {
      List<String> d = new ArrayList<>();
      check(d, "FunctionDef", functionDef, j);
      check(d, "AsyncFunctionDef", asyncFunctionDef, j);
      check(d, "Call", call, j);
      check(d, "Await", await, j);
      check(d, "ClassDef", classDef, j);
      check(d, "Import", imports, j);
      check(d, "Lambda", lambda, j);
      String a = positions(calls);
      if (!a.equals(j.get("calls").toString())) {
        d.add("Call positions differ: ours " + firstDiff(a, j.get("calls").toString()));
      }
      JsonNode f = j.get("fcalls");
      if (f != null && !f.isNull() && !positions(fcalls).equals(f.toString())) {
        d.add("f-string Call positions differ: ours " + firstDiff(positions(fcalls), f.toString()));
      }
      return d.isEmpty() ? null : String.join("; ", d);
    }

    private static void check(List<String> d, String name, int ours, JsonNode j) {
      int theirs = j.get(name).asInt();
      if (ours != theirs) {
        d.add(name + " " + ours + " vs CPython " + theirs);
      }
    }

    private static String positions(List<List<Integer>> l) {
      return l.stream().map(p -> "[" + p.get(0) + "," + p.get(1) + "]")
          .collect(Collectors.joining(",", "[", "]"));
    }

    private static String firstDiff(String a, String b) {
      int i = 0;
      while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) {
        i++;
      }
      int s = Math.max(0, a.lastIndexOf('[', Math.max(0, i - 1)));
      return a.substring(s, Math.min(a.length(), s + 40)) + " vs CPython "
          + b.substring(Math.min(s, b.length()), Math.min(b.length(), s + 40));
    }
  }

  /** Interpreter facts from {@code ast_counts.py --info}; null (test aborted) if unusable. */
  private static JsonNode info(String python, Path script) throws Exception {
    try {
      Process p = new ProcessBuilder(python, script.toString(), "--info").start();
      byte[] out = p.getInputStream().readAllBytes();
      p.waitFor(60, TimeUnit.SECONDS);
      Assumptions.assumeTrue(p.exitValue() == 0, python + " --info failed: python3 unusable");
      return new ObjectMapper().readTree(out);
    } catch (IOException e) {
      Assumptions.abort("no " + python + " on this machine (" + e.getMessage()
          + "): skipping the CPython differential test");
      return null;
    }
  }

  private static List<Path> stdlibFiles(Path stdlib) throws IOException {
    try (Stream<Path> s = Files.walk(stdlib)) {
      return s.filter(x -> x.toString().endsWith(".py") && Files.isRegularFile(x))
          .filter(x -> !stdlib.relativize(x).toString().startsWith("site-packages"))
          .sorted().collect(Collectors.toList());
    }
  }

  /** Result of comparing a set of files with CPython. */
  static final class Outcome {
    int seen;
    int agree;
    int rejectedByBoth;
    final List<String> disagreements = new ArrayList<>();
  }

  private static Outcome compare(String python, Path script, List<Path> files, Path base,
      boolean full, boolean exactF) throws Exception {
    List<String> args = new ArrayList<>(List.of(python, script.toString()));
    if (full) {
      args.add("--hash");
    }
    Process p = new ProcessBuilder(args).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    Thread feeder = new Thread(() -> {
      try (OutputStream o = p.getOutputStream()) {
        for (Path f : files) {
          o.write((f + "\n").getBytes(StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    feeder.start();
    ObjectMapper om = new ObjectMapper();
    Outcome o = new Outcome();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        o.seen++;
        JsonNode j = om.readTree(line);
        Path f = Path.of(j.get("file").asText());
        String rel = base.relativize(f).toString();
        ParseResult res = null;
        String decodeError = null;
        try {
          res = PythonParser.parse(SourceDecoder.decode(Files.readAllBytes(f)));
        } catch (Exception e) {
          decodeError = e.toString();
        }
        String problem;
        if (j.has("error")) {
          problem = res != null && res.errors().isEmpty()
              ? "CPython rejects it (" + j.get("error").asText() + ") but we report no error" : null;
          if (problem == null) {
            o.rejectedByBoth++;
          }
        } else if (res == null) {
          problem = "CPython accepts it but we cannot decode it: " + decodeError;
        } else if (!res.errors().isEmpty()) {
          problem = "CPython accepts it but we report " + res.errors().get(0);
        } else {
          problem = Counts.of(res.module()).diff(j);
          if (problem == null && full) {
            String h = AstDump.sha1(AstDump.dump(res.module(), exactF));
            if (!h.equals(j.get("dump").asText())) {
              problem = "full tree dump differs (see DevDiff --show)";
            }
          }
        }
        if (problem == null) {
          o.agree++;
        } else {
          o.disagreements.add(rel + ": " + problem);
        }
      }
    }
    feeder.join();
    p.waitFor(10, TimeUnit.MINUTES);
    return o;
  }

  private static boolean exactF(JsonNode info) {
    String[] v = info.get("version").asText().split("\\.");
    return Integer.parseInt(v[0]) > 3 || Integer.parseInt(v[1]) >= 12;
  }

  @Test
  void agreesWithCpythonOnTheStandardLibrary() throws Exception {
    String python = python();
    Path script = script();
    JsonNode info = info(python, script);
    boolean full = Boolean.getBoolean("lg.difftest.full");
    Path stdlib = Path.of(info.get("stdlib").asText());
    Assumptions.assumeTrue(Files.isDirectory(stdlib), "stdlib not found: " + stdlib);
    List<Path> files = stdlibFiles(stdlib);
    Outcome o = compare(python, script, files, stdlib, full, exactF(info));
    System.out.printf("CPython %s differential test over %s: %d files, %d agree (%d rejected by both), "
        + "%d disagree%s%n", info.get("version").asText(), stdlib, o.seen, o.agree, o.rejectedByBoth,
        o.disagreements.size(), full ? " [full tree dumps compared]" : "");
    assertThat(o.seen).as("files reported by ast_counts.py").isEqualTo(files.size());
    assertThat(o.disagreements).as("files where we disagree with CPython " + info.get("version").asText())
        .isEmpty();
  }

  /**
   * Mutation testing of accept/reject agreement: deterministic random edits (delete, duplicate
   * or insert a character or token; move a word) of small standard-library files. About half
   * of the mutants are invalid Python; we must report an error on exactly those CPython
   * rejects, and agree on the trees of the others.
   */
  @Test
  void agreesWithCpythonOnMutatedSources() throws Exception {
    String python = python();
    Path script = script();
    JsonNode info = info(python, script);
    Path stdlib = Path.of(info.get("stdlib").asText());
    Assumptions.assumeTrue(Files.isDirectory(stdlib), "stdlib not found: " + stdlib);
    List<Path> small = new ArrayList<>();
    for (Path f : stdlibFiles(stdlib)) {
      String rel = stdlib.relativize(f).toString();
      if (Files.size(f) < 8000 && !rel.contains("tokenizedata") && !rel.contains("badsyntax")
          && !rel.contains("bad_coding")) {
        small.add(f);
      }
    }
    Path dir = Files.createTempDirectory("lg-mutants");
    int n = Integer.getInteger("lg.difftest.mutants", 2000);
    java.util.Random rnd = new java.util.Random(20241121L);
    String[] inserts = {"(", ")", "[", "]", "{", "}", ":", ";", ",", ".", "=", "*", "+", "-",
        "/", "@", "!", "~", "<", ">", "&", "|", "^", "%", "'", "\"", "\\", "#", "\n", " ", "\t",
        "lambda", "if", "else", "for", "in", "not", "await", "async", "yield", "def", "class",
        "return", "match", "case", "type", "f\"", "f'{", "**", ":=", "->", "...", "is", "from",
        "import", "as", "with", "try", "except", "global", "del", "pass", "0x", "1_", "1e", ".5",
        "j", "print "};
    List<Path> mutants = new ArrayList<>();
    while (mutants.size() < n && !small.isEmpty()) {
      Path f = small.get(rnd.nextInt(small.size()));
      String src;
      try {
        src = SourceDecoder.decode(Files.readAllBytes(f));
      } catch (Exception e) {
        continue;
      }
      if (src.isEmpty()) {
        continue;
      }
      StringBuilder b = new StringBuilder(src);
      int at = rnd.nextInt(src.length());
      switch (rnd.nextInt(5)) {
        case 0:
          b.deleteCharAt(at);
          break;
        case 1:
          b.insert(at, src.charAt(at));
          break;
        case 2:
          b.insert(at, inserts[rnd.nextInt(inserts.length)]);
          break;
        default: {
          int s = at;
          while (s > 0 && Character.isJavaIdentifierPart(src.charAt(s - 1))) {
            s--;
          }
          int e = at;
          while (e < src.length() && Character.isJavaIdentifierPart(src.charAt(e))) {
            e++;
          }
          if (e == s) {
            e = s + 1;
          }
          String word = src.substring(s, e);
          b.delete(s, e);
          int to = rnd.nextInt(b.length() + 1);
          b.insert(to, word);
        }
      }
      Path m = dir.resolve(String.format("m%05d.py", mutants.size()));
      Files.writeString(m, b.toString(), StandardCharsets.UTF_8);
      m.toFile().deleteOnExit();
      mutants.add(m);
    }
    Outcome o = compare(python, script, mutants, dir, false, exactF(info));
    System.out.printf("CPython %s mutation test: %d mutants, %d agree (%d rejected by both), %d disagree%n",
        info.get("version").asText(), o.seen, o.agree, o.rejectedByBoth, o.disagreements.size());
    List<String> shown = new ArrayList<>();
    int unicodeNames = 0;
    for (String d : o.disagreements) {
      if (d.contains("unknown Unicode character name")) {
        // Known, documented gap: we do not carry Python's Unicode name database (Java's is
        // older and lacks the aliases), so an unknown \N{...} name is accepted, not rejected.
        unicodeNames++;
        continue;
      }
      String file = d.substring(0, d.indexOf(':'));
      shown.add(d + "\n---\n" + Files.readString(dir.resolve(file)) + "\n---");
    }
    assertThat(o.seen).isEqualTo(mutants.size());
    assertThat(o.rejectedByBoth).as("mutants rejected by both").isGreaterThan(mutants.size() / 10);
    if (unicodeNames > 0) {
      System.out.printf("  of which %d only because of an unknown \\N{...} name (known gap)%n", unicodeNames);
    }
    assertThat(shown).as("mutants where we disagree with CPython").isEmpty();
  }
}
