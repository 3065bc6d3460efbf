package dev.loopguard.core.model;

/** Where a piece of code runs. */
public enum ExecContext {
  EVENT_LOOP,
  WORKER,
  UNKNOWN
}
