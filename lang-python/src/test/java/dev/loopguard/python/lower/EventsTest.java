package dev.loopguard.python.lower;

import static dev.loopguard.python.lower.Py.fn;
import static dev.loopguard.python.lower.Py.lower;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loopguard.core.ir.EventList;
import dev.loopguard.core.ir.EventList.Kind;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.ir.Ref;
import java.util.ArrayDeque;
import org.junit.jupiter.api.Test;

/** The ordered event list lowering gives each function, on small Python snippets. */
class EventsTest {

  private static String events(String src, String fn) {
    return fn(lower(src), fn).events().toString();
  }

  @Test
  void aCheckThenAnAwaitThenAWrite() {
    String src = """
        class S:
            async def start(self):
                if self.status == "idle":
                    await self.connect()
                    self.status = "busy"
        """;
    assertThat(events(src, "app.mod.S.start")).isEqualTo("""
        3: BRANCH IF
        3: READ_ATTR self.status
        3: TEST
        4: CALL #0
        4: AWAIT #0
        5: WRITE_ATTR self.status
        5: BRANCH_END
        """);
    assertThat(checkAwaitWrite(fn(lower(src), "app.mod.S.start").events(), "status"))
        .isEqualTo("await between check and write, no lock");
  }

  @Test
  void aLockHeldAcrossTheCheckAndTheWrite() {
    String src = """
        import asyncio, threading
        class S:
            def __init__(self):
                self._lock = asyncio.Lock()
                self._tlock = threading.Lock()
            async def start(self):
                async with self._lock:
                    if self.status == "idle":
                        await self.connect()
                        self.status = "busy"
            def stop(self):
                with self._tlock:
                    self.status = "stopped"
        """;
    ModuleIr ir = lower(src);
    assertThat(fn(ir, "app.mod.S.start").events().toString()).isEqualTo("""
        7: READ_ATTR self._lock
        7: AWAIT
        7: ASYNC_WITH self._lock
        8: BRANCH IF
        8: READ_ATTR self.status
        8: TEST
        9: CALL #2
        9: AWAIT #2
        10: WRITE_ATTR self.status
        10: BRANCH_END
        10: AWAIT
        10: WITH_END
        """);
    assertThat(checkAwaitWrite(fn(ir, "app.mod.S.start").events(), "status"))
        .isEqualTo("await between check and write, held: self._lock");
    // A sync with calls the manager's __enter__ and __exit__ (implicit call sites).
    assertThat(fn(ir, "app.mod.S.stop").events().toString()).isEqualTo("""
        12: READ_ATTR self._tlock
        12: CALL #3
        12: WITH self._tlock
        13: WRITE_ATTR self.status
        13: CALL #4
        13: WITH_END
        """);
    assertThat(ir.calls().get(3).calleeText()).isEqualTo("with self._tlock");
  }

  @Test
  void aCompareAndSetHasNoSuspensionBetweenItsReadAndItsWrite() {
    String src = """
        class S:
            async def claim(self, jobs, k):
                if jobs[k] is None:
                    jobs[k] = self
                    await self.run(k)
        """;
    EventList ev = fn(lower(src), "app.mod.S.claim").events();
    assertThat(ev.toString()).isEqualTo("""
        3: BRANCH IF
        3: READ_ITEM jobs[k]
        3: TEST
        4: WRITE_ITEM jobs[k]
        5: CALL #0
        5: AWAIT #0
        5: BRANCH_END
        """);
    assertThat(checkAwaitWrite(ev, null)).isEqualTo("compare-and-set");
  }

  @Test
  void loopsAndBranchesNestInOrder() {
    String src = """
        def f(items, d):
            for x in items():
                while x.n > 0:
                    if x.ok:
                        x.n -= 1
                    elif d["skip"]:
                        continue
                    else:
                        break
            else:
                done()
            return [y.v for y in items() if y.ok]
        """;
    assertThat(events(src, "app.mod.f")).isEqualTo("""
        2: CALL #0
        2: ITER
        2: LOOP FOR
        3: LOOP WHILE
        3: READ_ATTR x.n
        3: TEST
        4: BRANCH IF
        4: READ_ATTR x.ok
        4: TEST
        5: READ_ATTR x.n
        5: WRITE_ATTR x.n
        6: ARM
        6: READ_ITEM d["skip"]
        6: TEST
        9: ARM
        9: BREAK
        9: BRANCH_END
        9: LOOP_END
        9: LOOP_END
        11: CALL #1
        12: CALL #2
        12: ITER
        12: LOOP COMPREHENSION
        12: READ_ATTR y.ok
        12: READ_ATTR y.v
        12: LOOP_END
        12: RETURN
        """);
  }

  @Test
  void tryExceptElseFinally() {
    // else and finally stand on the line of their first statement (the tree keeps no keyword).
    String src = """
        async def f(conn):
            try:
                await conn.send()
            except (OSError, ValueError) as e:
                raise RuntimeError() from e
            else:
                conn.ok = True
            finally:
                conn.close()
        """;
    assertThat(events(src, "app.mod.f")).isEqualTo("""
        2: TRY
        3: CALL #0
        3: AWAIT #0
        4: EXCEPT
        4: CATCH builtins.OSError
        4: CATCH builtins.ValueError
        5: CALL #1
        5: RAISE
        7: TRY_ELSE
        7: WRITE_ATTR conn.ok
        9: FINALLY
        9: CALL #2
        9: TRY_END
        """);
  }

  @Test
  void handlersNameTheTypesTheyCatchAsResolved() {
    String src = """
        import asyncio
        from asyncio import CancelledError as Cancelled
        async def f(conn):
            while True:
                try:
                    await conn.send()
                except asyncio.CancelledError:
                    break
                except Cancelled:
                    pass
                except:
                    pass
        """;
    assertThat(events(src, "app.mod.f")).isEqualTo("""
        4: LOOP WHILE_TRUE
        4: TEST
        5: TRY
        6: CALL #0
        6: AWAIT #0
        7: EXCEPT
        7: READ_GLOBAL asyncio.CancelledError
        7: CATCH asyncio.CancelledError
        8: BREAK
        9: EXCEPT
        9: CATCH asyncio.CancelledError
        11: EXCEPT all
        12: TRY_END
        12: LOOP_END
        """);
  }

  @Test
  void theValueIsEvaluatedBeforeTheTargetsAndAnAugmentedTargetIsReadFirst() {
    String src = """
        hits = 0
        def f(self, cache, key):
            global hits
            cache[key] = self.value = compute(self.base)
            hits += 1
            del self.value, cache[0]
        """;
    assertThat(events(src, "app.mod.f")).isEqualTo("""
        4: READ_ATTR self.base
        4: CALL #0
        4: WRITE_ITEM cache[key]
        4: WRITE_ATTR self.value
        5: READ_GLOBAL hits
        5: WRITE_GLOBAL hits
        6: DELETE_ATTR self.value
        6: DELETE_ITEM cache[0]
        """);
  }

  @Test
  void matchAsyncForConditionalsAndYields() {
    String src = """
        async def f(stream, cmd):
            match cmd:
                case "stop" if stream.open:
                    stream.open = False
                case _:
                    pass
            async for chunk in stream.read():
                yield chunk if chunk else b""
        """;
    assertThat(events(src, "app.mod.f")).isEqualTo("""
        2: BRANCH MATCH
        3: ARM
        3: READ_ATTR stream.open
        3: TEST
        4: WRITE_ATTR stream.open
        5: ARM
        5: TEST
        6: BRANCH_END
        7: CALL #0
        7: ITER
        7: LOOP ASYNC_FOR
        7: AWAIT
        8: BRANCH CONDITIONAL
        8: TEST
        8: ARM
        8: BRANCH_END
        8: YIELD
        8: LOOP_END
        """);
  }

  @Test
  void nestedFunctionsHaveTheirOwnListsAndModuleVariablesAreGlobals() {
    String src = """
        import os
        registry = {}
        def outer():
            def inner():
                registry["x"] = os.environ
            return inner
        """;
    ModuleIr ir = lower(src);
    assertThat(fn(ir, "app.mod.outer").events().toString()).isEqualTo("""
        6: RETURN
        """);
    assertThat(fn(ir, "app.mod.outer.<locals>.inner").events().toString()).isEqualTo("""
        5: READ_GLOBAL os.environ
        5: READ_GLOBAL registry
        5: WRITE_ITEM registry["x"]
        """);
    assertThat(fn(ir, "app.mod").events().toString()).isEqualTo("""
        2: WRITE_GLOBAL registry
        """);
  }

  /**
   * What a rule would ask, answered from the events alone: for the first write of attribute
   * {@code attr} (or of any item when null) after a read of it in a condition, whether the
   * function may suspend between the check and the write, and which context managers are held.
   */
  private static String checkAwaitWrite(EventList events, String attr) {
    ArrayDeque<Ref> held = new ArrayDeque<>();
    EventList.Cursor c = events.cursor();
    int openBranch = -1;
    boolean inTest = false;
    Ref checked = null;
    boolean suspended = false;
    while (c.next()) {
      switch (c.kind()) {
        case WITH, ASYNC_WITH -> held.push(c.ref());
        case WITH_END -> held.pop();
        case BRANCH -> {
          openBranch = c.position();
          inTest = true;
        }
        case TEST -> inTest = false;
        default -> {
        }
      }
      if (inTest && c.isRead() && matches(c, attr)) {
        checked = c.ref();
      } else if (checked != null && c.isSuspension()) {
        suspended = true;
      } else if (checked != null && c.isWrite() && c.ref().equals(checked)) {
        assertThat(c.position()).isGreaterThan(openBranch);
        if (!suspended) {
          return "compare-and-set";
        }
        return "await between check and write, "
            + (held.isEmpty() ? "no lock" : "held: " + held.peek());
      }
    }
    return "no check-then-write";
  }

  private static boolean matches(EventList.Cursor c, String attr) {
    return attr == null ? c.kind() == Kind.READ_ITEM
        : c.kind() == Kind.READ_ATTR && ((Ref.Attr) c.ref()).name().equals(attr);
  }
}
