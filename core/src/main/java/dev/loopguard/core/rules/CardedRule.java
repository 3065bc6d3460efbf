package dev.loopguard.core.rules;

/**
 * A rule whose id is fixed in code (a test checks that it agrees with the card), whose card is
 * read when first asked (SARIF, reviews, rules, explain: a scan that reports JSON or text never
 * needs it, and reading it starts a YAML mapper on the scan's critical path), and whose review
 * judge is given.
 */
public abstract class CardedRule implements Rule {
  private final String id;
  private final Class<?> cardOwner;
  private final ReviewJudge judge;
  private volatile RuleCard card;

  protected CardedRule(String id, ReviewJudge judge) {
    this.id = id;
    this.cardOwner = getClass();
    this.judge = judge;
  }

  @Override
  public final String id() {
    return id;
  }

  @Override
  public final RuleCard card() {
    RuleCard c = card;
    if (c == null) {
      c = RuleCard.load(cardOwner);
      card = c;
    }
    return c;
  }

  @Override
  public final ReviewJudge judge() {
    return judge;
  }
}
