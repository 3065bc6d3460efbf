package dev.loopguard.core.model;

import dev.loopguard.core.ir.Span;
import java.util.List;

/**
 * One problem found in the scanned code, with its evidence: what every rule reports. What is
 * particular to a rule (the API, category and timeout of a blocking call, say) is in {@link #attributes}.
 *
 * @param rule rule id
 * @param path file of the finding's location, relative to the scan root
 * @param span the finding's location (for call-chain rules: the call in {@code function})
 * @param function qualified name of the function the location stands in
 * @param message one sentence stating the fact
 * @param confidence how sure we are
 * @param priority how hot the path is
 * @param context why that priority ({@code websocket loop in app/ws.py:40})
 * @param excludedAs null for a normal finding; otherwise the do-not-flag context it stands in
 *     ({@code test}, {@code script}, {@code startup}), which the user's policy decides on
 * @param chain the trace: steps from {@code function} to what the finding is about (first step:
 *     the location); may be empty
 * @param remediation what to do about it
 * @param attributes the rule's own attributes
 * @param fingerprint stable identity across unrelated edits (no line numbers)
 * @param causes the root causes the finding reaches, the one its chain leads to first; empty when
 *     the finding is its own root cause
 */
public record Finding(
    String rule,
    String path,
    Span span,
    String function,
    String message,
    Confidence confidence,
    Priority priority,
    String context,
    String excludedAs,
    List<ChainHop> chain,
    String remediation,
    Attributes attributes,
    String fingerprint,
    List<Cause> causes) {

  public Finding {
    causes = causes == null ? List.of() : causes;
  }

  /** A finding that is its own root cause. */
  public Finding(String rule, String path, Span span, String function, String message,
      Confidence confidence, Priority priority, String context, String excludedAs,
      List<ChainHop> chain, String remediation, Attributes attributes, String fingerprint) {
    this(rule, path, span, function, message, confidence, priority, context, excludedAs, chain,
        remediation, attributes, fingerprint, List.of());
  }

  public Finding withFingerprint(String fp) {
    return new Finding(rule, path, span, function, message, confidence, priority, context,
        excludedAs, chain, remediation, attributes, fp, causes);
  }

  public Finding withPriority(Priority p) {
    return new Finding(rule, path, span, function, message, confidence, p, context, excludedAs,
        chain, remediation, attributes, fingerprint, causes);
  }

  public Finding withPath(String p, List<ChainHop> steps) {
    return new Finding(rule, p, span, function, message, confidence, priority, context,
        excludedAs, steps, remediation, attributes, fingerprint, causes);
  }

  /**
   * This finding reaching only {@code remaining} of its causes (not empty), its chain leading to
   * the first, with that cause's attributes and confidence, and {@code message}.
   */
  public Finding withCauses(List<Cause> remaining, String message) {
    Cause first = remaining.get(0);
    return new Finding(rule, path, span, function, message, first.confidence(), priority, context,
        excludedAs, first.chain(), remediation,
        first.attributes().entries().isEmpty() ? attributes : first.attributes(), fingerprint,
        List.copyOf(remaining));
  }

  /** The ids of the root causes it reaches: its causes', or its own fingerprint. */
  public List<String> rootCauseIds() {
    if (causes.isEmpty()) {
      return fingerprint == null ? List.of() : List.of(fingerprint);
    }
    return causes.stream().map(Cause::id).toList();
  }

  public int line() {
    return span.line();
  }

  /** The value of attribute {@code key}, or null. */
  public String attribute(String key) {
    return attributes.get(key);
  }

  /** What the finding is about, for titles and grouping: its API, else its rule. */
  public String subject() {
    String api = attributes.get(Attributes.API);
    return api != null ? api : rule;
  }

  /** Its category, for grouping: the category attribute, else its rule. */
  public String category() {
    String c = attributes.get(Attributes.CATEGORY);
    return c != null ? c : rule;
  }
}
