package dev.loopguard.core.rules.conc002;

import dev.loopguard.core.analysis.ExecutionContext;
import dev.loopguard.core.analysis.Heat;
import dev.loopguard.core.analysis.Project;
import dev.loopguard.core.analysis.SemanticModel;
import dev.loopguard.core.ir.FunctionIr;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.ir.Span;
import dev.loopguard.core.model.Attributes;
import dev.loopguard.core.model.ChainHop;
import dev.loopguard.core.model.Confidence;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.model.Priority;
import dev.loopguard.core.rules.CardedRule;
import dev.loopguard.core.rules.DoNotFlag;
import dev.loopguard.core.rules.Fingerprints;
import dev.loopguard.core.rules.RuleContext;
import java.util.ArrayList;
import java.util.List;

/**
 * conc-002: state transitions are race-safe. An async function reads shared or persisted state,
 * suspends, and writes the same state from what it read, with no lock, transaction, conditional
 * write or re-check between: another task can change the state while it waits, and the write
 * undoes that change (a job marked DONE is downgraded to FAIL).
 */
public final class RaceSafeTransitionRule extends CardedRule {
  static final String ID = "conc-002";
  static final String STATE = "state";
  static final String STATE_KIND = "state-kind";
  static final String DEPENDENCE = "dependence";
  static final String AWAITS = "awaits";

  private static final SemanticModel.Key<List<Transitions.Race>> KEY =
      new SemanticModel.Key<>("conc-002 races");

  public RaceSafeTransitionRule() {
    super(ID, new TransitionReviewJudge());
  }

  /** Every race of the project's async functions, computed once per scan. */
  static List<Transitions.Race> races(SemanticModel model) {
    return model.derived(KEY, m -> {
      Transitions t = new Transitions(m);
      List<Transitions.Race> out = new ArrayList<>();
      for (ModuleIr mod : m.project().modules()) {
        for (FunctionIr f : mod.functions()) {
          Project.Fn fn = m.project().function(f.id());
          if (fn != null && fn.module() == mod) {
            out.addAll(t.of(fn));
          }
        }
      }
      return List.copyOf(out);
    });
  }

  @Override
  public List<Finding> check(RuleContext ctx) {
    ExecutionContext exec = ctx.model().context();
    List<Finding> out = new ArrayList<>();
    for (Transitions.Race r : races(ctx.model())) {
      String path = r.fn().module().path();
      ExecutionContext.HeatInfo heat = exec.heatOf(r.fn().id());
      String excluded = DoNotFlag.contextOf(ctx.paths(), path, r.fn().ir(), heat.heat(), null);
      if (excluded != null && !ctx.includeContexts().contains(excluded)) {
        continue;
      }
      Priority priority = excluded != null ? Priority.P3 : heat.heat().priority(null);
      out.add(toFinding(r, path, heat, excluded, priority));
    }
    return Fingerprints.assign(out);
  }

  private static Finding toFinding(Transitions.Race r, String path,
      ExecutionContext.HeatInfo heat, String excluded, Priority priority) {
    FunctionIr f = r.fn().ir();
    Confidence confidence = r.dependence() == Transitions.Dependence.BRANCH && !r.alias()
        ? Confidence.HIGH : Confidence.MEDIUM;
    String awaited = r.awaitText() == null ? "" : " " + r.awaitText();
    String how = switch (r.dependence()) {
      case BRANCH -> "in the branch the read decided";
      case GUARD -> "after the guard the read decided";
      case STATEMENT -> "in the same statement";
    };
    String written = r.writeApi() != null ? "writes it back through " + r.writeApi()
        : "writes it";
    String message = f.qualifiedName() + " reads " + r.state() + " at line " + r.readLine()
        + ", awaits" + awaited + " at line " + r.awaitLine() + " and " + written + " at line "
        + r.writeLine() + " " + how + ", with no lock, transaction, conditional write or re-check"
        + " in between.";
    Span span = r.writeSite() != null ? r.writeSite().span()
        : new Span(r.writeLine(), 1, r.writeLine(), 1);
    List<ChainHop> chain = List.of(
        new ChainHop(path, r.readLine(), 1, f.qualifiedName(), "read " + r.state()),
        new ChainHop(path, r.awaitLine(), 1, f.qualifiedName(),
            "await" + (r.awaitText() == null ? "" : " " + r.awaitText())),
        new ChainHop(path, r.writeLine(), 1, f.qualifiedName(),
            r.writeApi() != null ? r.writeApi() : "write " + r.state()));
    Attributes.Builder attrs = Attributes.builder()
        .put(STATE, r.state(), Attributes.Slot.SUBJECT)
        .put(STATE_KIND, r.kind().word, Attributes.Slot.SUBJECT)
        .put(DEPENDENCE, r.dependence().name().toLowerCase(java.util.Locale.ROOT),
            Attributes.Slot.DETAIL)
        .put(AWAITS, r.awaitText(), Attributes.Slot.DETAIL);
    if (r.writeApi() != null) {
      attrs.put(Attributes.API, r.writeApi(), Attributes.Slot.SUBJECT);
    }
    if (r.writeFact() != null) {
      attrs.put(Attributes.FACT, r.writeFact().id(), Attributes.Slot.REFERENCE);
    }
    String context = heat.heat() == Heat.NONE ? "async code" : heat.heat().description();
    return new Finding(ID, path, span, f.qualifiedName(), message, confidence, priority, context,
        excluded, chain, remediation(r), attrs.build(), null);
  }

  private static String remediation(Transitions.Race r) {
    if (r.kind() == Transitions.StateKind.RECORD) {
      return "Make the write conditional on the state that was checked (a filter or WHERE clause "
          + "naming it, find_one_and_update, a precondition) or do the read and the write in one "
          + "transaction.";
    }
    return "Hold one lock across the check and the write, or check the state again after the "
        + "await, right before writing it.";
  }
}
