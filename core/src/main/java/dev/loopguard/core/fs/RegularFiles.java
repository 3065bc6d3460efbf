package dev.loopguard.core.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.Arrays;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads files a user or a repository names, refusing anything that is not a regular file: a
 * FIFO, a socket or a device would block a read forever or never end. Symbolic links are
 * followed (the caller decides whether a link may be read).
 */
public final class RegularFiles {
  private RegularFiles() {}

  /** Thrown for a path that exists but is not a regular file. */
  public static final class NotRegularException extends IOException {
    public NotRegularException(Path file, String kind) {
      super("is " + kind + ", not a regular file");
    }
  }

  /** What {@code file} is, in words: "a folder", "a FIFO or other special file", "a regular file". */
  public static String kind(BasicFileAttributes a) {
    if (a.isRegularFile()) {
      return "a regular file";
    }
    if (a.isDirectory()) {
      return "a folder";
    }
    return "a FIFO, socket or device";
  }

  /** Throws unless {@code file} (links followed) is a regular file; returns its attributes. */
  public static BasicFileAttributes requireRegular(Path file) throws IOException {
    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
    if (!a.isRegularFile()) {
      throw new NotRegularException(file, kind(a));
    }
    return a;
  }

  /** The bytes of the regular file {@code file}; an IOException for anything else. */
  public static byte[] read(Path file) throws IOException {
    return read(file, Integer.MAX_VALUE - 16);
  }

  /**
   * The bytes of the regular file {@code file}, at most {@code maxBytes} of them (an IOException
   * names the limit when it holds more; a file that grows while it is read cannot exceed it).
   */
  public static byte[] read(Path file, long maxBytes) throws IOException {
    BasicFileAttributes a = requireRegular(file);
    if (a.size() > maxBytes) {
      throw new IOException(a.size() + " bytes, over the limit of " + maxBytes);
    }
    long limit = Math.min(maxBytes, Integer.MAX_VALUE - 16L);
    try (SeekableByteChannel ch = Files.newByteChannel(file)) {
      // One array of the size the file has (a stream's readNBytes gathers chunks and copies them:
      // twice the garbage for every file a scan reads), grown only if the file grows meanwhile.
      byte[] b = new byte[(int) Math.min(Math.max(ch.size(), 0), limit)];
      ByteBuffer buf = ByteBuffer.wrap(b);
      while (true) {
        if (!buf.hasRemaining()) {
          if (buf.capacity() >= limit) {
            if (ch.read(ByteBuffer.allocate(1)) > 0) {
              throw new IOException("grew over the limit of " + maxBytes + " bytes while read");
            }
            break;
          }
          ByteBuffer probe = ByteBuffer.allocate(1);
          int n = ch.read(probe);
          if (n < 0) {
            break;
          }
          if (n == 0) {
            continue;
          }
          byte[] bigger = Arrays.copyOf(b, (int) Math.min(limit, Math.max(16L, b.length * 2L)));
          bigger[buf.position()] = probe.get(0);
          int pos = buf.position() + 1;
          b = bigger;
          buf = ByteBuffer.wrap(b);
          buf.position(pos);
          continue;
        }
        if (ch.read(buf) < 0) {
          break;
        }
      }
      return buf.position() == b.length ? b : Arrays.copyOf(b, buf.position());
    }
  }
}
