package dev.loopguard.core.frontend;

import java.nio.file.Path;
import java.util.Collection;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What a frontend may know about the files of one scan before it reads any of them, to name
 * modules: the scan root, the relative paths the scan reads, whether another relative path exists
 * and the text of a small project file. Relative paths are {@code /}-separated and may climb above
 * the root with {@code ../} (project files above a scanned sub-folder).
 *
 * @param root the scan root on disk, or null for a scan of files held in memory (nothing above it)
 * @param paths the relative paths of the files the scan reads
 * @param exists whether a relative path names a regular file
 * @param text the text of the file at a relative path, or null when it cannot be read
 */
public record ProjectFiles(Path root, Collection<String> paths, Predicate<String> exists,
    Function<String, String> text) {

  /** The project files of a scan of {@code paths} under {@code root} on disk. */
  public static ProjectFiles onDisk(Path root, Collection<String> paths, Predicate<String> exists) {
    return new ProjectFiles(root, paths, exists, rel -> {
      try {
        Path p = root.resolve(rel).normalize();
        return java.nio.file.Files.size(p) > 1 << 20 ? null : java.nio.file.Files.readString(p);
      } catch (java.io.IOException | RuntimeException e) {
        return null;
      }
    });
  }
}
