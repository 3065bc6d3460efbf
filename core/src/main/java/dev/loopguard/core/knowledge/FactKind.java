package dev.loopguard.core.knowledge;

/** What a fact says about the APIs it matches. */
public enum FactKind {
  /** Calling it blocks the calling thread (I/O, sleep, waits, heavy CPU). */
  BLOCKING("blocking"),
  /** Calling it is known not to block (in-memory work); overrides broader blocking patterns. */
  NON_BLOCKING("non-blocking"),
  /** Runs a callable argument off the event loop (thread pool, executor, thread). */
  OFFLOADS("offloads"),
  /** Schedules a callable argument to run on the event loop later (callbacks). */
  RUNS_ON_LOOP("runs-on-loop"),
  /** An awaitable API: calling it returns a coroutine/awaitable (an async client's methods). */
  ASYNC_API("async-api"),
  /** Marks handlers: a decorator, a registration call, or a function name pattern. */
  ENTRY_POINT("entry-point"),
  /** Returns a callable that calls its callable argument later ({@code functools.partial}). */
  PARTIAL("partial"),
  /** Only carries type information ({@code returns}). */
  TYPE("type"),
  /**
   * Matches types whose instances are locks: holding one ({@code with}/{@code async with} on it,
   * or acquire ... release) keeps other holders out until it is released. Matched against type
   * names ({@link FactIndex#lock}), never against the names calls resolve to.
   */
  LOCK("lock"),
  /**
   * Calling it starts its callable argument running on its own: {@code category} says how, and so
   * who can stop it: {@code task} (a task that runs until it returns or something cancels it
   * through the handle the call returns), {@code group} (a task a group or scope owns: leaving or
   * cancelling the scope cancels it) or {@code thread} (a thread, which nothing can cancel). A side
   * fact: answered by {@link FactIndex#spawn}, beside whatever fact governs the same name.
   */
  SPAWNS("spawns"),
  /**
   * Matches exception types that catch a task's cancellation: the cancellation exceptions
   * themselves and their bases that are no ordinary errors. Matched against type names
   * ({@link FactIndex#cancellation}), never against the names calls resolve to.
   */
  CANCELLATION("cancellation"),
  /**
   * Calling it cancels the task, future or scope it is called on ({@code task.cancel()}); a
   * {@code ?.name} pattern matches the method on a receiver of any type. A side fact, answered by
   * {@link FactIndex#cancels}.
   */
  CANCELS("cancels");

  private final String yamlName;

  FactKind(String yamlName) {
    this.yamlName = yamlName;
  }

  public String yamlName() {
    return yamlName;
  }

  public static FactKind fromYaml(String s) {
    for (FactKind k : values()) {
      if (k.yamlName.equals(s)) {
        return k;
      }
    }
    return null;
  }
}
