package dev.loopguard.core.engine;

import dev.loopguard.core.frontend.LanguageFrontend;
import dev.loopguard.core.ir.Directive;
import dev.loopguard.core.ir.FunctionIr;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.model.Finding;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Suppression comments: {@code loopguard: ignore} or {@code loopguard: ignore[perf-004]} on the
 * finding's line, or on the line that names the function for the whole function (a reason may
 * follow); plus the ecosystem's own syntax on the finding's line, as the frontend reads it.
 */
public final class Suppressions {
  private static final Pattern IGNORE =
      Pattern.compile("loopguard:\\s*ignore(?:\\[([^\\]]*)\\])?", Pattern.CASE_INSENSITIVE);

  private Suppressions() {}

  /** The directive that suppresses {@code f}, or null. */
  public static Directive find(ModuleIr m, Finding f, LanguageFrontend frontend) {
    for (Directive d : m.directives()) {
      if (d.line() == f.line() && (suppresses(d.text(), f.rule())
          || (frontend != null && frontend.suppressesForeign(d.text(), f.rule())))) {
        return d;
      }
    }
    // Whole-function suppression on the def line.
    for (FunctionIr fn : m.functions()) {
      if (fn.qualifiedName().equals(f.function()) && fn.nameSpan() != null) {
        for (Directive d : m.directives()) {
          if (d.line() == fn.nameSpan().line() && suppresses(d.text(), f.rule())) {
            return d;
          }
        }
      }
    }
    return null;
  }

  static boolean suppresses(String text, String rule) {
    Matcher m = IGNORE.matcher(text);
    if (m.find()) {
      String ids = m.group(1);
      return ids == null || listed(ids, rule);
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
