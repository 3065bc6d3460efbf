package dev.loopguard.core.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegularFilesTest {
  @TempDir Path dir;

  @Test
  void readsEveryByteOfFilesOfAnySize() throws IOException {
    Random random = new Random(7);
    for (int size : new int[] {0, 1, 8191, 8192, 8193, 100_000}) {
      byte[] data = new byte[size];
      random.nextBytes(data);
      Path f = dir.resolve("f" + size);
      Files.write(f, data);
      assertThat(RegularFiles.read(f)).as("size %d", size).isEqualTo(data);
      assertThat(RegularFiles.read(f, size)).as("size %d at its limit", size).isEqualTo(data);
    }
  }

  @Test
  void refusesAFileOverTheLimitAndAFolder() throws IOException {
    Path f = dir.resolve("big");
    Files.write(f, new byte[100]);
    assertThatThrownBy(() -> RegularFiles.read(f, 99)).isInstanceOf(IOException.class)
        .hasMessageContaining("over the limit of 99");
    assertThatThrownBy(() -> RegularFiles.read(dir)).isInstanceOf(RegularFiles.NotRegularException.class);
  }
}
