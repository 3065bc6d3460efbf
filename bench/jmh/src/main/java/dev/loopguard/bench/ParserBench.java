package dev.loopguard.bench;

import dev.loopguard.python.ast.ParseResult;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
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
 * Parses the whole corpus (lexer included) into syntax trees, one thread; {@code bytes} is the
 * parser's throughput in source bytes per second (target: 30 MB/s per core, warm).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xss8m", "-XX:+UseParallelGC"})
public class ParserBench {
  Corpus corpus;
  MethodHandle parse;

  @Setup
  public void setup() throws ReflectiveOperationException {
    corpus = Corpus.load();
    // PythonParser.parse(String): looked up so that this module builds whatever else the parser offers.
    parse = MethodHandles.publicLookup().findStatic(Class.forName("dev.loopguard.python.parse.PythonParser"),
        "parse", MethodType.methodType(ParseResult.class, String.class));
  }

  @Benchmark
  public long parse(Bytes counter) throws Throwable {
    long statements = 0;
    for (int i = 0; i < corpus.texts.size(); i++) {
      ParseResult r = (ParseResult) parse.invokeExact(corpus.texts.get(i));
      statements += r.module().body().size();
      counter.bytes += corpus.bytes.get(i).length;
    }
    return statements;
  }
}
