package dev.loopguard.core.diff.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopguard.core.ir.CallSite;
import dev.loopguard.core.ir.FunctionIr;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.ir.Ref;
import dev.loopguard.core.ir.Span;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Hunks to functions on hand-built IR (no frontend). */
class FunctionChangeTest {

  /** A module of functions, each given by name, async flag and line range. */
  private static final class Mod {
    final List<FunctionIr> fns = new ArrayList<>();
    final List<CallSite> calls = new ArrayList<>();

    Mod() {
      fns.add(new FunctionIr("m", "m", "<module>", FunctionIr.Kind.MODULE, false, Span.of(1, 1, 100, 1),
          Span.of(1, 1, 1, 1), null, null, List.of(), List.of(), null, Set.of()));
    }

    Mod fn(String name, boolean async, int from, int to, Ref... decorators) {
      fns.add(new FunctionIr("m." + name, "m." + name, name, FunctionIr.Kind.FUNCTION, async,
          Span.of(from, 1, to, 10), Span.of(from, 5, from, 5 + name.length()), "m", null, List.of(decorators),
          List.of(), null, Set.of()));
      return this;
    }

    Ref.Call decoratorCall(String callee, int line, String arg) {
      int idx = calls.size();
      calls.add(new CallSite(idx, "m", new Ref.QName(callee), callee, Span.of(line, 2, line, 20), false,
          List.of(new dev.loopguard.core.ir.Arg(null, 0, new Ref.Literal(Ref.LiteralKind.STRING, arg), arg)),
          0, null, EnumSet.of(CallSite.CallFlag.DECORATOR)));
      return new Ref.Call(idx);
    }

    ModuleIr build() {
      return new ModuleIr("m.x", "m", List.of(), "test", false, 100, List.copyOf(fns), List.of(),
          List.copyOf(calls), List.of(), List.of(), List.of(), List.of());
    }
  }

  private static LineChanges diff(String a, String b) {
    return LineChanges.between(a == null ? null : a.getBytes(StandardCharsets.UTF_8),
        b == null ? null : b.getBytes(StandardCharsets.UTF_8));
  }

  private static String lines(int n, int changedLine, String changed) {
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= n; i++) {
      sb.append(i == changedLine ? changed : "line " + i).append('\n');
    }
    return sb.toString();
  }

  @Test
  void lineChangesSeeBothSides() {
    LineChanges c = diff("a\nb\nc\n", "a\nB\nc\nd\n");
    assertThat(c.base().stream().boxed().toList()).containsExactly(2);
    assertThat(c.head().stream().boxed().toList()).containsExactly(2, 4);
    assertThat(c.headTouches(3, 4)).isTrue();
    assertThat(c.baseTouches(3, 3)).isFalse();
  }

  @Test
  void aChangedLineModifiesTheFunctionsAroundIt() {
    ModuleIr base = new Mod().fn("a", true, 1, 5).fn("b", false, 7, 10).build();
    ModuleIr head = new Mod().fn("a", true, 1, 5).fn("b", false, 7, 10).build();
    List<FunctionChange> changes = FunctionChange.of(base, head, diff(lines(10, 0, ""), lines(10, 8, "new")), false);
    assertThat(changes).extracting(FunctionChange::kind, FunctionChange::function)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(FunctionChange.Kind.MODIFIED, "m.b"));
  }

  @Test
  void addedRemovedAndUntouchedFunctions() {
    ModuleIr base = new Mod().fn("keep", false, 1, 3).fn("gone", true, 5, 8).build();
    ModuleIr head = new Mod().fn("keep", false, 1, 3).fn("fresh", true, 5, 9).build();
    LineChanges c = diff(lines(8, 6, "old body"), lines(9, 6, "new body"));
    List<FunctionChange> changes = FunctionChange.of(base, head, c, false);
    assertThat(changes).extracting(ch -> ch.kind() + " " + ch.function() + " " + ch.async())
        .containsExactlyInAnyOrder("ADDED m.fresh true", "REMOVED m.gone true");
  }

  @Test
  void anIncompleteHeadRemovesNothing() {
    ModuleIr base = new Mod().fn("a", true, 1, 5).build();
    ModuleIr head = new Mod().build();
    assertThat(FunctionChange.of(base, head, diff("x\n", "y\n"), true)).isEmpty();
    assertThat(FunctionChange.of(base, head, diff("x\n", "y\n"), false))
        .extracting(FunctionChange::kind).containsExactly(FunctionChange.Kind.REMOVED);
  }

  @Test
  void aDeletedLineModifiesTheBaseFunction() {
    ModuleIr base = new Mod().fn("a", false, 1, 4).build();
    ModuleIr head = new Mod().fn("a", false, 1, 3).build();
    LineChanges c = diff("def\n x\n y\n z\n", "def\n x\n z\n");
    assertThat(FunctionChange.of(base, head, c, false)).extracting(FunctionChange::kind)
        .containsExactly(FunctionChange.Kind.MODIFIED);
  }

  @Test
  void decoratorsCount() {
    // A decorator call on the line above the definition, changed in place.
    Mod b = new Mod();
    Ref.Call bd = b.decoratorCall("app.get", 1, "/a");
    ModuleIr base = b.fn("h", true, 2, 4, bd).build();
    Mod h = new Mod();
    Ref.Call hd = h.decoratorCall("app.get", 1, "/b");
    ModuleIr head = h.fn("h", true, 2, 4, hd).build();
    assertThat(FunctionChange.of(base, head, diff("@a\ndef\n x\n", "@b\ndef\n x\n"), false))
        .extracting(FunctionChange::kind).containsExactly(FunctionChange.Kind.MODIFIED);
    // A decorator added without any changed line inside the spans: the signature differs.
    ModuleIr plain = new Mod().fn("h", true, 2, 4).build();
    assertThat(FunctionChange.of(plain, head, diff("x\n", "x\n"), false))
        .extracting(FunctionChange::kind).containsExactly(FunctionChange.Kind.MODIFIED);
  }

  @Test
  void aNewFileAddsEveryFunction() {
    ModuleIr head = new Mod().fn("a", true, 1, 2).fn("b", false, 3, 4).build();
    assertThat(FunctionChange.of(null, head, diff(null, "1\n2\n3\n4\n"), false))
        .extracting(FunctionChange::kind).containsOnly(FunctionChange.Kind.ADDED).hasSize(2);
  }
}
