package dev.loopguard.core.engine;

import dev.loopguard.core.model.Cause;
import java.util.function.Function;
import dev.loopguard.core.result.ScanResult;
import dev.loopguard.core.result.UnusedSuppression;
import dev.loopguard.core.frontend.LanguageFrontend;
import dev.loopguard.core.ir.Directive;
import dev.loopguard.core.ir.FunctionIr;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.model.Finding;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Suppression comments: {@code loopguard: ignore} or {@code loopguard: ignore[RULE-ID]} on the
 * finding's line, or on the line that names the function for the whole function (a reason may
 * follow); plus the ecosystem's own syntax on the finding's line, as the frontend reads it. A
 * comment on a root cause's line, or on the line naming the function that holds it, covers every
 * path to that root cause.
 */
public final class Suppressions {
  // group 1: the rule list; group 2: its closing bracket (missing: the comment is malformed)
  private static final Pattern IGNORE =
      Pattern.compile("loopguard:\\s*ignore(?:\\s*\\[([^\\]]*)(\\])?)?", Pattern.CASE_INSENSITIVE);

  private Suppressions() {}

  /**
   * The directive that suppresses {@code f}, or null. {@code claimedCode} says which codes of
   * other tools name the finding's rule.
   */
  public static Directive find(ModuleIr m, Finding f, LanguageFrontend frontend,
      Predicate<String> claimedCode) {
    if (m.directives().isEmpty()) {
      return null;
    }
    for (Directive d : m.directives()) {
      if (d.line() == f.line() && (suppresses(d.text(), f.rule())
          || (frontend != null && frontend.suppressesForeign(d.text(), f.rule(), claimedCode)))) {
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

  /**
   * The directive that suppresses root cause {@code c} of a finding of {@code rule}, or null: a
   * comment on the operation's line (loopguard's or, as the frontend reads it, another tool's
   * whose code the rule claims), or loopguard's on the line naming the function that holds it;
   * either covers every path through it. {@code m} is the cause's module.
   */
  public static Directive find(ModuleIr m, String rule, Cause c, LanguageFrontend frontend,
      Predicate<String> claimedCode) {
    for (Directive d : m.directives()) {
      if ((d.line() == c.line() && (suppresses(d.text(), rule)
          || (frontend != null && frontend.suppressesForeign(d.text(), rule, claimedCode))))
          || (c.functionLine() > 0 && d.line() == c.functionLine() && suppresses(d.text(), rule))) {
        return d;
      }
    }
    return null;
  }

  /**
   * {@code f} with the suppressions of {@code modules} applied: {@code kept} gets it whole, or with
   * the root causes no comment covers (the rule words it again through {@code narrowed});
   * {@code suppressed} gets it whole, or one copy for each covered root cause.
   */
  public static void apply(Finding f, Function<String, ModuleIr> modules,
      Function<ModuleIr, LanguageFrontend> frontends, Predicate<String> claimedCode,
      java.util.function.BiFunction<Finding, List<Cause>, Finding> narrowed,
      List<Finding> kept, List<Finding> suppressed) {
    ModuleIr m = modules.apply(f.path());
    if (m != null && find(m, f, frontends.apply(m), claimedCode) != null) {
      suppressed.add(f);
      return;
    }
    List<Cause> open = new ArrayList<>(f.causes().size());
    List<Cause> covered = new ArrayList<>();
    for (Cause c : f.causes()) {
      ModuleIr cm = modules.apply(c.path());
      if (cm != null && !cm.directives().isEmpty()
          && find(cm, f.rule(), c, frontends.apply(cm), claimedCode) != null) {
        covered.add(c);
      } else {
        open.add(c);
      }
    }
    if (covered.isEmpty()) {
      kept.add(f);
      return;
    }
    for (Cause c : covered) {
      suppressed.add(narrowed.apply(f, List.of(c)));
    }
    if (!open.isEmpty()) {
      kept.add(narrowed.apply(f, open));
    }
  }

  /**
   * loopguard's own suppression comments that silenced no finding of {@code result}. Comments that
   * name none of the rules that ran ({@code rulesRun}) but some other known rule ({@code
   * knownRules}) are left out ({@code claimedCodes} gives, by rule id, the codes of other tools
   * it claims), and so are other tools' comments (they may serve those tools), and
   * the comments of outlined files (their code was not analysed).
   */
  public static List<UnusedSuppression> unused(ScanResult result, List<LanguageFrontend> frontends,
      Set<String> rulesRun, Set<String> knownRules,
      java.util.function.Function<String, Predicate<String>> claimedCodes) {
    Set<String> used = new HashSet<>();
    for (Finding f : result.suppressed()) {
      ModuleIr m = result.modules().module(f.path());
      if (m != null) {
        Directive d = find(m, f, frontendOf(frontends, m), claimedCodes.apply(f.rule()));
        if (d != null) {
          used.add(m.path() + ":" + d.line() + ":" + d.text());
          continue;
        }
      }
      for (Cause c : f.causes()) {
        ModuleIr cm = result.modules().module(c.path());
        Directive d = cm == null ? null
            : find(cm, f.rule(), c, frontendOf(frontends, cm), claimedCodes.apply(f.rule()));
        if (d != null) {
          used.add(cm.path() + ":" + d.line() + ":" + d.text());
        }
      }
    }
    List<UnusedSuppression> out = new ArrayList<>();
    for (ModuleIr m : result.modules().all()) {
      if (m.isOutline()) {
        continue; // its code was not analysed: whether a comment silences anything is unknown
      }
      for (Directive d : m.directives()) {
        Matcher x = IGNORE.matcher(d.text());
        if (!x.find() || used.contains(m.path() + ":" + d.line() + ":" + d.text())) {
          continue;
        }
        String ids = x.group(1);
        if (ids != null && rulesRun.stream().noneMatch(r -> listed(ids, r))
            && knownRules.stream().anyMatch(r -> listed(ids, r))) {
          continue;
        }
        out.add(new UnusedSuppression(m.path(), d.line(), d.text()));
      }
    }
    out.sort(Comparator.comparing(UnusedSuppression::path).thenComparingInt(UnusedSuppression::line));
    return List.copyOf(out);
  }

  /** By rule id, the codes of other tools that the rule among {@code rules} claims. */
  public static java.util.function.Function<String, Predicate<String>> claimsOf(
      List<dev.loopguard.core.rules.Rule> rules) {
    return id -> {
      for (dev.loopguard.core.rules.Rule r : rules) {
        if (r.id().equals(id)) {
          return r::claims;
        }
      }
      return code -> false;
    };
  }

  private static LanguageFrontend frontendOf(List<LanguageFrontend> frontends, ModuleIr m) {
    for (LanguageFrontend fe : frontends) {
      if (fe.id().equals(m.language())) {
        return fe;
      }
    }
    return null;
  }

  /**
   * What is wrong with the suppression comment {@code text}, or null: an unclosed rule list
   * ({@code loopguard: ignore[RULE-ID} with no {@code ]}) silences nothing, and says so.
   */
  public static String malformed(String text) {
    Matcher m = IGNORE.matcher(text);
    if (m.find() && m.group(1) != null && m.group(2) == null) {
      return "The rule list of 'loopguard: ignore[' is not closed with ']'; the comment silences nothing.";
    }
    return null;
  }

  static boolean suppresses(String text, String rule) {
    Matcher m = IGNORE.matcher(text);
    if (m.find()) {
      if (m.group(1) != null && m.group(2) == null) {
        return false; // malformed: silences nothing (reported as a diagnostic)
      }
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
