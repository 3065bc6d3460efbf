package dev.loopguard.core.diff.review;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One side of a change: the files of a tree (a revision, the working tree, a folder with a patch
 * applied), by path relative to the review root ({@code /}-separated). Contents are read on first
 * use and kept; a content id (a git blob id, when known) tells identical files apart without
 * reading them. Thread-safe.
 */
public final class Snapshot {
  /** Reads one file's content. */
  @FunctionalInterface
  public interface Loader {
    byte[] load() throws IOException;
  }

  /** A file: a content id (null when unknown) and its loader. */
  public record Entry(String id, Loader loader) {}

  private final String label;
  private final SortedMap<String, Entry> entries;
  private final Map<String, byte[]> loaded = new ConcurrentHashMap<>();
  private final Map<String, byte[]> view = new LazyFiles();

  public Snapshot(String label, Map<String, Entry> entries) {
    this.label = label;
    this.entries = Collections.unmodifiableSortedMap(new TreeMap<>(entries));
  }

  /** A snapshot of files already in memory. */
  public static Snapshot of(String label, Map<String, byte[]> files) {
    Map<String, Entry> e = new TreeMap<>();
    files.forEach((p, b) -> e.put(p, new Entry(null, () -> b)));
    return new Snapshot(label, e);
  }

  /** What this side is: {@code origin/main (1a2b3c4)}, {@code working tree}. */
  public String label() {
    return label;
  }

  public Set<String> paths() {
    return entries.keySet();
  }

  public boolean contains(String path) {
    return entries.containsKey(path);
  }

  /** The content id of a file, or null when unknown or absent. */
  public String id(String path) {
    Entry e = entries.get(path);
    return e == null ? null : e.id();
  }

  /** The file's content, or null when absent. */
  public byte[] read(String path) {
    Entry e = entries.get(path);
    if (e == null) {
      return null;
    }
    byte[] b = loaded.get(path);
    if (b == null) {
      try {
        b = e.loader().load();
      } catch (IOException ex) {
        throw new UncheckedIOException("cannot read " + path + " of " + label + ": " + ex.getMessage(), ex);
      }
      loaded.put(path, b);
    }
    return b;
  }

  /** Whether {@code path} has the same content here and in {@code other} (both absent: true). */
  public boolean sameContent(Snapshot other, String path) {
    boolean here = contains(path);
    boolean there = other.contains(path);
    if (here != there) {
      return false;
    }
    if (!here) {
      return true;
    }
    String a = id(path);
    String b = other.id(path);
    if (a != null && b != null) {
      return a.equals(b);
    }
    return Arrays.equals(read(path), other.read(path));
  }

  /** This snapshot with some files replaced ({@code null} content: removed). */
  public Snapshot with(String newLabel, Map<String, byte[]> changes) {
    Map<String, Entry> e = new TreeMap<>(entries);
    changes.forEach((p, b) -> {
      if (b == null) {
        e.remove(p);
      } else {
        e.put(p, new Entry(null, () -> b));
      }
    });
    return new Snapshot(newLabel, e);
  }

  /**
   * The files as a map from path to content, for {@code Scanner.scan(Map, ...)}: every path is a
   * key; a value is read when it is first asked for.
   */
  public Map<String, byte[]> files() {
    return view;
  }

  private final class LazyFiles extends AbstractMap<String, byte[]> {
    @Override
    public byte[] get(Object key) {
      return key instanceof String s ? read(s) : null;
    }

    @Override
    public boolean containsKey(Object key) {
      return entries.containsKey(key);
    }

    @Override
    public Set<String> keySet() {
      return entries.keySet();
    }

    @Override
    public int size() {
      return entries.size();
    }

    @Override
    public Set<Map.Entry<String, byte[]>> entrySet() {
      return new AbstractSet<>() {
        @Override
        public Iterator<Map.Entry<String, byte[]>> iterator() {
          Iterator<String> keys = entries.keySet().iterator();
          return new Iterator<>() {
            @Override
            public boolean hasNext() {
              return keys.hasNext();
            }

            @Override
            public Map.Entry<String, byte[]> next() {
              String k = keys.next();
              return new AbstractMap.SimpleImmutableEntry<>(k, read(k));
            }
          };
        }

        @Override
        public int size() {
          return entries.size();
        }
      };
    }
  }
}
