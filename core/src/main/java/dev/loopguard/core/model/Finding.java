package dev.loopguard.core.model;

import dev.loopguard.core.ir.Span;
import java.util.List;

/**
 * One problem found in the scanned code, with its evidence.
 *
 * @param rule rule id
 * @param path file of the call inside the event-loop function, relative to the scan root
 * @param span the call inside the event-loop function
 * @param function qualified name of the event-loop function the call stands in
 * @param category API category ({@code http}, {@code sleep}, ...)
 * @param api the blocking API at the end of the chain ({@code requests.post})
 * @param confidence how sure we are
 * @param priority how hot the path is
 * @param context why that priority ({@code websocket loop in app/ws.py:40})
 * @param excludedAs null for a normal finding; otherwise the do-not-flag context it stands in
 *     ({@code test}, {@code script}, {@code startup}) when such findings were asked for
 * @param timeout for HTTP: the timeout passed ({@code 15s}), {@code none} or {@code default}; else null
 * @param message one sentence stating the fact
 * @param chain hops from the event-loop function to the blocking API (first hop: the call in
 *     {@code function})
 * @param remediation what to do about it
 * @param replacement the async replacement named by the knowledge pack, or null
 * @param reference documentation URL, or null
 * @param factId the knowledge fact the finding rests on
 * @param inferred the finding rests on a heuristic rather than a fact
 * @param fingerprint stable identity across unrelated edits (no line numbers)
 */
public record Finding(
    String rule,
    String path,
    Span span,
    String function,
    String category,
    String api,
    Confidence confidence,
    Priority priority,
    String context,
    String excludedAs,
    String timeout,
    String message,
    List<ChainHop> chain,
    String remediation,
    String replacement,
    String reference,
    String factId,
    boolean inferred,
    String fingerprint) {

  public Finding withFingerprint(String fp) {
    return new Finding(rule, path, span, function, category, api, confidence, priority, context,
        excludedAs, timeout, message, chain, remediation, replacement, reference, factId, inferred,
        fp);
  }

  public int line() {
    return span.line();
  }
}
