package dev.loopguard.core.engine.cache;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
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

  /**
   * Writes {@code target} as {@code magic}, the 256-bit {@code key}, the CRC32C and length of the
   * body, then the body {@code body} writes; read it with {@link #readKeyed}.
   */
  static boolean writeKeyed(Path dir, Path target, int magic, long[] key, Body body) {
    Buffer b = new Buffer();
    try (DataOutputStream out = new DataOutputStream(b)) {
      body.write(out);
    } catch (IOException e) {
      return false; // a Buffer does not fail
    }
    return write(dir, target, out -> {
      out.writeInt(magic);
      for (long k : key) {
        out.writeLong(k);
      }
      out.writeInt(crc(b.buf, 0, b.count));
      out.writeInt(b.count);
      out.write(b.buf, 0, b.count);
    });
  }

  /**
   * The body of a file {@link #writeKeyed} wrote with this {@code magic} and {@code key}, or null
   * when the file is missing, larger than {@code maxBytes}, of another kind or key, or corrupt.
   */
  static DataInputStream readKeyed(Path file, int magic, long[] key, long maxBytes) {
    try {
      if (!Files.isRegularFile(file) || Files.size(file) > maxBytes) {
        return null;
      }
      byte[] all = Files.readAllBytes(file);
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(all));
      int header = 4 + 8 * key.length + 4 + 4;
      if (all.length < header || in.readInt() != magic) {
        return null;
      }
      for (long k : key) {
        if (in.readLong() != k) {
          return null;
        }
      }
      int crc = in.readInt();
      int length = in.readInt();
      if (length != all.length - header || crc(all, header, length) != crc) {
        return null;
      }
      return in;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** An unsynchronized, growable byte buffer (ByteArrayOutputStream locks on every write). */
  static final class Buffer extends OutputStream {
    byte[] buf = new byte[1 << 16];
    int count;

    @Override
    public void write(int b) {
      if (count == buf.length) {
        buf = Arrays.copyOf(buf, buf.length * 2);
      }
      buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      if (count + len > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + len));
      }
      System.arraycopy(b, off, buf, count, len);
      count += len;
    }
  }

  static int crc(byte[] b, int offset, int length) {
    CRC32C c = new CRC32C();
    c.update(b, offset, length);
    return (int) c.getValue();
  }
}
