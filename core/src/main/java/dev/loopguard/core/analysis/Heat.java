package dev.loopguard.core.analysis;

import dev.loopguard.core.ir.CallSite;
import dev.loopguard.core.model.Priority;

/**
 * How hot an event-loop function runs, from the entry points that reach it. The order is the
 * precedence: when several entries reach a function, the hottest wins; do-not-flag kinds
 * (startup, script, cli, test) win only over {@link #NONE}.
 */
public enum Heat {
  NONE(null, "async code"),
  TEST("test", "test code"),
  SCRIPT("script", "script"),
  CLI("cli", "command-line entry point"),
  SHUTDOWN("shutdown", "shutdown code"),
  STARTUP("startup", "startup code"),
  RARE("rare", "rarely run path"),
  BACKGROUND("background", "background task"),
  REQUEST("request", "request handler"),
  STREAMING("websocket", "websocket/stream handler"),
  HOT_LOOP("per-event", "per-event callback");

  private final String entry;
  private final String description;

  Heat(String entry, String description) {
    this.entry = entry;
    this.description = description;
  }

  public String description() {
    return description;
  }

  /** The do-not-flag context this heat stands for, or null. */
  public String excludedAs() {
    return switch (this) {
      case TEST -> "test";
      case SCRIPT -> "script";
      case CLI -> "cli";
      case STARTUP, SHUTDOWN -> "startup";
      default -> null;
    };
  }

  public static Heat fromEntry(String entry) {
    return switch (entry) {
      case "request" -> REQUEST;
      case "websocket", "stream" -> STREAMING;
      // A handler called once per message (a chat bot's message handler) runs as often as a
      // callback per event; a websocket or stream handler runs once per connection and loops.
      case "per-message", "per-event" -> HOT_LOOP;
      case "background" -> BACKGROUND;
      case "startup" -> STARTUP;
      case "shutdown" -> SHUTDOWN;
      case "script" -> SCRIPT;
      case "cli" -> CLI;
      case "test" -> TEST;
      case "rare" -> RARE;
      default -> NONE;
    };
  }

  /**
   * Heat passed on to an async function this one calls or awaits from a call site inside
   * {@code loop} (null when not in a loop). Work done per item of an async stream is per-message.
   */
  public Heat passedOn(CallSite.LoopKind loop) {
    if ((loop == CallSite.LoopKind.ASYNC_FOR && isFlagged()) || servesForever(loop)) {
      return HOT_LOOP;
    }
    if (this == STREAMING) {
      return loop != null ? HOT_LOOP : REQUEST;
    }
    return this;
  }

  /**
   * A program's main coroutine (script or CLI entry) that loops forever or over a stream is a
   * long-running service loop, not one-off work.
   */
  public boolean servesForever(CallSite.LoopKind loop) {
    return (this == SCRIPT || this == CLI)
        && (loop == CallSite.LoopKind.ASYNC_FOR || loop == CallSite.LoopKind.WHILE_TRUE);
  }

  /** The do-not-flag context of a call inside {@code loop} in a function of this heat, or null. */
  public String excludedAs(CallSite.LoopKind loop) {
    return servesForever(loop) ? null : excludedAs();
  }

  /** Priority of blocking work done directly in a function of this heat, inside {@code loop}. */
  public Priority priority(CallSite.LoopKind loop) {
    if (this == HOT_LOOP || (loop == CallSite.LoopKind.ASYNC_FOR && isFlagged()) || servesForever(loop)) {
      return Priority.P0;
    }
    return switch (this) {
      case STREAMING -> loop != null ? Priority.P0 : Priority.P1;
      case REQUEST -> Priority.P1;
      case BACKGROUND, NONE -> Priority.P2;
      default -> Priority.P3;
    };
  }

  /** Whether code of this heat is reported by default. */
  public boolean isFlagged() {
    return excludedAs() == null;
  }

  String entryName() {
    return entry;
  }
}
