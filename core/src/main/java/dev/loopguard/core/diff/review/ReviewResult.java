package dev.loopguard.core.diff.review;

import dev.loopguard.core.ir.Diagnostic;
import dev.loopguard.core.model.Confidence;
import dev.loopguard.core.model.Finding;
import java.util.List;
import java.util.Locale;

/**
 * The answer to "does this change block the event loop?", per changed event-loop path and
 * overall, following the rule card.
 *
 * @param base what the base side is ({@code origin/main (1a2b3c4)})
 * @param head what the head side is ({@code working tree})
 * @param verdict fail, pass or unknown
 * @param confidence for fail: the highest confidence of a failing path; for pass: high when every
 *     passing path shows positive evidence, medium otherwise; null for unknown
 * @param reasons why, one sentence each
 * @param evidence positive evidence of the passing paths
 * @param paths every changed event-loop path with its own verdict
 * @param changes functions added, modified and removed
 * @param changedFiles analysed source files whose content differs
 * @param newFindings findings at head that the base does not have (by fingerprint)
 * @param fixed findings at base that the head no longer has (by fingerprint)
 * @param remediation what to do about failures (the rule card's advice), empty unless fail
 * @param diagnostics problems reading changed files, per side
 * @param notes how the sides were chosen (a missing default branch, a reversed diff)
 * @param stats counts and time
 */
public record ReviewResult(
    String base,
    String head,
    Verdict verdict,
    Confidence confidence,
    List<String> reasons,
    List<EvidenceItem> evidence,
    List<PathVerdict> paths,
    List<FunctionChange> changes,
    List<String> changedFiles,
    List<Finding> newFindings,
    List<Finding> fixed,
    List<String> remediation,
    List<SideDiagnostic> diagnostics,
    List<String> notes,
    Stats stats) {

  public enum Verdict {
    PASS,
    FAIL,
    UNKNOWN;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Positive evidence: {@code async-api} (awaits an async API), {@code offload} (hands work to a
   * worker thread through an executor boundary), {@code suppressed} (a finding silenced by a
   * suppression comment), {@code fixed} (a blocking call the change removed),
   * {@code no-blocking-call} (nothing blocking is reachable).
   */
  public record EvidenceItem(String kind, String function, String path, int line, String api, String text) {}

  /**
   * One changed event-loop path: an async function (or a sync function the loop calls) that the
   * change adds or modifies, or whose behaviour changed through a sync helper it calls.
   *
   * @param function qualified name
   * @param id function id
   * @param path file
   * @param line line of the definition's name
   * @param change {@code added}, {@code modified}, {@code calls-changed-helper} or
   *     {@code findings-changed}
   * @param via the changed helpers it reaches (qualified names), for {@code calls-changed-helper}
   * @param context how the function runs ({@code request handler}, {@code test code}, ...)
   * @param verdict its verdict
   * @param confidence as for the overall verdict
   * @param reasons why
   * @param evidence positive evidence (for pass)
   * @param findings the findings the verdict rests on (for fail)
   */
  public record PathVerdict(
      String function,
      String id,
      String path,
      int line,
      String change,
      List<String> via,
      String context,
      Verdict verdict,
      Confidence confidence,
      List<String> reasons,
      List<EvidenceItem> evidence,
      List<Finding> findings) {

    /** The change in words: {@code modified; calls changed app.util.backoff}. */
    public String describeChange() {
      String via = String.join(", ", via());
      return switch (change) {
        case "calls-changed-helper" -> "calls changed " + via;
        case "findings-changed" -> "its findings changed";
        default -> via.isEmpty() ? change : change + "; calls changed " + via;
      };
    }
  }

  /** A diagnostic on one side ({@code base} or {@code head}). */
  public record SideDiagnostic(String side, Diagnostic diagnostic) {}

  /**
   * @param baseFiles files analysed at base
   * @param headFiles files analysed at head
   * @param lowered files lowered (parsed)
   * @param reused files whose lowering was shared by both sides
   * @param seconds wall time of the review
   */
  public record Stats(int baseFiles, int headFiles, int lowered, int reused, double seconds) {}
}
