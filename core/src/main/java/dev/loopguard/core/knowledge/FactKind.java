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
   * Matches types whose instances are clients of a remote service (an HTTP session, a database or
   * SDK client, a connection pool): made once and shared, they keep connections and settings such
   * as a timeout. Matched against type names ({@link FactIndex#client}), never against the names
   * calls resolve to.
   */
  CLIENT("client"),
  /**
   * A decorator that memoises the function it decorates: the body runs on the first call (per
   * distinct arguments, per instance for a cached property) and later calls return the stored
   * result ({@code functools.cache}). Work behind it is one-time work; what it makes (a client,
   * say) is shared by every later call.
   */
  MEMOISES("memoises"),
  /**
   * Matches APIs that read or write persisted state (a document, a row, a key) or make a block
   * atomic; the {@code category} says which: {@code read} (returns a snapshot of a record),
   * {@code write} (writes a record unconditionally), {@code filtered-write} (writes the records
   * its first argument selects: a filter or a statement with a WHERE clause),
   * {@code conditional-write} (writes only when the stored state still matches: compare-and-set),
   * {@code transaction} (a context manager or decorator whose body runs atomically). Indexed apart
   * ({@link FactIndex#state}): a name keeps its other fact.
   */
  STATE("state"),
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
  CANCELS("cancels"),
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
    return this == LOCK || this == CLIENT || this == STATE || this == SPAWNS
        || this == CANCELLATION || this == CANCELS || this == REQUEST_DATA || this == SIZED_WORK
        || this == TRIP_COUNT || this == FAN_OUT || this == BOUND;
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
