package dev.loopguard.python;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopguard.core.rules.Rule;
import dev.loopguard.core.rules.Rules;
import org.junit.jupiter.api.Test;

/** {@code # noqa} comments as the Python frontend reads them for loopguard. */
class NoqaTest {
  private final PythonFrontend fe = new PythonFrontend();
  /** The blocking-call rule, whose card claims flake8-async's ASYNC2xx codes. */
  private static final Rule BLOCKING = Rules.byId("perf-004");

  @Test
  void bareNoqaSilencesEverything() {
    assertThat(fe.suppressesForeign("noqa", "perf-004", BLOCKING::claims)).isTrue();
    assertThat(fe.suppressesForeign("NOQA", "perf-004", BLOCKING::claims)).isTrue();
    assertThat(fe.suppressesForeign("type: ignore  # noqa", "perf-004", BLOCKING::claims)).isTrue();
    assertThat(fe.suppressesForeign("noqa because the loop is not running yet", "perf-004", BLOCKING::claims)).isTrue();
  }

  @Test
  void codesSilencePerf004WhenTheyAreBlockingCallCodesOrNameIt() {
    assertThat(fe.suppressesForeign("noqa: ASYNC251", "perf-004", BLOCKING::claims)).isTrue();
    assertThat(fe.suppressesForeign("noqa:ASYNC210,E501", "perf-004", BLOCKING::claims)).isTrue();
    assertThat(fe.suppressesForeign("noqa: E501, async230", "perf-004", BLOCKING::claims)).isTrue();
    assertThat(fe.suppressesForeign("noqa: perf-004", "perf-004", BLOCKING::claims)).isTrue();
    assertThat(fe.suppressesForeign("noqa: E501", "perf-004", BLOCKING::claims)).isFalse();
    assertThat(fe.suppressesForeign("noqa: ASYNC100", "perf-004", BLOCKING::claims)).isFalse();
    assertThat(fe.suppressesForeign("noqa: ASYNC251", "perf-001", code -> false)).isFalse();
  }

  @Test
  void otherTextIsNoSuppression() {
    assertThat(fe.suppressesForeign("expect: perf-004", "perf-004", BLOCKING::claims)).isFalse();
    assertThat(fe.suppressesForeign("snoqa", "perf-004", BLOCKING::claims)).isFalse();
    assertThat(fe.suppressesForeign("loopguard: ignore", "perf-004", BLOCKING::claims)).isFalse();
  }

  @Test
  void pyprojectHoldsTheConfigurationTable() {
    assertThat(fe.configFiles()).containsEntry("pyproject.toml", "tool.loopguard");
  }
}
