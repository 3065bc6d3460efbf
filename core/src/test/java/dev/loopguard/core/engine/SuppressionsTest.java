package dev.loopguard.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SuppressionsTest {
  @Test
  void loopguardIgnoreWithAndWithoutRuleIds() {
    assertThat(Suppressions.suppresses("loopguard: ignore[perf-004] runs once at boot", "perf-004")).isTrue();
    assertThat(Suppressions.suppresses("loopguard: ignore", "perf-004")).isTrue();
    assertThat(Suppressions.suppresses("loopguard: ignore[perf-001]", "perf-004")).isFalse();
    assertThat(Suppressions.suppresses("loopguard:ignore[perf-001, perf-004]", "perf-004")).isTrue();
    assertThat(Suppressions.suppresses("ignore this", "perf-004")).isFalse();
    assertThat(Suppressions.suppresses("loopguard: ignore [perf-004] spaced", "perf-004")).isTrue();
    assertThat(Suppressions.suppresses("loopguard: ignore [perf-001]", "perf-004")).isFalse();
  }

  @Test
  void anUnclosedRuleListSilencesNothingAndSaysSo() {
    assertThat(Suppressions.suppresses("loopguard: ignore[", "perf-004")).isFalse();
    assertThat(Suppressions.suppresses("loopguard: ignore[perf-004 forgot the bracket", "perf-004")).isFalse();
    assertThat(Suppressions.malformed("loopguard: ignore[perf-004")).contains("not closed");
    assertThat(Suppressions.malformed("loopguard: ignore[perf-004]")).isNull();
    assertThat(Suppressions.malformed("loopguard: ignore")).isNull();
  }
}
