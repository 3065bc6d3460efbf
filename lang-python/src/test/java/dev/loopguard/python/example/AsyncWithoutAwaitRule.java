package dev.loopguard.python.example;

import dev.loopguard.core.analysis.ExecutionContext;
import dev.loopguard.core.analysis.Project;
import dev.loopguard.core.analysis.SemanticModel;
import dev.loopguard.core.ir.CallSite;
import dev.loopguard.core.ir.FunctionIr;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.model.Attributes;
import dev.loopguard.core.model.Confidence;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.rules.Fingerprints;
import dev.loopguard.core.rules.Rule;
import dev.loopguard.core.rules.RuleCard;
import dev.loopguard.core.rules.RuleContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The worked example of docs/architecture.md: a second rule written against the semantic model,
 * whole in one package (this class and its card.yaml), not shipped. It reports an async function
 * that an entry point reaches but that never awaits, iterates or enters anything asynchronously:
 * its callers pay for a coroutine and the loop for a task switch, for code that could be a plain
 * function (the concurrency standard's "match sync/async signatures to callers").
 */
public final class AsyncWithoutAwaitRule implements Rule {
  static final String ID = "example-001";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public RuleCard card() {
    return RuleCard.load(AsyncWithoutAwaitRule.class);
  }

  @Override
  public List<Finding> check(RuleContext ctx) {
    SemanticModel model = ctx.model();
    ExecutionContext exec = model.context();
    Project project = model.project();
    List<Finding> out = new ArrayList<>();
    for (ModuleIr m : project.modules()) {
      for (FunctionIr f : m.functions()) {
        Project.Fn fn = project.function(f.id());
        if (fn == null || fn.module() != m || !f.async() || f.kind() != FunctionIr.Kind.FUNCTION
            || f.hasFlag(FunctionIr.Flag.STUB) || ctx.paths().kindOf(m.path()) != null) {
          continue;
        }
        ExecutionContext.HeatInfo heat = exec.heatOf(f.id());
        if (heat.origin() == null || !heat.heat().isFlagged() || usesTheLoop(project.callsIn(f.id()))) {
          continue;
        }
        out.add(new Finding(ID, m.path(), f.nameSpan(), f.qualifiedName(),
            f.qualifiedName() + " is async but never awaits.", Confidence.MEDIUM,
            heat.heat().priority(null), heat.heat().description(), null, List.of(),
            "Make it a plain function, or await the asynchronous work it should do.",
            Attributes.builder().put("entry", heat.entry(), Attributes.Slot.DETAIL).build(), null));
      }
    }
    return Fingerprints.assign(out);
  }

  /** An await, an async for or an async with among the function's own calls. */
  private static boolean usesTheLoop(List<CallSite> calls) {
    for (CallSite cs : calls) {
      if (cs.awaited() || cs.loopKind() == CallSite.LoopKind.ASYNC_FOR) {
        return true;
      }
    }
    return false;
  }
}
