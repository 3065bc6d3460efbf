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
   * Matches APIs (calls, attributes, types) whose result holds data of a size the caller of the
   * program controls: a request body, an uploaded file, a message payload (category
   * {@code payload}), or a collection with no bound of the program's own: a query's rows, a
   * directory listing, a list read from a request (category {@code collection}). Answered by
   * {@link FactIndex#side}; never by {@link FactIndex#lookup}.
   */
  REQUEST_DATA("request-data"),
  /**
   * Matches calls whose CPU cost grows with the size of their first positional argument (hashing,
   * compression, serialisation): trivial on small data, heavy on request-sized data. Answered by
   * {@link FactIndex#side}.
   */
  SIZED_WORK("sized-work"),
  /**
   * Matches calls that give a sequence whose length their numeric arguments state (a range): a
   * loop over one runs that many times. Answered by {@link FactIndex#side}.
   */
  TRIP_COUNT("trip-count"),
  /**
   * Matches calls that start concurrent work: with {@code callable-arg}, one task per call (the
   * argument is the coroutine or function); without, one per positional argument (a gather of
   * awaitables, usually spread from a collection). Answered by {@link FactIndex#side}.
   */
  FAN_OUT("fan-out"),
  /**
   * Matches types whose instances bound how many tasks run at once (semaphores, capacity
   * limiters), and calls that run work over a collection with such a bound built in. Answered by
   * {@link FactIndex#side}.
   */
  BOUND("bound");

  /** Kinds answered by {@link FactIndex#side} only: they never govern what a call does. */
  public boolean isSide() {
    return this == LOCK || this == REQUEST_DATA || this == SIZED_WORK || this == TRIP_COUNT
        || this == FAN_OUT || this == BOUND;
  }

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
