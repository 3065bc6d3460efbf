package dev.loopguard.core.diff.review;

import dev.loopguard.core.model.Finding;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Findings of functions a change renamed or moved: a finding new at head in a function the change
 * adds, and one gone from base in a function it removes, are the same finding when they are of
 * the same rule and subject, with chains as long, on the same source text. Matched one to one, in
 * order; such a pair is neither new nor fixed.
 */
final class MovedFindings {
  private MovedFindings() {}

  /** Head finding to base finding, for the pairs that are one finding moved. */
  static Map<Finding, Finding> match(List<Finding> added, List<Finding> fixed, Snapshot base,
      Snapshot head, List<FunctionChange> changes) {
    Set<String> addedFns = new HashSet<>();
    Set<String> removedFns = new HashSet<>();
    for (FunctionChange c : changes) {
      if (c.kind() == FunctionChange.Kind.ADDED) {
        addedFns.add(c.path() + '\0' + c.function());
      } else if (c.kind() == FunctionChange.Kind.REMOVED) {
        removedFns.add(c.path() + '\0' + c.function());
      }
    }
    Map<Finding, Finding> out = new IdentityHashMap<>();
    if (addedFns.isEmpty() || removedFns.isEmpty()) {
      return out;
    }
    Map<String, List<Finding>> gone = new HashMap<>();
    Map<String, String[]> baseLines = new HashMap<>();
    for (Finding f : fixed) {
      if (removedFns.contains(f.path() + '\0' + f.function())) {
        gone.computeIfAbsent(key(f, lineOf(base, f, baseLines)), k -> new ArrayList<>()).add(f);
      }
    }
    Map<String, String[]> headLines = new HashMap<>();
    for (Finding f : added) {
      if (!addedFns.contains(f.path() + '\0' + f.function())) {
        continue;
      }
      List<Finding> candidates = gone.get(key(f, lineOf(head, f, headLines)));
      if (candidates != null && !candidates.isEmpty()) {
        out.put(f, candidates.remove(0));
      }
    }
    return out;
  }

  private static String key(Finding f, String text) {
    return f.rule() + '\0' + f.subject() + '\0' + f.chain().size() + '\0' + text;
  }

  /** The finding's source line with whitespace collapsed ({@code ""} when unknown). */
  private static String lineOf(Snapshot side, Finding f, Map<String, String[]> cache) {
    String[] lines = cache.computeIfAbsent(f.path(), p -> {
      byte[] b = side.contains(p) ? side.read(p) : null;
      return b == null ? new String[0] : new String(b, StandardCharsets.UTF_8).split("\n", -1);
    });
    int i = f.line() - 1;
    return i >= 0 && i < lines.length ? lines[i].strip().replaceAll("\\s+", " ") : "";
  }
}
