package dev.loopguard.core.rules.perf004;

import dev.loopguard.core.analysis.ExecutionContext;
import dev.loopguard.core.analysis.Heat;
import dev.loopguard.core.diff.review.ReviewResult.EvidenceItem;
import dev.loopguard.core.diff.review.ReviewResult.Verdict;
import dev.loopguard.core.ir.FunctionIr;
import dev.loopguard.core.model.Attributes;
import dev.loopguard.core.model.Cause;
import dev.loopguard.core.model.ChainHop;
import dev.loopguard.core.model.Confidence;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.rules.DoNotFlag;
import dev.loopguard.core.rules.ReviewJudge;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * perf-004's judgement of a change, as its card asks: a changed event-loop path fails with the
 * blocking calls it makes (new, or already there in a function the change modifies), passes
 * with the evidence it rests on (awaited async APIs, offloads, removed blocking calls), and is
 * not judged in test, script, command-line or start-up code.
 */
final class BlockingReviewJudge implements ReviewJudge {

  @Override
  public Judgement judge(ChangedPath t, Change change) {
    FunctionIr f = t.function().ir();
    String path = t.function().module().path();
    ExecutionContext ctx = change.head().context();
    ExecutionContext.HeatInfo heat = ctx.loopHeat(t.function());
    Heat h = heat == null ? Heat.NONE : heat.heat();
    String excluded = DoNotFlag.contextOf(change.paths(), path, f, h, null);
    String context = contextOf(excluded, h, heat, f);
    if (excluded != null && !change.includeContexts().contains(excluded)) {
      return new Judgement(Verdict.UNKNOWN, context, null, List.of(excludedReason(excluded, path)),
          List.of(), List.of());
    }
    Set<String> newFps = new HashSet<>();
    change.added().forEach(x -> newFps.add(x.fingerprint()));
    List<Finding> mine = new ArrayList<>();
    for (Finding x : change.findings()) {
      if (x.path().equals(path) && x.function().equals(f.qualifiedName())
          && (t.direct() || newFps.contains(x.fingerprint()) || throughChanged(x, change.changedNames()))) {
        mine.add(x);
      }
    }
    Introduced introduced = introduced(mine, path, f.qualifiedName(), change);
    if (!introduced.findings().isEmpty()) {
      Confidence c = null;
      for (Finding x : introduced.findings()) {
        c = c == null ? x.confidence() : best(c, x.confidence());
      }
      List<String> reasons = new ArrayList<>(introduced.reasons());
      reasons.addAll(introduced.alreadyThere());
      return new Judgement(Verdict.FAIL, context, c, List.copyOf(reasons), List.of(),
          List.copyOf(introduced.findings()));
    }
    List<EvidenceItem> evidence = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    boolean positive = false;
    for (ExecutionContext.Evidence e : ctx.evidence()) {
      if (!e.function().id().equals(f.id())) {
        continue;
      }
      int line = e.site().span().line();
      if (!seen.add(e.kind() + "|" + e.api() + "|" + line)) {
        continue;
      }
      // Evidence counts for the change only where the change is: an await elsewhere in the
      // function says nothing about the changed code.
      boolean changed = change.changedLine().test(e.module().path(), line);
      String text = (e.kind().equals("offload")
          ? "hands work to a worker thread through " + e.api()
          : e.kind().equals("async-api") ? "awaits " + e.api() : e.kind() + " " + e.api())
          + (changed ? "" : " (unchanged code, line " + line + ")");
      evidence.add(new EvidenceItem(e.kind(), f.qualifiedName(), e.module().path(), line, e.api(), text));
      positive |= changed && (e.kind().equals("offload") || e.kind().equals("async-api"));
    }
    for (Finding x : change.suppressed()) {
      if (x.path().equals(path) && x.function().equals(f.qualifiedName())) {
        String api = x.attribute(Attributes.API);
        evidence.add(new EvidenceItem("suppressed", f.qualifiedName(), path, x.line(), api,
            api + " is suppressed by a comment"));
      }
    }
    for (Finding x : change.fixed()) {
      if (x.path().equals(path) && x.function().equals(f.qualifiedName())) {
        String api = x.attribute(Attributes.API);
        evidence.add(new EvidenceItem("fixed", f.qualifiedName(), path, x.line(), api,
            "no longer blocks on " + api + " (line " + x.line() + " at base)"));
      }
    }
    if (evidence.isEmpty()) {
      evidence.add(new EvidenceItem("no-blocking-call", f.qualifiedName(), path, f.nameSpan().line(), null,
          "no blocking call is reachable from it"));
    }
    List<String> said = new ArrayList<>();
    for (EvidenceItem e : evidence) {
      if (!said.contains(e.text())) {
        said.add(e.text());
      }
    }
    if (!introduced.alreadyThere().isEmpty()) {
      List<String> reasons = new ArrayList<>();
      reasons.add("the change introduces no blocking on the event loop; "
          + introduced.alreadyThere().size() + (introduced.alreadyThere().size() == 1
              ? " blocking operation was" : " blocking operations were")
          + " already there on this path.");
      reasons.addAll(introduced.alreadyThere());
      return new Judgement(Verdict.PASS, context, Confidence.MEDIUM, List.copyOf(reasons),
          List.copyOf(evidence), List.of());
    }
    String reason = "no blocking call on the event loop; " + String.join("; ", said) + ".";
    return new Judgement(Verdict.PASS, context, positive ? Confidence.HIGH : Confidence.MEDIUM,
        List.of(reason), List.copyOf(evidence), List.of());
  }

  /**
   * What a changed path's findings owe to the change: the findings with a root cause the change
   * introduces (a new root cause, a new path to one, or one moved onto a hotter path), with their
   * reasons; and the root causes that were already there (or are one-time work the change does not
   * touch), in words.
   */
  private record Introduced(List<Finding> findings, List<String> reasons, List<String> alreadyThere) {}

  private static Introduced introduced(List<Finding> mine, String path, String function,
      Change change) {
    // The same function's findings at base: by fingerprint, and by the helper their call names
    // (a finding whose representative operation changed keeps its call but not its fingerprint).
    Map<String, Finding> baseByFp = new HashMap<>();
    Map<String, List<Finding>> baseByCall = new HashMap<>();
    for (Finding b : change.before()) {
      if (b.path().equals(path) && b.function().equals(function)) {
        baseByFp.put(b.fingerprint(), b);
        baseByCall.computeIfAbsent(firstCall(b), k -> new ArrayList<>()).add(b);
      }
    }
    Set<Finding> claimed = new HashSet<>(baseByFp.values().size());
    List<Finding> findings = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    List<String> already = new ArrayList<>();
    for (Finding x : mine) {
      Finding b = baseByFp.get(x.fingerprint());
      if (b == null) {
        for (Finding cand : baseByCall.getOrDefault(firstCall(x), List.of())) {
          // a base finding of the same call whose fingerprint is gone at head
          if (!claimed.contains(cand) && !fingerprintAtHead(cand, change)) {
            b = cand;
            break;
          }
        }
      }
      if (b != null) {
        claimed.add(b);
      }
      Set<String> baseCauses = b == null ? Set.of() : new HashSet<>(b.rootCauseIds());
      boolean hotter = b != null && x.priority().ordinal() < b.priority().ordinal();
      List<String> fresh = new ArrayList<>();
      List<Cause> causes = x.causes().isEmpty() ? List.of(selfCause(x)) : x.causes();
      for (Cause c : causes) {
        boolean there = baseCauses.contains(c.id());
        String what = c.api() + " (" + c.path() + ":" + c.line() + ")";
        if (c.once() && !change.changedNames().contains(c.function())) {
          if (!there) {
            already.add(what + " is one-time initialisation the change does not touch.");
          }
        } else if (!there) {
          fresh.add(b == null ? "a new path to " + what : "newly reached: " + what);
        } else if (hotter && !c.once()) {
          fresh.add(what + " now runs on a hotter path (" + b.priority().label() + " to "
              + x.priority().label() + ")");
        } else {
          already.add(what + " was already there (" + x.message() + ")");
        }
      }
      if (!fresh.isEmpty()) {
        findings.add(x);
        reasons.add(x.message() + " Introduced by the change: " + String.join("; ", fresh) + ".");
      }
    }
    return new Introduced(findings, reasons, already);
  }

  private static boolean fingerprintAtHead(Finding base, Change change) {
    for (Finding h : change.findings()) {
      if (h.fingerprint().equals(base.fingerprint())) {
        return true;
      }
    }
    return false;
  }

  /** The finding as its own root cause (a finding that lists none). */
  private static Cause selfCause(Finding x) {
    return new Cause(x.fingerprint(), x.path(), x.line(), x.span().column(), x.function(), 0,
        x.subject(), x.category(), x.confidence(), false, x.chain(), x.attributes());
  }

  private static String firstCall(Finding f) {
    return f.chain().isEmpty() ? f.subject() : f.chain().get(0).call();
  }

  @Override
  public List<String> unknownReasons(Unjudged what) {
    List<String> out = new ArrayList<>(reasons(what));
    if (what.fixed() > 0) {
      out.add("It removes " + what.fixed() + (what.fixed() == 1 ? " blocking call" : " blocking calls")
          + " from the event loop (listed as fixed).");
    }
    return out;
  }

  private static List<String> reasons(Unjudged what) {
    List<String> out = new ArrayList<>();
    if (what.changedFiles().isEmpty()) {
      out.add("No analysed source file changed.");
      return out;
    }
    if (!what.usesConcurrency()) {
      out.add("The repository does not use async concurrency: it has no async function and no "
          + "event-loop callback, so nothing it runs can block an event loop.");
      return out;
    }
    if (!what.unjudged().isEmpty()) {
      out.add("The change touches only test, script, command-line or startup code on the event loop, "
          + "which the rule does not judge.");
      for (Unjudged.Path p : what.unjudged()) {
        out.add(p.function() + " (" + p.path() + ":" + p.line() + "): " + p.reason());
      }
      Set<String> judged = new HashSet<>();
      for (Unjudged.Path p : what.unjudged()) {
        judged.add(p.function());
        judged.addAll(p.via());
      }
      List<String> others = what.changedFunctions().stream().filter(n -> !judged.contains(n)).toList();
      if (!others.isEmpty()) {
        out.add("The other changed code (" + list(others) + ") is not reached from any async function "
            + "or loop callback.");
      }
      return out;
    }
    List<String> excludedFiles = what.changedFiles().stream()
        .filter(p -> what.paths().kindOf(p) != null).toList();
    if (excludedFiles.size() == what.changedFiles().size()) {
      out.add("The change touches only tests and scripts (" + list(what.changedFiles()) + ").");
      return out;
    }
    if (what.changedFunctions().isEmpty()) {
      out.add("The change touches no code that runs on an event loop: only module-level code "
          + "(imports, definitions, start-up) or removed functions in " + list(what.changedFiles()) + ".");
    } else {
      out.add("The change touches no code that runs on an event loop: the repository does not use "
          + "async concurrency on the changed path (no async function or loop callback reaches "
          + list(what.changedFunctions()) + ").");
    }
    return out;
  }

  private static String list(List<String> items) {
    if (items.size() <= 5) {
      return String.join(", ", items);
    }
    return String.join(", ", items.subList(0, 5)) + " and " + (items.size() - 5) + " more";
  }

  private static String excludedReason(String excluded, String path) {
    return switch (excluded) {
      case "test" -> "test code (" + path + "): the rule does not judge tests";
      case "script" -> "a one-off script (" + path + "): the rule does not judge scripts";
      case "cli" -> "a command-line entry point: the rule does not judge command-line code";
      case "startup" -> "start-up or shutdown code: it runs once, not on a hot path";
      default -> excluded + " code";
    };
  }

  private static String contextOf(String excluded, Heat h, ExecutionContext.HeatInfo heat, FunctionIr f) {
    if (excluded != null) {
      return switch (excluded) {
        case "test" -> "test code";
        case "script" -> "script";
        case "cli" -> "command-line entry point";
        default -> "startup code";
      };
    }
    if (h == Heat.NONE) {
      return f.async() ? "async code with no known entry point" : "event-loop callback";
    }
    String origin = heat.origin();
    if (origin != null && !origin.equals(f.id())) {
      int hash = origin.indexOf('#');
      return h.description() + " (reached from " + (hash < 0 ? origin : origin.substring(0, hash)) + ")";
    }
    return h.description();
  }

  private static boolean throughChanged(Finding f, Set<String> changedNames) {
    for (ChainHop h : f.chain()) {
      if (changedNames.contains(h.function()) || changedNames.contains(h.call())) {
        return true;
      }
    }
    return false;
  }

  private static Confidence best(Confidence a, Confidence b) {
    return a.ordinal() <= b.ordinal() ? a : b;
  }
}
