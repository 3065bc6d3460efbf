package dev.loopguard.core.fs;

import java.io.IOException;
import java.io.InputStream;
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
    try (InputStream in = Files.newInputStream(file)) {
      byte[] b = in.readNBytes((int) Math.min(maxBytes, Integer.MAX_VALUE - 16L));
      if (in.read() >= 0) {
        throw new IOException("grew over the limit of " + maxBytes + " bytes while read");
      }
      return b;
    }
  }
}
