package dev.loopguard.core.fix;

import java.util.List;

/**
 * A frontend's answer for one file: the edits that fix some of the sites, and the sites it left
 * alone with the reason (one sentence).
 */
public record FixOutcome(List<TextEdit> edits, List<FixSite> fixed, List<Skipped> skipped) {
  public record Skipped(FixSite site, String reason) {}

  /** Nothing fixed: every site is skipped for {@code reason}. */
  public static FixOutcome none(List<FixSite> sites, String reason) {
    return new FixOutcome(List.of(), List.of(), sites.stream().map(s -> new Skipped(s, reason)).toList());
  }
}
