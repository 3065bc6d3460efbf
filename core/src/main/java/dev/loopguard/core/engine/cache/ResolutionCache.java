package dev.loopguard.core.engine.cache;

import dev.loopguard.core.analysis.CallGraph;
import dev.loopguard.core.analysis.Contributions;
import dev.loopguard.core.analysis.Project;
import dev.loopguard.core.analysis.Target;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.knowledge.FactIndex;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The call targets of the last scan, in {@code .loopguard_cache/resolution-<FORMAT>.bin}, so that
 * after an edit only what depends on the edited files is resolved again.
 *
 * <p>Call resolution runs one task per folder ({@link CallGraph#resolveAll}). For each folder the
 * file keeps its modules, the targets of their calls and the hashed keys of the project queries
 * the task made; for each module, an identity: the key of its IR in the IR pack (its content,
 * name and aliases). The earlier version of each module that changed, appeared or went away is
 * read back from the pack, and both versions are compared by the queries they answer, with a
 * hash of each answer ({@link Contributions}). A folder's targets are reused when none of its
 * modules changed and no key it read has another answer. The task would compute the same again.
 * Everything is stored under a key of loopguard's build and the knowledge; any problem reading the
 * file is a miss and any problem writing it leaves the scan unaffected.
 */
public final class ResolutionCache {
  /** Bumped whenever the stored form changes. */
  public static final int FORMAT = 1;
  private static final int MAGIC = 0x4C47434C; // "LGCL"
  private static final long MAX_BYTES = 512L << 20;

  private final Path dir;
  private final Path file;

  private ResolutionCache(Path dir) {
    this.dir = dir;
    this.file = dir.resolve("resolution-" + FORMAT + ".bin");
  }

  /** The cache of the tree at {@code root}. */
  public static ResolutionCache at(Path root) {
    return new ResolutionCache(root.toAbsolutePath().normalize().resolve(IrCache.FOLDER));
  }

  /**
   * A folder's resolution: its modules' paths; the query keys read; per module the index of its
   * first call in {@code callTargets}; per call the index of its first target in {@code targets};
   * each target as {@code 2 * name + kind} (0: project function id, 1: external API), names from
   * {@code names}.
   */
  record FolderEntry(List<String> paths, long[] reads, String[] names, int[] moduleCalls,
      int[] callTargets, int[] targets) {}

  /**
   * The stored state of a scan: each module's identity by path (the key of its IR in the
   * {@link IrCache}, so that the earlier version of a changed module can be read from the pack),
   * and each folder's resolution.
   */
  public record Stored(Map<String, long[]> modules, Map<String, FolderEntry> folders) {
    public static final Stored EMPTY = new Stored(Map.of(), Map.of());
  }

  /** The stored state when its key is {@code key}; else an empty one. */
  public Stored read(long[] key) {
    DataInputStream in = CacheFiles.readKeyed(file, MAGIC, key, MAX_BYTES);
    if (in == null) {
      return Stored.EMPTY;
    }
    try (in) {
      return readBody(in);
    } catch (IOException | RuntimeException e) {
      return Stored.EMPTY;
    }
  }

  private static Stored readBody(DataInputStream in) throws IOException {
    int moduleCount = in.readInt();
    Map<String, long[]> modules = new HashMap<>(moduleCount * 2);
    for (int i = 0; i < moduleCount; i++) {
      String path = in.readUTF();
      modules.put(path, new long[] {in.readLong(), in.readLong(), in.readLong(), in.readLong()});
    }
    int folderCount = in.readInt();
    Map<String, FolderEntry> folders = new HashMap<>(folderCount * 2);
    for (int i = 0; i < folderCount; i++) {
      String folder = in.readUTF();
      int pathCount = in.readInt();
      List<String> paths = new ArrayList<>(pathCount);
      for (int k = 0; k < pathCount; k++) {
        paths.add(in.readUTF());
      }
      long[] reads = longs(in);
      String[] names = new String[in.readInt()];
      for (int k = 0; k < names.length; k++) {
        names[k] = in.readUTF();
      }
      folders.put(folder, new FolderEntry(paths, reads, names, ints(in), ints(in), ints(in)));
    }
    return new Stored(modules, folders);
  }

  // Arrays are read and written in bulk: a large tree's file holds millions of numbers, and
  // DataInput/DataOutput move an int a byte at a time through a synchronized stream.
  private static long[] longs(DataInputStream in) throws IOException {
    long[] out = new long[count(in, 8)];
    java.nio.ByteBuffer.wrap(in.readNBytes(out.length * 8)).asLongBuffer().get(out);
    return out;
  }

  private static int[] ints(DataInputStream in) throws IOException {
    int[] out = new int[count(in, 4)];
    java.nio.ByteBuffer.wrap(in.readNBytes(out.length * 4)).asIntBuffer().get(out);
    return out;
  }

  /** The length of an array of {@code width}-byte numbers, checked before anything is allocated. */
  private static int count(DataInputStream in, int width) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > Integer.MAX_VALUE / width) {
      throw new IOException("bad array length " + n);
    }
    return n;
  }

  /** Stores {@code state} under {@code key}; false when the cache could not be written. */
  public boolean write(long[] key, Stored state) {
    return CacheFiles.writeKeyed(dir, file, MAGIC, key, out -> writeBody(out, state));
  }

  private static void writeBody(DataOutputStream out, Stored state) throws IOException {
    Map<String, long[]> modules = new TreeMap<>(state.modules());
    out.writeInt(modules.size());
    for (Map.Entry<String, long[]> e : modules.entrySet()) {
      out.writeUTF(e.getKey());
      for (long v : e.getValue()) {
        out.writeLong(v);
      }
    }
    Map<String, FolderEntry> folders = new TreeMap<>(state.folders());
    out.writeInt(folders.size());
    for (Map.Entry<String, FolderEntry> e : folders.entrySet()) {
      FolderEntry f = e.getValue();
      out.writeUTF(e.getKey());
      out.writeInt(f.paths().size());
      for (String p : f.paths()) {
        out.writeUTF(p);
      }
      writeLongs(out, f.reads());
      out.writeInt(f.names().length);
      for (String n : f.names()) {
        out.writeUTF(n);
      }
      writeInts(out, f.moduleCalls());
      writeInts(out, f.callTargets());
      writeInts(out, f.targets());
    }
  }

  private static void writeLongs(DataOutputStream out, long[] values) throws IOException {
    out.writeInt(values.length);
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(values.length * 8);
    b.asLongBuffer().put(values);
    out.write(b.array());
  }

  private static void writeInts(DataOutputStream out, int[] values) throws IOException {
    out.writeInt(values.length);
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(values.length * 4);
    b.asIntBuffer().put(values);
    out.write(b.array());
  }

  // ------------------------------------------------------------------ one scan

  /**
   * The memory one scan's call resolution uses: finds the modules of {@code modules} (this scan's)
   * that changed, appeared or went away since {@code old}, by their identity ({@code identity} by
   * path: four longs, or null when a module has none), and reads the earlier version of each from
   * the IR pack ({@code stored} by identity, null when the pack lacks it: then nothing is
   * recalled). Make it while the pack is at hand, then {@link Memory#prepare} it.
   */
  public static Memory memory(Stored old, List<ModuleIr> modules, Function<String, long[]> identity,
      Function<long[], ModuleIr> stored) {
    return new Memory(old, modules, identity, stored);
  }

  /** See {@link #memory}. */
  public static final class Memory implements CallGraph.Memory {
    private final Stored old;
    private final Map<String, long[]> modules = new HashMap<>();
    private final java.util.Set<String> changed = new java.util.HashSet<>();
    // {before, after} of each changed, added (before null) or deleted (after null) module.
    private final List<ModuleIr[]> versions = new ArrayList<>();
    private final java.util.Set<Long> touched = new java.util.HashSet<>();
    // Filled by recall (on the scanning thread) and resolved (on the tasks' threads).
    private final Map<String, FolderEntry> folders = new java.util.concurrent.ConcurrentHashMap<>();
    private FactIndex facts;
    private int recalled;
    private final java.util.concurrent.atomic.AtomicInteger resolvedCount =
        new java.util.concurrent.atomic.AtomicInteger();
    private boolean recallNothing;

    private Memory(Stored old, List<ModuleIr> now, Function<String, long[]> identity,
        Function<long[], ModuleIr> stored) {
      this.old = old;
      java.util.Set<String> present = new java.util.HashSet<>();
      for (ModuleIr m : now) {
        present.add(m.path());
        long[] id = identity.apply(m.path());
        long[] before = old.modules().get(m.path());
        if (id != null) {
          modules.put(m.path(), id);
        }
        if (before != null && id != null && Arrays.equals(before, id)) {
          continue;
        }
        changed.add(m.path());
        versions.add(new ModuleIr[] {before == null ? null : earlier(stored, before), m});
      }
      for (Map.Entry<String, long[]> e : old.modules().entrySet()) {
        if (!present.contains(e.getKey())) {
          versions.add(new ModuleIr[] {earlier(stored, e.getValue()), null});
        }
      }
    }

    /**
     * The earlier version stored under {@code id}; when the pack lacks it, nothing is recalled.
     * Not read when there is nothing to recall anyway.
     */
    private ModuleIr earlier(Function<long[], ModuleIr> stored, long[] id) {
      if (old.folders().isEmpty()) {
        return null;
      }
      ModuleIr m = stored.apply(id);
      recallNothing |= m == null;
      return m;
    }

    /**
     * Compares the versions of the changed modules by what they answer in {@code project}, on
     * {@code threads} threads; {@code facts} give the facts of recalled external targets.
     */
    public Memory prepare(Project project, FactIndex facts, int threads) {
      this.facts = facts;
      if (recallNothing || old.folders().isEmpty()) {
        return this; // nothing to recall
      }
      List<java.util.concurrent.Callable<Contributions[]>> tasks = new ArrayList<>(versions.size());
      for (ModuleIr[] pair : versions) {
        tasks.add(() -> new Contributions[] {contributions(project, pair[0], old.modules()),
            contributions(project, pair[1], modules)});
      }
      List<Object> made = dev.loopguard.core.analysis.Parallel.runAll(tasks, threads,
          "loopguard-contributions-", 0);
      for (int i = 0; i < versions.size(); i++) {
        if (!(made.get(i) instanceof Contributions[] both)
            || (versions.get(i)[0] != null && both[0] == null)
            || (versions.get(i)[1] != null && both[1] == null)) {
          // A version that cannot be told apart from another module's: recall nothing.
          recallNothing = true;
          return this;
        }
        touch(both[0], both[1]);
      }
      return this;
    }

    /** Adds the keys whose answers differ between {@code before} and {@code after} (either null). */
    private void touch(Contributions before, Contributions after) {
      if (before == null || after == null) {
        for (long k : (before == null ? after : before).keys()) {
          touched.add(k);
        }
        return;
      }
      for (int i = 0; i < after.keys().length; i++) {
        if (before.hashOf(after.keys()[i]) != after.hashes()[i]) {
          touched.add(after.keys()[i]);
        }
      }
      for (int i = 0; i < before.keys().length; i++) {
        if (after.hashOf(before.keys()[i]) != before.hashes()[i]) {
          touched.add(before.keys()[i]);
        }
      }
    }

    private static Contributions contributions(Project project, ModuleIr version,
        Map<String, long[]> identities) {
      if (version == null) {
        return null;
      }
      long[] id = identities.get(version.path());
      return Contributions.of(project, version, id == null ? 0x5EED : id[2] ^ id[3]);
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<Target>[][] recall(String folder, List<ModuleIr> folderModules) {
      FolderEntry f = old.folders().get(folder);
      if (recallNothing || f == null || f.paths().size() != folderModules.size()) {
        return null;
      }
      for (int i = 0; i < folderModules.size(); i++) {
        String path = folderModules.get(i).path();
        if (!f.paths().get(i).equals(path) || changed.contains(path)) {
          return null;
        }
      }
      for (long k : f.reads()) {
        if (touched.contains(k)) {
          return null;
        }
      }
      List<Target>[][] out = new List[folderModules.size()][];
      Target[] named = new Target[f.names().length * 2];
      for (int i = 0; i < out.length; i++) {
        int from = f.moduleCalls()[i];
        int to = f.moduleCalls()[i + 1];
        if (to - from != folderModules.get(i).calls().size()) {
          return null;
        }
        out[i] = new List[to - from];
        for (int c = from; c < to; c++) {
          int t0 = f.callTargets()[c];
          int t1 = f.callTargets()[c + 1];
          if (t0 == t1) {
            out[i][c - from] = List.of();
            continue;
          }
          Target[] ts = new Target[t1 - t0];
          for (int t = t0; t < t1; t++) {
            int code = f.targets()[t];
            Target target = named[code];
            if (target == null) {
              String name = f.names()[code >>> 1];
              target = (code & 1) == 0 ? new Target.ProjectFunction(name)
                  : new Target.Api(name, facts.lookup(name));
              named[code] = target;
            }
            ts[t - t0] = target;
          }
          out[i][c - from] = List.of(ts);
        }
      }
      folders.put(folder, f);
      recalled++;
      return out;
    }

    @Override
    public void resolved(String folder, List<ModuleIr> folderModules, long[] reads,
        List<Target>[][] targets) {
      List<String> paths = new ArrayList<>(folderModules.size());
      Map<String, Integer> nameIndex = new HashMap<>();
      List<String> names = new ArrayList<>();
      int calls = 0;
      int targetCount = 0;
      for (List<Target>[] perModule : targets) {
        calls += perModule.length;
        for (int c = 0; c < perModule.length; c++) {
          targetCount += perModule[c] == null ? 0 : perModule[c].size();
        }
      }
      int[] moduleCalls = new int[folderModules.size() + 1];
      int[] callTargets = new int[calls + 1];
      int[] codes = new int[targetCount];
      int c = 0;
      int t = 0;
      for (int i = 0; i < folderModules.size(); i++) {
        paths.add(folderModules.get(i).path());
        moduleCalls[i] = c;
        for (List<Target> ts : targets[i]) {
          callTargets[c++] = t;
          for (int k = 0, count = ts == null ? 0 : ts.size(); k < count; k++) {
            Target target = ts.get(k);
            String name = target instanceof Target.ProjectFunction pf ? pf.id() : ((Target.Api) target).name();
            int index = nameIndex.computeIfAbsent(name, n -> {
              names.add(n);
              return names.size() - 1;
            });
            codes[t++] = index * 2 + (target instanceof Target.Api ? 1 : 0);
          }
        }
      }
      moduleCalls[folderModules.size()] = c;
      callTargets[c] = t;
      folders.put(folder, new FolderEntry(paths, reads, names.toArray(String[]::new), moduleCalls,
          callTargets, codes));
      resolvedCount.incrementAndGet();
    }

    /** Folders whose targets were reused. */
    public int recalled() {
      return recalled;
    }

    /** Folders resolved in this scan. */
    public int resolved() {
      return resolvedCount.get();
    }

    /** The state to store: every module of this scan, and every folder recalled or resolved. */
    public Stored next() {
      return new Stored(modules, folders);
    }
  }
}
