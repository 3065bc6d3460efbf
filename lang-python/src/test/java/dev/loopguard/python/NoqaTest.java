package dev.loopguard.python;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code # noqa} comments as the Python frontend reads them for loopguard. */
class NoqaTest {
  private final PythonFrontend fe = new PythonFrontend();

  @Test
  void bareNoqaSilencesEverything() {
    assertThat(fe.suppressesForeign("noqa", "perf-004")).isTrue();
    assertThat(fe.suppressesForeign("NOQA", "perf-004")).isTrue();
    assertThat(fe.suppressesForeign("type: ignore  # noqa", "perf-004")).isTrue();
    assertThat(fe.suppressesForeign("noqa because the loop is not running yet", "perf-004")).isTrue();
  }

  @Test
  void codesSilencePerf004WhenTheyAreBlockingCallCodesOrNameIt() {
    assertThat(fe.suppressesForeign("noqa: ASYNC251", "perf-004")).isTrue();
    assertThat(fe.suppressesForeign("noqa:ASYNC210,E501", "perf-004")).isTrue();
    assertThat(fe.suppressesForeign("noqa: E501, async230", "perf-004")).isTrue();
    assertThat(fe.suppressesForeign("noqa: perf-004", "perf-004")).isTrue();
    assertThat(fe.suppressesForeign("noqa: E501", "perf-004")).isFalse();
    assertThat(fe.suppressesForeign("noqa: ASYNC100", "perf-004")).isFalse();
    assertThat(fe.suppressesForeign("noqa: ASYNC251", "perf-001")).isFalse();
  }

  @Test
  void otherTextIsNoSuppression() {
    assertThat(fe.suppressesForeign("expect: perf-004", "perf-004")).isFalse();
    assertThat(fe.suppressesForeign("snoqa", "perf-004")).isFalse();
    assertThat(fe.suppressesForeign("loopguard: ignore", "perf-004")).isFalse();
  }

  @Test
  void pyprojectHoldsTheConfigurationTable() {
    assertThat(fe.configFiles()).containsEntry("pyproject.toml", "tool.loopguard");
  }
}
