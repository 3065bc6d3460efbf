package dev.loopguard.core.engine.cache;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the file system says about a file, beyond its content: size, modification time, and the
 * identity a copy cannot forge — the device and inode, and the change time (ctime), which the
 * kernel sets to the current time on every write, rename or metadata change and which no tool
 * can set back (tar, {@code rsync -a}, {@code cp -p} and a restored CI cache restore the
 * modification time, never the change time). A file whose identity is unchanged since a scan
 * read it holds the content that scan hashed, so it need not be read again.
 *
 * @param changedNanos the change time, epoch nanoseconds
 */
public record FileIdentity(long size, long modifiedNanos, long changedNanos, long inode, long device) {

  /**
   * The identity of {@code file} (links followed: that of the file read), or null where the file system has no
   * change time or inode (not POSIX): such files are always read and hashed.
   */
  public static FileIdentity of(Path file) {
    try {
      Map<String, Object> a = Files.readAttributes(file, "unix:size,lastModifiedTime,ctime,ino,dev");
      Object ino = a.get("ino");
      Object dev = a.get("dev");
      Object ctime = a.get("ctime");
      if (!(ino instanceof Long i) || !(dev instanceof Long d) || !(ctime instanceof FileTime c)) {
        return null;
      }
      return new FileIdentity((Long) a.get("size"),
          ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS), c.to(TimeUnit.NANOSECONDS), i, d);
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException
        | ClassCastException e) {
      return null;
    }
  }

  /** The later of the modification and change times. */
  public long latestNanos() {
    return Math.max(modifiedNanos, changedNanos);
  }
}
