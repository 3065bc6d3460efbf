package dev.loopguard.core.engine.cache;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.CRC32C;

/** Writing the cache folder's files: whole or not at all, never failing a scan. */
final class CacheFiles {
  private CacheFiles() {}

  /** Writes a file's content. */
  interface Body {
    void write(DataOutputStream out) throws IOException;
  }

  /**
   * Writes {@code target} in {@code dir} through a temporary file moved into place (atomically
   * where the file system can), so that concurrent scans never see half a file. Creates the
   * folder, with a .gitignore that ignores everything in it. False when anything failed.
   */
  static boolean write(Path dir, Path target, Body body) {
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      Path ignore = dir.resolve(".gitignore");
      if (!Files.exists(ignore)) {
        Files.writeString(ignore, "# Created by loopguard; safe to delete.\n*\n", StandardCharsets.UTF_8);
      }
      tmp = Files.createTempFile(dir, target.getFileName().toString(), ".tmp");
      try (OutputStream os = Files.newOutputStream(tmp);
          DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os, 1 << 16))) {
        body.write(out);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      return true;
    } catch (IOException | RuntimeException e) {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // nothing more to do
        }
      }
      return false;
    }
  }

  static int crc(byte[] b, int offset, int length) {
    CRC32C c = new CRC32C();
    c.update(b, offset, length);
    return (int) c.getValue();
  }
}
