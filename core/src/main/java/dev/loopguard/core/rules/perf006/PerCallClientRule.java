package dev.loopguard.core.rules.perf006;

import dev.loopguard.core.analysis.ServiceReach;
import dev.loopguard.core.model.Attributes;
import dev.loopguard.core.model.ChainHop;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.model.Priority;
import dev.loopguard.core.rules.Fingerprints;
import dev.loopguard.core.rules.CardedRule;
import dev.loopguard.core.rules.RuleContext;
import dev.loopguard.core.rules.ServiceCodeJudge;
import dev.loopguard.core.rules.ServicePaths;
import java.util.ArrayList;
import java.util.List;

/** perf-006: clients of remote services made per request or per message instead of shared. */
public final class PerCallClientRule extends CardedRule {
  static final String ID = "perf-006";

  public PerCallClientRule() {
    super(ID, new ServiceCodeJudge(
        "makes no client per call", "no longer makes per call:",
        "client made per call", "clients made per call"));
  }

  @Override
  public List<Finding> check(RuleContext ctx) {
    ServiceReach reach = ServiceReach.of(ctx.model());
    List<Finding> out = new ArrayList<>();
    for (PerCallClients.PerCall x : PerCallClients.of(ctx.model()).all()) {
      String path = x.module().path();
      ServicePaths.Placement placed = ServicePaths.place(ctx, path, x.at(), x.site());
      if (placed == null) {
        continue;
      }
      Priority hot = x.at().heat().heat().priority(x.at().how() == ServiceReach.How.LOOP
          ? x.site().loopKind() : null);
      if (hot != Priority.P0 && hot != Priority.P1) {
        continue;
      }
      String type = x.made().type();
      String fn = x.at().fn().ir().qualifiedName();
      String runs = hot == Priority.P0 ? "per message or event" : "per request";
      String message = x.factory() != null
          ? x.site().calleeText() + "() makes a new " + type + " each time " + fn + " calls it, which runs "
              + runs + ", so every run opens new connections instead of reusing a shared client."
          : type + " is made " + (x.scoped() ? "and closed " : "") + "each time " + fn
              + " runs (" + runs + "), so every run opens new connections instead of reusing a shared client.";
      String remediation = "Make one " + type + " at startup (module level, the application's "
          + "lifespan or startup hook, or a cached factory) and share it; close it at shutdown.";
      List<ChainHop> chain = ServicePaths.chain(reach, x.at(), path, x.site(),
          x.factory() != null ? x.factory() : type);
      Attributes attributes = Attributes.builder()
          .put(Attributes.CATEGORY, x.made().client().category(), Attributes.Slot.SUBJECT)
          .put(Attributes.API, type, Attributes.Slot.SUBJECT)
          .put("factory", x.factory(), Attributes.Slot.DETAIL)
          .flag("scoped", x.scoped(), Attributes.Slot.DETAIL)
          .put(Attributes.REFERENCE, x.made().client().reference(), Attributes.Slot.REFERENCE)
          .put(Attributes.FACT, x.made().client().id(), Attributes.Slot.REFERENCE)
          .build();
      out.add(new Finding(ID, path, x.site().span(), fn, message, x.confidence(), placed.priority(),
          ServicePaths.context(x.at()), placed.excluded(), chain, remediation, attributes, null));
    }
    return Fingerprints.assign(out);
  }
}
