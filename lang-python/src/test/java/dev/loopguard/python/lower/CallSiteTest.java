package dev.loopguard.python.lower;

import static dev.loopguard.python.lower.Py.call;
import static dev.loopguard.python.lower.Py.lower;
import static dev.loopguard.python.lower.Py.q;
import static dev.loopguard.python.lower.Py.var;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loopguard.core.ir.Arg;
import dev.loopguard.core.ir.CallSite;
import dev.loopguard.core.ir.CallSite.CallFlag;
import dev.loopguard.core.ir.CallSite.LoopKind;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.ir.Ref;
import dev.loopguard.core.ir.Span;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallSiteTest {

  @Test
  void callsAreInPreOrder() {
    ModuleIr ir = lower("""
        f(g(x), h())
        a().b()
        """);
    assertThat(Py.texts(ir)).containsExactly("f", "g", "h", "a().b", "a");
    for (int i = 0; i < ir.calls().size(); i++) {
      assertThat(ir.calls().get(i).index()).isEqualTo(i);
    }
    assertThat(call(ir, "f").args()).extracting(Arg::value)
        .containsExactly(new Ref.Call(1), new Ref.Call(2));
  }

  @Test
  void aDivisionIsAnImplicitCallOfTrueDivOnItsLeftOperand() {
    ModuleIr ir = lower("""
        base = name = None
        p = (base / "a" / name).read_text()
        n = x * 2 / y
        q = a / (b / c)
        """);
    assertThat(Py.texts(ir)).containsExactly("(base / \"a\" / name).read_text",
        "base / \"a\" / name", "base / \"a\"", "x * 2 / y", "a / (b / c)", "b / c");
    CallSite outer = ir.calls().get(1);
    CallSite inner = ir.calls().get(2);
    assertThat(inner.callee()).isInstanceOfSatisfying(Ref.Attr.class, a -> {
      assertThat(a.name()).isEqualTo("__truediv__");
      assertThat(a.base()).isInstanceOfSatisfying(Ref.Var.class,
          v -> assertThat(v.name()).isEqualTo("base"));
    });
    assertThat(inner.args()).extracting(Arg::value)
        .containsExactly(new Ref.Literal(Ref.LiteralKind.STRING, "a"));
    assertThat(outer.callee()).isEqualTo(new Ref.Attr(new Ref.Call(2), "__truediv__"));
    assertThat(outer.args()).extracting(Arg::value).singleElement()
        .isInstanceOfSatisfying(Ref.Var.class, v -> assertThat(v.name()).isEqualTo("name"));
    assertThat(outer.span()).isEqualTo(Span.of(2, 6, 2, 23));
    assertThat(ir.calls().get(0).callee()).isEqualTo(new Ref.Attr(new Ref.Call(1), "read_text"));
    assertThat(ir.calls().subList(1, 6)).allMatch(c -> c.hasFlag(CallFlag.IMPLICIT));
    assertThat(ir.calls().get(0).hasFlag(CallFlag.IMPLICIT)).isFalse();
    // Other operators are not calls; a division's right operand is lowered in its place.
    assertThat(ir.calls().get(3).callee()).isInstanceOf(Ref.Attr.class);
    assertThat(ir.calls().get(4).args()).extracting(Arg::value).containsExactly(new Ref.Call(5));
  }

  @Test
  void aWithStatementCallsEnterAndExitImplicitly() {
    ModuleIr ir = lower("""
        lock = None
        with lock, open(p) as fh:
            pass
        async def f():
            async with session() as s:
                pass
        """);
    assertThat(Py.texts(ir)).containsExactly("with lock", "with lock", "open", "with open(p)",
        "with open(p)", "session");
    assertThat(ir.calls().get(0).callee()).isInstanceOfSatisfying(Ref.Attr.class,
        a -> assertThat(a.name()).isEqualTo("__enter__"));
    assertThat(ir.calls().get(1).callee()).isInstanceOfSatisfying(Ref.Attr.class,
        a -> assertThat(a.name()).isEqualTo("__exit__"));
    assertThat(ir.calls().get(3).callee()).isEqualTo(new Ref.Attr(new Ref.Call(2), "__enter__"));
    assertThat(ir.calls().get(0).span()).isEqualTo(Span.of(2, 6, 2, 10));
    assertThat(List.of(0, 1, 3, 4)).allMatch(i -> ir.calls().get(i).hasFlag(CallFlag.IMPLICIT)
        && ir.calls().get(i).args().isEmpty());
    assertThat(ir.calls().get(2).hasFlag(CallFlag.IMPLICIT)).isFalse();
    // async with awaits __aenter__ and __aexit__: nothing implicit to add.
    assertThat(ir.calls().get(5).hasFlag(CallFlag.WITH_ITEM)).isTrue();
  }

  @Test
  void spanAndCalleeText() {
    ModuleIr ir = lower("""
        x = requests.post(
            url, json=body)
        y = (client
             .get)(u)
        z = a_very_long_name_for_a_module.with_a_long_attribute.and_another_long_attribute.call()
        """);
    CallSite post = call(ir, "requests.post");
    assertThat(post.span()).isEqualTo(Span.of(1, 5, 2, 20));
    assertThat(call(ir, "client.get").calleeText()).isEqualTo("client.get");
    CallSite longOne = ir.calls().get(2);
    assertThat(longOne.calleeText()).hasSize(60).endsWith("...");
  }

  @Test
  void callScopes() {
    ModuleIr ir = lower("""
        @deco(make())
        def f(a=default(), b: ann() = None):
            inner()
            g = lambda: in_lambda()
            return [in_comp(x) for x in items()]
        class C:
            attr = in_class()
            def m(self, d=method_default()): ...
        """);
    assertThat(call(ir, "deco").scope()).isEqualTo("app.mod");
    assertThat(call(ir, "make").scope()).isEqualTo("app.mod");
    assertThat(call(ir, "default").scope()).isEqualTo("app.mod");
    assertThat(call(ir, "ann").scope()).isEqualTo("app.mod");
    assertThat(call(ir, "inner").scope()).isEqualTo("app.mod.f");
    assertThat(call(ir, "in_lambda").scope()).isEqualTo("app.mod.f.<lambda@4:9>");
    assertThat(call(ir, "in_comp").scope()).isEqualTo("app.mod.f");
    assertThat(call(ir, "items").scope()).isEqualTo("app.mod.f");
    assertThat(call(ir, "in_class").scope()).isEqualTo("app.mod.C");
    assertThat(call(ir, "method_default").scope()).isEqualTo("app.mod.C");
    assertThat(placeFlags(call(ir, "deco"))).containsExactly(CallFlag.DECORATOR);
    assertThat(placeFlags(call(ir, "make"))).containsExactly(CallFlag.DECORATOR);
    assertThat(placeFlags(call(ir, "default"))).isEmpty();
    assertThat(Py.texts(ir)).startsWith("deco", "make", "default", "ann", "inner");
  }

  @Test
  void callsInFStrings() {
    ModuleIr ir = lower("""
        msg = f"{user.name()!r:>{width()}} and {fetch()}"
        """);
    assertThat(Py.texts(ir)).containsExactly("user.name", "width", "fetch");
  }

  @Test
  void awaited() {
    ModuleIr ir = lower("""
        async def f():
            await a()
            await (b())
            await c(d())
            async with e() as s:
                pass
            with g() as h:
                pass
            async for x in i():
                pass
            for y in j():
                pass
            r = [v async for v in k()]
            w = await m().n
        """);
    assertThat(call(ir, "a").awaited()).isTrue();
    assertThat(call(ir, "b").awaited()).isTrue();
    assertThat(call(ir, "c").awaited()).isTrue();
    assertThat(call(ir, "d").awaited()).isFalse();
    assertThat(call(ir, "e").awaited()).isTrue();
    assertThat(placeFlags(call(ir, "e"))).containsExactly(CallFlag.WITH_ITEM);
    assertThat(call(ir, "g").awaited()).isFalse();
    assertThat(placeFlags(call(ir, "g"))).containsExactly(CallFlag.WITH_ITEM);
    assertThat(call(ir, "i").awaited()).isTrue();
    assertThat(call(ir, "j").awaited()).isFalse();
    assertThat(call(ir, "k").awaited()).isTrue();
    assertThat(call(ir, "m").awaited()).isFalse();
  }

  @Test
  void arguments() {
    ModuleIr ir = lower("""
        def f(u, rest, opts):
            post(u, *rest, 3, timeout=None, **opts)
            long(x + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
            long(key="bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")

        @app.route("/items", *more, methods=["GET"])
        def g():
            pass
        """);
    CallSite post = call(ir, "post");
    assertThat(post.args()).extracting(Arg::keyword).containsExactly(null, "*", null, "timeout", "**");
    assertThat(post.args()).extracting(Arg::position).containsExactly(0, -1, 1, -1, -1);
    assertThat(post.args()).extracting(Arg::value).containsExactly(var("app.mod.f", "u"),
        var("app.mod.f", "rest"), new Ref.Literal(Ref.LiteralKind.NUMBER, "3"),
        new Ref.Literal(Ref.LiteralKind.NONE, "None"), var("app.mod.f", "opts"));
    // Texts of keyword arguments; positional ones only in decorators (nothing else reads them).
    assertThat(post.args()).extracting(Arg::text).containsExactly(null, null, null, "None", "opts");
    assertThat(post.keyword("timeout").value()).isEqualTo(new Ref.Literal(Ref.LiteralKind.NONE, "None"));
    assertThat(post.arg(1).text()).isNull();
    assertThat(ir.calls().stream().filter(c -> c.calleeText().equals("long")).toList())
        .last().satisfies(c -> assertThat(c.keyword("key").text()).hasSize(80).endsWith("..."));
    assertThat(call(ir, "app.route").args()).extracting(Arg::text)
        .containsExactly("\"/items\"", "more", "[\"GET\"]");
  }

  @Test
  void loops() {
    ModuleIr ir = lower("""
        async def f(xs):
            for x in it():
                a()
                while cond():
                    b()
            else:
                c()
            while True:
                d()
            while 1:
                e()
            async for y in ait():
                g()
            def inner():
                h()
            r = [k(v) for v in xs for w in wi(v) if cnd(w)]
            m()
        """);
    assertLoop(call(ir, "it"), 0, null);
    assertLoop(call(ir, "a"), 1, LoopKind.FOR);
    assertLoop(call(ir, "cond"), 2, LoopKind.WHILE);
    assertLoop(call(ir, "b"), 2, LoopKind.WHILE);
    assertLoop(call(ir, "c"), 0, null);
    assertLoop(call(ir, "d"), 1, LoopKind.WHILE_TRUE);
    assertLoop(call(ir, "e"), 1, LoopKind.WHILE_TRUE);
    assertLoop(call(ir, "ait"), 0, null);
    assertLoop(call(ir, "g"), 1, LoopKind.ASYNC_FOR);
    assertLoop(call(ir, "h"), 0, null);
    assertLoop(call(ir, "k"), 2, LoopKind.COMPREHENSION);
    assertLoop(call(ir, "wi"), 1, LoopKind.COMPREHENSION);
    assertLoop(call(ir, "cnd"), 2, LoopKind.COMPREHENSION);
    assertLoop(call(ir, "m"), 0, null);
  }

  private static void assertLoop(CallSite c, int depth, LoopKind kind) {
    assertThat(c.loopDepth()).as(c.calleeText() + " depth").isEqualTo(depth);
    assertThat(c.loopKind()).as(c.calleeText() + " kind").isEqualTo(kind);
  }

  @Test
  void mainGuard() {
    ModuleIr ir = lower("""
        import asyncio
        setup()
        if __name__ == "__main__":
            asyncio.run(main())
        else:
            lib()
        if '__main__' == __name__:
            other()
        def f():
            if __name__ == "__main__":
                nested()
        """);
    assertThat(placeFlags(call(ir, "setup"))).isEmpty();
    assertThat(placeFlags(call(ir, "asyncio.run"))).containsExactly(CallFlag.MAIN_GUARD);
    assertThat(call(ir, "asyncio.run").callee()).isEqualTo(q("asyncio.run"));
    assertThat(placeFlags(call(ir, "main"))).containsExactly(CallFlag.MAIN_GUARD);
    assertThat(placeFlags(call(ir, "lib"))).isEmpty();
    assertThat(placeFlags(call(ir, "other"))).containsExactly(CallFlag.MAIN_GUARD);
    assertThat(placeFlags(call(ir, "nested"))).isEmpty();
  }

  @Test
  void typeCheckingOnly() {
    ModuleIr ir = lower("""
        import typing
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:
            a()
        else:
            b()
        if typing.TYPE_CHECKING:
            c()
        """);
    assertThat(placeFlags(call(ir, "a"))).containsExactly(CallFlag.TYPE_CHECKING_ONLY);
    assertThat(placeFlags(call(ir, "b"))).isEmpty();
    assertThat(placeFlags(call(ir, "c"))).containsExactly(CallFlag.TYPE_CHECKING_ONLY);
  }

  @Test
  void inTryOnlyInBodiesOfBroadTries() {
    ModuleIr ir = lower("""
        def f():
            try:
                a()
                def g():
                    g_inner()
            except Exception:
                b()
            else:
                c()
            finally:
                d()
            try:
                e()
            except (ValueError, BaseException):
                pass
            try:
                h()
            except:
                pass
            try:
                narrow()
            except KeyError:
                pass
            try:
                only_finally()
            finally:
                pass
        """);
    assertThat(placeFlags(call(ir, "a"))).containsExactly(CallFlag.IN_TRY);
    assertThat(placeFlags(call(ir, "g_inner"))).isEmpty();
    assertThat(placeFlags(call(ir, "b"))).isEmpty();
    assertThat(placeFlags(call(ir, "c"))).isEmpty();
    assertThat(placeFlags(call(ir, "d"))).isEmpty();
    assertThat(placeFlags(call(ir, "e"))).containsExactly(CallFlag.IN_TRY);
    assertThat(placeFlags(call(ir, "h"))).containsExactly(CallFlag.IN_TRY);
    assertThat(placeFlags(call(ir, "narrow"))).isEmpty();
    assertThat(placeFlags(call(ir, "only_finally"))).isEmpty();
  }

  @Test
  void everyCallNodeIsASite() {
    ModuleIr ir = lower("""
        x[f1()] = f2()
        y += f3()
        del z[f4()]
        assert f5(), f6()
        raise f7() from f8()
        {f9(): f10(), **f11()}
        f12() if f13() else f14()
        match f15():
            case P(a=1) if f16():
                f17()
        with f18() as (p, q):
            pass
        print(*[f19()])
        """);
    for (int i = 1; i <= 19; i++) {
      assertThat(Py.calls(ir, "f" + i)).as("f" + i).hasSize(1);
    }
  }

  /** Where a call stands (main guard, try, decorator ...): its flags but whether it is dropped. */
  private static java.util.Set<CallFlag> placeFlags(CallSite cs) {
    java.util.EnumSet<CallFlag> out = java.util.EnumSet.noneOf(CallFlag.class);
    out.addAll(cs.flags());
    out.remove(CallFlag.DISCARDED);
    return out;
  }

  @Test
  void discardedWhenTheStatementOrAnUnreadLocalDropsTheValue() {
    ModuleIr ir = lower("""
        import asyncio
        top()
        kept_at_module = module_level()
        async def f(x):
            dropped()
            await awaited()
            used = kept()
            print(used)
            unused = lost()
            closure = read_later()
            def g():
                return closure
            counter = counted()
            counter += 1
            return returned()
        def h():
            a.b().c()
            first, second = unpacked()
            return first
        """);
    assertThat(call(ir, "top").hasFlag(CallFlag.DISCARDED)).isTrue();
    assertThat(call(ir, "module_level").hasFlag(CallFlag.DISCARDED)).isFalse();
    assertThat(call(ir, "dropped").hasFlag(CallFlag.DISCARDED)).isTrue();
    assertThat(call(ir, "awaited").hasFlag(CallFlag.DISCARDED)).isFalse();
    assertThat(call(ir, "kept").hasFlag(CallFlag.DISCARDED)).isFalse();
    assertThat(call(ir, "print").hasFlag(CallFlag.DISCARDED)).isTrue();
    assertThat(call(ir, "lost").hasFlag(CallFlag.DISCARDED)).isTrue();
    assertThat(call(ir, "read_later").hasFlag(CallFlag.DISCARDED)).isFalse();
    assertThat(call(ir, "counted").hasFlag(CallFlag.DISCARDED)).isFalse();
    assertThat(call(ir, "returned").hasFlag(CallFlag.DISCARDED)).isFalse();
    // Only the outermost call of a chain is the statement.
    assertThat(call(ir, "a.b().c").hasFlag(CallFlag.DISCARDED)).isTrue();
    assertThat(call(ir, "a.b").hasFlag(CallFlag.DISCARDED)).isFalse();
    assertThat(call(ir, "unpacked").hasFlag(CallFlag.DISCARDED)).isFalse();
  }
}
