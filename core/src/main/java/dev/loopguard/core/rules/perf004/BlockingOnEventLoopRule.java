package dev.loopguard.core.rules.perf004;

import dev.loopguard.core.analysis.ExecutionContext;
import dev.loopguard.core.analysis.Heat;
import dev.loopguard.core.analysis.PathKinds;
import dev.loopguard.core.analysis.Project;
import dev.loopguard.core.ir.Arg;
import dev.loopguard.core.ir.CallSite;
import dev.loopguard.core.ir.FunctionIr;
import dev.loopguard.core.ir.Ref;
import dev.loopguard.core.knowledge.Fact;
import dev.loopguard.core.model.Attributes;
import dev.loopguard.core.model.ChainHop;
import dev.loopguard.core.model.Confidence;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.model.Priority;
import dev.loopguard.core.model.UndescribedCall;
import dev.loopguard.core.rules.Fingerprints;
import dev.loopguard.core.rules.ReportSections;
import dev.loopguard.core.rules.ReviewJudge;
import dev.loopguard.core.rules.Rule;
import dev.loopguard.core.rules.RuleCard;
import dev.loopguard.core.rules.RuleContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** perf-004: blocking operations reachable from an event loop. */
public final class BlockingOnEventLoopRule implements Rule {
  /** The card's id (a test checks that they agree), so that a scan need not read the card. */
  static final String ID = "perf-004";

  // Read when first asked (SARIF, reviews, rules, explain): a scan that reports JSON or text
  // never needs it, and reading it starts a YAML mapper on the scan's critical path.
  private volatile RuleCard card;

  @Override
  public String id() {
    return ID;
  }

  @Override
  public RuleCard card() {
    RuleCard c = card;
    if (c == null) {
      c = RuleCard.load(BlockingOnEventLoopRule.class);
      card = c;
    }
    return c;
  }

  private static final ReviewJudge JUDGE = new BlockingReviewJudge();

  @Override
  public ReviewJudge judge() {
    return JUDGE;
  }

  @Override
  public List<UndescribedCall> undescribedCalls(RuleContext ctx, Predicate<String> reported) {
    return UnknownCalls.of(ctx.model(), m -> reported.test(m.path()));
  }

  @Override
  public boolean ownsRuntimeEvidence() {
    return true;
  }

  @Override
  public ReportSections reportSections() {
    return BlockingReportSections.SECTIONS;
  }

  @Override
  public List<Finding> check(RuleContext ctx) {
    List<Finding> out = new ArrayList<>();
    for (LoopBlocks.LoopBlock b : LoopBlocks.of(ctx.model()).blocks()) {
      LoopBlocks.Step first = b.chain().get(0);
      String path = first.module().path();
      String excluded = excludedAs(ctx.paths(), path, b.root().ir(), b.heat().heat(), b.loop());
      if (excluded != null && !ctx.includeContexts().contains(excluded)) {
        continue;
      }
      Priority priority = b.heat().heat().priority(b.loop());
      if (excluded != null) {
        priority = Priority.P3;
      }
      out.add(toFinding(ctx.model().project(), b, path, excluded, priority));
    }
    // Obviously expensive computation written inline: the cpu category of this rule.
    out.addAll(HeavyComputation.findings(ctx));
    return Fingerprints.assign(out);
  }

  /**
   * The do-not-flag context code at {@code path} in {@code function} stands in: its path's kind
   * (test, script), a main guard (script), or what its heat says (start-up, command line); null
   * for code the rule judges.
   */
  static String excludedAs(PathKinds paths, String path, FunctionIr function, Heat heat,
      CallSite.LoopKind loop) {
    String excluded = paths.kindOf(path);
    if (excluded == null && function.hasFlag(FunctionIr.Flag.MAIN_GUARD)) {
      excluded = "script";
    }
    if (excluded == null) {
      excluded = heat.excludedAs(loop);
    }
    return excluded;
  }

  private Finding toFinding(Project project, LoopBlocks.LoopBlock b, String path, String excluded,
      Priority priority) {
    LoopBlocks.Step first = b.chain().get(0);
    LoopBlocks.Step last = b.chain().get(b.chain().size() - 1);
    FunctionIr root = b.root().ir();
    List<ChainHop> hops = new ArrayList<>();
    for (LoopBlocks.Step s : b.chain()) {
      var scope = project.function(s.site().scope());
      String fn = scope != null ? scope.ir().qualifiedName() : s.site().scope();
      hops.add(new ChainHop(s.module().path(), s.site().span().line(), s.site().span().column(), fn,
          s.label()));
    }
    Fact fact = b.fact();
    String kindOfFunction = root.async() ? "async function" : "event-loop callback";
    String message;
    String remediation;
    String replacement = fact.replacementFor(b.api());
    if (b.chain().size() == 1) {
      message = b.api() + " blocks the event loop in " + kindOfFunction + " " + root.qualifiedName() + ".";
      remediation = replacement != null
          ? "Use " + replacement + " instead, or run the call in a worker thread through an executor."
          : "Use an async equivalent, or run the call in a worker thread through an executor.";
    } else {
      String helper = first.label();
      int helpers = b.chain().size() - 1;
      // An implicit call (an operator, a with statement) is named by its expression.
      String call = first.site().calleeText()
          + (first.site().hasFlag(CallSite.CallFlag.IMPLICIT) ? "" : "()");
      message = call + " blocks the event loop in " + kindOfFunction + " "
          + root.qualifiedName() + ": it reaches " + b.api() + " through " + helpers
          + (helpers == 1 ? " helper." : " helpers.");
      remediation = "Make " + helper + " async"
          + (replacement != null ? " (use " + replacement + ")" : "")
          + ", or run it in a worker thread through an executor instead of calling it on the loop.";
    }
    String timeout = "http".equals(fact.category()) ? timeoutOf(last.site(), fact) : null;
    Attributes attributes = Attributes.builder()
        .put(Attributes.CATEGORY, fact.category(), Attributes.Slot.SUBJECT)
        .put(Attributes.API, b.api(), Attributes.Slot.SUBJECT)
        .put(Attributes.TIMEOUT, timeout, Attributes.Slot.DETAIL)
        .put(Attributes.REPLACEMENT, replacement, Attributes.Slot.REFERENCE)
        .put(Attributes.REFERENCE, fact.reference(), Attributes.Slot.REFERENCE)
        .put(Attributes.FACT, fact.id(), Attributes.Slot.REFERENCE)
        .flag(Attributes.INFERRED, b.confidence() == Confidence.LOW, Attributes.Slot.REFERENCE)
        .build();
    return new Finding(id(), path, first.site().span(), root.qualifiedName(), message,
        b.confidence(), priority, contextOf(b), excluded, List.copyOf(hops), remediation,
        attributes, null);
  }

  /** Why the finding has its priority, e.g. {@code websocket loop in app/ws.py:40}. */
  private static String contextOf(LoopBlocks.LoopBlock b) {
    ExecutionContext.HeatInfo h = b.heat();
    Heat heat = h.heat();
    String rootPath = b.chain().get(0).module().path();
    String at = h.originPath() == null ? "" : h.originPath() + ":" + h.originLine();
    boolean streamEntry = h.entry() != null
        && (h.entry().equals("websocket") || h.entry().equals("stream"));
    if (heat == Heat.HOT_LOOP && streamEntry) {
      return h.entry() + " loop in " + at;
    }
    if (heat.servesForever(b.loop())) {
      return "service loop in " + rootPath + ":" + b.root().ir().nameSpan().line();
    }
    if (heat == Heat.STREAMING && b.loop() != null) {
      return h.entry() + " loop in " + at;
    }
    if (b.loop() == CallSite.LoopKind.ASYNC_FOR && heat.isFlagged() && heat != Heat.HOT_LOOP) {
      return "async stream loop in " + rootPath + ":" + b.root().ir().nameSpan().line();
    }
    if (heat == Heat.NONE) {
      return "async code with no known entry point";
    }
    String desc = h.entry() != null
        && (heat == Heat.STREAMING || (heat == Heat.HOT_LOOP && h.entry().equals("per-message")))
        ? h.entry() + " handler" : heat.description();
    String origin = shortName(h.origin());
    String reached = origin.equals(b.root().ir().qualifiedName()) ? "" : "reached from ";
    return reached + desc + " " + origin + (at.isEmpty() ? "" : " (" + at + ")");
  }

  private static String shortName(String id) {
    if (id == null) {
      return "";
    }
    int hash = id.indexOf('#');
    return hash < 0 ? id : id.substring(0, hash);
  }

  /** The timeout of an HTTP call: {@code 15s}, {@code none}, {@code default} or the expression. */
  static String timeoutOf(CallSite site, Fact fact) {
    Arg a = site.keyword(fact.timeoutKeywordOrDefault());
    if (a == null) {
      for (Arg x : site.args()) {
        if ("**".equals(x.keyword())) {
          return "unknown";
        }
      }
      return "none".equals(fact.defaultTimeout()) ? "none" : "default";
    }
    if (a.value() instanceof Ref.Literal lit) {
      switch (lit.kind()) {
        case NONE:
          return "none";
        case NUMBER:
          return trimNumber(lit.text()) + "s";
        default:
          break;
      }
    }
    return a.text();
  }

  private static String trimNumber(String n) {
    String s = n.replace("_", "");
    if (s.endsWith(".0")) {
      s = s.substring(0, s.length() - 2);
    }
    return s;
  }
}
