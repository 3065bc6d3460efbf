package dev.loopguard.core.engine.cache;

import dev.loopguard.core.knowledge.Fact;
import dev.loopguard.core.knowledge.FactKind;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The built-in knowledge packs, parsed, in one file, so that a start does not parse their YAML
 * again: a few tenths of a second of CPU in a fresh JVM, which a scan's first second shares with
 * reading files. The launcher keeps one beside the jar (as it keeps the class-data archive) and
 * names it with the system property {@code loopguard.knowledge.snapshot}. The file is stored under
 * a key of everything its facts depend on (loopguard's build and the pack resources'
 * names); a file of another key, or a corrupt one, reads as missing, and the packs are parsed.
 */
public final class KnowledgeSnapshot {
  private static final int MAGIC = 0x4C474B53; // "LGKS"
  /** Bumped whenever the stored form changes. */
  private static final int FORMAT = 3;
  private static final long MAX_BYTES = 64L << 20;

  private KnowledgeSnapshot() {}

  /**
   * The facts of each pack resource {@code file} holds under {@code key}, in the order they were
   * written, or null when it is missing, of another key, or corrupt.
   */
  public static Map<String, List<Fact>> read(Path file, long[] key) {
    DataInputStream in = CacheFiles.readKeyed(file, MAGIC, withFormat(key), MAX_BYTES);
    if (in == null) {
      return null;
    }
    try (in) {
      int packs = in.readInt();
      Map<String, List<Fact>> out = new LinkedHashMap<>();
      for (int i = 0; i < packs; i++) {
        String resource = in.readUTF();
        int n = in.readInt();
        List<Fact> facts = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
          facts.add(fact(in));
        }
        out.put(resource, List.copyOf(facts));
      }
      return out;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Writes the facts of each pack resource to {@code file} under {@code key}. False when it could
   * not be written; nothing else fails.
   */
  public static boolean write(Path file, long[] key, Map<String, List<Fact>> packs) {
    Path dir = file.toAbsolutePath().getParent();
    return CacheFiles.writeKeyed(dir, file.toAbsolutePath(), false, MAGIC, withFormat(key), out -> {
      out.writeInt(packs.size());
      for (Map.Entry<String, List<Fact>> e : packs.entrySet()) {
        out.writeUTF(e.getKey());
        out.writeInt(e.getValue().size());
        for (Fact f : e.getValue()) {
          fact(out, f);
        }
      }
    });
  }

  private static long[] withFormat(long[] key) {
    long[] k = java.util.Arrays.copyOf(key, key.length + 1);
    k[key.length] = FORMAT;
    return k;
  }

  private static void fact(DataOutputStream out, Fact f) throws IOException {
    str(out, f.id());
    strs(out, f.match());
    out.writeInt(f.kind().ordinal());
    str(out, f.category());
    str(out, f.replacement());
    str(out, f.reference());
    str(out, f.returns());
    num(out, f.callableArg());
    str(out, f.callableKeyword());
    str(out, f.entry());
    str(out, f.appliesTo());
    str(out, f.syncHandler());
    str(out, f.defaultTimeout());
    str(out, f.timeoutKeyword());
    str(out, f.confidence());
    str(out, f.note());
    conditions(out, f.nonBlockingIf());
    conditions(out, f.syncHandlerIf());
    str(out, f.effect());
    str(out, f.pack());
    str(out, f.source());
    num(out, f.timeoutArg());
  }

  private static Fact fact(DataInputStream in) throws IOException {
    String id = str(in);
    List<String> match = strs(in);
    FactKind kind = FactKind.values()[in.readInt()];
    String category = str(in);
    String replacement = str(in);
    String reference = str(in);
    String returns = str(in);
    Integer callableArg = num(in);
    String callableKeyword = str(in);
    String entry = str(in);
    String appliesTo = str(in);
    String syncHandler = str(in);
    String defaultTimeout = str(in);
    String timeoutKeyword = str(in);
    String confidence = str(in);
    String note = str(in);
    List<Fact.ArgCondition> nonBlockingIf = conditions(in);
    List<Fact.ArgCondition> syncHandlerIf = conditions(in);
    return new Fact(id, match, kind, category, replacement, reference, returns, callableArg,
        callableKeyword, entry, appliesTo, syncHandler, defaultTimeout, timeoutKeyword, confidence,
        note, nonBlockingIf, syncHandlerIf, str(in), str(in), str(in), num(in));
  }

  private static void conditions(DataOutputStream out, List<Fact.ArgCondition> conditions)
      throws IOException {
    out.writeInt(conditions.size());
    for (Fact.ArgCondition c : conditions) {
      num(out, c.position());
      str(out, c.keyword());
      strs(out, c.values());
      strs(out, c.types());
      str(out, c.syncHandler());
    }
  }

  private static List<Fact.ArgCondition> conditions(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > MAX_BYTES) {
      throw new IOException("corrupt");
    }
    List<Fact.ArgCondition> conditions = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      conditions.add(new Fact.ArgCondition(num(in), str(in), strs(in), strs(in), str(in)));
    }
    return List.copyOf(conditions);
  }

  // Strings as their UTF-8 bytes (writeUTF stops at 64 KB), null as -1.
  private static void str(DataOutputStream out, String s) throws IOException {
    if (s == null) {
      out.writeInt(-1);
      return;
    }
    byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String str(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      return null;
    }
    if (n > MAX_BYTES) {
      throw new IOException("corrupt");
    }
    byte[] b = new byte[n];
    in.readFully(b);
    return new String(b, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static void strs(DataOutputStream out, List<String> list) throws IOException {
    out.writeInt(list.size());
    for (String s : list) {
      str(out, s);
    }
  }

  private static List<String> strs(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > MAX_BYTES) {
      throw new IOException("corrupt");
    }
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(str(in));
    }
    return List.copyOf(out);
  }

  private static void num(DataOutputStream out, Integer v) throws IOException {
    out.writeBoolean(v != null);
    if (v != null) {
      out.writeInt(v);
    }
  }

  private static Integer num(DataInputStream in) throws IOException {
    return in.readBoolean() ? in.readInt() : null;
  }
}
