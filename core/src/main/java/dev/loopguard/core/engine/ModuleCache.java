package dev.loopguard.core.engine;

import dev.loopguard.core.ir.ModuleIr;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Lowered modules kept between scans of similar trees (the two sides of a change), so that a
 * file whose path, module name and content are the same on both sides is lowered once. Lowering
 * is the expensive part of a scan; the IR is immutable and can be shared by several analyses.
 * Thread-safe; scans sharing a cache may run at the same time.
 */
public final class ModuleCache {
  private record Key(String language, String path, String module, List<String> aliases, String content,
      boolean outline) {}

  private final ConcurrentHashMap<Key, CompletableFuture<ModuleIr>> modules = new ConcurrentHashMap<>();
  private final AtomicInteger hits = new AtomicInteger();
  private final AtomicInteger misses = new AtomicInteger();

  /**
   * The cached module for this file in the form {@code outline} says (lowered, or an outline),
   * or the one {@code lower} makes (then kept). Two scans may run at once: a file being lowered
   * for one is waited for by the other, not lowered twice.
   */
  ModuleIr get(String language, String path, String module, List<String> aliases, byte[] content,
      boolean outline, Supplier<ModuleIr> lower) {
    Key key = new Key(language, path, module, List.copyOf(aliases), hash(content), outline);
    CompletableFuture<ModuleIr> mine = new CompletableFuture<>();
    CompletableFuture<ModuleIr> theirs = modules.putIfAbsent(key, mine);
    if (theirs != null) {
      try {
        ModuleIr m = theirs.join();
        hits.incrementAndGet();
        return m;
      } catch (CompletionException | CancellationException e) {
        return lower.get(); // the other lowering failed: fail the same way here
      }
    }
    misses.incrementAndGet();
    try {
      ModuleIr m = lower.get();
      mine.complete(m);
      return m;
    } catch (RuntimeException | Error e) {
      modules.remove(key, mine);
      mine.completeExceptionally(e);
      throw e;
    }
  }

  /** Files served from the cache. */
  /**
   * Drops the modules kept for {@code path} (an editor's file whose older texts will not come
   * back), so that a long session keeps one lowering per file, not one per edit.
   */
  public void forget(String path) {
    modules.keySet().removeIf(k -> k.path().equals(path));
  }

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
