package dev.loopguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LongTableTest {

  @Test
  void keepsWhatAMapKeepsThroughGrowthAndCollisions() {
    LongTable table = new LongTable(4);
    Map<Long, Long> expected = new HashMap<>();
    Random random = new Random(3);
    for (int i = 0; i < 20_000; i++) {
      // Keys that share their low bits collide in the table's slots.
      long key = i % 3 == 0 ? ((long) random.nextInt(500) << 32) + 1 : random.nextLong() | 1;
      long value = random.nextLong() | 1;
      table.put(key, value);
      expected.put(key, value);
    }
    for (Map.Entry<Long, Long> e : expected.entrySet()) {
      assertThat(table.get(e.getKey())).isEqualTo(e.getValue());
    }
    assertThat(java.util.Arrays.stream(table.keys()).boxed().toList())
        .containsExactlyInAnyOrderElementsOf(expected.keySet());
    assertThat(table.get(2)).isZero();
  }
}
