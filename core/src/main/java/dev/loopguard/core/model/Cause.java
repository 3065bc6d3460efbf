package dev.loopguard.core.model;

import java.util.List;

/**
 * A root cause a finding reaches: the one operation in the repository that people fix (for
 * a blocking operation, the call of a blocking API or of external code presumed to block), and how the
 * finding's location reaches it.
 *
 * @param id stable identity across unrelated edits (no line numbers): rule, file, the function
 *     holding the operation, its API and its order among calls of the same text there
 * @param path file of the operation, relative to the scan root
 * @param line line of the operation
 * @param column its column
 * @param function qualified name of the function holding the operation
 * @param functionLine line of that function's definition (where a suppression covers every path)
 * @param api what the operation calls
 * @param category the operation's category ({@code http}, {@code db}, ...)
 * @param confidence how sure the finding is of this path
 * @param once whether this path runs only once per process (memoised or first-use guarded)
 * @param chain the steps from the finding's location to the operation
 * @param attributes the operation's own attributes (for a finding whose chain leads to it, the
 *     finding's): API, category, timeout, replacement, reference
 */
public record Cause(
    String id,
    String path,
    int line,
    int column,
    String function,
    int functionLine,
    String api,
    String category,
    Confidence confidence,
    boolean once,
    List<ChainHop> chain,
    Attributes attributes) {

  public Cause {
    attributes = attributes == null ? Attributes.NONE : attributes;
  }

  /** A cause with no attributes of its own. */
  public Cause(String id, String path, int line, int column, String function, int functionLine,
      String api, String category, Confidence confidence, boolean once, List<ChainHop> chain) {
    this(id, path, line, column, function, functionLine, api, category, confidence, once, chain,
        Attributes.NONE);
  }
}
