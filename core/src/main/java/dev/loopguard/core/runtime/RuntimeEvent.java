package dev.loopguard.core.runtime;

import java.util.List;

/**
 * One thing seen at run time: a blocking operation on an event loop, or a callback that held the
 * loop too long, read from an evidence file.
 *
 * @param source the evidence file it was read from (as given)
 * @param sourceLine 1-based line of the file where the event starts
 * @param format the format that recognised it ({@code loopguard}, {@code home-assistant}, ...)
 * @param kind {@link #BLOCKING} or {@link #SLOW_CALLBACK}
 * @param api the blocking API as a qualified name ({@code time.sleep}); null when unknown
 * @param seconds how long it took; null when the evidence does not say
 * @param thread the thread it ran on, or null
 * @param stack frames from the loop's callback to the blocking call, outermost first (paths as
 *     the evidence wrote them)
 * @param text the evidence's own words, for messages
 */
public record RuntimeEvent(
    String source,
    int sourceLine,
    String format,
    String kind,
    String api,
    Double seconds,
    String thread,
    List<Frame> stack,
    String text) {

  public static final String BLOCKING = "blocking";
  public static final String SLOW_CALLBACK = "slow-callback";

  public RuntimeEvent {
    stack = List.copyOf(stack);
  }

  /** One frame of a stack: a file (as the evidence wrote it), a 1-based line, a function name. */
  public record Frame(String path, int line, String function) {}
}
