package dev.loopguard.core.rules.perf004;

import dev.loopguard.core.analysis.ExecutionContext;
import dev.loopguard.core.analysis.Heat;
import dev.loopguard.core.analysis.Project;
import dev.loopguard.core.analysis.Timeouts;
import dev.loopguard.core.ir.CallSite;
import dev.loopguard.core.ir.FunctionIr;
import dev.loopguard.core.knowledge.Fact;
import dev.loopguard.core.model.Attributes;
import dev.loopguard.core.model.Cause;
import dev.loopguard.core.model.ChainHop;
import dev.loopguard.core.model.Confidence;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.model.Priority;
import dev.loopguard.core.model.UndescribedCall;
import dev.loopguard.core.rules.CardedRule;
import dev.loopguard.core.rules.DoNotFlag;
import dev.loopguard.core.rules.Fingerprints;
import dev.loopguard.core.rules.ReportSections;
import dev.loopguard.core.rules.RuleContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** perf-004: blocking operations reachable from an event loop. */
public final class BlockingOnEventLoopRule extends CardedRule {
  /** The card's id (a test checks that they agree), so that a scan need not read the card. */
  static final String ID = "perf-004";

  public BlockingOnEventLoopRule() {
    super(ID, new BlockingReviewJudge());
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
      String excluded = DoNotFlag.contextOf(ctx.paths(), path, b.root().ir(), b.heat().heat(), b.loop());
      if (excluded != null && !ctx.includeContexts().contains(excluded)) {
        continue;
      }
      Priority priority = b.heat().heat().priority(b.loop());
      if (excluded != null || b.once()) {
        priority = Priority.P3;
      }
      out.add(toFinding(ctx.model().project(), b, path, excluded, priority));
    }
    // Obviously expensive computation written inline: the cpu category of this rule.
    out.addAll(HeavyComputation.findings(ctx));
    return Fingerprints.assign(out);
  }

  private Finding toFinding(Project project, LoopBlocks.LoopBlock b, String path, String excluded,
      Priority priority) {
    LoopBlocks.Step first = b.chain().get(0);
    LoopBlocks.Step last = b.chain().get(b.chain().size() - 1);
    FunctionIr root = b.root().ir();
    List<Cause> causes = new ArrayList<>(b.reaches().size());
    for (LoopBlocks.Reach r : b.reaches()) {
      LoopBlocks.Op op = r.op();
      causes.add(new Cause(Fingerprints.rootCause(ID, op.key()), op.module().path(),
          op.site().line(), op.site().column(), op.holder().ir().qualifiedName(),
          op.holder().ir().nameSpan().line(), op.api(), op.fact().category(), r.confidence(),
          r.once(), hops(project, r.chain()), attributesOf(op, r.confidence())));
    }
    List<ChainHop> hops = causes.get(0).chain();
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
      // The helper's name: a step reached without a call names how ("f (called by retry)").
      String helper = first.label();
      int how = helper.indexOf(" (");
      helper = how > 0 ? helper.substring(0, how) : helper;
      int helpers = b.chain().size() - 1;
      // An implicit call (an operator, a with statement) is named by its expression.
      String call = first.site().calleeText()
          + (first.site().hasFlag(CallSite.CallFlag.IMPLICIT) ? "" : "()");
      message = call + " blocks the event loop in " + kindOfFunction + " "
          + root.qualifiedName() + REACHES + reaches(b.api(), helpers, b.reaches().size() - 1 + b.more());
      remediation = "Make " + helper + " async"
          + (replacement != null ? " (use " + replacement + ")" : "")
          + ", or run it in a worker thread through an executor instead of calling it on the loop.";
    }
    Attributes attributes = causes.get(0).attributes();
    return new Finding(id(), path, first.site().span(), root.qualifiedName(), message,
        b.confidence(), priority, contextOf(b), excluded, hops, remediation,
        attributes, null, List.copyOf(causes));
  }

  private static final String REACHES = ": it reaches ";

  /** The end of a chain finding's message: what it reaches, through how many helpers. */
  private static String reaches(String api, int helpers, int others) {
    return api + " through " + helpers + (helpers == 1 ? " helper" : " helpers")
        + (others == 0 ? "." : others == 1 ? ", and 1 other blocking operation."
            : ", and " + others + " other blocking operations.");
  }

  @Override
  public Finding narrowed(Finding f, List<Cause> remaining) {
    String message = f.message();
    int at = message.indexOf(REACHES);
    Cause first = remaining.get(0);
    if (at >= 0) {
      // The operations beyond the listed causes (a summary's count of the rest) stay counted.
      int unlisted = Math.max(0, othersIn(message) - (f.causes().size() - 1));
      message = message.substring(0, at) + REACHES
          + reaches(first.api(), first.chain().size() - 1, remaining.size() - 1 + unlisted);
    }
    return f.withCauses(remaining, message);
  }

  /** How many other operations a chain finding's message counts. */
  private static int othersIn(String message) {
    int and = message.lastIndexOf(", and ");
    if (and < 0) {
      return 0;
    }
    String rest = message.substring(and + 6);
    int space = rest.indexOf(' ');
    try {
      return Integer.parseInt(space < 0 ? rest : rest.substring(0, space));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** What the finding says of operation {@code op}: its API, category, timeout and references. */
  private static Attributes attributesOf(LoopBlocks.Op op, Confidence confidence) {
    Fact fact = op.fact();
    String timeout = "http".equals(fact.category()) ? Timeouts.describe(op.site(), fact) : null;
    return Attributes.builder()
        .put(Attributes.CATEGORY, fact.category(), Attributes.Slot.SUBJECT)
        .put(Attributes.API, op.api(), Attributes.Slot.SUBJECT)
        .put(Attributes.TIMEOUT, timeout, Attributes.Slot.DETAIL)
        .put(Attributes.REPLACEMENT, fact.replacementFor(op.api()), Attributes.Slot.REFERENCE)
        .put(Attributes.REFERENCE, fact.reference(), Attributes.Slot.REFERENCE)
        .put(Attributes.FACT, fact.id(), Attributes.Slot.REFERENCE)
        .flag(Attributes.INFERRED, confidence == Confidence.LOW, Attributes.Slot.REFERENCE)
        .build();
  }

  private static List<ChainHop> hops(Project project, List<LoopBlocks.Step> steps) {
    List<ChainHop> hops = new ArrayList<>(steps.size());
    for (LoopBlocks.Step s : steps) {
      var scope = project.function(s.site().scope());
      String fn = scope != null ? scope.ir().qualifiedName() : s.site().scope();
      hops.add(new ChainHop(s.module().path(), s.site().span().line(), s.site().span().column(), fn,
          s.label()));
    }
    return List.copyOf(hops);
  }

  /** Why the finding has its priority, e.g. {@code websocket loop in app/ws.py:40}. */
  private static String contextOf(LoopBlocks.LoopBlock b) {
    if (b.once()) {
      return "one-time initialisation";
    }
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
}
