package dev.loopguard.core.knowledge;

import java.util.List;

/**
 * One fact about external APIs, as written in a knowledge pack. See docs/knowledge-packs.md.
 *
 * @param effect what calling the API does to the program's concurrency, beyond its kind: {@code
 *     spawns-task} (it starts a background task and hands back the only strong reference to it),
 *     {@code runs-loop} (it runs an event loop to completion in the calling thread, which fails
 *     where a loop is already running), {@code detects-loop} (it tells whether a loop is running
 *     in the calling thread, so code that calls it can avoid starting one); null for none
 * @param pack name of the pack the fact came from
 * @param source where the pack was read from (resource or file), for messages
 * @param timeoutArg 0-based position of the argument that carries the timeout when it is passed
 *     positionally ({@code timeout-arg}); null when it is passed by keyword only
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
    List<ArgCondition> syncHandlerIf,
    String effect,
    String pack,
    String source,
    Integer timeoutArg) {

  /** As the canonical constructor, for a fact whose timeout is passed by keyword only. */
  public Fact(String id, List<String> match, FactKind kind, String category, String replacement,
      String reference, String returns, Integer callableArg, String callableKeyword, String entry,
      String appliesTo, String syncHandler, String defaultTimeout, String timeoutKeyword,
      String confidence, String note, List<ArgCondition> nonBlockingIf,
      List<ArgCondition> syncHandlerIf, String pack, String source) {
    this(id, match, kind, category, replacement, reference, returns, callableArg, callableKeyword,
        entry, appliesTo, syncHandler, defaultTimeout, timeoutKeyword, confidence, note,
        nonBlockingIf, syncHandlerIf, null, pack, source, null);
  }

  /** The values of {@link #effect()}. */
  public static final String SPAWNS_TASK = "spawns-task";
  public static final String RUNS_LOOP = "runs-loop";
  public static final String DETECTS_LOOP = "detects-loop";

  /**
   * A condition on one argument of a call: the argument at {@code position} (or passed as
   * {@code keyword}) is one of {@code values} (literal texts such as {@code 0} and {@code False},
   * or qualified names such as {@code os.WNOHANG}), or an instance of one of {@code types}
   * (qualified class names such as {@code io.BytesIO}). {@code syncHandler} is what the condition
   * makes of a plain handler, for the conditions of {@link #syncHandlerIf()}; null otherwise.
   */
  public record ArgCondition(Integer position, String keyword, List<String> values,
      List<String> types, String syncHandler) {

    /** A condition on the argument's literal value or qualified name only. */
    public ArgCondition(Integer position, String keyword, List<String> values) {
      this(position, keyword, values, List.of(), null);
    }
  }

  /** A fact whose plain handlers run as {@code syncHandler} says, whatever the arguments. */
  public Fact(String id, List<String> match, FactKind kind, String category, String replacement,
      String reference, String returns, Integer callableArg, String callableKeyword, String entry,
      String appliesTo, String syncHandler, String defaultTimeout, String timeoutKeyword,
      String confidence, String note, List<ArgCondition> nonBlockingIf, String pack,
      String source) {
    this(id, match, kind, category, replacement, reference, returns, callableArg, callableKeyword,
        entry, appliesTo, syncHandler, defaultTimeout, timeoutKeyword, confidence, note,
        nonBlockingIf, List.of(), null, pack, source, null);
  }

  /** A fact without argument conditions. */
  public Fact(String id, List<String> match, FactKind kind, String category, String replacement,
      String reference, String returns, Integer callableArg, String callableKeyword, String entry,
      String appliesTo, String syncHandler, String defaultTimeout, String timeoutKeyword,
      String confidence, String note, String pack, String source) {
    this(id, match, kind, category, replacement, reference, returns, callableArg, callableKeyword,
        entry, appliesTo, syncHandler, defaultTimeout, timeoutKeyword, confidence, note, List.of(),
        List.of(), null, pack, source, null);
  }

  /** Whether the fact says calling the API has {@code effect}. */
  public boolean has(String effect) {
    return effect.equals(this.effect);
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
