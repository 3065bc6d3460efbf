package dev.loopguard.core.engine;

import dev.loopguard.core.ir.ModuleIr;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Lowered modules kept between scans of similar trees (the two sides of a change), so that a
 * file whose path, module name and content are the same on both sides is lowered once. Lowering
 * is the expensive part of a scan; the IR is immutable and can be shared by several analyses.
 * Thread-safe.
 */
public final class ModuleCache {
  private record Key(String language, String path, String module, List<String> aliases, String content) {}

  private final ConcurrentHashMap<Key, ModuleIr> modules = new ConcurrentHashMap<>();
  private final AtomicInteger hits = new AtomicInteger();
  private final AtomicInteger misses = new AtomicInteger();

  /** The cached module for this file, or the one {@code lower} makes (then kept). */
  ModuleIr get(String language, String path, String module, List<String> aliases, byte[] content,
      Supplier<ModuleIr> lower) {
    Key key = new Key(language, path, module, List.copyOf(aliases), hash(content));
    ModuleIr m = modules.get(key);
    if (m != null) {
      hits.incrementAndGet();
      return m;
    }
    misses.incrementAndGet();
    m = lower.get();
    ModuleIr prev = modules.putIfAbsent(key, m);
    return prev != null ? prev : m;
  }

  /** Files served from the cache. */
  public int hits() {
    return hits.get();
  }

  /** Files lowered. */
  public int misses() {
    return misses.get();
  }

  private static String hash(byte[] content) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(Integer.toString(content.length).getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(md.digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
