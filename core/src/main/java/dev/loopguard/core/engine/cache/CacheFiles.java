package dev.loopguard.core.engine.cache;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.LinkOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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
   * folder, with a .gitignore that ignores everything in it. Writes nothing when the folder is a
   * symbolic link, and first removes temporary files killed scans left. False when anything
   * failed.
   */
  static boolean write(Path dir, Path target, Body body) {
    return writeFile(dir, target, tmp -> {
      try (OutputStream os = Files.newOutputStream(tmp);
          DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os, 1 << 16))) {
        body.write(out);
      }
    });
  }

  /** Fills a temporary file. */
  private interface Filler {
    void fill(Path tmp) throws IOException;
  }

  private static boolean writeFile(Path dir, Path target, Filler filler) {
    return writeFile(dir, target, true, filler);
  }

  private static boolean writeFile(Path dir, Path target, boolean withIgnore, Filler filler) {
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      if (Files.isSymbolicLink(dir)) {
        return false; // never write through a link: it may lead anywhere
      }
      removeStaleTemporaries(dir);
      Path ignore = dir.resolve(".gitignore");
      if (withIgnore && !Files.exists(ignore, LinkOption.NOFOLLOW_LINKS)) {
        // CREATE_NEW does not follow a link planted in the meantime
        Files.writeString(ignore, "# Created by loopguard; safe to delete.\n*\n", StandardCharsets.UTF_8,
            StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      }
      // NAME.<pid>.<random>.tmp: a later scan removes it if this process dies before the move
      tmp = Files.createTempFile(dir, target.getFileName() + "." + ProcessHandle.current().pid() + ".", TMP);
      filler.fill(tmp);
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

  private static final String TMP = ".tmp";
  // A temporary file without a process id is left to its writer this long.
  private static final long FOREIGN_TMP_MILLIS = 60L * 60 * 1000;

  /**
   * Removes temporary files in {@code dir} that no running writer owns: left by a scan that was
   * killed (kill -9, an out-of-memory kill) while it wrote. A file names its writer's process
   * id; one whose process is gone, or that names none and is an hour old, is removed.
   */
  static void removeStaleTemporaries(Path dir) {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + TMP)) {
      long now = System.currentTimeMillis();
      for (Path p : ds) {
        String name = p.getFileName().toString();
        String[] parts = name.substring(0, name.length() - TMP.length()).split("\\.");
        long pid = -1;
        if (parts.length >= 3) {
          try {
            pid = Long.parseLong(parts[parts.length - 2]);
          } catch (NumberFormatException e) {
            pid = -1;
          }
        }
        boolean stale;
        if (pid > 0) {
          stale = pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).isEmpty();
        } else {
          BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
          stale = now - a.lastModifiedTime().toMillis() > FOREIGN_TMP_MILLIS;
        }
        if (stale) {
          Files.deleteIfExists(p);
        }
      }
    } catch (IOException | RuntimeException e) {
      // best effort: the next scan tries again
    }
  }

  /**
   * Writes {@code target} as {@code magic}, the longs of {@code key}, the CRC32C and length of the
   * body, then the body {@code body} writes; read it with {@link #readKeyed}.
   */
  static boolean writeKeyed(Path dir, Path target, int magic, long[] key, Body body) {
    return writeKeyed(dir, target, true, magic, key, body);
  }

  /**
   * As {@link #writeKeyed(Path, Path, int, long[], Body)}; {@code withIgnore}: whether the folder
   * gets a .gitignore (the cache folder does; a file beside loopguard's jar does not need one).
   */
  static boolean writeKeyed(Path dir, Path target, boolean withIgnore, int magic, long[] key,
      Body body) {
    // The body goes to the file as it is written (a cache file may be tens of megabytes, written
    // when a scan's heap is fullest); its CRC and length are filled in afterwards.
    return writeFile(dir, target, withIgnore, tmp -> {
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer header = ByteBuffer.allocate(4 + 8 * key.length + 4 + 4);
        header.putInt(magic);
        for (long k : key) {
          header.putLong(k);
        }
        int sums = header.position();
        header.putInt(0).putInt(0).flip();
        while (header.hasRemaining()) {
          channel.write(header);
        }
        CRC32C crc = new CRC32C();
        CountingCrc counted = new CountingCrc(Channels.newOutputStream(channel), crc);
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(counted, 1 << 16));
        body.write(out);
        out.flush();
        if (counted.count > Integer.MAX_VALUE) {
          throw new IOException("cache file too large");
        }
        ByteBuffer tail = ByteBuffer.allocate(8).putInt((int) crc.getValue()).putInt((int) counted.count);
        tail.flip();
        long at = sums;
        while (tail.hasRemaining()) {
          at += channel.write(tail, at);
        }
      }
    });
  }

  /** Passes bytes on, adding them to a CRC and counting them. */
  private static final class CountingCrc extends java.io.FilterOutputStream {
    private final CRC32C crc;
    long count;

    CountingCrc(OutputStream out, CRC32C crc) {
      super(out);
      this.crc = crc;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      crc.update(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      crc.update(b, off, len);
      count += len;
    }
  }

  /**
   * The body of a file {@link #writeKeyed} wrote with this {@code magic} and {@code key}, or null
   * when the file is missing, larger than {@code maxBytes}, of another kind or key, or corrupt.
   */
  static DataInputStream readKeyed(Path file, int magic, long[] key, long maxBytes) {
    // Checked in one pass and read in a second, from the file: a cache file may be tens of
    // megabytes, which are not held in memory. Close the stream returned.
    FileChannel channel = null;
    try {
      if (!Files.isRegularFile(file)) {
        return null;
      }
      channel = FileChannel.open(file, StandardOpenOption.READ);
      long size = channel.size();
      int header = 4 + 8 * key.length + 4 + 4;
      if (size > maxBytes || size < header) {
        channel.close();
        return null;
      }
      ByteBuffer h = ByteBuffer.allocate(header);
      while (h.hasRemaining() && channel.read(h, h.position()) >= 0) {
        // reads the header
      }
      h.flip();
      boolean ours = h.remaining() == header && h.getInt() == magic;
      for (int i = 0; ours && i < key.length; i++) {
        ours = h.getLong() == key[i];
      }
      int crc = ours ? h.getInt() : 0;
      int length = ours ? h.getInt() : -1;
      if (!ours || length != size - header) {
        channel.close();
        return null;
      }
      CRC32C sum = new CRC32C();
      ByteBuffer chunk = ByteBuffer.allocate(1 << 16);
      for (long at = header; at < size; ) {
        chunk.clear();
        int n = channel.read(chunk, at);
        if (n <= 0) {
          channel.close();
          return null;
        }
        chunk.flip();
        sum.update(chunk);
        at += n;
      }
      if ((int) sum.getValue() != crc) {
        channel.close();
        return null;
      }
      channel.position(header);
      return new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel), 1 << 16));
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException ignored) {
          // nothing more to do
        }
      }
      return null;
    }
  }

  static int crc(byte[] b, int offset, int length) {
    CRC32C c = new CRC32C();
    c.update(b, offset, length);
    return (int) c.getValue();
  }
}
