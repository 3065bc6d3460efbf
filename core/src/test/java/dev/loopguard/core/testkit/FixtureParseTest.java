package dev.loopguard.core.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FixtureParseTest {
  @Test
  void multiFileFixturesSplitFilesAndCountLinesPerFile() {
    Fixture fx = Fixture.parse("x", """
        # loopguard-fixture: rules=perf-004 include=tests
        # --- file: app/util.py ---
        import time
        def backoff():
            time.sleep(1)
        # --- file: app/api.py ---
        from app.util import backoff
        async def handler():
            backoff()  # noqa  # expect: perf-004 confidence=medium count=1
            pass  # ok: perf-004
            x()  # todo-expect: perf-004
        """, "x.py", "#");
    assertThat(fx.files()).containsOnlyKeys("app/util.py", "app/api.py");
    assertThat(fx.rules()).containsExactly("perf-004");
    assertThat(fx.include()).containsExactly("test");
    assertThat(fx.expectations()).hasSize(3);
    Fixture.Expectation e = fx.expectations().get(0);
    assertThat(e.path()).isEqualTo("app/api.py");
    assertThat(e.line()).isEqualTo(3);
    assertThat(e.kind()).isEqualTo(Fixture.Kind.EXPECT);
    assertThat(e.props()).containsEntry("confidence", "medium");
    assertThat(fx.expectations().get(1).kind()).isEqualTo(Fixture.Kind.OK);
    assertThat(fx.expectations().get(2).kind()).isEqualTo(Fixture.Kind.TODO_EXPECT);
  }

  @Test
  void singleFileFixturesUseTheDefaultPath() {
    Fixture fx = Fixture.parse("x", "import time\nasync def f():\n    time.sleep(1)  # expect: perf-004\n", "f.py", "#");
    assertThat(fx.files()).containsOnlyKeys("f.py");
    assertThat(fx.expectations().get(0).line()).isEqualTo(3);
  }

  @Test
  void withoutAHeaderAFixtureComparesTheRulesItsAnnotationsName() {
    Fixture fx = Fixture.parse("x", "async def f():\n    g()  # expect: conc-004\n    h()  # ok: perf-004\n", "f.py", "#");
    assertThat(fx.rules()).containsExactlyInAnyOrder("conc-004", "perf-004");
    assertThat(Fixture.parse("x", "x = 1\n", "f.py", "#").rules()).isEmpty();
  }
}
