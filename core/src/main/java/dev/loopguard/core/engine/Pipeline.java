package dev.loopguard.core.engine;

import dev.loopguard.core.config.ScanOptions;
import dev.loopguard.core.config.Settings;
import dev.loopguard.core.diff.Baseline;
import dev.loopguard.core.diff.review.Review;
import dev.loopguard.core.frontend.Frontends;
import dev.loopguard.core.knowledge.FactIndex;
import dev.loopguard.core.model.EvidenceSite;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.model.Observations;
import dev.loopguard.core.model.UndescribedCall;
import dev.loopguard.core.analysis.SemanticModel;
import dev.loopguard.core.rules.RuleContext;
import dev.loopguard.core.report.Report;
import dev.loopguard.core.report.SourceLines;
import dev.loopguard.core.result.ScanResult;
import dev.loopguard.core.result.UnusedSuppression;
import dev.loopguard.core.rules.Fingerprints;
import dev.loopguard.core.rules.Rule;
import dev.loopguard.core.runtime.EvidenceException;
import dev.loopguard.core.runtime.EvidenceFiles;
import dev.loopguard.core.runtime.EvidenceJoin;
import dev.loopguard.core.runtime.EvidenceLoader;
import dev.loopguard.core.runtime.RuntimeRunner;
import dev.loopguard.core.rules.Rules;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.List;
import java.util.Set;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The one way from settings to what is reported, shared by scan, baseline, review (and any
 * long-running server): settings → workspace (walk, lower, caches) → semantic model → rules →
 * suppressions → the user's policy → baseline → report. Commands resolve settings, ask the
 * pipeline, and write what it gives; none of them repeats a step.
 */
public final class Pipeline {
  private final Settings settings;
  private final Knowledge knowledge;
  private final List<Rule> rules;
  private final Supplier<FactIndex> facts;

  /**
   * A pipeline for {@code settings}, loading knowledge through {@code knowledge} (whose built-in
   * packs it shares with other pipelines of the process) and knowing {@code rules} (the ones the
   * settings select run).
   */
  public Pipeline(Settings settings, Knowledge knowledge, List<Rule> rules) {
    this.settings = settings;
    this.knowledge = knowledge;
    this.rules = List.copyOf(rules);
    Settings.KnowledgeSpec spec = settings.knowledge();
    // Loaded when first needed: a scan that reuses the last result (nothing changed) needs none.
    this.facts = once(() -> {
      FactIndex base = knowledge.load(spec.packs(), spec.disabled());
      return spec.configFacts().isEmpty() ? base : base.with(spec.configFacts(), spec.disabled());
    });
  }

  /** A pipeline with every rule on the class path. */
  public Pipeline(Settings settings, Knowledge knowledge) {
    this(settings, knowledge, Rules.all());
  }

  public Settings settings() {
    return settings;
  }

  /** The facts the settings ask for (loaded on first use). */
  public FactIndex facts() {
    return facts.get();
  }

  /** The rules the settings select, in id order. */
  public List<Rule> selectedRules() {
    Set<String> wanted = settings.options().rules();
    return rules.stream().filter(r -> wanted.isEmpty() || wanted.contains(r.id())).toList();
  }

  /** The workspace and analysis step: a scanner with the settings' knowledge and every rule. */
  public Scanner scanner() {
    return new Scanner(settings.frontends(), facts, settings.knowledge().key(), rules);
  }

  /**
   * What part of a whole-project scan is reported (the files a pre-commit hook names, say): the
   * project is analysed whole, and only what concerns the scope is kept.
   */
  public interface Scope {
    /** The result with only the findings, suppressed findings and diagnostics in scope. */
    ScanResult narrow(ScanResult result);

    /** The unused suppressions in scope. */
    List<UnusedSuppression> narrowUnused(List<UnusedSuppression> unused);
  }

  /**
   * What to do besides scanning.
   *
   * @param diskCache keep lowered files and results in the scan root's cache folder
   * @param baseline findings to leave out because the baseline holds them, or null
   * @param reportUnused also find suppression comments that silence nothing
   * @param scope what part of the project is reported, or null for all of it
   * @param evidence run-time evidence files to join to the findings, as the user named them
   *     (relative to {@code workingDir})
   * @param workingDir the folder relative paths the user gave are relative to
   * @param progress receives the count of files done
   * @param total receives the count of files found
   */
  public record Request(boolean diskCache, Baseline baseline, boolean reportUnused, Scope scope,
      List<Path> evidence, Path workingDir, IntConsumer progress, IntConsumer total) {
    public static Request plain() {
      return new Request(false, null, false, null, List.of(), null, n -> {}, n -> {});
    }
  }

  /**
   * A scan's outcome at each step.
   *
   * @param raw what the rules found, suppressions applied
   * @param reported what the user's policy and the baseline leave to report
   * @param baselined how many findings the baseline held back, or null without a baseline
   * @param unused suppression comments that silence nothing, or null when not asked for
   * @param evidence what reported code already does right
   * @param observed what run-time evidence shows of the reported findings
   * @param notes what the user should read about the run (evidence that maps to no file, ...)
   */
  public record Outcome(ScanResult raw, ScanResult reported, Integer baselined,
      List<UnusedSuppression> unused, List<EvidenceSite> evidence, Observations observed,
      List<String> notes) {}

  /** Scans as the settings say and applies the policy, the baseline and the unused check. */
  public Outcome scan(Request request) {
    ScanResult raw = scanner().withDiskCache(request.diskCache())
        .scan(settings.options(), request.progress(), request.total());
    // The scope and the policy are both filters of findings: narrowed first, the policy has less
    // to do, and what it leaves out for confidence alone is counted on the same findings.
    ScanResult scoped = request.scope() != null ? request.scope().narrow(raw) : raw;
    ScanResult result = settings.apply(scoped);
    Observations observed = Observations.NONE;
    List<String> notes = new ArrayList<>();
    int hidden = settings.hiddenByConfidence(scoped.findings());
    if (hidden > 0) {
      notes.add(hidden + (hidden == 1 ? " finding" : " findings") + " below the minimum confidence ("
          + settings.minConfidence().label() + ") not reported; --min-confidence low shows "
          + (hidden == 1 ? "it." : "them."));
    }
    if (!request.evidence().isEmpty()) {
      EvidenceJoin.Joined joined = joinEvidence(raw, result, request.evidence(),
          request.workingDir() != null ? request.workingDir() : settings.root(), notes);
      result = result.withFindings(joined.findings(), result.suppressed());
      observed = joined.observed();
    }
    Integer baselined = null;
    if (request.baseline() != null) {
      Baseline.Match m = request.baseline().match(result.findings(), new SourceLines(settings.root()));
      result = result.withFindings(m.fresh(), result.suppressed());
      baselined = m.known().size();
    }
    List<UnusedSuppression> unused = null;
    if (request.reportUnused()) {
      Set<String> ran = selectedRules().stream().map(Rule::id)
          .collect(Collectors.toCollection(LinkedHashSet::new));
      Set<String> known = rules.stream().map(Rule::id).collect(Collectors.toSet());
      unused = Suppressions.unused(raw, settings.frontends(), ran, known, Suppressions.claimsOf(rules));
      if (request.scope() != null) {
        unused = request.scope().narrowUnused(unused);
      }
    }
    return new Outcome(raw, result, baselined, unused, settings.evidence(result), observed,
        List.copyOf(notes));
  }

  /**
   * Scans a tree held in memory (an editor's files with their unsaved text) as the settings say
   * and applies the policy: {@code files} maps paths relative to the root to contents (see
   * {@link Scanner#scan(Map, ScanOptions, ModuleCache)}); {@code cache} keeps lowered modules, so
   * that files unchanged since another scan with it are not lowered again.
   */
  public Outcome scan(Map<String, byte[]> files, ModuleCache cache) {
    ScanResult raw = scanner().scan(files, settings.options(), cache);
    ScanResult result = settings.apply(raw);
    return new Outcome(raw, result, null, null, settings.evidence(result), Observations.NONE, List.of());
  }

  /**
   * Joins run-time evidence to the reported findings: a finding whose location or chain an event
   * matches is observed; an event no static finding explains becomes a finding of the rule that
   * owns run-time evidence of blocking, with the reason.
   */
  private EvidenceJoin.Joined joinEvidence(ScanResult raw, ScanResult result, List<Path> files,
      Path workingDir, List<String> notes) {
    String owner = rules.stream().filter(Rule::ownsRuntimeEvidence).map(Rule::id).findFirst()
        .orElseThrow(() -> new IllegalStateException("no rule takes run-time evidence"));
    EvidenceLoader loader = new EvidenceLoader(settings.frontends(), settings.root(), facts(), owner);
    List<EvidenceFiles.Read> reads;
    try {
      reads = loader.read(files, workingDir);
    } catch (EvidenceException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    Set<String> reported = result.findings().stream().map(Fingerprints::key).collect(Collectors.toSet());
    List<Finding> unreported = raw.findings().stream()
        .filter(f -> !reported.contains(Fingerprints.key(f))).toList();
    EvidenceJoin.Joined joined = loader.join(result.findings(), unreported, reads);
    for (EvidenceFiles.Read r : reads) {
      if (r.events().isEmpty()) {
        notes.add(r.file() + ": no events");
      }
    }
    if (!joined.unmapped().isEmpty()) {
      StringBuilder sb = new StringBuilder(joined.unmapped().size() + " of " + joined.events()
          + " run-time events have no frame in the scanned tree (" + settings.root() + "):");
      for (String line : RuntimeRunner.summary(joined.unmapped(), 10)) {
        sb.append("\n  ").append(line);
      }
      notes.add(sb.toString());
    }
    return joined;
  }

  /** What reporters render of {@code outcome}. */
  public Report report(Outcome outcome, boolean timing) {
    return report(outcome, timing, null);
  }

  /** What reporters render of {@code outcome}, with what the analysis could not see (or null). */
  public Report report(Outcome outcome, boolean timing, List<UndescribedCall> unknownCalls) {
    return new Report(outcome.reported(), settings.root(), selectedRules(), timing,
        outcome.evidence(), outcome.baselined(), outcome.unused(), outcome.observed(), unknownCalls);
  }

  /**
   * What the selected rules could not judge for want of knowledge in the reported code: external
   * calls on their paths that no fact describes, most-reached first. A scan that reused the last
   * result (no model) is analysed again, without the result cache.
   */
  public List<UndescribedCall> undescribedCalls(Outcome outcome) {
    SemanticModel model = outcome.raw().model();
    if (model == null) {
      model = scanner().scan(settings.options()).model();
    }
    RuleContext ctx = new RuleContext(model, Frontends.pathKinds(settings.frontends()),
        settings.options().includeContexts());
    Map<String, UndescribedCall> byApi = new LinkedHashMap<>();
    for (Rule r : selectedRules()) {
      for (UndescribedCall c : r.undescribedCalls(ctx, settings::reportsPath)) {
        byApi.merge(c.api(), c, (a, b) -> a.roots() >= b.roots() ? a : b);
      }
    }
    List<UndescribedCall> out = new ArrayList<>(byApi.values());
    out.sort(Comparator.comparingInt(UndescribedCall::roots).reversed()
        .thenComparing(Comparator.comparingInt(UndescribedCall::sites).reversed())
        .thenComparing(UndescribedCall::api));
    return List.copyOf(out);
  }

  /**
   * A review of changes under these settings: the same knowledge, rules and policy as a scan,
   * with the do-not-flag contexts the settings report judged too.
   */
  public Review review() {
    return new Review(scanner(), rules, Frontends.pathKinds(settings.frontends()), settings::apply);
  }

  /** The options a review scans each side with: no outlines, the reported contexts judged. */
  public ScanOptions reviewOptions() {
    return settings.options().withIncludeContexts(settings.contexts())
        .withOutlines(Set.of(), List.of());
  }

  private static <T> Supplier<T> once(Supplier<T> make) {
    return new Supplier<>() {
      private T value;

      @Override
      public synchronized T get() {
        if (value == null) {
          value = make.get();
        }
        return value;
      }
    };
  }
}
