package dev.loopguard.core.rules.perf005;

import dev.loopguard.core.analysis.Clients;
import dev.loopguard.core.analysis.HotPaths;
import dev.loopguard.core.analysis.Project;
import dev.loopguard.core.analysis.SemanticModel;
import dev.loopguard.core.analysis.ServiceReach;
import dev.loopguard.core.analysis.Target;
import dev.loopguard.core.analysis.Timeouts;
import dev.loopguard.core.ir.Arg;
import dev.loopguard.core.ir.CallSite;
import dev.loopguard.core.ir.FunctionIr;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.ir.Ref;
import dev.loopguard.core.knowledge.Fact;
import dev.loopguard.core.knowledge.FactKind;
import dev.loopguard.core.model.Confidence;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * perf-005's derived fact: the outbound calls that service code makes with no timeout. A call is
 * outbound when its fact names a {@code default-timeout}; it has no timeout when it passes none
 * (or passes the null literal) and neither the library ({@code default-timeout: none}) nor the
 * client it is made on ({@code default-timeout: client}: the client fact of the receiver's
 * construction) sets one. Computed once per scan ({@link #of}), shared by the rule and its judge.
 */
final class MissingTimeouts {

  /** Why a call has no timeout. */
  enum Why {
    /** No timeout is passed and the library has none by default. */
    NO_DEFAULT,
    /** The timeout argument is passed as the null literal. */
    EXPLICIT_NONE,
    /** No timeout is passed and the client it is made on was made with none. */
    CLIENT_WITHOUT
  }

  /**
   * An outbound call without a timeout, in service function {@code at}; {@code client} is the
   * construction of the client it is made on, for {@link Why#CLIENT_WITHOUT}.
   */
  record Missing(ServiceReach.Reached at, ModuleIr module, CallSite site, String api, Fact fact,
      Why why, String argumentText, Clients.Construction client, Confidence confidence) {}

  private static final SemanticModel.Key<MissingTimeouts> KEY =
      new SemanticModel.Key<>("perf-005 missing timeouts");

  private final List<Missing> missing = new ArrayList<>();

  static MissingTimeouts of(SemanticModel model) {
    return model.derived(KEY, MissingTimeouts::new);
  }

  List<Missing> all() {
    return missing;
  }

  private MissingTimeouts(SemanticModel model) {
    Project project = model.project();
    Clients clients = new Clients(model);
    for (ServiceReach.Reached r : ServiceReach.of(model).all()) {
      FunctionIr f = r.fn().ir();
      if (f.hasFlag(FunctionIr.Flag.STUB)) {
        continue;
      }
      ModuleIr m = r.fn().module();
      for (CallSite cs : project.callsIn(f.id())) {
        if (model.skipped(cs) || HotPaths.neverHot(cs)) {
          continue;
        }
        for (Target t : model.graph().targets(m, cs)) {
          if (t instanceof Target.Api api && api.fact() != null && api.fact().defaultTimeout() != null
              && api.fact().kind() != FactKind.CLIENT) {
            Missing x = judge(clients, r, m, cs, api.name(), api.fact());
            if (x != null) {
              missing.add(x);
              break;
            }
          }
        }
      }
    }
    missing.sort(Comparator.comparing((Missing x) -> x.module().path())
        .thenComparingInt(x -> x.site().line()).thenComparingInt(x -> x.site().column()));
  }

  private static Missing judge(Clients clients, ServiceReach.Reached r, ModuleIr m, CallSite cs,
      String api, Fact fact) {
    Confidence direct = r.how() == ServiceReach.How.HELPER ? Confidence.MEDIUM : Confidence.HIGH;
    Arg a = Timeouts.argument(cs, fact);
    if (a != null) {
      return Timeouts.isNone(a)
          ? new Missing(r, m, cs, api, fact, Why.EXPLICIT_NONE, argText(a, fact), null, direct)
          : null;
    }
    if (Timeouts.mayCarryUnseen(cs, fact)) {
      return null;
    }
    String def = fact.defaultTimeout();
    if ("none".equals(def)) {
      return new Missing(r, m, cs, api, fact, Why.NO_DEFAULT, null, null, direct);
    }
    if (!"client".equals(def) || !(cs.callee() instanceof Ref.Attr call)) {
      return null;
    }
    List<Clients.Construction> made = clients.constructionsOf(m, call.base(), cs.line());
    if (made.isEmpty()) {
      // Where the client comes from is not known: its type's default decides, less surely.
      List<Fact> types = clients.clientTypesOf(m, call.base());
      for (Fact c : types) {
        if (!"none".equals(c.defaultTimeout())) {
          return null;
        }
      }
      return types.isEmpty() ? null
          : new Missing(r, m, cs, api, fact, Why.CLIENT_WITHOUT, null, null, Confidence.LOW);
    }
    Clients.Construction without = null;
    for (Clients.Construction c : made) {
      Fact client = c.client();
      Arg ca = client.timeoutKeyword() == null ? null : Timeouts.argument(c.site(), client);
      boolean none = ca != null ? Timeouts.isNone(ca)
          : !Timeouts.mayCarryUnseen(c.site(), client) && "none".equals(client.defaultTimeout());
      if (!none) {
        return null;
      }
      without = without == null ? c : without;
    }
    return new Missing(r, m, cs, api, fact, Why.CLIENT_WITHOUT, null, without, direct);
  }

  private static String argText(Arg a, Fact fact) {
    String text = a.text() != null ? a.text() : "null";
    return a.keyword() != null ? a.keyword() + "=" + text : text;
  }
}
