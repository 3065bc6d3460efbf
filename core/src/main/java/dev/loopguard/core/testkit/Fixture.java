package dev.loopguard.core.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An annotated source fixture (see docs/fixtures.md): one or more files, with expectations in
 * end-of-line comments.
 */
public record Fixture(
    String name,
    Map<String, String> files,
    List<Expectation> expectations,
    Set<String> rules,
    Set<String> include) {

  public enum Kind {
    EXPECT,
    OK,
    TODO_EXPECT,
    TODO_OK
  }

  /** One annotation: on {@code path:line}, {@code kind} for {@code rule}, with properties. */
  public record Expectation(String path, int line, Kind kind, String rule, Map<String, String> props) {
    public int count() {
      return Integer.parseInt(props.getOrDefault("count", "1"));
    }
  }

  private static final Pattern FILE_MARK = Pattern.compile("^\\s*(?:#|//)\\s*---\\s*file:\\s*(\\S+)\\s*---\\s*$");
  private static final Pattern ANNOTATION =
      Pattern.compile("(todo-expect|todo-ok|expect|ok):\\s*([A-Za-z0-9_\\-]+)((?:\\s+[a-zA-Z][a-zA-Z0-9_\\-]*=\\S+)*)");
  private static final Pattern HEADER = Pattern.compile("loopguard-fixture:(.*)");

  /**
   * Parses fixture text. {@code defaultPath} names the single file of a one-file fixture;
   * {@code comment} is the language's line comment marker.
   */
  public static Fixture parse(String name, String text, String defaultPath, String comment) {
    Map<String, String> files = new LinkedHashMap<>();
    List<Expectation> expectations = new ArrayList<>();
    Set<String> rules = new java.util.LinkedHashSet<>();
    Set<String> include = new java.util.LinkedHashSet<>();
    String[] lines = text.split("\n", -1);
    String current = null;
    StringBuilder body = new StringBuilder();
    int lineInFile = 0;
    boolean multi = false;
    boolean hasMarks = false;
    for (String raw : lines) {
      hasMarks |= FILE_MARK.matcher(raw).matches();
    }
    for (String raw : lines) {
      Matcher h = HEADER.matcher(raw);
      if (h.find() && raw.trim().startsWith(comment)) {
        for (String part : h.group(1).trim().split("\\s+")) {
          int eq = part.indexOf('=');
          if (eq < 0) {
            continue;
          }
          String k = part.substring(0, eq);
          String v = part.substring(eq + 1);
          if (k.equals("rules")) {
            rules.addAll(List.of(v.split(",")));
          } else if (k.equals("include")) {
            for (String x : v.split(",")) {
              include.add(x.equals("tests") ? "test" : x.equals("scripts") ? "script" : x);
            }
          }
        }
      }
      Matcher fm = FILE_MARK.matcher(raw);
      if (fm.matches()) {
        if (current != null) {
          files.put(current, body.toString());
        }
        multi = true;
        current = fm.group(1);
        body.setLength(0);
        lineInFile = 0;
        continue;
      }
      if (current == null) {
        if (hasMarks) {
          continue; // header lines before the first file
        }
        current = defaultPath;
      }
      lineInFile++;
      body.append(raw).append('\n');
      int hash = raw.indexOf(comment);
      if (hash >= 0) {
        Matcher a = ANNOTATION.matcher(raw.substring(hash));
        while (a.find()) {
          Kind kind = switch (a.group(1)) {
            case "expect" -> Kind.EXPECT;
            case "ok" -> Kind.OK;
            case "todo-expect" -> Kind.TODO_EXPECT;
            default -> Kind.TODO_OK;
          };
          Map<String, String> props = new LinkedHashMap<>();
          String rest = a.group(3).trim();
          if (!rest.isEmpty()) {
            for (String kv : rest.split("\\s+")) {
              int eq = kv.indexOf('=');
              props.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
          }
          expectations.add(new Expectation(current, lineInFile, kind, a.group(2), props));
        }
      }
    }
    if (current != null) {
      String content = body.toString();
      if (!multi && content.endsWith("\n") && text.endsWith("\n")) {
        content = content.substring(0, content.length() - 1);
      }
      files.put(current, content);
    }
    if (rules.isEmpty()) {
      // No rules= header: the fixture speaks for the rules its annotations name, so a new rule
      // does not turn every older fixture's unannotated lines into noise.
      for (Expectation e : expectations) {
        rules.add(e.rule());
      }
    }
    return new Fixture(name, files, expectations, rules, include);
  }
}
