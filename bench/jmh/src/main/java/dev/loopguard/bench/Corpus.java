package dev.loopguard.bench;

import dev.loopguard.python.lower.SourceDecoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The fixed benchmark corpus: the {@code .py} files under {@code -Dlg.corpus=DIR} (default
 * {@code bench/corpus/stdlib}, made by {@code bench/corpus.sh}), sorted by path, read once at
 * set-up. {@code -Dlg.corpus.limit=N} keeps the first N files. Nothing of it is committed.
 */
public final class Corpus {
  public final Path root;
  public final List<String> paths = new ArrayList<>();
  public final List<byte[]> bytes = new ArrayList<>();
  public final List<String> texts = new ArrayList<>();
  public final long totalBytes;
  public final long totalChars;

  private Corpus(Path root, int limit) {
    this.root = root;
    List<Path> files;
    try (Stream<Path> s = Files.walk(root)) {
      files = s.filter(p -> p.toString().endsWith(".py") && Files.isRegularFile(p)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the corpus at " + root
          + " (run bench/corpus.sh, or pass -Dlg.corpus=DIR)", e);
    }
    long b = 0;
    long c = 0;
    for (Path p : files) {
      if (paths.size() >= limit) {
        break;
      }
      try {
        byte[] content = Files.readAllBytes(p);
        String rel = root.relativize(p).toString().replace('\\', '/');
        String text = SourceDecoder.decode(content, rel).text();
        paths.add(rel);
        bytes.add(content);
        texts.add(text);
        b += content.length;
        c += text.length();
      } catch (IOException e) {
        // a file that vanished since the walk: leave it out
      }
    }
    if (paths.isEmpty()) {
      throw new IllegalStateException("No .py files under " + root + " (run bench/corpus.sh)");
    }
    totalBytes = b;
    totalChars = c;
  }

  public static Corpus load() {
    String dir = System.getProperty("lg.corpus", System.getenv().getOrDefault("LG_CORPUS", "bench/corpus/stdlib"));
    int limit = Integer.getInteger("lg.corpus.limit", Integer.MAX_VALUE);
    Corpus c = new Corpus(Path.of(dir).toAbsolutePath().normalize(), limit);
    System.err.printf("corpus %s: %d files, %.1f MB%n", c.root, c.paths.size(), c.totalBytes / 1e6);
    return c;
  }
}
