package dev.loopguard.core.rules;

import dev.loopguard.core.analysis.PathKinds;
import dev.loopguard.core.analysis.Project;
import dev.loopguard.core.analysis.SemanticModel;
import dev.loopguard.core.diff.review.ReviewResult.EvidenceItem;
import dev.loopguard.core.diff.review.ReviewResult.Verdict;
import dev.loopguard.core.model.Confidence;
import dev.loopguard.core.model.Finding;
import java.util.List;
import java.util.Set;

/**
 * How a rule judges a change: a verdict for each changed path the review found, and the words
 * for a change it cannot judge. The review holds no rule's policy or texts; it asks each rule's
 * judge and combines the verdicts (fail wins over pass, pass over unknown).
 */
public interface ReviewJudge {

  /**
   * The change as the review sees it.
   *
   * @param head the semantic model at head
   * @param findings this rule's findings at head
   * @param suppressed this rule's findings at head silenced by a comment
   * @param added findings at head only (by fingerprint)
   * @param fixed findings at base only
   * @param changedNames qualified names of the changed functions
   * @param paths how paths are classified (tests, scripts)
   * @param includeContexts the do-not-flag contexts the user asked to judge too
   * @param before this rule's findings at base; for a function the change renamed or moved, its
   *     head finding stands for it (so it is neither new nor fixed)
   * @param changedLine whether the change touches line {@code line} of head file {@code path}
   * @param base the semantic model at base (what the changed functions were before), or null
   */
  record Change(SemanticModel head, List<Finding> findings, List<Finding> suppressed,
      List<Finding> added, List<Finding> fixed, Set<String> changedNames, PathKinds paths,
      Set<String> includeContexts, List<Finding> before,
      java.util.function.BiPredicate<String, Integer> changedLine, SemanticModel base) {

    /** A change whose base side is not known: nothing was there, no line is known changed. */
    public Change(SemanticModel head, List<Finding> findings, List<Finding> suppressed,
        List<Finding> added, List<Finding> fixed, Set<String> changedNames, PathKinds paths,
        Set<String> includeContexts) {
      this(head, findings, suppressed, added, fixed, changedNames, paths, includeContexts,
          List.of(), (path, line) -> false, null);
    }
  }

  /**
   * A changed path: a function the change adds or modifies ({@code change} "added",
   * "modified"), or whose behaviour changed through a changed function it reaches
   * ("calls-changed-helper", with the qualified names in {@code via}), or whose findings changed.
   */
  record ChangedPath(Project.Fn function, String change, List<String> via) {
    public boolean direct() {
      return change.equals("added") || change.equals("modified");
    }
  }

  /**
   * The rule's verdict on one path.
   *
   * @param context how the function runs, in words ({@code request handler})
   * @param confidence for fail and pass; null for unknown
   * @param reasons why, first the main one
   * @param evidence positive evidence (for pass)
   * @param findings the findings a fail rests on
   */
  record Judgement(Verdict verdict, String context, Confidence confidence, List<String> reasons,
      List<EvidenceItem> evidence, List<Finding> findings) {}

  /**
   * Why nothing was judged.
   *
   * @param changedFiles the changed analysed files
   * @param changedFunctions qualified names of the changed (not removed) functions
   * @param unjudged paths that were found but not judged (do-not-flag code), with their reasons
   * @param usesConcurrency whether either side has code this rule is about at all
   * @param fixed findings the change removed
   */
  record Unjudged(List<String> changedFiles, List<String> changedFunctions,
      List<Unjudged.Path> unjudged, boolean usesConcurrency, int fixed, PathKinds paths) {
    /** One unjudged path: its function, file, line, reason and the changed helpers it reaches. */
    public record Path(String function, String path, int line, String reason, List<String> via) {}
  }

  /** The verdict on one changed path. */
  Judgement judge(ChangedPath path, Change change);

  /** The reasons of an unknown verdict when no path was judged. */
  List<String> unknownReasons(Unjudged what);
}
