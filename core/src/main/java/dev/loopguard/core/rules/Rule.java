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
}
