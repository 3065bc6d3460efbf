package dev.loopguard.core.diff.review;

import dev.loopguard.core.analysis.CallGraph;
import dev.loopguard.core.analysis.HotPaths;
import dev.loopguard.core.analysis.SemanticModel;
import dev.loopguard.core.analysis.PathKinds;
import dev.loopguard.core.analysis.Project;
import dev.loopguard.core.analysis.ServiceReach;
import dev.loopguard.core.analysis.Target;
import dev.loopguard.core.diff.review.ReviewResult.EvidenceItem;
import dev.loopguard.core.diff.review.ReviewResult.PathVerdict;
import dev.loopguard.core.diff.review.ReviewResult.SideDiagnostic;
import dev.loopguard.core.diff.review.ReviewResult.Verdict;
import dev.loopguard.core.engine.FileWalker;
import dev.loopguard.core.frontend.Frontends;
import dev.loopguard.core.engine.ModuleCache;
import dev.loopguard.core.config.ScanOptions;
import dev.loopguard.core.result.ScanResult;
import dev.loopguard.core.engine.Scanner;
import dev.loopguard.core.frontend.LanguageFrontend;
import dev.loopguard.core.ir.CallSite;
import dev.loopguard.core.ir.Diagnostic;
import dev.loopguard.core.ir.FunctionIr;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.knowledge.FactIndex;
import dev.loopguard.core.knowledge.FactKind;
import dev.loopguard.core.model.ChainHop;
import dev.loopguard.core.model.Confidence;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.rules.ReviewJudge;
import dev.loopguard.core.rules.Rule;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.UnaryOperator;

/**
 * Reviews a change: scans both sides (sharing the lowering of files that did not change), maps
 * the changed lines to functions, finds every event-loop path the change touches — directly, or
 * through a changed sync helper it calls — and gives each a verdict as the rule card asks: fail
 * with the findings, pass with the positive evidence, or unknown with the reason. Findings are
 * matched between the sides by fingerprint, never by line, into new and fixed.
 */
public final class Review {
  /** Diagnostic kinds after which a file's IR may miss functions. */
  private static final Set<String> INCOMPLETE =
      Set.of("syntax-error", "too-deep", "internal-error", "unreadable", "too-large");

  /** Stack of the thread that scans the base side (the analysis recurses; scans use the same). */
  private static final long WORKER_STACK = 256L * 1024 * 1024;

  private final Scanner scanner;
  private final List<Rule> rules;
  private final PathKinds kinds;
  private final UnaryOperator<ScanResult> policy;

  /** A review that scans each side with {@code frontends}, {@code facts} and {@code rules}. */
  public Review(List<LanguageFrontend> frontends, FactIndex facts, List<Rule> rules) {
    this(new Scanner(frontends, facts, rules), rules, Frontends.pathKinds(frontends), r -> r);
  }

  /**
   * A review that scans each side with {@code scanner}, asks the judges of {@code rules}, and
   * applies the user's {@code policy} (what is reported) to each side's findings first.
   */
  public Review(Scanner scanner, List<Rule> rules, PathKinds kinds, UnaryOperator<ScanResult> policy) {
    this.scanner = scanner;
    this.rules = rules;
    this.kinds = kinds;
    this.policy = policy;
  }

  /** The walker a scan with these options uses (to read a working tree as a scan would). */
  public FileWalker walker(ScanOptions options) {
    return scanner.walker(options.root().toAbsolutePath().normalize(), options);
  }

  /** Reviews the change between two sides; {@code options} as for a scan. */
  public ReviewResult run(ReviewSources.Sides sides, ScanOptions options) {
    return run(sides.base(), sides.head(), options, sides.notes());
  }

  /** Reviews the change from {@code base} to {@code head}; {@code options} as for a scan. */
  public ReviewResult run(Snapshot base, Snapshot head, ScanOptions options, List<String> notes) {
    long start = System.nanoTime();
    ModuleCache cache = new ModuleCache();
    // Both sides at once: files they share are lowered once (the other side waits for it), and
    // the two whole-program analyses, single-threaded each, run side by side.
    CompletableFuture<ScanResult> base0 = new CompletableFuture<>();
    Thread other = new Thread(null, () -> {
      try {
        base0.complete(scanner.scan(base.files(), options, cache));
      } catch (RuntimeException | Error e) {
        base0.completeExceptionally(e);
      }
    }, "loopguard-review-base", WORKER_STACK);
    other.setDaemon(true);
    other.start();
    ScanResult after = policy.apply(scanner.scan(head.files(), options, cache));
    ScanResult before;
    try {
      before = policy.apply(base0.join());
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      if (e.getCause() instanceof Error er) {
        throw er;
      }
      throw e;
    }
    return compare(base, head, before, after, options, cache, start, notes);
  }

  private ReviewResult compare(Snapshot base, Snapshot head, ScanResult before, ScanResult after,
      ScanOptions options, ModuleCache cache, long start, List<String> notes) {
    SemanticModel ba = before.model();
    SemanticModel ha = after.model();
    Map<String, ModuleIr> bm = byPath(ba.project());
    Map<String, ModuleIr> hm = byPath(ha.project());

    // What changed: files, then functions.
    TreeSet<String> analysed = new TreeSet<>(bm.keySet());
    analysed.addAll(hm.keySet());
    for (Diagnostic d : before.diagnostics()) {
      analysed.add(d.path());
    }
    for (Diagnostic d : after.diagnostics()) {
      analysed.add(d.path());
    }
    List<String> changedFiles = new ArrayList<>();
    Map<String, LineChanges> lineChanges = new HashMap<>();
    List<FunctionChange> changes = new ArrayList<>();
    List<String> incomplete = new ArrayList<>();
    for (String path : analysed) {
      if ((!base.contains(path) && !head.contains(path)) || base.sameContent(head, path)) {
        continue;
      }
      changedFiles.add(path);
      ModuleIr mb = bm.get(path);
      ModuleIr mh = hm.get(path);
      String problem = head.contains(path) ? incompleteReason(path, mh, after.diagnostics()) : null;
      if (problem != null) {
        incomplete.add(problem);
      }
      LineChanges lines = LineChanges.between(mb == null ? null : base.read(path),
          mh == null ? null : head.read(path));
      lineChanges.put(path, lines);
      changes.addAll(FunctionChange.of(mb, mh, lines, problem != null));
    }
    changes.sort(Comparator.comparing(FunctionChange::path).thenComparingInt(FunctionChange::line)
        .thenComparing(FunctionChange::id));

    Set<String> headChanged = new HashSet<>();
    Set<String> baseChanged = new HashSet<>();
    Set<String> changedNames = new HashSet<>();
    for (FunctionChange c : changes) {
      if (c.kind() != FunctionChange.Kind.REMOVED) {
        headChanged.add(c.id());
      }
      if (c.kind() != FunctionChange.Kind.ADDED) {
        baseChanged.add(c.id());
      }
      changedNames.add(c.function());
    }

    // New and fixed findings, by fingerprint.
    Set<String> baseFps = new HashSet<>();
    before.findings().forEach(f -> baseFps.add(f.fingerprint()));
    Set<String> headFps = new HashSet<>();
    after.findings().forEach(f -> headFps.add(f.fingerprint()));
    List<Finding> added = after.findings().stream().filter(f -> !baseFps.contains(f.fingerprint())).toList();
    List<Finding> fixed = before.findings().stream().filter(f -> !headFps.contains(f.fingerprint())).toList();
    // A finding of a renamed or moved function is the same finding: neither new nor fixed.
    Map<Finding, Finding> moved = MovedFindings.match(added, fixed, base, head, changes);
    if (!moved.isEmpty()) {
      added = added.stream().filter(f -> !moved.containsKey(f)).toList();
      Set<Finding> movedBase = new HashSet<>(moved.values());
      fixed = fixed.stream().filter(f -> !movedBase.contains(f)).toList();
    }
    List<Finding> beforeFindings = new ArrayList<>(before.findings().size());
    Map<Finding, Finding> headOf = new HashMap<>();
    moved.forEach((h, b) -> headOf.put(b, h));
    for (Finding f : before.findings()) {
      Finding h = headOf.get(f);
      beforeFindings.add(h == null ? f : h); // a moved finding is the same finding
    }
    java.util.function.BiPredicate<String, Integer> changedLine = (path, line) -> {
      LineChanges lc = lineChanges.get(path);
      return lc != null && lc.headTouches(line, line);
    };

    // The event-loop paths the change touches.
    Map<String, Touched> touched = new LinkedHashMap<>();
    Project hp = ha.project();
    for (FunctionChange c : changes) {
      Project.Fn fn = hp.function(c.id());
      if (c.kind() != FunctionChange.Kind.REMOVED && fn != null && ha.context().runsOnLoop(fn)) {
        touched.computeIfAbsent(c.id(), k -> new Touched(fn, c.kind().label()));
      }
    }
    reach(ha, headChanged).forEach((id, via) -> touched
        .computeIfAbsent(id, k -> new Touched(hp.function(id), "calls-changed-helper")).via.addAll(via));
    reach(ba, baseChanged).forEach((id, via) -> {
      Project.Fn fn = hp.function(id);
      if (fn != null && ha.context().runsOnLoop(fn)) {
        touched.computeIfAbsent(id, k -> new Touched(fn, "calls-changed-helper")).via.addAll(via);
      }
    });
    for (Finding f : concat(added, fixed)) {
      for (Project.Fn fn : hp.functionsNamed(f.function())) {
        // A finding can stand in code the service runs off the loop (a worker thread, a helper).
        if (fn.module().path().equals(f.path())
            && (ha.context().runsOnLoop(fn) || ServiceReach.of(ha).get(fn.id()) != null)) {
          touched.computeIfAbsent(fn.id(), k -> new Touched(fn, "findings-changed"));
        }
      }
    }

    // A verdict per path.
    List<PathVerdict> paths = new ArrayList<>();
    for (Touched t : touched.values()) {
      paths.add(judge(t, after, ha, ba, added, fixed, changedNames, options, beforeFindings,
          changedLine));
    }
    paths.sort(Comparator.comparing(PathVerdict::path).thenComparingInt(PathVerdict::line)
        .thenComparing(PathVerdict::id));

    // Overall.
    List<String> reasons = new ArrayList<>();
    List<EvidenceItem> evidence = new ArrayList<>();
    List<String> remediation = new ArrayList<>();
    Verdict verdict;
    Confidence confidence = null;
    List<PathVerdict> failing = paths.stream().filter(p -> p.verdict() == Verdict.FAIL).toList();
    List<PathVerdict> passing = paths.stream().filter(p -> p.verdict() == Verdict.PASS).toList();
    if (!failing.isEmpty()) {
      verdict = Verdict.FAIL;
      Set<String> ruleIds = new LinkedHashSet<>();
      for (PathVerdict p : failing) {
        confidence = confidence == null ? p.confidence() : best(confidence, p.confidence());
        reasons.add(p.function() + " (" + p.path() + ":" + p.line() + "): " + p.reasons().get(0));
        p.findings().forEach(f -> ruleIds.add(f.rule()));
      }
      for (Rule r : rules) {
        if (ruleIds.contains(r.id()) && r.card().remediation() != null) {
          remediation.addAll(r.card().remediation());
        }
      }
    } else if (!incomplete.isEmpty()) {
      verdict = Verdict.UNKNOWN;
      reasons.addAll(incomplete);
    } else if (!passing.isEmpty()) {
      verdict = Verdict.PASS;
      confidence = Confidence.HIGH;
      for (PathVerdict p : passing) {
        confidence = p.confidence() == Confidence.HIGH ? confidence : Confidence.MEDIUM;
        reasons.add(p.function() + " (" + p.path() + ":" + p.line() + "): " + p.reasons().get(0));
        evidence.addAll(p.evidence());
      }
    } else {
      verdict = Verdict.UNKNOWN;
      reasons.addAll(unknownReasons(changedFiles, changes, paths, before, after, fixed.size()));
    }
    for (PathVerdict p : paths) {
      if (verdict != Verdict.UNKNOWN && p.verdict() == Verdict.UNKNOWN) {
        reasons.add(p.function() + " (" + p.path() + ":" + p.line() + ") is not judged: " + p.reasons().get(0));
      }
    }
    if (verdict == Verdict.FAIL) {
      reasons.addAll(incomplete);
    }

    List<SideDiagnostic> diagnostics = new ArrayList<>();
    Set<String> changedSet = new HashSet<>(changedFiles);
    before.diagnostics().stream().filter(d -> changedSet.contains(d.path()))
        .forEach(d -> diagnostics.add(new SideDiagnostic("base", d)));
    after.diagnostics().stream().filter(d -> changedSet.contains(d.path()))
        .forEach(d -> diagnostics.add(new SideDiagnostic("head", d)));

    double seconds = (System.nanoTime() - start) / 1e9;
    return new ReviewResult(base.label(), head.label(), verdict, confidence, List.copyOf(reasons),
        List.copyOf(evidence), List.copyOf(paths), List.copyOf(changes), List.copyOf(changedFiles),
        added, fixed, List.copyOf(remediation), List.copyOf(diagnostics), List.copyOf(notes),
        new ReviewResult.Stats(before.stats().files(), after.stats().files(), cache.misses(),
            cache.hits(), seconds));
  }

  /** A touched path being collected. */
  private static final class Touched {
    final Project.Fn fn;
    final String change;
    final TreeSet<String> via = new TreeSet<>();

    Touched(Project.Fn fn, String change) {
      this.fn = fn;
      this.change = change;
    }
  }

  /**
   * The verdict on a path: each rule's judge gives one; fail wins over pass, pass over unknown
   * (their reasons, evidence and findings are merged).
   */
  private PathVerdict judge(Touched t, ScanResult after, SemanticModel ha, SemanticModel ba,
      List<Finding> added, List<Finding> fixed, Set<String> changedNames, ScanOptions options,
      List<Finding> beforeFindings, java.util.function.BiPredicate<String, Integer> changedLine) {
    FunctionIr f = t.fn.ir();
    String path = t.fn.module().path();
    ReviewJudge.ChangedPath changed = new ReviewJudge.ChangedPath(t.fn, t.change, List.copyOf(t.via));
    ReviewJudge.Judgement best = null;
    List<String> reasons = new ArrayList<>();
    List<EvidenceItem> evidence = new ArrayList<>();
    List<Finding> findings = new ArrayList<>();
    for (Rule r : rules) {
      ReviewJudge judge = r.judge();
      if (judge == null) {
        continue;
      }
      ReviewJudge.Change change = new ReviewJudge.Change(ha, ofRule(after.findings(), r),
          ofRule(after.suppressed(), r), ofRule(added, r), ofRule(fixed, r), changedNames, kinds,
          options.includeContexts(), ofRule(beforeFindings, r), changedLine, ba);
      ReviewJudge.Judgement j = judge.judge(changed, change);
      // A judge with nothing to say on the path (no reasons) yields to one that has.
      boolean saysMore = best != null && j.verdict() == best.verdict()
          && best.reasons().isEmpty() && !j.reasons().isEmpty();
      if (best == null || rank(j.verdict()) > rank(best.verdict()) || saysMore) {
        best = j;
        reasons.clear();
        evidence.clear();
        findings.clear();
      } else if (j.verdict() != best.verdict()) {
        continue;
      } else if (j.confidence() != null && best.confidence() != null) {
        best = new ReviewJudge.Judgement(best.verdict(), best.context(),
            best(best.confidence(), j.confidence()), best.reasons(), best.evidence(), best.findings());
      }
      reasons.addAll(j.reasons());
      evidence.addAll(j.evidence());
      findings.addAll(j.findings());
    }
    if (best == null) {
      return new PathVerdict(f.qualifiedName(), f.id(), path, f.nameSpan().line(), t.change,
          List.copyOf(t.via), "", Verdict.UNKNOWN, null, List.of("no rule judges changes"),
          List.of(), List.of());
    }
    return new PathVerdict(f.qualifiedName(), f.id(), path, f.nameSpan().line(), t.change,
        List.copyOf(t.via), best.context(), best.verdict(), best.confidence(), List.copyOf(reasons),
        List.copyOf(evidence), List.copyOf(findings));
  }

  private static int rank(Verdict v) {
    return switch (v) {
      case FAIL -> 2;
      case PASS -> 1;
      default -> 0;
    };
  }

  private static List<Finding> ofRule(List<Finding> findings, Rule r) {
    return findings.stream().filter(f -> f.rule().equals(r.id())).toList();
  }

  /** Why the change is unknown when no path was judged: each judging rule's words. */
  private List<String> unknownReasons(List<String> changedFiles, List<FunctionChange> changes,
      List<PathVerdict> paths, ScanResult before, ScanResult after, int fixed) {
    boolean async = before.stats().asyncFunctions() > 0 || after.stats().asyncFunctions() > 0
        || !before.model().context().syncLoopRoots().isEmpty()
        || !after.model().context().syncLoopRoots().isEmpty();
    List<ReviewJudge.Unjudged.Path> unjudged = new ArrayList<>();
    for (PathVerdict p : paths) {
      unjudged.add(new ReviewJudge.Unjudged.Path(p.function(), p.path(), p.line(), p.reasons().get(0), p.via()));
    }
    List<String> names = changes.stream().filter(c -> c.kind() != FunctionChange.Kind.REMOVED)
        .map(FunctionChange::function).distinct().toList();
    ReviewJudge.Unjudged what = new ReviewJudge.Unjudged(changedFiles, names, unjudged, async, fixed, kinds);
    List<String> out = new ArrayList<>();
    for (Rule r : rules) {
      if (r.judge() != null) {
        for (String reason : r.judge().unknownReasons(what)) {
          if (!out.contains(reason)) {
            out.add(reason);
          }
        }
      }
    }
    return out;
  }

  private static String incompleteReason(String path, ModuleIr m, List<Diagnostic> diagnostics) {
    for (Diagnostic d : diagnostics) {
      if (d.path().equals(path) && INCOMPLETE.contains(d.kind())) {
        return path + " cannot be fully read at head (" + d.kind()
            + (d.line() > 0 ? " at line " + d.line() : "") + ": " + d.message()
            + "), so the change to it cannot be judged.";
      }
    }
    if (m == null) {
      return path + " could not be analysed at head, so the change to it cannot be judged.";
    }
    return null;
  }

  /**
   * The event-loop functions that reach one of {@code changed} (sync functions) through calls of
   * sync functions, or that hand such a function to an offloader; for each, the qualified names
   * of the changed functions it reaches.
   */
  static Map<String, TreeSet<String>> reach(SemanticModel a, Set<String> changed) {
    Map<String, TreeSet<String>> out = new LinkedHashMap<>();
    Project p = a.project();
    List<Project.Fn> starts = new ArrayList<>();
    for (String id : changed) {
      Project.Fn fn = p.function(id);
      if (fn != null && SemanticModel.isSync(fn)) {
        starts.add(fn);
      }
    }
    if (starts.isEmpty()) {
      return out;
    }
    CallGraph g = a.graph();
    Map<String, List<String>> callers = new HashMap<>();
    Map<String, List<String>> offloaders = new HashMap<>();
    for (ModuleIr m : p.modules()) {
      for (CallSite cs : m.calls()) {
        if (HotPaths.neverHot(cs)) {
          continue;
        }
        for (Target t : g.targets(m, cs)) {
          if (t instanceof Target.ProjectFunction pf) {
            if (!cs.awaited()) {
              callers.computeIfAbsent(pf.id(), k -> new ArrayList<>()).add(cs.scope());
            }
          } else if (t instanceof Target.Api api && api.fact() != null
              && api.fact().kind() == FactKind.OFFLOADS) {
            for (Target c : g.callableTargets(m, cs, api.fact())) {
              if (c instanceof Target.ProjectFunction pf) {
                offloaders.computeIfAbsent(pf.id(), k -> new ArrayList<>()).add(cs.scope());
              }
            }
          }
        }
      }
    }
    starts.sort(Comparator.comparing(Project.Fn::id));
    for (Project.Fn startFn : starts) {
      String label = startFn.ir().qualifiedName();
      ArrayDeque<String> queue = new ArrayDeque<>();
      Set<String> seen = new HashSet<>();
      queue.add(startFn.id());
      seen.add(startFn.id());
      while (!queue.isEmpty()) {
        String id = queue.poll();
        for (String o : offloaders.getOrDefault(id, List.of())) {
          Project.Fn fn = p.function(o);
          if (fn != null && a.context().runsOnLoop(fn)) {
            out.computeIfAbsent(o, k -> new TreeSet<>()).add(label);
          }
        }
        for (String c : callers.getOrDefault(id, List.of())) {
          Project.Fn fn = p.function(c);
          if (fn == null || !seen.add(c)) {
            continue;
          }
          if (a.context().runsOnLoop(fn)) {
            out.computeIfAbsent(c, k -> new TreeSet<>()).add(label);
          }
          if (SemanticModel.isSync(fn)) {
            queue.add(c);
          }
        }
      }
    }
    return out;
  }

  private static Map<String, ModuleIr> byPath(Project p) {
    Map<String, ModuleIr> out = new HashMap<>();
    for (ModuleIr m : p.modules()) {
      out.put(m.path(), m);
    }
    return out;
  }

  private static Confidence best(Confidence a, Confidence b) {
    return a.ordinal() <= b.ordinal() ? a : b;
  }

  private static List<Finding> concat(List<Finding> a, List<Finding> b) {
    List<Finding> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
