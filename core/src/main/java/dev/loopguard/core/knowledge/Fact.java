package dev.loopguard.core.knowledge;

import java.util.List;

/**
 * One fact about external APIs, as written in a knowledge pack. See docs/knowledge-packs.md.
 *
 * @param pack name of the pack the fact came from
 * @param source where the pack was read from (resource or file), for messages
 */
public record Fact(
    String id,
    List<String> match,
    FactKind kind,
    String category,
    String replacement,
    String reference,
    String returns,
    Integer callableArg,
    String callableKeyword,
    String entry,
    String appliesTo,
    String syncHandler,
    String defaultTimeout,
    String timeoutKeyword,
    String confidence,
    String note,
    List<ArgCondition> nonBlockingIf,
    String pack,
    String source) {

  /**
   * The call does not block when the argument at {@code position} (or passed as
   * {@code keyword}) is one of {@code values}: literal texts ({@code 0}, {@code False}) or
   * qualified names ({@code os.WNOHANG}).
   */
  public record ArgCondition(Integer position, String keyword, List<String> values) {}

  /** A fact without argument conditions. */
  public Fact(String id, List<String> match, FactKind kind, String category, String replacement,
      String reference, String returns, Integer callableArg, String callableKeyword, String entry,
      String appliesTo, String syncHandler, String defaultTimeout, String timeoutKeyword,
      String confidence, String note, String pack, String source) {
    this(id, match, kind, category, replacement, reference, returns, callableArg, callableKeyword,
        entry, appliesTo, syncHandler, defaultTimeout, timeoutKeyword, confidence, note, List.of(),
        pack, source);
  }

  /** The replacement text with {@code {name}} filled in from the matched API name. */
  public String replacementFor(String apiName) {
    if (replacement == null) {
      return null;
    }
    int dot = apiName.lastIndexOf('.');
    return replacement.replace("{name}", dot < 0 ? apiName : apiName.substring(dot + 1));
  }

  public String timeoutKeywordOrDefault() {
    return timeoutKeyword == null ? "timeout" : timeoutKeyword;
  }
}
