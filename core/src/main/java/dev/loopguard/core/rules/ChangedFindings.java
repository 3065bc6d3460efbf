package dev.loopguard.core.rules;

import dev.loopguard.core.model.Finding;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A rule's findings that a changed path answers for, for review judges: those in the path's
 * function when the change adds or modifies it, and the new ones there otherwise.
 */
public final class ChangedFindings {
  private ChangedFindings() {}

  /** The findings of {@code change} in {@code path}'s function that the change answers for. */
  public static List<Finding> of(ReviewJudge.ChangedPath path, ReviewJudge.Change change) {
    Set<String> added = new HashSet<>();
    change.added().forEach(x -> added.add(x.fingerprint()));
    String file = path.function().module().path();
    String name = path.function().ir().qualifiedName();
    List<Finding> out = new ArrayList<>();
    for (Finding x : change.findings()) {
      if (x.path().equals(file) && x.function().equals(name)
          && (path.direct() || added.contains(x.fingerprint()))) {
        out.add(x);
      }
    }
    return out;
  }

  /** Whether {@code f} is new in the change. */
  public static boolean isNew(Finding f, ReviewJudge.Change change) {
    for (Finding x : change.added()) {
      if (x.fingerprint().equals(f.fingerprint())) {
        return true;
      }
    }
    return false;
  }

  /** The most confident of the findings' confidences. */
  public static dev.loopguard.core.model.Confidence best(List<Finding> findings) {
    dev.loopguard.core.model.Confidence c = null;
    for (Finding f : findings) {
      if (c == null || f.confidence().ordinal() < c.ordinal()) {
        c = f.confidence();
      }
    }
    return c;
  }
}
