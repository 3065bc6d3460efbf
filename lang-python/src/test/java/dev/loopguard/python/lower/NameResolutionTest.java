package dev.loopguard.python.lower;

import static dev.loopguard.python.lower.Py.attr;
import static dev.loopguard.python.lower.Py.call;
import static dev.loopguard.python.lower.Py.lower;
import static dev.loopguard.python.lower.Py.q;
import static dev.loopguard.python.lower.Py.var;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loopguard.core.ir.Binding;
import dev.loopguard.core.ir.CallSite;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.ir.Ref;
import org.junit.jupiter.api.Test;

class NameResolutionTest {

  @Test
  void importAliases() {
    ModuleIr ir = lower("""
        from time import sleep as nap
        import os.path
        import a.b as c
        import requests
        nap(1)
        os.path.exists(p)
        c.f()
        requests.get(u)
        """);
    assertThat(call(ir, "nap").callee()).isEqualTo(q("time.sleep"));
    assertThat(call(ir, "os.path.exists").callee()).isEqualTo(q("os.path.exists"));
    assertThat(call(ir, "c.f").callee()).isEqualTo(q("a.b.f"));
    assertThat(call(ir, "requests.get").callee()).isEqualTo(q("requests.get"));
  }

  @Test
  void relativeImportsInAModule() {
    ModuleIr ir = Py.lower("app/api/users.py", "app.api.users", """
        from . import db
        from .models import User
        from ..core import cfg
        from ...top import t
        from .star import *
        db.query()
        User()
        cfg.load()
        t()
        """);
    assertThat(call(ir, "db.query").callee()).isEqualTo(q("app.api.db.query"));
    assertThat(call(ir, "User").callee()).isEqualTo(q("app.api.models.User"));
    assertThat(call(ir, "cfg.load").callee()).isEqualTo(q("app.core.cfg.load"));
    // Beyond the top package: best effort.
    assertThat(call(ir, "t").callee()).isEqualTo(q("top.t"));
    assertThat(ir.starImports()).containsExactly("app.api.star");
  }

  @Test
  void relativeImportsInAPackageInit() {
    ModuleIr ir = Py.lower("app/api/__init__.py", "app.api", """
        from . import db
        from .. import settings
        from .routes import *
        db.query()
        settings.get()
        """);
    assertThat(ir.packageInit()).isTrue();
    assertThat(call(ir, "db.query").callee()).isEqualTo(q("app.api.db.query"));
    assertThat(call(ir, "settings.get").callee()).isEqualTo(q("app.settings.get"));
    assertThat(ir.starImports()).containsExactly("app.api.routes");
  }

  @Test
  void localAssignmentShadowsAnImport() {
    ModuleIr ir = lower("""
        import time
        def f():
            time = Clock()
            time.sleep(1)
        def g():
            time.sleep(1)
        """);
    assertThat(Py.calls(ir, "time.sleep")).extracting(CallSite::callee).containsExactly(
        attr(var("app.mod.f", "time"), "sleep"), q("time.sleep"));
  }

  @Test
  void functionLocalImportIsItsQualifiedName() {
    ModuleIr ir = lower("""
        def f():
            import requests
            from time import sleep
            requests.get(u)
            sleep(1)
        """);
    assertThat(call(ir, "requests.get").callee()).isEqualTo(q("requests.get"));
    assertThat(call(ir, "sleep").callee()).isEqualTo(q("time.sleep"));
    assertThat(Py.values(ir, Binding.Kind.IMPORT, var("app.mod.f", "requests")))
        .containsExactly(q("requests"));
  }

  @Test
  void closuresReadTheEnclosingFunctionsVariable() {
    ModuleIr ir = lower("""
        def outer(client):
            session = make()
            def inner():
                session.get()
                client.post()
                return lambda: session.close()
            return inner
        """);
    assertThat(call(ir, "session.get").callee())
        .isEqualTo(attr(var("app.mod.outer", "session"), "get"));
    assertThat(call(ir, "client.post").callee())
        .isEqualTo(attr(var("app.mod.outer", "client"), "post"));
    assertThat(call(ir, "session.close").callee())
        .isEqualTo(attr(var("app.mod.outer", "session"), "close"));
    assertThat(call(ir, "make").callee()).isEqualTo(new Ref.Unknown("make"));
  }

  @Test
  void globalAndNonlocal() {
    ModuleIr ir = lower("""
        def setup():
            global client
            client = Client()
        def use():
            client.get()
        def outer():
            x = None
            def inner():
                nonlocal x
                x = Thing()
                x.go()
            return inner
        """);
    assertThat(call(ir, "client.get").callee()).isEqualTo(attr(var("app.mod", "client"), "get"));
    assertThat(Py.bindings(ir, Binding.Kind.ASSIGN, var("app.mod", "client"))).hasSize(1);
    assertThat(call(ir, "x.go").callee()).isEqualTo(attr(var("app.mod.outer", "x"), "go"));
    assertThat(Py.values(ir, Binding.Kind.ASSIGN, var("app.mod.outer", "x")))
        .contains(new Ref.Call(call(ir, "Thing").index()));
  }

  @Test
  void classBodiesDoNotEncloseMethods() {
    ModuleIr ir = lower("""
        x = make()
        class C:
            x = Session()
            y = x.get()
            def helper(): ...
            h = helper()
            def m(self):
                x.post()
                helper()
        """);
    assertThat(call(ir, "x.get").callee()).isEqualTo(attr(var("app.mod.C", "x"), "get"));
    assertThat(call(ir, "x.post").callee()).isEqualTo(attr(var("app.mod", "x"), "post"));
    assertThat(Py.calls(ir, "helper")).extracting(CallSite::callee)
        .containsExactly(q("app.mod.C.helper"), new Ref.Unknown("helper"));
  }

  @Test
  void classBodySeesEnclosingFunctionLocals() {
    ModuleIr ir = lower("""
        def factory(client):
            class Local:
                c = client.get()
            return Local()
        """);
    assertThat(call(ir, "client.get").callee())
        .isEqualTo(attr(var("app.mod.factory", "client"), "get"));
    assertThat(call(ir, "Local").callee()).isEqualTo(q("app.mod.factory.<locals>.Local"));
  }

  @Test
  void comprehensionTargetsAreLocalToTheComprehension() {
    ModuleIr ir = lower("""
        def f(items, x):
            a = [x.run() for x in items]
            x.stop()
        class C:
            s = S()
            r = [s.get(i) for i in s.ids()]
        """);
    assertThat(call(ir, "x.run").callee()).isEqualTo(attr(new Ref.Unknown("x"), "run"));
    assertThat(call(ir, "x.stop").callee()).isEqualTo(attr(var("app.mod.f", "x"), "stop"));
    // The first iterable is evaluated in the class body; the element cannot see class names.
    assertThat(call(ir, "s.ids").callee()).isEqualTo(attr(var("app.mod.C", "s"), "ids"));
    assertThat(call(ir, "s.get").callee()).isEqualTo(attr(new Ref.Unknown("s"), "get"));
  }

  @Test
  void walrusInAComprehensionBindsInTheFunction() {
    ModuleIr ir = lower("""
        def f(xs):
            if any((c := X(x)) for x in xs):
                c.go()
        """);
    assertThat(call(ir, "c.go").callee()).isEqualTo(attr(var("app.mod.f", "c"), "go"));
    assertThat(Py.values(ir, Binding.Kind.ASSIGN, var("app.mod.f", "c")))
        .containsExactly(new Ref.Call(call(ir, "X").index()));
  }

  @Test
  void moduleLevelNames() {
    ModuleIr ir = lower("""
        def helper(): ...
        class K: ...
        config = load()
        helper()
        K()
        config.get()
        def f():
            helper()
            config.get()
        """);
    assertThat(Py.calls(ir, "helper")).extracting(CallSite::callee)
        .containsOnly(q("app.mod.helper"));
    assertThat(call(ir, "K").callee()).isEqualTo(q("app.mod.K"));
    assertThat(Py.calls(ir, "config.get")).extracting(CallSite::callee)
        .containsOnly(attr(var("app.mod", "config"), "get"));
  }

  @Test
  void importIsPreferredOverDefAtModuleLevel() {
    ModuleIr ir = lower("""
        try:
            from ujson import loads
        except ImportError:
            def loads(s): ...
        loads(x)
        """);
    assertThat(call(ir, "loads").callee()).isEqualTo(q("ujson.loads"));
  }

  @Test
  void builtinsAndShadowedBuiltins() {
    ModuleIr ir = lower("""
        open(p).read()
        print(len(x))
        input()
        def f():
            open = my_open
            open(p)
        """);
    assertThat(Py.calls(ir, "open")).extracting(CallSite::callee)
        .containsExactly(q("builtins.open"), var("app.mod.f", "open"));
    CallSite read = call(ir, "open(p).read");
    assertThat(read.callee()).isEqualTo(attr(new Ref.Call(read.index() + 1), "read"));
    assertThat(call(ir, "print").callee()).isEqualTo(q("builtins.print"));
    assertThat(call(ir, "len").callee()).isEqualTo(q("builtins.len"));
    assertThat(call(ir, "input").callee()).isEqualTo(q("builtins.input"));
  }

  @Test
  void nestedDefIsAFuncModuleDefIsAQName() {
    ModuleIr ir = lower("""
        def helper(): ...
        def outer():
            def work(): ...
            run(work)
            run(helper)
            run(lambda: 1)
        """);
    var runs = Py.calls(ir, "run");
    assertThat(runs.get(0).arg(0).value()).isEqualTo(new Ref.Func("app.mod.outer.<locals>.work"));
    assertThat(runs.get(1).arg(0).value()).isEqualTo(q("app.mod.helper"));
    assertThat(runs.get(2).arg(0).value()).isEqualTo(new Ref.Func("app.mod.outer.<lambda@6:9>"));
  }

  @Test
  void nameBoundByDefAndAssignmentIsAVar() {
    ModuleIr ir = lower("""
        def outer():
            def work(): ...
            work = wrap(work)
            run(work)
        """);
    assertThat(call(ir, "run").arg(0).value()).isEqualTo(var("app.mod.outer", "work"));
  }

  @Test
  void superInAMethod() {
    ModuleIr ir = lower("""
        class B(A):
            def m(self):
                super().m()
                super(B, self).n()
        def f():
            super().x()
        """);
    assertThat(call(ir, "super().m").callee()).isEqualTo(attr(new Ref.Super("app.mod.B"), "m"));
    assertThat(call(ir, "super(B, self).n").callee())
        .isEqualTo(attr(new Ref.Super("app.mod.B"), "n"));
    assertThat(Py.calls(ir, "super")).extracting(CallSite::callee).containsOnly(q("builtins.super"));
    CallSite x = call(ir, "super().x");
    assertThat(x.callee()).isEqualTo(attr(new Ref.Call(x.index() + 1), "x"));
  }

  @Test
  void unknownNamesAndExpressions() {
    ModuleIr ir = lower("""
        undefined_thing()
        handlers[0](x)
        (a or b).c()
        """);
    assertThat(call(ir, "undefined_thing").callee()).isEqualTo(new Ref.Unknown("undefined_thing"));
    assertThat(call(ir, "handlers[0]").callee()).isEqualTo(new Ref.Unknown("handlers[0]"));
    assertThat(call(ir, "(a or b).c").callee()).isEqualTo(attr(new Ref.Unknown("a or b"), "c"));
  }

  @Test
  void literalsAndAwait() {
    ModuleIr ir = lower("""
        async def f():
            g("s", 1, 2.5, None, True, b"x", ...)
            await (h())
            k(await h2())
        """);
    CallSite g = call(ir, "g");
    assertThat(g.args()).extracting(a -> a.value()).containsExactly(
        new Ref.Literal(Ref.LiteralKind.STRING, "s"),
        new Ref.Literal(Ref.LiteralKind.NUMBER, "1"),
        new Ref.Literal(Ref.LiteralKind.NUMBER, "2.5"),
        new Ref.Literal(Ref.LiteralKind.NONE, "None"),
        new Ref.Literal(Ref.LiteralKind.BOOL, "True"),
        new Ref.Literal(Ref.LiteralKind.OTHER, "b'x'"),
        new Ref.Literal(Ref.LiteralKind.OTHER, "..."));
    assertThat(call(ir, "h").awaited()).isTrue();
    assertThat(call(ir, "k").arg(0).value()).isEqualTo(new Ref.Call(call(ir, "h2").index()));
    assertThat(call(ir, "h2").awaited()).isTrue();
  }

  @Test
  void otherBindingFormsMakeNamesLocal() {
    ModuleIr ir = lower("""
        import x, y, z, w, v
        def f(items):
            for x in items:
                x.a()
            with open(p) as y:
                y.b()
            try:
                pass
            except E as z:
                z.c()
            del w
            w.d()
            match items:
                case [v]:
                    v.e()
        """);
    assertThat(call(ir, "x.a").callee()).isEqualTo(attr(var("app.mod.f", "x"), "a"));
    assertThat(call(ir, "y.b").callee()).isEqualTo(attr(var("app.mod.f", "y"), "b"));
    assertThat(call(ir, "z.c").callee()).isEqualTo(attr(var("app.mod.f", "z"), "c"));
    assertThat(call(ir, "w.d").callee()).isEqualTo(attr(var("app.mod.f", "w"), "d"));
    assertThat(call(ir, "v.e").callee()).isEqualTo(attr(var("app.mod.f", "v"), "e"));
  }

  @Test
  void stringAndDottedAnnotationsResolveLikeNames() {
    ModuleIr ir = lower("""
        import httpx
        from typing import Optional
        class Repo: ...
        def f(a: "httpx.Client", b: "Repo", c: Optional["Repo"], d: "Optional[Repo]"): ...
        """);
    var params = Py.fn(ir, "app.mod.f").params();
    assertThat(params).extracting(p -> p.annotation()).containsExactly(
        q("httpx.Client"), q("app.mod.Repo"), q("app.mod.Repo"), q("app.mod.Repo"));
  }
}
