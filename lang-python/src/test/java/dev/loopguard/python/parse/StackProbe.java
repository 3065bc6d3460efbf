package dev.loopguard.python.parse;

import dev.loopguard.python.ast.ParseResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Inputs at the parser's nesting limits, each exercising a different recursive path, to check
 * the Java stack they need. Run with {@code -Xint} (interpreted frames are the largest) and a
 * small {@code -Xss}; used by {@link DepthLimitTest}.
 */
public final class StackProbe {

  /** Inputs at (or just past) the limits, each exercising a different recursive path. */
  static Map<String, String> inputs() {
    Map<String, String> m = new LinkedHashMap<>();
    int n = PythonParser.MAX_PAREN_DEPTH;
    m.put("parens", "(".repeat(n) + "x" + ")".repeat(n) + "\n");
    m.put("lists", "[".repeat(n) + "x" + "]".repeat(n) + "\n");
    m.put("sets", "{".repeat(n) + "x" + "}".repeat(n) + "\n");
    m.put("dicts", "{1: ".repeat(n) + "x" + "}".repeat(n) + "\n");
    m.put("calls", "f(".repeat(n) + "x" + ")".repeat(n) + "\n");
    m.put("kwcalls", "f(a=-".repeat(n) + "x" + ")".repeat(n) + "\n");
    m.put("subscripts", "x[".repeat(n) + "1" + "]".repeat(n) + "\n");
    m.put("slices", "x[a:".repeat(n) + "1" + "]".repeat(n) + "\n");
    m.put("genexps", "(x for x in ".repeat(n) + "y" + ")".repeat(n) + "\n");
    m.put("comprehensions", "[x for x in y if ".repeat(n) + "z" + "]".repeat(n) + "\n");
    m.put("awaitcalls", "await f(not -".repeat(n) + "x" + ")".repeat(n) + "\n");
    m.put("lambdas", "lambda: (".repeat(n) + "x" + ")".repeat(n) + "\n");
    m.put("lambdadefaults", "lambda a=".repeat(PythonParser.MAX_NESTING + 5) + "1"
        + ": a".repeat(PythonParser.MAX_NESTING + 5) + "\n");
    m.put("ternaries", "(a if b else ".repeat(n) + "c" + ")".repeat(n) + "\n");
    m.put("fstrings", "f'{".repeat(n / 2) + "x" + "}'".repeat(n / 2) + "\n");
    m.put("formatspecs", "f'{x:{".repeat(n / 2) + "y" + "}}'".repeat(n / 2) + "\n");
    m.put("starred", "[*(".repeat(n / 2) + "x" + ")]".repeat(n / 2) + "\n");
    m.put("targets", "(".repeat(n) + "a," + ")".repeat(n) + " = x\n");
    m.put("fortargets", "for " + "(".repeat(n) + "a," + ")".repeat(n) + " in x: pass\n");
    m.put("patterns", "match x:\n case " + "[".repeat(n) + "a" + "]".repeat(n) + ": pass\n");
    m.put("classpatterns", "match x:\n case " + "C(".repeat(n) + "a" + ")".repeat(n) + ": pass\n");
    m.put("mappingpatterns", "match x:\n case " + "{1: ".repeat(n) + "a" + "}".repeat(n) + ": pass\n");
    m.put("decorators", "@" + "f(".repeat(n) + "x" + ")".repeat(n) + "\ndef g(): pass\n");
    StringBuilder blocks = new StringBuilder();
    int depth = PythonParser.MAX_INDENT_DEPTH - 1;
    for (int i = 0; i < depth; i++) {
      blocks.append(" ".repeat(i)).append(i % 3 == 0 ? "if x:\n" : i % 3 == 1 ? "for a in b:\n"
          : "def f():\n");
    }
    blocks.append(" ".repeat(depth)).append("x = ").append("f(a=-".repeat(n)).append("x")
        .append(")".repeat(n)).append("\n");
    m.put("blocks+calls", blocks.toString());
    StringBuilder broken = new StringBuilder();
    for (int i = 0; i < depth; i++) {
      broken.append(" ".repeat(i)).append("def f(:\n");
    }
    broken.append(" ".repeat(depth)).append("x = ").append("(".repeat(n)).append("x")
        .append(")".repeat(n)).append("\n");
    m.put("recoveringblocks", broken.toString());
    return m;
  }

  /**
   * Parses every input in the calling thread (no new threads: glibc reuses cached thread stacks
   * of up to 4x the requested size, which would make in-process measurements meaningless). Run
   * as {@code java -Xint -Xss512k ... StackProbe [name...]}: prints one line per input and "OK",
   * or "OVERFLOW name" and exits with status 1.
   */
  public static void main(String[] args) {
    Map<String, String> in = inputs();
    List<String> names = args.length > 0 ? List.of(args) : new ArrayList<>(in.keySet());
    for (String name : names) {
      try {
        ParseResult r = PythonParser.parse(in.get(name));
        System.out.println(name + " errors=" + r.errors().size());
      } catch (StackOverflowError e) {
        System.out.println("OVERFLOW " + name);
        System.exit(1);
      }
    }
    System.out.println("OK");
  }
}
