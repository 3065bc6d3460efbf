package dev.loopguard.core.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads source lines for code frames, one file at a time, lazily. */
public final class SourceLines {
  private final Path root;
  private final Map<String, List<String>> cache = new HashMap<>();

  public SourceLines(Path root) {
    this.root = root;
  }

  /** Line {@code n} (1-based) of {@code path}, or null. */
  public String line(String path, int n) {
    List<String> lines = cache.computeIfAbsent(path, p -> {
      try {
        byte[] bytes = dev.loopguard.core.fs.RegularFiles.read(root.resolve(p));
        String s = new String(bytes, StandardCharsets.UTF_8);
        if (s.startsWith("\uFEFF")) {
          s = s.substring(1);
        }
        return s.lines().toList();
      } catch (IOException | RuntimeException e) {
        return List.of();
      }
    });
    return n >= 1 && n <= lines.size() ? lines.get(n - 1) : null;
  }
}
