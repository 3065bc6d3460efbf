package dev.loopguard.core.rules;

import dev.loopguard.core.analysis.ServiceReach;
import dev.loopguard.core.diff.review.ReviewResult.EvidenceItem;
import dev.loopguard.core.diff.review.ReviewResult.Verdict;
import dev.loopguard.core.ir.FunctionIr;
import dev.loopguard.core.model.Attributes;
import dev.loopguard.core.model.ChainHop;
import dev.loopguard.core.model.Confidence;
import dev.loopguard.core.model.Finding;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The review judgement of a rule about what service code does ({@link ServiceReach}): a changed
 * path that the service runs fails with the rule's findings in it (new, or already there in a
 * function the change modifies or through a changed helper), passes when it has none, and is not
 * judged in do-not-flag code or outside the service. The rule gives the words.
 *
 * @param clean what a passing path does not do, as a clause ({@code makes no outbound call without
 *     a timeout})
 * @param fixedWord what a fixed finding no longer does ({@code no longer calls})
 * @param fixedOne what one fixed finding was ({@code outbound call without a timeout})
 * @param fixedMany what several were
 */
public record ServiceCodeJudge(String clean, String fixedWord, String fixedOne, String fixedMany)
    implements ReviewJudge {

  @Override
  public Judgement judge(ChangedPath t, Change change) {
    FunctionIr f = t.function().ir();
    String path = t.function().module().path();
    ServiceReach.Reached r = ServiceReach.of(change.head()).get(t.function().id());
    if (r == null) {
      return new Judgement(Verdict.UNKNOWN, "not service code", null,
          List.of(f.qualifiedName() + " is not reached from event-loop or worker-thread code"),
          List.of(), List.of());
    }
    String context = ServicePaths.context(r);
    String excluded = change.paths().kindOf(path);
    if (excluded == null) {
      excluded = r.heat().heat().excludedAs();
    }
    if (excluded != null && !change.includeContexts().contains(excluded)) {
      return new Judgement(Verdict.UNKNOWN, context, null,
          List.of(excluded + " code (" + path + "): the rule does not judge it"), List.of(), List.of());
    }
    Set<String> added = new HashSet<>();
    change.added().forEach(x -> added.add(x.fingerprint()));
    List<Finding> mine = new ArrayList<>();
    for (Finding x : change.findings()) {
      if (x.path().equals(path) && x.function().equals(f.qualifiedName())
          && (t.direct() || added.contains(x.fingerprint()) || through(x, change.changedNames()))) {
        mine.add(x);
      }
    }
    if (!mine.isEmpty()) {
      Confidence c = null;
      List<String> reasons = new ArrayList<>();
      for (Finding x : mine) {
        c = c == null || x.confidence().ordinal() < c.ordinal() ? x.confidence() : c;
        reasons.add(x.message() + (added.contains(x.fingerprint()) ? "" : " (already at base)"));
      }
      return new Judgement(Verdict.FAIL, context, c, List.copyOf(reasons), List.of(), List.copyOf(mine));
    }
    List<EvidenceItem> evidence = new ArrayList<>();
    for (Finding x : change.fixed()) {
      if (x.path().equals(path) && x.function().equals(f.qualifiedName())) {
        String api = x.attribute(Attributes.API);
        evidence.add(new EvidenceItem("fixed", f.qualifiedName(), path, x.line(), api,
            fixedWord + " " + api + " (line " + x.line() + " at base)"));
      }
    }
    for (Finding x : change.suppressed()) {
      if (x.path().equals(path) && x.function().equals(f.qualifiedName())) {
        String api = x.attribute(Attributes.API);
        evidence.add(new EvidenceItem("suppressed", f.qualifiedName(), path, x.line(), api,
            api + " is suppressed by a comment"));
      }
    }
    if (evidence.isEmpty()) {
      evidence.add(new EvidenceItem("clean", f.qualifiedName(), path, f.nameSpan().line(), null, clean));
    }
    List<String> said = new ArrayList<>();
    for (EvidenceItem e : evidence) {
      if (!said.contains(e.text())) {
        said.add(e.text());
      }
    }
    return new Judgement(Verdict.PASS, context, Confidence.MEDIUM,
        List.of(f.qualifiedName() + ": " + String.join("; ", said) + "."), List.copyOf(evidence), List.of());
  }

  /**
   * Only what this rule adds: why no path was judged is the same for every rule that judges the
   * service's code (no changed file, no async code, only do-not-flag code), and the review's
   * other judges say it.
   */
  @Override
  public List<String> unknownReasons(Unjudged what) {
    if (what.changedFiles().isEmpty() || what.fixed() == 0) {
      return List.of();
    }
    return List.of("It removes " + what.fixed() + " " + (what.fixed() == 1 ? fixedOne : fixedMany)
        + " (listed as fixed).");
  }

  private static boolean through(Finding f, Set<String> changedNames) {
    for (ChainHop h : f.chain()) {
      if (changedNames.contains(h.function()) || changedNames.contains(h.call())) {
        return true;
      }
    }
    return false;
  }
}
