package dev.loopguard.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Counts source bytes processed, so JMH reports bytes/s beside the time per corpus pass. */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class Bytes {
  public long bytes;

  @Setup(Level.Iteration)
  public void reset() {
    bytes = 0;
  }
}
