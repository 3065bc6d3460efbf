package dev.loopguard.core.rules.perf005;

import dev.loopguard.core.analysis.ServiceReach;
import dev.loopguard.core.analysis.Timeouts;
import dev.loopguard.core.model.Attributes;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.rules.Fingerprints;
import dev.loopguard.core.rules.CardedRule;
import dev.loopguard.core.rules.RuleContext;
import dev.loopguard.core.rules.ServiceCodeJudge;
import dev.loopguard.core.rules.ServicePaths;
import java.util.ArrayList;
import java.util.List;

/** perf-005: outbound calls made by service code without a timeout. */
public final class OutboundTimeoutRule extends CardedRule {
  static final String ID = "perf-005";

  public OutboundTimeoutRule() {
    super(ID, new ServiceCodeJudge(
        "makes no outbound call without a timeout", "no longer calls without a timeout:",
        "outbound call without a timeout", "outbound calls without a timeout"));
  }

  @Override
  public List<Finding> check(RuleContext ctx) {
    ServiceReach reach = ServiceReach.of(ctx.model());
    List<Finding> out = new ArrayList<>();
    for (MissingTimeouts.Missing x : MissingTimeouts.of(ctx.model()).all()) {
      String path = x.module().path();
      ServicePaths.Placement placed = ServicePaths.place(ctx, path, x.at(), x.site());
      if (placed == null) {
        continue;
      }
      String where = x.at().onLoop() ? "an event-loop task" : "a worker thread";
      String message = switch (x.why()) {
        case NO_DEFAULT -> x.api() + " is called without a timeout and has none by default, so a "
            + "peer that never answers holds " + where + " forever.";
        case EXPLICIT_NONE -> x.api() + " is called with " + x.argumentText()
            + ", so a peer that never answers holds " + where + " forever.";
        case CLIENT_WITHOUT -> x.api() + " is called without a timeout on a client "
            + (x.client() == null ? "whose type has none by default"
                : "made without one (" + x.client().module().path() + ":" + x.client().site().line() + ")")
            + ", so a peer that never answers holds " + where + " forever.";
      };
      String keyword = x.why() == MissingTimeouts.Why.CLIENT_WITHOUT && x.client() != null
          && x.client().client().timeoutKeyword() != null
          ? x.client().client().timeoutKeyword() : x.fact().timeoutKeywordOrDefault();
      String remediation = x.why() == MissingTimeouts.Why.CLIENT_WITHOUT
          ? "Give the client a timeout where it is made (" + keyword + "=...), or pass one on the call."
          : "Pass " + keyword + "=... with a bound suited to the peer (connect and read), and handle the timeout error.";
      Attributes attributes = Attributes.builder()
          .put(Attributes.CATEGORY, x.fact().category() != null ? x.fact().category() : "network",
              Attributes.Slot.SUBJECT)
          .put(Attributes.API, x.api(), Attributes.Slot.SUBJECT)
          .put(Attributes.TIMEOUT, x.why() == MissingTimeouts.Why.CLIENT_WITHOUT ? "none"
              : Timeouts.describe(x.site(), x.fact()), Attributes.Slot.DETAIL)
          .put("client", x.client() == null ? null
              : x.client().type() + " at " + x.client().module().path() + ":" + x.client().site().line(),
              Attributes.Slot.DETAIL)
          .put(Attributes.REFERENCE, x.fact().reference(), Attributes.Slot.REFERENCE)
          .put(Attributes.FACT, x.fact().id(), Attributes.Slot.REFERENCE)
          .build();
      out.add(new Finding(ID, path, x.site().span(), x.at().fn().ir().qualifiedName(), message,
          x.confidence(), placed.priority(), ServicePaths.context(x.at()), placed.excluded(),
          ServicePaths.chain(reach, x.at(), path, x.site(), x.api()), remediation, attributes, null));
    }
    return Fingerprints.assign(out);
  }
}
