package dev.loopguard.core.rules;

import dev.loopguard.core.model.Finding;
import java.util.List;

/**
 * A check over the analysed project. Implementations live one per package with their
 * {@code card.yaml} and are registered as services of this interface.
 */
public interface Rule {
  RuleCard card();

  default String id() {
    return card().id();
  }

  List<Finding> check(RuleContext context);

  /**
   * Whether another tool's code for a check of its own ({@code ASYNC251}) names this rule, so that
   * the ecosystem's suppression comment with that code silences it. Reads the card only when
   * asked.
   */
  default boolean claims(String foreignCode) {
    return card().claims(foreignCode);
  }

  /**
   * Whether run-time evidence of blocking on an event loop that no static finding explains
   * becomes this rule's findings ({@code scan --evidence}). One rule of a scan owns it.
   */
  default boolean ownsRuntimeEvidence() {
    return false;
  }

  /**
   * What the rule could not judge for want of knowledge: external APIs its code paths call that no
   * fact describes, in the modules whose path {@code reported} accepts, most-reached first.
   */
  default List<dev.loopguard.core.model.UndescribedCall> undescribedCalls(RuleContext context,
      java.util.function.Predicate<String> reported) {
    return List.of();
  }

  /**
   * Finding {@code f} of this rule reaching only {@code remaining} of its root causes (the others
   * are suppressed), worded for them.
   */
  default Finding narrowed(Finding f, List<dev.loopguard.core.model.Cause> remaining) {
    return f.withCauses(remaining, f.message());
  }

  /** How the rule judges a change in a review; null when it does not judge changes. */
  default ReviewJudge judge() {
    return null;
  }

  /** What the rule adds to the inventory and the audit. */
  default ReportSections reportSections() {
    return ReportSections.generic(id(), card().title());
  }
}
