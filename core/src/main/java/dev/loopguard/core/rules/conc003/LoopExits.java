package dev.loopguard.core.rules.conc003;

import dev.loopguard.core.ir.CallSite;
import dev.loopguard.core.ir.EventList;
import dev.loopguard.core.ir.Ref;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import java.util.function.Predicate;

/**
 * What one function's event list says about how its loops end: the unconditional loops nothing
 * leaves (no break out of them, no return, no raise), and the exception handlers inside loops
 * that catch cancellation and neither re-raise nor leave the loop. Reads the events only.
 */
final class LoopExits {
  private LoopExits() {}

  /** An unconditional loop that nothing inside leaves: it ends only when its task is cancelled. */
  record ForeverLoop(int line) {}

  /**
   * A handler inside a loop, after a try body that awaits, that catches cancellation ({@code all}:
   * everything; else the first type that catches it) and neither re-raises, returns, leaves the
   * loop nor clears the flag the loop tests.
   */
  record Swallow(int line, boolean all, Ref type, CallSite.LoopKind loop) {}

  /**
   * The unconditional loops of {@code events} that no break, return or raise leaves. With
   * {@code tryEnds}, a loop inside the body of a try statement is taken to end by an exception
   * its handlers expect (a thread's poison pill), and is not one.
   */
  static List<ForeverLoop> foreverLoops(EventList events, boolean tryEnds) {
    List<ForeverLoop> out = new ArrayList<>();
    List<int[]> open = new ArrayList<>(); // {loop kind ordinal or TRY_*, line, exits}
    EventList.Cursor c = events.cursor();
    while (c.next()) {
      switch (c.kind()) {
        case LOOP -> {
          boolean inTry = false;
          for (int[] f : open) {
            inTry |= f[0] == TRY_BODY;
          }
          open.add(new int[] {c.loopKind().ordinal(), c.line(), tryEnds && inTry ? 1 : 0});
        }
        case LOOP_END -> {
          while (!open.isEmpty()) {
            int[] loop = open.remove(open.size() - 1);
            if (loop[0] < 0) {
              continue;
            }
            if (loop[0] == CallSite.LoopKind.WHILE_TRUE.ordinal() && loop[2] == 0) {
              out.add(new ForeverLoop(loop[1]));
            }
            break;
          }
        }
        case TRY -> open.add(new int[] {TRY_BODY, 0, 0});
        case EXCEPT, TRY_ELSE, FINALLY -> {
          // The body is over: what follows is not guarded by the handlers.
          if (!open.isEmpty() && open.get(open.size() - 1)[0] < 0) {
            open.get(open.size() - 1)[0] = TRY_REST;
          }
        }
        case TRY_END -> {
          if (!open.isEmpty() && open.get(open.size() - 1)[0] < 0) {
            open.remove(open.size() - 1);
          }
        }
        case BREAK -> {
          for (int i = open.size() - 1; i >= 0; i--) {
            if (open.get(i)[0] >= 0) {
              open.get(i)[2] = 1;
              break;
            }
          }
        }
        case RETURN, RAISE -> open.forEach(l -> l[2] = 1);
        default -> {}
      }
    }
    return out;
  }

  private static final int TRY_BODY = -2;
  private static final int TRY_REST = -3;

  private static final int BODY = 0;
  private static final int HANDLER = 1;
  private static final int OTHER = 2;

  /** An open loop or try statement. */
  private static final class Frame {
    final boolean loop;
    // loop
    CallSite.LoopKind kind;
    boolean inTest;
    final Set<Ref> tested = new HashSet<>();
    // Swallowing handlers found in this loop, judged when the function is done.
    final List<Swallow> swallows = new ArrayList<>();
    // try
    int phase = BODY;
    boolean bodyAwaits;
    int handlerLine = -1;
    boolean all;
    Ref catching;
    boolean exits;

    Frame(boolean loop) {
      this.loop = loop;
    }
  }

  /**
   * The handlers of {@code events} that swallow cancellation: {@code cancels} says whether a
   * caught type catches it. Only loops that may run on and on count (while loops and async for
   * steps): a for loop over a collection ends by itself.
   */
  static List<Swallow> swallowingHandlers(EventList events, Predicate<Ref> cancels,
      IntFunction<Ref> callee, IntPredicate raises) {
    List<Swallow> out = new ArrayList<>();
    List<Frame> open = new ArrayList<>();
    // Loops with swallowing handlers, by the position of their end.
    List<Integer> afterLoop = new ArrayList<>();
    List<List<Swallow>> closed = new ArrayList<>();
    int lastRaise = -1;
    EventList.Cursor c = events.cursor();
    EventList.Kind previous = null;
    boolean pendingAwait = false;
    while (c.next()) {
      EventList.Kind kind = c.kind();
      boolean pending = pendingAwait;
      pendingAwait = false;
      switch (kind) {
        case LOOP -> {
          Frame f = new Frame(true);
          f.kind = c.loopKind();
          f.inTest = f.kind == CallSite.LoopKind.WHILE;
          open.add(f);
        }
        case TEST -> {
          Frame top = top(open);
          if (top != null && top.loop) {
            top.inTest = false;
          }
        }
        case READ_ATTR, READ_GLOBAL -> {
          Frame top = top(open);
          if (top != null && top.loop && top.inTest) {
            top.tested.add(c.ref());
          }
        }
        case WRITE_ATTR, WRITE_GLOBAL -> stops(open, c.ref());
        case CALL -> {
          // A method called on what the loop tests (stop.set()) may end the loop too.
          if (callee.apply(c.site()) instanceof Ref.Attr a) {
            stops(open, a.base());
          }
          // A helper that always raises (it converts the exception) re-raises.
          if (raises.test(c.site())) {
            open.forEach(f -> {
              if (!f.loop && f.phase == HANDLER) {
                f.exits = true;
              }
            });
          }
        }
        case LOOP_END -> {
          Frame loop = popTo(open, true, out);
          if (loop != null && !loop.swallows.isEmpty()) {
            afterLoop.add(c.position());
            closed.add(loop.swallows);
          }
        }
        case TRY -> open.add(new Frame(false));
        case AWAIT -> {
          // An awaited call, or an async for step, may deliver the task's cancellation. Awaiting
          // a task or future (await task) after cancelling it is how its cancellation is
          // awaited: catching that CancelledError is the child's, not the task's own (an
          // async with's enter follows as ASYNC_WITH, below).
          if (c.site() >= 0 || previous == EventList.Kind.LOOP) {
            bodyAwaits(open);
          } else {
            pendingAwait = true;
          }
        }
        case ASYNC_WITH -> {
          if (pending) {
            bodyAwaits(open);
          }
        }
        case RETURN, RAISE -> {
          open.forEach(f -> {
            if (!f.loop && f.phase == HANDLER) {
              f.exits = true;
            }
          });
          if (kind == EventList.Kind.RAISE) {
            lastRaise = c.position();
          }
        }
        case BREAK -> {
          int loop = -1;
          for (int i = open.size() - 1; i >= 0; i--) {
            if (open.get(i).loop) {
              loop = i;
              break;
            }
          }
          // A break leaves the handlers of the tries inside the loop it breaks out of.
          for (int i = loop + 1; i < open.size() && loop >= 0; i++) {
            Frame f = open.get(i);
            if (!f.loop && f.phase == HANDLER) {
              f.exits = true;
            }
          }
        }
        case EXCEPT -> {
          Frame t = innermostTry(open);
          if (t != null) {
            finish(open, t, out);
            t.phase = HANDLER;
            t.handlerLine = c.line();
            t.all = c.catchesAll();
            t.catching = null;
            t.exits = false;
          }
        }
        case CATCH -> {
          Frame t = innermostTry(open);
          if (t != null && t.phase == HANDLER && t.catching == null && cancels.test(c.ref())) {
            t.catching = c.ref();
          }
        }
        case TRY_ELSE, FINALLY -> {
          Frame t = innermostTry(open);
          if (t != null) {
            finish(open, t, out);
            t.phase = OTHER;
          }
        }
        case TRY_END -> popTo(open, false, out);
        default -> {}
      }
      previous = kind;
    }
    // A handler that keeps the exception and raises it after the loop (err = e ... raise err)
    // defers the re-raise: a raise after the loop ends counts.
    for (int i = 0; i < closed.size(); i++) {
      if (lastRaise < afterLoop.get(i)) {
        out.addAll(closed.get(i));
      }
    }
    return out;
  }

  private static void bodyAwaits(List<Frame> open) {
    for (Frame f : open) {
      if (!f.loop && f.phase == BODY) {
        f.bodyAwaits = true;
      }
    }
  }

  /**
   * Marks the open handlers whose loop tests {@code ref}: a handler that clears the flag its loop
   * tests (or sets the event) ends the loop at the next test.
   */
  private static void stops(List<Frame> open, Ref ref) {
    for (int i = 0; i < open.size(); i++) {
      Frame f = open.get(i);
      if (!f.loop && f.phase == HANDLER) {
        Frame loop = enclosingLoop(open, i);
        if (loop != null && loop.tested.contains(ref)) {
          f.exits = true;
        }
      }
    }
  }

  private static Frame top(List<Frame> open) {
    return open.isEmpty() ? null : open.get(open.size() - 1);
  }

  private static Frame innermostTry(List<Frame> open) {
    Frame top = top(open);
    return top != null && !top.loop ? top : null;
  }

  private static Frame enclosingLoop(List<Frame> open, int index) {
    for (int i = index - 1; i >= 0; i--) {
      if (open.get(i).loop) {
        return open.get(i);
      }
    }
    return null;
  }

  /** Closes the innermost open frame of that sort (and any left open inside it); returns it. */
  private static Frame popTo(List<Frame> open, boolean loop, List<Swallow> out) {
    while (!open.isEmpty()) {
      Frame f = open.get(open.size() - 1);
      if (!f.loop) {
        finish(open, f, out);
      }
      open.remove(open.size() - 1);
      if (f.loop == loop) {
        return f;
      }
    }
    return null;
  }

  /** Judges the handler the try frame {@code t} (the innermost open frame) is in, if any. */
  private static void finish(List<Frame> open, Frame t, List<Swallow> out) {
    if (t.phase != HANDLER) {
      return;
    }
    t.phase = OTHER;
    Frame loop = enclosingLoop(open, open.size() - 1);
    if (loop == null || !t.bodyAwaits || t.exits || !(t.all || t.catching != null)) {
      return;
    }
    if (loop.kind == CallSite.LoopKind.WHILE || loop.kind == CallSite.LoopKind.WHILE_TRUE
        || loop.kind == CallSite.LoopKind.ASYNC_FOR) {
      loop.swallows.add(new Swallow(t.handlerLine, t.catching == null, t.catching, loop.kind));
    }
  }
}
