package dev.loopguard.core.engine.cache;

import dev.loopguard.core.Version;
import dev.loopguard.core.frontend.LanguageFrontend;
import dev.loopguard.core.ir.ModuleIr;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The on-disk cache of lowered modules: {@code .loopguard_cache/} under the scan root. One pack
 * file ({@code ir-<FORMAT>.bin}) holds an entry per file, keyed by a 256-bit hash (two MurmurHash3-128) of (cache format,
 * loopguard version, the frontend's id and build, the file's path, module name, aliases and
 * content); its value is the module's IR in {@link IrCodec}'s form. A scan {@link #open opens}
 * the cache (reading the entries' keys and places, not their values), {@link #get gets} each
 * file's IR from it (one read of its entry) or lowers the file,
 * and {@link #save saves} the entries it used, so that entries of deleted or changed files drop
 * out. Any problem (no permission, a corrupt or foreign file) makes the cache a no-op: it never
 * fails a scan. Thread-safe between {@code open} and {@code save}.
 */
public final class IrCache {
  /** The cache folder's name under the scan root (the walker skips it). */
  public static final String FOLDER = ".loopguard_cache";
  private static final int MAGIC = 0x4C474954; // "LGIT"
  private static final long MAX_PACK_BYTES = 2L << 30;

  private final Path dir;
  private final Path pack;
  // Per frontend id: the start of its keys (cache format, loopguard version, frontend id and build).
  private final Map<String, String> prefixes = new ConcurrentHashMap<>();
  private final Map<Key, Region> stored = new ConcurrentHashMap<>();
  // Entries to keep: the Region of an entry of the pack read, copied as it is when saved, or a
  // ModuleIr lowered in this scan (encoded when saved, so that lowering does not wait for it).
  private final Map<Key, Object> used = new ConcurrentHashMap<>();
  // The key of each file's IR in this scan, by path.
  private final Map<String, Key> pathKeys = new ConcurrentHashMap<>();
  private final AtomicInteger hits = new AtomicInteger();
  private final AtomicInteger misses = new AtomicInteger();
  // The pack read, open from open() to save(): entries are read from it when needed, so that a
  // large pack is not held in memory (a tree of 3.7 million lines has a pack of about 100 MB).
  private FileChannel file;

  private record Key(long a, long b, long c, long d) {}

  private record Region(long offset, int length, int crc) {}

  private IrCache(Path dir) {
    this.dir = dir;
    this.pack = dir.resolve("ir-" + IrCodec.FORMAT + ".bin");
  }

  /** Opens the cache of the tree at {@code root}, reading what an earlier scan saved. */
  public static IrCache open(Path root) {
    IrCache c = new IrCache(root.toAbsolutePath().normalize().resolve(FOLDER));
    c.load();
    return c;
  }

  private void load() {
    FileChannel channel = null;
    try {
      if (!Files.isRegularFile(pack) || Files.size(pack) > MAX_PACK_BYTES) {
        return;
      }
      channel = FileChannel.open(pack, StandardOpenOption.READ);
      long size = channel.size();
      DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel), 1 << 16));
      if (size < 8 || in.readInt() != MAGIC) {
        channel.close();
        return;
      }
      int n = in.readInt();
      long position = 8;
      for (int i = 0; i < n; i++) {
        Key k = new Key(in.readLong(), in.readLong(), in.readLong(), in.readLong());
        int len = in.readInt();
        int crc = in.readInt();
        position += 40;
        if (len < 0 || len > size - position) {
          stored.clear();
          channel.close();
          return;
        }
        stored.put(k, new Region(position, len, crc));
        in.skipNBytes(len);
        position += len;
      }
      file = channel;
    } catch (IOException | RuntimeException e) {
      stored.clear();
      closeQuietly(channel);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      if (channel != null) {
        channel.close();
      }
    } catch (IOException ignored) {
      // nothing more to do
    }
  }

  /** The bytes of region {@code r} of the pack, or null when they cannot be read. */
  private byte[] read(Region r) {
    FileChannel channel = file;
    if (channel == null) {
      return null;
    }
    byte[] b = new byte[r.length()];
    ByteBuffer buffer = ByteBuffer.wrap(b);
    try {
      while (buffer.hasRemaining()) {
        if (channel.read(buffer, r.offset() + buffer.position()) < 0) {
          return null;
        }
      }
      return b;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The IR of a file: from the cache when an entry has the same key, otherwise what
   * {@code lower} makes (then kept for {@link #save}).
   */
  public ModuleIr get(LanguageFrontend frontend, String path, String module, List<String> aliases,
      byte[] content, Supplier<ModuleIr> lower) {
    return get(frontend, path, module, aliases, ResultCache.contentHash(content), false, lower);
  }

  /**
   * As {@link #get(LanguageFrontend, String, String, List, byte[], Supplier)}, for content whose
   * hash ({@link ResultCache#contentHash}) is known, and for the IR in the form {@code outline}
   * says ({@code lower} makes that form).
   */
  public ModuleIr get(LanguageFrontend frontend, String path, String module, List<String> aliases,
      long[] contentHash, boolean outline, Supplier<ModuleIr> lower) {
    Key key = key(frontend, path, module, aliases, contentHash, outline);
    ModuleIr m = cached(path, key);
    if (m != null) {
      return m;
    }
    misses.incrementAndGet();
    m = lower.get();
    used.put(key, m);
    return m;
  }

  /**
   * The IR of a file whose content hash is known, when the cache holds it (kept for
   * {@link #save}, as by {@link #get}); else null, and nothing is kept. A scan that trusts a
   * file's stamp gets its IR without reading it.
   */
  public ModuleIr cached(LanguageFrontend frontend, String path, String module, List<String> aliases,
      long[] contentHash, boolean outline) {
    return cached(path, key(frontend, path, module, aliases, contentHash, outline));
  }

  private ModuleIr cached(String path, Key key) {
    pathKeys.put(path, key);
    Region r = stored.get(key);
    ModuleIr m = decode(r);
    if (m != null) {
      used.put(key, r);
      hits.incrementAndGet();
    }
    // else a missing or corrupt entry: lowered again and overwritten
    return m;
  }

  /**
   * The key of the IR {@link #get} last gave for {@code path} in this scan (four longs: the same
   * for the same loopguard build, frontend, path, module name, aliases, content and form), or
   * null.
   */
  public long[] keyOf(String path) {
    Key k = pathKeys.get(path);
    return k == null ? null : new long[] {k.a(), k.b(), k.c(), k.d()};
  }

  /**
   * The IR an earlier scan stored under {@code key} (from {@link #keyOf}), or null when the pack
   * has no such entry. Only before {@link #save}.
   */
  public ModuleIr stored(long[] key) {
    return key == null || key.length != 4 ? null : decodeStored(new Key(key[0], key[1], key[2], key[3]));
  }

  private ModuleIr decodeStored(Key key) {
    return decode(stored.get(key));
  }

  /** The IR in region {@code r} of the pack, or null (no region, or a corrupt one). */
  private ModuleIr decode(Region r) {
    byte[] b = r == null ? null : read(r);
    if (b == null || crc(b, 0, b.length) != r.crc()) {
      return null;
    }
    try {
      return IrCodec.decode(b, 0, b.length);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Files served from the cache in this scan. */
  public int hits() {
    return hits.get();
  }

  /** Files lowered in this scan. */
  public int misses() {
    return misses.get();
  }

  /**
   * Writes the entries this scan used, when they differ from what was read (a file was lowered,
   * or an entry was not used). Writes a temporary file and moves it into place, so that
   * concurrent scans of the same tree never see half a pack. Returns false when the cache could
   * not be written (e.g. a read-only tree); the scan is unaffected. Releases the cache's memory:
   * call it once, after the last {@link #get}. Encodes the modules lowered in this scan one at a
   * time as it writes them, so it may run on another thread while the scan goes on (the modules
   * are not changed by anyone).
   */
  public boolean save() {
    try {
      return write();
    } finally {
      // The scan keeps the decoded IR; the pack and the entries are not needed any more.
      closeQuietly(file);
      file = null;
      stored.clear();
      used.clear();
    }
  }

  private boolean write() {
    if (misses.get() == 0 && used.size() == stored.size()) {
      return true;
    }
    List<Map.Entry<Key, Object>> entries = new ArrayList<>(used.entrySet());
    entries.sort((x, y) -> compare(x.getKey(), y.getKey()));
    IrCodec.Encoder encoder = new IrCodec.Encoder();
    return CacheFiles.write(dir, pack, out -> {
      out.writeInt(MAGIC);
      out.writeInt(entries.size());
      for (Map.Entry<Key, Object> e : entries) {
        Key k = e.getKey();
        out.writeLong(k.a());
        out.writeLong(k.b());
        out.writeLong(k.c());
        out.writeLong(k.d());
        if (e.getValue() instanceof Region r) {
          byte[] b = read(r);
          if (b == null) {
            throw new IOException("the pack could not be read again");
          }
          out.writeInt(b.length);
          out.writeInt(r.crc());
          out.write(b, 0, b.length);
          continue;
        }
        try {
          encoder.encode((ModuleIr) e.getValue());
        } catch (RuntimeException failed) {
          // An IR the codec cannot write: an empty entry, which reads as corrupt (a miss).
          out.writeInt(0);
          out.writeInt(crc(new byte[0], 0, 0));
          continue;
        }
        out.writeInt(encoder.length());
        out.writeInt(encoder.crc());
        encoder.writeTo(out);
      }
      // Before the new pack replaces it (which some systems refuse while it is open).
      closeQuietly(file);
      file = null;
    });
  }

  /**
   * The IR of a file when the cache holds it, lowered or else outlined, else null. Unlike
   * {@link #get}, keeps nothing for {@link #save}: for reading the modules behind a reused result.
   */
  public ModuleIr find(LanguageFrontend frontend, String path, String module, List<String> aliases,
      long[] contentHash) {
    ModuleIr m = decodeStored(key(frontend, path, module, aliases, contentHash, false));
    return m != null ? m : decodeStored(key(frontend, path, module, aliases, contentHash, true));
  }

  private static int crc(byte[] b, int offset, int length) {
    return CacheFiles.crc(b, offset, length);
  }

  private static int compare(Key x, Key y) {
    int c = Long.compareUnsigned(x.a(), y.a());
    if (c == 0) {
      c = Long.compareUnsigned(x.b(), y.b());
    }
    if (c == 0) {
      c = Long.compareUnsigned(x.c(), y.c());
    }
    return c != 0 ? c : Long.compareUnsigned(x.d(), y.d());
  }

  private Key key(LanguageFrontend fe, String path, String module, List<String> aliases,
      long[] contentHash, boolean outline) {
    StringBuilder sb = new StringBuilder(160);
    sb.append(prefixes.computeIfAbsent(fe.id(), k -> IrCodec.FORMAT + "\0" + Version.get() + "\0"
            + fe.id() + "\0" + build(fe) + "\0"))
        .append(path).append('\0').append(module).append('\0').append(String.join("\1", aliases))
        .append('\0').append(contentHash[0]).append('\0').append(contentHash[1])
        .append(outline ? "\0outline" : "");
    byte[] all = sb.toString().getBytes(StandardCharsets.UTF_8);
    long[] a = Murmur3.hash128(all, 0x6c67L);
    long[] b = Murmur3.hash128(all, a[0] ^ 0x9E3779B97F4A7C15L);
    return new Key(a[0], a[1], b[0], b[1]);
  }

  /**
   * Identifies the frontend's build, so that a rebuilt loopguard (same version, new code) does
   * not reuse IR lowered by the old code: the size and time of the jar or class file it was
   * loaded from.
   */
  private static String build(LanguageFrontend fe) {
    return build(fe.getClass());
  }

  /** The size and time of the jar or class file {@code type} was loaded from, or "unknown". */
  static String build(Class<?> type) {
    try {
      ProtectionDomain pd = type.getProtectionDomain();
      if (pd == null || pd.getCodeSource() == null || pd.getCodeSource().getLocation() == null) {
        return "unknown";
      }
      Path p = Path.of(pd.getCodeSource().getLocation().toURI());
      if (Files.isDirectory(p)) {
        p = p.resolve(type.getName().replace('.', '/') + ".class");
      }
      return Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis();
    } catch (IOException | URISyntaxException | RuntimeException e) {
      return "unknown";
    }
  }
}
