package dev.loopguard.core.engine;

import dev.loopguard.core.ir.Directive;
import dev.loopguard.core.ir.FunctionIr;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.model.Finding;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Suppression comments: {@code loopguard: ignore} or {@code loopguard: ignore[perf-004]} on the
 * finding's line, or on the {@code def} line of the function for the whole function (a reason may
 * follow); {@code noqa} alone, or {@code noqa: CODES} where a code maps to the rule (flake8-async
 * and Ruff's {@code ASYNC2xx} blocking-call codes map to perf-004).
 */
public final class Suppressions {
  private static final Pattern IGNORE =
      Pattern.compile("loopguard:\\s*ignore(?:\\[([^\\]]*)\\])?", Pattern.CASE_INSENSITIVE);
  private static final Pattern NOQA =
      Pattern.compile("(?:^|[\\s#])noqa(?::\\s*([A-Za-z0-9_\\-, ]+))?", Pattern.CASE_INSENSITIVE);

  private Suppressions() {}

  /** The directive that suppresses {@code f}, or null. */
  public static Directive find(ModuleIr m, Finding f) {
    for (Directive d : m.directives()) {
      if (d.line() == f.line() && suppresses(d.text(), f.rule(), true)) {
        return d;
      }
    }
    // Whole-function suppression on the def line.
    for (FunctionIr fn : m.functions()) {
      if (fn.qualifiedName().equals(f.function()) && fn.nameSpan() != null) {
        for (Directive d : m.directives()) {
          if (d.line() == fn.nameSpan().line() && suppresses(d.text(), f.rule(), false)) {
            return d;
          }
        }
      }
    }
    return null;
  }

  static boolean suppresses(String text, String rule, boolean allowNoqa) {
    Matcher m = IGNORE.matcher(text);
    if (m.find()) {
      String ids = m.group(1);
      return ids == null || listed(ids, rule);
    }
    if (allowNoqa) {
      Matcher q = NOQA.matcher(text);
      if (q.find()) {
        String codes = q.group(1);
        if (codes == null || codes.isBlank()) {
          return true;
        }
        for (String c : codes.split("[,\\s]+")) {
          String code = c.trim().toUpperCase(Locale.ROOT);
          if (code.equalsIgnoreCase(rule) || (rule.equals("perf-004") && code.startsWith("ASYNC2"))) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static boolean listed(String ids, String rule) {
    for (String id : ids.split(",")) {
      if (id.trim().equalsIgnoreCase(rule)) {
        return true;
      }
    }
    return false;
  }
}
