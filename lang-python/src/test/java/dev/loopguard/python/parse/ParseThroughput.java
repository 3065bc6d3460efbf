package dev.loopguard.python.parse;

import dev.loopguard.python.ast.ParseResult;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Throughput harness (not a test): parses every {@code .py} file of a directory tree (default:
 * the stdlib of {@code python3}, without site-packages) from memory, single-threaded, after a few
 * warm-up rounds, and prints MB/s and files/s.
 *
 * <pre>
 *   java -cp ... [-Dwarmups=8] dev.loopguard.python.parse.ParseThroughput [DIR] [ROUNDS]
 * </pre>
 */
public final class ParseThroughput {
  public static void main(String[] args) throws Exception {
    Path dir = args.length > 0 ? Path.of(args[0]) : stdlib();
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    List<String> sources = new ArrayList<>();
    long chars = 0;
    long bytes = 0;
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(p -> p.toString().endsWith(".py") && Files.isRegularFile(p))
          .filter(p -> dir.toString().contains("site-packages")
              || !p.toString().contains("/site-packages/"))
          .sorted().collect(Collectors.toList());
    }
    for (Path p : files) {
      byte[] data = Files.readAllBytes(p);
      try {
        String src = SourceDecoder.decode(data);
        sources.add(src);
        chars += src.length();
        bytes += data.length;
      } catch (Exception e) {
        // undecodable test data: skip
      }
    }
    System.out.printf("%s: %d files, %.1f MB (%d chars)%n", dir, sources.size(), bytes / 1e6, chars);
    long sink = 0;
    int warmups = Integer.getInteger("warmups", 8);
    for (int w = 0; w < warmups; w++) {
      long t0 = System.nanoTime();
      for (String s : sources) {
        sink += PythonParser.parse(s).errors().size();
      }
      System.out.printf("warm-up %d: %.0f ms%n", w + 1, (System.nanoTime() - t0) / 1e6);
    }
    // CPU time of this thread as well as wall time: on a shared, loaded machine the wall clock
    // mostly measures the other processes.
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    double best = Double.MAX_VALUE;
    double total = 0;
    double bestCpu = Double.MAX_VALUE;
    double totalCpu = 0;
    for (int r = 0; r < rounds; r++) {
      long t0 = System.nanoTime();
      long c0 = mx.getCurrentThreadCpuTime();
      for (String s : sources) {
        ParseResult res = PythonParser.parse(s);
        sink += res.module().body().size();
      }
      double sec = (System.nanoTime() - t0) / 1e9;
      double cpu = (mx.getCurrentThreadCpuTime() - c0) / 1e9;
      best = Math.min(best, sec);
      total += sec;
      bestCpu = Math.min(bestCpu, cpu);
      totalCpu += cpu;
      System.out.printf("round %d: wall %.0f ms (%.1f MB/s), cpu %.0f ms (%.1f MB/s, %.0f files/s)%n",
          r + 1, sec * 1e3, bytes / 1e6 / sec, cpu * 1e3, bytes / 1e6 / cpu, sources.size() / cpu);
    }
    double avg = total / rounds;
    double avgCpu = totalCpu / rounds;
    System.out.printf("RESULT: %d files, %.1f MB; thread CPU time: avg %.1f MB/s (best %.1f MB/s), "
        + "%.0f files/s; wall clock: avg %.1f MB/s (best %.1f MB/s) [%d]%n", sources.size(),
        bytes / 1e6, bytes / 1e6 / avgCpu, bytes / 1e6 / bestCpu, sources.size() / avgCpu,
        bytes / 1e6 / avg, bytes / 1e6 / best, sink % 7);
  }

  private static Path stdlib() throws Exception {
    Process p = new ProcessBuilder("python3", "-c",
        "import sysconfig; print(sysconfig.get_paths()['stdlib'])").start();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    p.waitFor();
    return Path.of(out);
  }
}
