package dev.loopguard.core.engine.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class Murmur3Test {
  @Test
  void knownVectors() {
    assertThat(Murmur3.hash128(new byte[0], 0)).containsExactly(0L, 0L);
    // Reference MurmurHash3_x64_128("hello", seed 0): bytes 029bbd41b3a7d8cb 191dae486a901e5b
    assertThat(Murmur3.hash128("hello".getBytes(StandardCharsets.US_ASCII), 0))
        .containsExactly(0xcbd8a7b341bd9b02L, 0x5b1e906a48ae1d19L);
  }

  @Test
  void everyTailLengthGivesADistinctHash() {
    Set<String> seen = new HashSet<>();
    byte[] all = new byte[64];
    for (int n = 0; n <= 64; n++) {
      byte[] b = java.util.Arrays.copyOf(all, n);
      long[] h = Murmur3.hash128(b, 1);
      assertThat(seen.add(h[0] + ":" + h[1])).isTrue();
    }
  }
}
