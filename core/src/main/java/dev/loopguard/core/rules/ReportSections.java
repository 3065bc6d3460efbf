package dev.loopguard.core.rules;

import dev.loopguard.core.model.Finding;
import java.util.List;
import java.util.function.Predicate;

/**
 * What a rule adds to the reports written for people (inventory and audit): the tables its
 * findings are sorted into and the compliance checks they are held against. A rule without
 * sections gets one generic table of its findings.
 *
 * @param inventory the inventory's tables, in order
 * @param checklist the audit's compliance checks, in order
 * @param clientCalls which findings are calls of a client library (for the inventory's table
 *     of how clients are obtained and reused)
 */
public record ReportSections(List<Section> inventory, List<Check> checklist,
    Predicate<Finding> clientCalls) {

  /**
   * One inventory table.
   *
   * @param title the table's heading
   * @param holds which of the rule's findings it lists
   * @param always shown even when empty ("None found.")
   */
  public record Section(String title, Predicate<Finding> holds, boolean always) {}

  /**
   * One item of the audit's compliance checklist: ticked when no finding {@code fails} it.
   */
  public record Check(String title, Predicate<Finding> fails) {}

  /** The sections of a rule that has none of its own: one table of all its findings. */
  public static ReportSections generic(String ruleId, String title) {
    return new ReportSections(
        List.of(new Section(title + " (" + ruleId + ")", f -> f.rule().equals(ruleId), false)),
        List.of(new Check("No finding of " + ruleId + ": " + title, f -> f.rule().equals(ruleId))),
        f -> false);
  }
}
