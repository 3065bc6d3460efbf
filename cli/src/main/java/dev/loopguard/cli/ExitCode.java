package dev.loopguard.cli;

/** Exit codes of the loopguard command. */
public enum ExitCode {
  /** Nothing to report (or the command does not report findings). */
  OK(0),
  /** Findings at or above the failure threshold. */
  FINDINGS(1),
  /** Bad usage, bad configuration, or an internal error. */
  ERROR(2),
  /** Standard output could not be written (a closed pipe, a full disk): the report is incomplete. */
  OUTPUT_ERROR(2);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
