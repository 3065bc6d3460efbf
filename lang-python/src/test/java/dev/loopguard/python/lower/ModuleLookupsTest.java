package dev.loopguard.python.lower;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopguard.core.analysis.ModuleLookups;
import dev.loopguard.core.frontend.SourceFile;
import dev.loopguard.core.ir.ModuleIr;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which modules the analysis of lowered Python code may look up. */
class ModuleLookupsTest {
  private static ModuleIr module(String name, String... aliases) {
    return Py.FRONTEND.outline(new SourceFile(name.replace('.', '/') + ".py", name,
        List.of(aliases), new byte[0]));
  }

  private static ModuleLookups of(String src) {
    ModuleLookups lookups = new ModuleLookups();
    lookups.add(Py.lower("app/mod.py", "app.mod", src));
    return lookups;
  }

  @Test
  void importedNamesAndTheirPrefixes() {
    ModuleLookups l = of("import a.b.c\nfrom d.e import f as g\nfrom .sib import h\n"
        + "a.b.c.run()\n");
    assertThat(l.needs(module("a"))).isTrue();
    assertThat(l.needs(module("d"))).isTrue();
    assertThat(l.needs(module("d.e"))).isTrue();
    assertThat(l.needs(module("d.e.f"))).isTrue();
    assertThat(l.needs(module("app.sib"))).isTrue();
    assertThat(l.needs(module("app.sib.h"))).isTrue();
    assertThat(l.needs(module("a.b.d"))).isFalse();
    assertThat(l.needs(module("x.a"))).isFalse();
    assertThat(l.needs(module("b"))).isFalse();
    assertThat(l.needs(module("a.b"))).isTrue();
    assertThat(l.needs(module("a.b.c"))).isTrue();
  }

  @Test
  void aModuleHeldInAVariableNeedsItsSubmodulesOnceItIsLowered() {
    ModuleLookups l = of("import a\ndef f():\n    m = a\n    m.b.c.run()\n");
    assertThat(l.needs(module("a"))).isTrue();
    assertThat(l.needs(module("a.b"))).isFalse();
    l.add(Py.lower("a/__init__.py", "a", ""));
    assertThat(l.needs(module("a.b"))).isTrue();
    assertThat(l.needs(module("a.b.c"))).isFalse();
    l.add(Py.lower("a/b/__init__.py", "a.b", ""));
    assertThat(l.needs(module("a.b.c"))).isTrue();
    assertThat(l.needs(module("a.b.d"))).isFalse();
  }

  @Test
  void starImportsAndAliases() {
    ModuleLookups l = of("from star.pkg import *\nimport util\n");
    assertThat(l.needs(module("star.pkg"))).isTrue();
    assertThat(l.needs(module("star"))).isTrue();
    assertThat(l.needs(module("tools.util", "util"))).isTrue();
    assertThat(l.needs(module("tools.other", "other"))).isFalse();
  }

  @Test
  void submodulesReadAsAttributesOfLoweredModules() {
    ModuleLookups l = of("def f(m):\n    return m.helpers.run()\n");
    // app.mod is lowered: its attribute "helpers" may name its submodule, not another module's.
    assertThat(l.needs(module("app.mod.helpers"))).isTrue();
    assertThat(l.needs(module("app.mod.run"))).isTrue();
    assertThat(l.needs(module("other.helpers"))).isFalse();
    assertThat(l.needs(module("app.mod.tests"))).isFalse();
    l.add(Py.lower("other/__init__.py", "other", "x = 1\n"));
    assertThat(l.needs(module("other.helpers"))).isTrue();
  }

  @Test
  void namesInDecoratorsBasesAnnotationsAndDefaults() {
    ModuleLookups l = of("import d1, b1, a1, v1\n@d1.deco\nclass C(b1.Base):\n"
        + "    def m(self, x: a1.T = v1.default) -> None: ...\n");
    for (String name : List.of("d1", "b1", "a1", "v1")) {
      assertThat(l.needs(module(name))).as(name).isTrue();
    }
  }

  @Test
  void lookupsForKnownCandidatesAnswerAsLookupsForAnyModule() {
    List<ModuleIr> candidates = List.of(module("a"), module("a.b"), module("a.b.c"), module("a.b.d"),
        module("d.e.f"), module("app.sib.h"), module("tools.util", "util"), module("x.helpers"),
        module("app.mod.helpers"), module("star.pkg"), module("other.run"), module("b"));
    String[] sources = {
      "import a.b.c\nfrom d.e import f as g\nfrom .sib import h\na.b.c.run()\n",
      "import a\ndef f():\n    m = a\n    m.b.c.run()\n",
      "from star.pkg import *\nimport util\ndef f(m):\n    return m.helpers.run()\n",
    };
    for (String src : sources) {
      ModuleLookups any = new ModuleLookups();
      ModuleLookups known = new ModuleLookups(candidates);
      ModuleIr lowered = Py.lower("app/mod.py", "app.mod", src);
      any.add(lowered);
      known.add(lowered);
      ModuleIr a = Py.lower("a/__init__.py", "a", "");
      for (int round = 0; round < 2; round++) {
        for (ModuleIr c : candidates) {
          assertThat(known.needs(c)).as(src + " / " + c.module()).isEqualTo(any.needs(c));
        }
        any.add(a);
        known.add(a);
      }
    }
  }
}
