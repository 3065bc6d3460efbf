package dev.loopguard.python.lower;

import static dev.loopguard.python.lower.Py.fn;
import static dev.loopguard.python.lower.Py.lower;
import static dev.loopguard.python.lower.Py.q;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loopguard.core.ir.ClassIr;
import dev.loopguard.core.ir.FunctionIr;
import dev.loopguard.core.ir.FunctionIr.Flag;
import dev.loopguard.core.ir.FunctionIr.ParamKind;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.ir.Ref;
import dev.loopguard.core.ir.Span;
import org.junit.jupiter.api.Test;

class ScopesTest {

  @Test
  void moduleScopeComesFirst() {
    ModuleIr ir = lower("x = 1\n");
    FunctionIr m = ir.moduleScope();
    assertThat(m.id()).isEqualTo("app.mod");
    assertThat(m.qualifiedName()).isEqualTo("app.mod");
    assertThat(m.name()).isEqualTo("<module>");
    assertThat(m.kind()).isEqualTo(FunctionIr.Kind.MODULE);
    assertThat(m.parent()).isNull();
    assertThat(ir.module()).isEqualTo("app.mod");
    assertThat(ir.language()).isEqualTo("python");
    assertThat(ir.lines()).isEqualTo(1);
  }

  @Test
  void qualifiedNamesFollowQualname() {
    ModuleIr ir = lower("""
        def f():
            def g(): ...
            class L: ...
        class C:
            def m(self):
                class Inner:
                    def n(self): ...
            class D:
                async def k(self): ...
        h = lambda x: x
        def outer():
            return lambda: 0
        """);
    assertThat(ir.functions()).extracting(FunctionIr::id).containsExactly(
        "app.mod",
        "app.mod.f",
        "app.mod.f.<locals>.g",
        "app.mod.f.<locals>.L",
        "app.mod.C",
        "app.mod.C.m",
        "app.mod.C.m.<locals>.Inner",
        "app.mod.C.m.<locals>.Inner.n",
        "app.mod.C.D",
        "app.mod.C.D.k",
        "app.mod.<lambda@10:5>",
        "app.mod.outer",
        "app.mod.outer.<lambda@12:12>");
    assertThat(ir.functions()).allSatisfy(f -> assertThat(f.qualifiedName()).isEqualTo(f.id()));
    assertThat(fn(ir, "app.mod.C.D.k").async()).isTrue();
    assertThat(fn(ir, "app.mod.<lambda@10:5>").kind()).isEqualTo(FunctionIr.Kind.LAMBDA);
    assertThat(fn(ir, "app.mod.<lambda@10:5>").name()).isEqualTo("<lambda>");
    assertThat(fn(ir, "app.mod.C").kind()).isEqualTo(FunctionIr.Kind.CLASS_BODY);
    assertThat(ir.classes()).extracting(ClassIr::id).containsExactly("app.mod.f.<locals>.L",
        "app.mod.C", "app.mod.C.m.<locals>.Inner", "app.mod.C.D");
  }

  @Test
  void duplicatesGetNumberedIds() {
    ModuleIr ir = lower("""
        def f(): ...
        def f(): ...
        class C:
            @property
            def x(self): ...
            @x.setter
            def x(self, v): ...
        if a:
            def f(): ...
        """);
    assertThat(ir.functions()).extracting(FunctionIr::id).containsExactly("app.mod",
        "app.mod.f", "app.mod.f#2", "app.mod.C", "app.mod.C.x", "app.mod.C.x#2", "app.mod.f#3");
    assertThat(fn(ir, "app.mod.f#3").qualifiedName()).isEqualTo("app.mod.f");
    assertThat(fn(ir, "app.mod.C.x#2").flags()).contains(Flag.PROPERTY);
  }

  @Test
  void parentsClassIdsAndClasses() {
    ModuleIr ir = lower("""
        import abc
        @register
        class C(Base, abc.ABC, metaclass=Meta):
            def m(self):
                def inner(): ...
        """);
    assertThat(fn(ir, "app.mod.C").parent()).isEqualTo("app.mod");
    assertThat(fn(ir, "app.mod.C").classId()).isNull();
    assertThat(fn(ir, "app.mod.C.m").parent()).isEqualTo("app.mod.C");
    assertThat(fn(ir, "app.mod.C.m").classId()).isEqualTo("app.mod.C");
    assertThat(fn(ir, "app.mod.C.m").isMethod()).isTrue();
    assertThat(fn(ir, "app.mod.C.m.<locals>.inner").parent()).isEqualTo("app.mod.C.m");
    assertThat(fn(ir, "app.mod.C.m.<locals>.inner").classId()).isNull();
    ClassIr c = ir.classes().get(0);
    assertThat(c.qualifiedName()).isEqualTo("app.mod.C");
    assertThat(c.name()).isEqualTo("C");
    assertThat(c.scope()).isEqualTo("app.mod");
    assertThat(c.bases()).containsExactly(new Ref.Unknown("Base"), q("abc.ABC"));
    assertThat(c.decorators()).containsExactly(new Ref.Unknown("register"));
    assertThat(c.span()).isEqualTo(Span.of(3, 1, 5, 25));
  }

  @Test
  void spansStartAtDefNotAtDecorators() {
    ModuleIr ir = lower("""
        @app.get("/")
        async def handler(request):
            return 1
        """);
    FunctionIr h = fn(ir, "app.mod.handler");
    assertThat(h.span()).isEqualTo(Span.of(2, 1, 3, 13));
    assertThat(h.nameSpan()).isEqualTo(Span.of(2, 11, 2, 18));
    assertThat(h.decorators()).containsExactly(new Ref.Call(0));
    assertThat(h.async()).isTrue();
  }

  @Test
  void paramsWithKindsDefaultsAndAnnotations() {
    ModuleIr ir = lower("""
        import httpx
        from typing import Optional, Union, Annotated
        class C:
            def m(self, a, /, b: int = 1, *args: str, c: Optional[httpx.Client] = None,
                  d: "httpx.AsyncClient | None" = None, e: Union[None, httpx.Client] = None,
                  f: Annotated[httpx.Client, "x"] = None, g: httpx.Client | None = None,
                  h: list[int] = None, i: Union[int, str] = 0, **kw) -> "C": ...
        """);
    FunctionIr m = fn(ir, "app.mod.C.m");
    assertThat(m.params()).extracting(FunctionIr.Param::name)
        .containsExactly("self", "a", "b", "args", "c", "d", "e", "f", "g", "h", "i", "kw");
    assertThat(m.params()).extracting(FunctionIr.Param::kind).containsExactly(
        ParamKind.POSITIONAL_ONLY, ParamKind.POSITIONAL_ONLY, ParamKind.POSITIONAL,
        ParamKind.VAR_POSITIONAL, ParamKind.KEYWORD_ONLY, ParamKind.KEYWORD_ONLY,
        ParamKind.KEYWORD_ONLY, ParamKind.KEYWORD_ONLY, ParamKind.KEYWORD_ONLY,
        ParamKind.KEYWORD_ONLY, ParamKind.KEYWORD_ONLY, ParamKind.VAR_KEYWORD);
    assertThat(m.params()).extracting(FunctionIr.Param::annotation).containsExactly(
        null, null, q("builtins.int"), q("builtins.str"), q("httpx.Client"),
        q("httpx.AsyncClient"), q("httpx.Client"), q("httpx.Client"), q("httpx.Client"),
        q("builtins.list"), new Ref.Unknown("Union[int, str]"), null);
    assertThat(m.params().get(2).defaultValue())
        .isEqualTo(new Ref.Literal(Ref.LiteralKind.NUMBER, "1"));
    assertThat(m.params().get(1).defaultValue()).isNull();
    assertThat(m.params().get(4).defaultValue())
        .isEqualTo(new Ref.Literal(Ref.LiteralKind.NONE, "None"));
    assertThat(m.returns()).isEqualTo(q("app.mod.C"));
  }

  @Test
  void generatorAndNestedFlags() {
    ModuleIr ir = lower("""
        def gen():
            yield 1
        async def agen():
            x = yield
        def not_gen():
            def inner():
                yield 2
            return inner
        def outer():
            class K:
                def m(self): ...
            f = lambda: 0
        g = lambda: (yield)
        """);
    assertThat(fn(ir, "app.mod.gen").flags()).containsExactly(Flag.GENERATOR);
    assertThat(fn(ir, "app.mod.agen").flags()).containsExactly(Flag.GENERATOR);
    assertThat(fn(ir, "app.mod.not_gen").flags()).isEmpty();
    assertThat(fn(ir, "app.mod.not_gen.<locals>.inner").flags())
        .containsExactlyInAnyOrder(Flag.GENERATOR, Flag.NESTED);
    assertThat(fn(ir, "app.mod.outer.<locals>.K").flags()).containsExactly(Flag.NESTED);
    assertThat(fn(ir, "app.mod.outer.<locals>.K.m").flags()).contains(Flag.NESTED);
    assertThat(fn(ir, "app.mod.outer.<lambda@12:9>").flags()).containsExactly(Flag.NESTED);
    assertThat(fn(ir, "app.mod.<lambda@13:5>").flags()).containsExactly(Flag.GENERATOR);
  }

  @Test
  void decoratorFlags() {
    ModuleIr ir = lower("""
        import functools
        from functools import cached_property
        import typing
        from typing import overload
        class C:
            @staticmethod
            def s(x): ...
            @classmethod
            def c(cls): return 1
            @property
            def p(self): return 1
            @p.setter
            def p(self, v): self._p = v
            @functools.cached_property
            def q(self): return 1
            @cached_property
            def r(self): return 1
            @overload
            def o(self, x: int) -> int: return x
            @typing.overload
            def o(self, x: str) -> str: return x
            def plain(self): return 1
        """);
    assertThat(fn(ir, "app.mod.C.s").flags()).containsExactlyInAnyOrder(Flag.STATIC, Flag.STUB);
    assertThat(fn(ir, "app.mod.C.c").flags()).containsExactly(Flag.CLASSMETHOD);
    assertThat(fn(ir, "app.mod.C.p").flags()).containsExactly(Flag.PROPERTY);
    assertThat(fn(ir, "app.mod.C.p#2").flags()).containsExactly(Flag.PROPERTY);
    assertThat(fn(ir, "app.mod.C.q").flags()).containsExactly(Flag.PROPERTY);
    assertThat(fn(ir, "app.mod.C.r").flags()).containsExactly(Flag.PROPERTY);
    assertThat(fn(ir, "app.mod.C.o").flags()).containsExactly(Flag.STUB);
    assertThat(fn(ir, "app.mod.C.o#2").flags()).containsExactly(Flag.STUB);
    assertThat(fn(ir, "app.mod.C.plain").flags()).isEmpty();
  }

  @Test
  void stubBodies() {
    ModuleIr ir = lower("""
        def a():
            "doc"
        def b(): ...
        def c():
            pass
        def d():
            \"""Doc.\"""
            raise NotImplementedError
        def e():
            raise NotImplementedError("later")
        def f():
            return 1
        def g():
            raise ValueError()
        """);
    for (String id : new String[] {"a", "b", "c", "d", "e"}) {
      assertThat(fn(ir, "app.mod." + id).flags()).as(id).containsExactly(Flag.STUB);
    }
    assertThat(fn(ir, "app.mod.f").flags()).isEmpty();
    assertThat(fn(ir, "app.mod.g").flags()).isEmpty();
  }

  @Test
  void mainGuardFunctions() {
    ModuleIr ir = lower("""
        def lib(): ...
        if __name__ == "__main__":
            def cli():
                def helper(): ...
        else:
            def other(): ...
        """);
    assertThat(fn(ir, "app.mod.lib").flags()).doesNotContain(Flag.MAIN_GUARD);
    assertThat(fn(ir, "app.mod.cli").flags()).contains(Flag.MAIN_GUARD);
    assertThat(fn(ir, "app.mod.cli.<locals>.helper").flags()).contains(Flag.MAIN_GUARD);
    assertThat(fn(ir, "app.mod.other").flags()).doesNotContain(Flag.MAIN_GUARD);
  }

  @Test
  void globalDeclaredDefIsModuleLevel() {
    ModuleIr ir = lower("""
        def setup():
            global handler
            def handler(): ...
        handler()
        """);
    assertThat(fn(ir, "app.mod.handler").parent()).isEqualTo("app.mod.setup");
    assertThat(Py.call(ir, "handler").callee()).isEqualTo(q("app.mod.handler"));
  }
}
