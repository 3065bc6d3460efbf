package dev.loopguard.core.fix;

import dev.loopguard.core.ir.Span;
import dev.loopguard.core.model.Attributes;
import dev.loopguard.core.model.Confidence;
import dev.loopguard.core.model.Finding;

/**
 * What a frontend is told about one finding it may fix.
 *
 * @param rule the rule id
 * @param span the call the finding is reported at
 * @param api the blocking API the finding names
 * @param category the API's category
 * @param confidence the finding's confidence
 * @param direct the finding's call is the blocking call itself (no helper in between)
 * @param inferred the finding rests on a heuristic rather than a fact
 */
public record FixSite(String rule, Span span, String api, String category, Confidence confidence,
    boolean direct, boolean inferred) {

  public static FixSite of(Finding f) {
    return new FixSite(f.rule(), f.span(), f.attribute(Attributes.API),
        f.attribute(Attributes.CATEGORY), f.confidence(), f.chain().size() <= 1,
        f.attributes().flag(Attributes.INFERRED));
  }
}
