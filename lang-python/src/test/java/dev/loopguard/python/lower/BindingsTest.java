package dev.loopguard.python.lower;

import static dev.loopguard.python.lower.Py.attr;
import static dev.loopguard.python.lower.Py.call;
import static dev.loopguard.python.lower.Py.lower;
import static dev.loopguard.python.lower.Py.q;
import static dev.loopguard.python.lower.Py.values;
import static dev.loopguard.python.lower.Py.var;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loopguard.core.ir.Binding;
import dev.loopguard.core.ir.Binding.Kind;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.ir.Ref;
import dev.loopguard.core.ir.Span;
import org.junit.jupiter.api.Test;

class BindingsTest {

  private static Ref.Call callOf(ModuleIr ir, String text) {
    return new Ref.Call(call(ir, text).index());
  }

  @Test
  void assignments() {
    ModuleIr ir = lower("""
        import httpx
        client = httpx.Client()
        a = b = make()
        c, d = one(), two()
        e, f = pair()
        g, *h = x(), y(), z()
        obj.attr = thing()
        items[0] = other()
        """);
    assertThat(values(ir, Kind.ASSIGN, var("app.mod", "client")))
        .containsExactly(callOf(ir, "httpx.Client"));
    assertThat(call(ir, "httpx.Client").callee()).isEqualTo(q("httpx.Client"));
    assertThat(values(ir, Kind.ASSIGN, var("app.mod", "a"))).containsExactly(callOf(ir, "make"));
    assertThat(values(ir, Kind.ASSIGN, var("app.mod", "b"))).containsExactly(callOf(ir, "make"));
    assertThat(values(ir, Kind.ASSIGN, var("app.mod", "c"))).containsExactly(callOf(ir, "one"));
    assertThat(values(ir, Kind.ASSIGN, var("app.mod", "d"))).containsExactly(callOf(ir, "two"));
    assertThat(values(ir, Kind.ASSIGN, var("app.mod", "e"))).isEmpty();
    assertThat(values(ir, Kind.ASSIGN, var("app.mod", "g"))).isEmpty();
    assertThat(values(ir, Kind.ASSIGN, attr(new Ref.Unknown("obj"), "attr")))
        .containsExactly(callOf(ir, "thing"));
    assertThat(ir.bindings()).filteredOn(b -> b.kind() == Kind.ASSIGN).hasSize(6);
    Binding first = Py.bindings(ir, Kind.ASSIGN, var("app.mod", "client")).get(0);
    assertThat(first.scope()).isEqualTo("app.mod");
    assertThat(first.span()).isEqualTo(Span.of(2, 1, 2, 24));
  }

  @Test
  void selfAttributesAndReceiver() {
    ModuleIr ir = lower("""
        import httpx
        class Service:
            timeout = 5
            def __init__(self, client: httpx.AsyncClient | None = None):
                self.client = client or httpx.AsyncClient()
            @classmethod
            def create(cls):
                return cls()
            @staticmethod
            def helper(x): ...
        """);
    String init = "app.mod.Service.__init__";
    assertThat(values(ir, Kind.ANNOTATION, var(init, "self")))
        .containsExactly(q("app.mod.Service"));
    assertThat(values(ir, Kind.ANNOTATION, var(init, "client")))
        .containsExactly(q("httpx.AsyncClient"));
    assertThat(values(ir, Kind.ASSIGN, attr(var(init, "self"), "client")))
        .containsExactly(var(init, "client"), callOf(ir, "httpx.AsyncClient"));
    assertThat(values(ir, Kind.ASSIGN, var("app.mod.Service.create", "cls")))
        .containsExactly(q("app.mod.Service"));
    assertThat(values(ir, Kind.RETURN, null)).containsExactly(callOf(ir, "cls"));
    assertThat(Py.bindings(ir, Kind.RETURN, null).get(0).scope())
        .isEqualTo("app.mod.Service.create");
    assertThat(ir.bindings()).noneMatch(b -> b.scope().equals("app.mod.Service.helper"));
    assertThat(values(ir, Kind.ASSIGN, var("app.mod.Service", "timeout")))
        .containsExactly(new Ref.Literal(Ref.LiteralKind.NUMBER, "5"));
  }

  @Test
  void annotatedAssignments() {
    ModuleIr ir = lower("""
        from typing import Optional
        import typing as t
        import redis
        cache: Optional[redis.Redis] = None
        other: "redis.Redis"
        third: t.Optional[redis.Redis] = make()
        class Repo:
            conn: redis.Redis
        """);
    assertThat(values(ir, Kind.ANNOTATION, var("app.mod", "cache")))
        .containsExactly(q("redis.Redis"));
    assertThat(values(ir, Kind.ASSIGN, var("app.mod", "cache")))
        .containsExactly(new Ref.Literal(Ref.LiteralKind.NONE, "None"));
    assertThat(values(ir, Kind.ANNOTATION, var("app.mod", "other")))
        .containsExactly(q("redis.Redis"));
    assertThat(values(ir, Kind.ASSIGN, var("app.mod", "other"))).isEmpty();
    assertThat(values(ir, Kind.ANNOTATION, var("app.mod", "third")))
        .containsExactly(q("redis.Redis"));
    assertThat(values(ir, Kind.ANNOTATION, var("app.mod.Repo", "conn")))
        .containsExactly(q("redis.Redis"));
  }

  @Test
  void walrusWithAndReturns() {
    ModuleIr ir = lower("""
        import aiohttp
        async def f(flag):
            if (n := count()) > 0:
                pass
            async with aiohttp.ClientSession() as session:
                pass
            with open(p) as fh, lock:
                pass
            return session if flag else None
        """);
    assertThat(values(ir, Kind.ASSIGN, var("app.mod.f", "n"))).containsExactly(callOf(ir, "count"));
    assertThat(values(ir, Kind.WITH, var("app.mod.f", "session")))
        .containsExactly(callOf(ir, "aiohttp.ClientSession"));
    assertThat(values(ir, Kind.WITH, var("app.mod.f", "fh"))).containsExactly(callOf(ir, "open"));
    assertThat(values(ir, Kind.RETURN, null)).containsExactly(var("app.mod.f", "session"),
        new Ref.Literal(Ref.LiteralKind.NONE, "None"));
  }

  @Test
  void lambdaBodyIsItsReturn() {
    ModuleIr ir = lower("""
        import httpx
        factory = lambda: httpx.Client()
        """);
    Binding r = Py.bindings(ir, Kind.RETURN, null).get(0);
    assertThat(r.scope()).isEqualTo("app.mod.<lambda@2:11>");
    assertThat(r.value()).isEqualTo(callOf(ir, "httpx.Client"));
    assertThat(values(ir, Kind.ASSIGN, var("app.mod", "factory")))
        .containsExactly(new Ref.Func("app.mod.<lambda@2:11>"));
  }

  @Test
  void importsAtEveryScope() {
    ModuleIr ir = lower("""
        import os.path
        import a.b as c
        from x import y as z, w
        from __future__ import annotations
        def f():
            import requests
        class K:
            from time import sleep
        """);
    assertThat(values(ir, Kind.IMPORT, var("app.mod", "os"))).containsExactly(q("os"));
    assertThat(values(ir, Kind.IMPORT, var("app.mod", "c"))).containsExactly(q("a.b"));
    assertThat(values(ir, Kind.IMPORT, var("app.mod", "z"))).containsExactly(q("x.y"));
    assertThat(values(ir, Kind.IMPORT, var("app.mod", "w"))).containsExactly(q("x.w"));
    assertThat(values(ir, Kind.IMPORT, var("app.mod.f", "requests")))
        .containsExactly(q("requests"));
    assertThat(values(ir, Kind.IMPORT, var("app.mod.K", "sleep"))).containsExactly(q("time.sleep"));
    assertThat(ir.bindings()).filteredOn(b -> b.kind() == Kind.IMPORT).hasSize(6);
    assertThat(Py.bindings(ir, Kind.IMPORT, var("app.mod.f", "requests")).get(0).scope())
        .isEqualTo("app.mod.f");
  }

  @Test
  void forTargetsAreNotBound() {
    ModuleIr ir = lower("""
        for c in clients():
            pass
        """);
    assertThat(ir.bindings()).isEmpty();
  }
}
