package dev.loopguard.core.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Maps the file names of run-time stacks to files of the scanned tree. A path under the root is
 * made relative to it; any other path (an install prefix such as {@code /config/}, a container's
 * {@code /app/}, a {@code site-packages} folder, a relative path) maps to the longest tail of it,
 * of at least two parts, that names a file under the root ({@code custom_components/x/y.py}), or
 * to itself when it is relative and names a file of the tree. Anything else is not in the tree.
 */
public final class SourceMap {
  private final Path root;
  private final Map<String, String> cache = new HashMap<>();

  public SourceMap(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** The root-relative {@code /}-separated path, or null when the file is not in the tree. */
  public String map(String path) {
    if (path == null || path.isEmpty() || path.startsWith("<")) {
      return null;
    }
    return cache.computeIfAbsent(path, this::compute);
  }

  private String compute(String path) {
    String norm = path.replace('\\', '/');
    Path p;
    try {
      p = Path.of(norm);
    } catch (RuntimeException e) {
      return null;
    }
    if (p.isAbsolute()) {
      Path n = p.normalize();
      if (n.startsWith(root) && Files.isRegularFile(n)) {
        return slash(root.relativize(n));
      }
    } else if (isFile(norm)) {
      return norm;
    }
    String[] parts = norm.split("/");
    for (int start = 1; start <= parts.length - 2; start++) {
      String tail = String.join("/", java.util.Arrays.copyOfRange(parts, start, parts.length));
      if (!tail.isEmpty() && isFile(tail)) {
        return tail;
      }
    }
    return null;
  }

  private boolean isFile(String relative) {
    try {
      Path q = root.resolve(relative).normalize();
      return q.startsWith(root) && Files.isRegularFile(q);
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static String slash(Path p) {
    return p.toString().replace('\\', '/');
  }
}
