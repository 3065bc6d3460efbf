package dev.loopguard.core.rules;

import dev.loopguard.core.analysis.ExecutionContext;
import dev.loopguard.core.analysis.Heat;
import dev.loopguard.core.analysis.PathKinds;
import dev.loopguard.core.analysis.ServiceReach;
import dev.loopguard.core.ir.CallSite;
import dev.loopguard.core.ir.FunctionIr;
import dev.loopguard.core.model.ChainHop;
import dev.loopguard.core.model.Priority;
import java.util.ArrayList;
import java.util.List;

/**
 * What rules about service code ({@link ServiceReach}) say the same way: the do-not-flag context
 * a call stands in, its priority, the words for how its function runs, and the chain from the
 * root that reaches it.
 */
public final class ServicePaths {
  private ServicePaths() {}

  /**
   * The do-not-flag context of a call in {@code r}'s function at {@code path}: its path's kind
   * (test, script), a main guard (script), or its heat (start-up, command line); null otherwise.
   */
  public static String excludedAs(PathKinds paths, String path, ServiceReach.Reached r, CallSite cs) {
    return DoNotFlag.contextOf(paths, path, r.fn().ir(), r.heat().heat(), loopOf(r, cs));
  }

  /** Where a finding stands: its do-not-flag context (null: none) and its priority. */
  public record Placement(String excluded, Priority priority) {}

  /**
   * The placement of a finding on {@code cs} in {@code r}'s function at {@code path}, or null when
   * it stands in do-not-flag code the user did not ask to include.
   */
  public static Placement place(RuleContext ctx, String path, ServiceReach.Reached r, CallSite cs) {
    String excluded = excludedAs(ctx.paths(), path, r, cs);
    if (excluded != null && !ctx.includeContexts().contains(excluded)) {
      return null;
    }
    return new Placement(excluded, priority(r, cs, excluded));
  }

  /** The priority of a call in {@code r}'s function: from the heat, P3 for do-not-flag code. */
  public static Priority priority(ServiceReach.Reached r, CallSite cs, String excluded) {
    return excluded != null ? Priority.P3 : r.heat().heat().priority(loopOf(r, cs));
  }

  // A loop in event-loop code makes each call of it per item; in a helper it says nothing of how
  // often the service runs the helper.
  private static CallSite.LoopKind loopOf(ServiceReach.Reached r, CallSite cs) {
    return r.how() == ServiceReach.How.LOOP ? cs.loopKind() : null;
  }

  /** How {@code r}'s function runs, in words: {@code request handler app.api.notify (app/api.py:12)}. */
  public static String context(ServiceReach.Reached r) {
    ExecutionContext.HeatInfo h = r.heat();
    Heat heat = h.heat();
    String where = switch (r.how()) {
      case LOOP -> "";
      case WORKER -> "worker thread of ";
      case HELPER -> r.onLoop() ? "helper of " : "helper in a worker thread of ";
    };
    if (heat == Heat.NONE) {
      return where + "async code with no known entry point";
    }
    String origin = h.origin() == null ? "" : shortName(h.origin());
    String at = h.originPath() == null ? "" : " (" + h.originPath() + ":" + h.originLine() + ")";
    return where + heat.description() + (origin.isEmpty() ? "" : " " + origin) + at;
  }

  /**
   * The chain from the root that reaches {@code r}'s function down to {@code site} in it: one hop
   * per call, labelled with what it calls; the last hop is {@code site}, labelled {@code label}.
   */
  public static List<ChainHop> chain(ServiceReach reach, ServiceReach.Reached r, String path,
      CallSite site, String label) {
    List<ChainHop> hops = new ArrayList<>();
    List<ServiceReach.Reached> steps = reach.path(r.fn().id());
    for (int i = 1; i < steps.size(); i++) {
      ServiceReach.Reached s = steps.get(i);
      ServiceReach.Reached from = steps.get(i - 1);
      if (s.via() != null && s.viaModule() != null) {
        hops.add(new ChainHop(s.viaModule().path(), s.via().line(), s.via().column(),
            from.fn().ir().qualifiedName(), s.fn().ir().qualifiedName()));
      }
    }
    hops.add(new ChainHop(path, site.line(), site.column(), r.fn().ir().qualifiedName(), label));
    return List.copyOf(hops);
  }

  private static String shortName(String id) {
    int hash = id.indexOf('#');
    return hash < 0 ? id : id.substring(0, hash);
  }
}
