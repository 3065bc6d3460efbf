package dev.loopguard.cli;

import dev.loopguard.core.report.Reporters;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Where each requested format goes: {@code FORMAT=FILE}, else the output folder, else
 * {@code --output}, else standard output. At most one format may go to {@code --output} and
 * at most one to standard output; no two formats go to one file.
 */
final class Outputs {
  /** One report to write: a format and its file (null: standard output). */
  record Target(String format, Path file) {}

  private Outputs() {}

  /** The targets of scan's formats ({@link Reporters}). */
  static List<Target> plan(List<String> specs, Path output, Path outputDir, Path cwd) {
    return plan(specs, output, outputDir, cwd, Reporters.FORMATS, Reporters::fileName);
  }

  /**
   * The targets of the formats {@code specs} names, among {@code known}; {@code fileName} names a
   * format's file in the output folder.
   */
  static List<Target> plan(List<String> specs, Path output, Path outputDir, Path cwd, List<String> known,
      UnaryOperator<String> fileName) {
    List<String> formats = specs.isEmpty() ? List.of("text") : specs;
    List<Target> out = new ArrayList<>();
    List<String> undirected = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (String raw : formats) {
      String spec = raw.trim();
      int eq = spec.indexOf('=');
      String name = eq < 0 ? spec : spec.substring(0, eq).trim();
      if (!known.contains(name)) {
        throw new IllegalArgumentException("--format takes " + String.join(", ", known)
            + " (got " + name + ")");
      }
      if (eq >= 0) {
        String file = spec.substring(eq + 1).trim();
        if (file.isEmpty()) {
          throw new IllegalArgumentException("--format " + spec + ": no file after '='");
        }
        out.add(new Target(name, cwd.resolve(file).normalize()));
      } else if (outputDir != null) {
        out.add(new Target(name, cwd.resolve(outputDir).resolve(fileName.apply(name)).normalize()));
      } else {
        undirected.add(name);
      }
      if (!seen.add(spec)) {
        throw new IllegalArgumentException("--format " + spec + " is given twice");
      }
    }
    if (undirected.size() > 1) {
      throw new IllegalArgumentException("several formats (" + String.join(", ", undirected)
          + ") need --output-dir DIR or FORMAT=FILE for all but one");
    }
    for (String name : undirected) {
      out.add(new Target(name, output == null ? null : cwd.resolve(output).normalize()));
    }
    if (output != null && undirected.isEmpty()) {
      throw new IllegalArgumentException("--output names no report: every format has its own file");
    }
    java.util.Map<Path, String> byFile = new java.util.HashMap<>();
    for (Target t : out) {
      if (t.file() == null) {
        continue;
      }
      String other = byFile.putIfAbsent(t.file(), t.format());
      if (other != null) {
        throw new IllegalArgumentException("--format " + other + " and " + t.format()
            + " both go to " + t.file() + "; give each its own file");
      }
    }
    return out;
  }
}
