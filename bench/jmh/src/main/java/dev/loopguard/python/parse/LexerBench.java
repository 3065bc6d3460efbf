package dev.loopguard.python.parse;

import dev.loopguard.bench.Bytes;
import dev.loopguard.bench.Corpus;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Tokenizes the whole corpus (one operation = one pass over every file), one thread. The
 * {@code bytes} secondary result is the lexer's throughput in source bytes per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xss8m", "-XX:+UseParallelGC"})
public class LexerBench {
  Corpus corpus;

  @Setup
  public void setup() {
    corpus = Corpus.load();
  }

  @Benchmark
  public long lex(Bytes counter) {
    long tokens = 0;
    for (int i = 0; i < corpus.texts.size(); i++) {
      Lexer lx = new Lexer(corpus.texts.get(i), new Diagnostics());
      while (true) {
        lx.fill(lx.count + 1);
        int last = lx.type(lx.count - 1);
        tokens += lx.count;
        if (last == T.EOF) {
          break;
        }
        lx.discard(lx.count);
      }
      counter.bytes += corpus.bytes.get(i).length;
    }
    return tokens;
  }
}
