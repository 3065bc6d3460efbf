package dev.loopguard.core.engine.cache;

import dev.loopguard.core.ir.Diagnostic;
import dev.loopguard.core.ir.IrSchema;
import dev.loopguard.core.ir.Span;
import dev.loopguard.core.model.Attributes;
import dev.loopguard.core.model.Cause;
import dev.loopguard.core.model.ChainHop;
import dev.loopguard.core.model.Confidence;
import dev.loopguard.core.model.EvidenceSite;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.model.Priority;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The result of the last scan of a tree, in {@code .loopguard_cache/result-<FORMAT>.bin}: its
 * findings, suppressed findings, diagnostics, counts and evidence, under a key that covers every
 * input of the analysis (loopguard's build, the knowledge, the rules and options, and each file's
 * path, module name and content). A scan whose key matches reuses the result without parsing or
 * analysing anything. One entry: a scan with other inputs replaces it. Any problem reading it
 * (missing, corrupt, foreign) is a miss; any problem writing it leaves the scan unaffected.
 */
public final class ResultCache {
  /** Bumped whenever the stored form changes. */
  public static final int FORMAT = 4;
  private static final int MAGIC = 0x4C475253; // "LGRS"
  private static final long MAX_BYTES = 256L << 20;

  private static final int STAMPS_MAGIC = 0x4C474653; // "LGFS"
  // Bumped when a stamp's stored form changes (2: the identity a copy cannot forge).
  private static final int STAMPS_FORMAT = 2;
  // The stamps file is the same whatever the inputs: a keyed file with no key.
  private static final long[] NO_KEY = {};
  // A file changed this close to the scan that stamped it may change again unseen within the
  // file system's time resolution: it is read again until it is older ("racy git").
  private static final long RACY_NANOS = 2_000_000_000L;

  private final Path dir;
  private final Path file;
  private final Path stampsFile;

  private ResultCache(Path dir) {
    this.dir = dir;
    this.file = dir.resolve("result-" + FORMAT + ".bin");
    this.stampsFile = dir.resolve("files-" + STAMPS_FORMAT + ".bin");
  }

  /**
   * What a scan saw of a file: its identity (size, times, inode; see {@link FileIdentity}) and
   * the hash of the content it read.
   */
  public record Stamp(FileIdentity identity, long hash0, long hash1) {}

  /**
   * The stamps of the last scan that wrote them: relative path to stamp, holding only stamps
   * that may be trusted (the file was not modified or changed shortly before that scan). Empty when there
   * are none.
   */
  public java.util.Map<String, Stamp> readStamps() {
    java.util.Map<String, Stamp> out = new java.util.HashMap<>();
    DataInputStream in = CacheFiles.readKeyed(stampsFile, STAMPS_MAGIC, NO_KEY, MAX_BYTES);
    if (in == null) {
      return out;
    }
    try (in) {
      long scanNanos = in.readLong();
      int n = in.readInt();
      for (int i = 0; i < n; i++) {
        int len = in.readUnsignedShort();
        String path = new String(in.readNBytes(len), StandardCharsets.UTF_8);
        FileIdentity id = new FileIdentity(in.readLong(), in.readLong(), in.readLong(), in.readLong(),
            in.readLong());
        Stamp s = new Stamp(id, in.readLong(), in.readLong());
        if (id.latestNanos() < scanNanos - RACY_NANOS) {
          out.put(path, s);
        }
      }
      return out;
    } catch (IOException | RuntimeException e) {
      return new java.util.HashMap<>();
    }
  }

  /**
   * Keeps the stamps of this scan, which started at {@code scanNanos} (file-system time, epoch
   * nanoseconds). Paths longer than 65,535 bytes are left out.
   */
  public boolean writeStamps(long scanNanos, java.util.Map<String, Stamp> stamps) {
    return CacheFiles.writeKeyed(dir, stampsFile, STAMPS_MAGIC, NO_KEY, out -> {
      out.writeLong(scanNanos);
      List<String> paths = new ArrayList<>(new java.util.TreeSet<>(stamps.keySet()));
      paths.removeIf(p -> p.getBytes(StandardCharsets.UTF_8).length > 0xFFFF);
      out.writeInt(paths.size());
      for (String p : paths) {
        byte[] b = p.getBytes(StandardCharsets.UTF_8);
        out.writeShort(b.length);
        out.write(b);
        Stamp s = stamps.get(p);
        FileIdentity id = s.identity();
        out.writeLong(id.size());
        out.writeLong(id.modifiedNanos());
        out.writeLong(id.changedNanos());
        out.writeLong(id.inode());
        out.writeLong(id.device());
        out.writeLong(s.hash0());
        out.writeLong(s.hash1());
      }
    });
  }

  /** The result cache of the tree at {@code root}. */
  public static ResultCache at(Path root) {
    return new ResultCache(root.toAbsolutePath().normalize().resolve(IrCache.FOLDER));
  }

  /** What a scan keeps for the next one. */
  public record Stored(
      List<Finding> findings,
      List<Finding> suppressed,
      List<Diagnostic> diagnostics,
      int files,
      long lines,
      int functions,
      int asyncFunctions,
      List<EvidenceSite> evidence) {}

  /**
   * Collects the inputs of a scan into a key. Feed it everything the result depends on, in a
   * fixed order; {@link #key()} hashes it.
   */
  public static final class KeyBuilder {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
    private final DataOutputStream out = new DataOutputStream(bytes);

    public KeyBuilder() {
      add("loopguard-result").add(FORMAT);
    }

    public KeyBuilder add(String s) {
      try {
        if (s == null) {
          out.writeInt(-1);
        } else {
          byte[] b = s.getBytes(StandardCharsets.UTF_8);
          out.writeInt(b.length);
          out.write(b);
        }
      } catch (IOException e) {
        throw new IllegalStateException(e); // a ByteArrayOutputStream does not fail
      }
      return this;
    }

    public KeyBuilder add(long v) {
      try {
        out.writeLong(v);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      return this;
    }

    /** The jar or class file {@code type} was loaded from: size and time, for rebuilt code. */
    public KeyBuilder addBuildOf(Class<?> type) {
      return add(IrCache.build(type));
    }

    /** A file's content, by its 128-bit hash. */
    public KeyBuilder addContent(byte[] content) {
      long[] h = contentHash(content);
      return add(content.length).add(h[0]).add(h[1]);
    }

    /** The key: 256 bits. */
    public long[] key() {
      byte[] all = bytes.toByteArray();
      long[] a = Murmur3.hash128(all, 0x6c67726573L);
      long[] b = Murmur3.hash128(all, a[0] ^ 0x9E3779B97F4A7C15L);
      return new long[] {a[0], a[1], b[0], b[1]};
    }
  }

  /** A 128-bit hash of a file's content. */
  public static long[] contentHash(byte[] content) {
    return Murmur3.hash128(content, 0x636f6e74L);
  }

  /** Whether a result is stored (of whatever key). */
  public boolean exists() {
    return Files.isRegularFile(file);
  }

  /** The stored result when its key is {@code key}, else null. */
  public Stored read(long[] key) {
    DataInputStream in = CacheFiles.readKeyed(file, MAGIC, key, MAX_BYTES);
    if (in == null) {
      return null;
    }
    try (in) {
      return new Reader(in).stored();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Stores {@code result} under {@code key}; false when the cache could not be written. */
  public boolean write(long[] key, Stored result) {
    return CacheFiles.writeKeyed(dir, file, MAGIC, key, out -> new Writer(out).stored(result));
  }

  // ------------------------------------------------------------------ the stored form

  private record Writer(DataOutputStream out) {
    void stored(Stored s) throws IOException {
      findings(s.findings());
      findings(s.suppressed());
      // IR records go through the IR schema's codec.
      byte[] diagnostics = IrCodec.encodeList(IrSchema.DIAGNOSTIC, s.diagnostics());
      out.writeInt(diagnostics.length);
      out.write(diagnostics);
      out.writeInt(s.files());
      out.writeLong(s.lines());
      out.writeInt(s.functions());
      out.writeInt(s.asyncFunctions());
      out.writeInt(s.evidence().size());
      for (EvidenceSite e : s.evidence()) {
        str(e.kind());
        str(e.path());
        out.writeInt(e.callIndex());
        out.writeInt(e.line());
        str(e.function());
        str(e.api());
      }
    }

    private void findings(List<Finding> fs) throws IOException {
      out.writeInt(fs.size());
      for (Finding f : fs) {
        str(f.rule());
        str(f.path());
        out.writeInt(f.span().line());
        out.writeInt(f.span().column());
        out.writeInt(f.span().endLine());
        out.writeInt(f.span().endColumn());
        str(f.function());
        str(f.message());
        str(f.confidence() == null ? null : f.confidence().name());
        str(f.priority() == null ? null : f.priority().name());
        str(f.context());
        str(f.excludedAs());
        hops(f.chain());
        str(f.remediation());
        attributes(f.attributes());
        str(f.fingerprint());
        out.writeInt(f.causes().size());
        for (Cause c : f.causes()) {
          str(c.id());
          str(c.path());
          out.writeInt(c.line());
          out.writeInt(c.column());
          str(c.function());
          out.writeInt(c.functionLine());
          str(c.api());
          str(c.category());
          str(c.confidence() == null ? null : c.confidence().name());
          out.writeByte(c.once() ? 1 : 0);
          hops(c.chain());
          attributes(c.attributes());
        }
      }
    }

    private void attributes(Attributes attributes) throws IOException {
      out.writeInt(attributes.entries().size());
      for (Attributes.Attribute a : attributes.entries()) {
        str(a.key());
        out.writeByte(a.slot().ordinal());
        if (a.value() instanceof Boolean b) {
          out.writeByte(b ? 1 : 0);
        } else {
          out.writeByte(2);
          str(String.valueOf(a.value()));
        }
      }
    }

    private void hops(List<ChainHop> chain) throws IOException {
      out.writeInt(chain.size());
      for (ChainHop h : chain) {
        str(h.path());
        out.writeInt(h.line());
        out.writeInt(h.column());
        str(h.function());
        str(h.call());
      }
    }

    private void str(String s) throws IOException {
      if (s == null) {
        out.writeInt(-1);
        return;
      }
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      out.writeInt(b.length);
      out.write(b);
    }
  }

  private record Reader(DataInputStream in) {
    Stored stored() throws IOException {
      List<Finding> findings = findings();
      List<Finding> suppressed = findings();
      List<Diagnostic> diagnostics = IrCodec.decodeList(IrSchema.DIAGNOSTIC,
          in.readNBytes(count()));
      int n;
      int files = in.readInt();
      long lines = in.readLong();
      int functions = in.readInt();
      int async = in.readInt();
      n = count();
      List<EvidenceSite> evidence = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        evidence.add(new EvidenceSite(str(), str(), in.readInt(), in.readInt(), str(), str()));
      }
      return new Stored(List.copyOf(findings), List.copyOf(suppressed), List.copyOf(diagnostics),
          files, lines, functions, async, List.copyOf(evidence));
    }

    private List<Finding> findings() throws IOException {
      int n = count();
      List<Finding> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        String rule = str();
        String path = str();
        Span span = Span.of(in.readInt(), in.readInt(), in.readInt(), in.readInt());
        String function = str();
        String message = str();
        String confidence = str();
        String priority = str();
        String context = str();
        String excludedAs = str();
        List<ChainHop> chain = hops();
        String remediation = str();
        Attributes attributes = attributes();
        String fingerprint = str();
        int nc = count();
        List<Cause> causes = new ArrayList<>(nc);
        for (int j = 0; j < nc; j++) {
          String id = str();
          String cpath = str();
          int line = in.readInt();
          int column = in.readInt();
          String cfn = str();
          int fnLine = in.readInt();
          String api = str();
          String category = str();
          String cconf = str();
          boolean once = in.readUnsignedByte() == 1;
          causes.add(new Cause(id, cpath, line, column, cfn, fnLine, api, category,
              cconf == null ? null : Confidence.valueOf(cconf), once, hops(), attributes()));
        }
        out.add(new Finding(rule, path, span, function, message,
            confidence == null ? null : Confidence.valueOf(confidence),
            priority == null ? null : Priority.valueOf(priority), context, excludedAs,
            chain, remediation, attributes, fingerprint, List.copyOf(causes)));
      }
      return out;
    }

    private Attributes attributes() throws IOException {
      int n = count();
      Attributes.Builder ab = Attributes.builder();
      Attributes.Slot[] slots = Attributes.Slot.values();
      for (int j = 0; j < n; j++) {
        String key = str();
        int slot = in.readUnsignedByte();
        int kind = in.readUnsignedByte();
        if (slot >= slots.length || kind > 2) {
          throw new IOException("corrupt attribute");
        }
        if (kind == 2) {
          ab.put(key, str(), slots[slot]);
        } else {
          ab.flag(key, kind == 1, slots[slot]);
        }
      }
      return ab.build();
    }

    private List<ChainHop> hops() throws IOException {
      int hops = count();
      List<ChainHop> chain = new ArrayList<>(hops);
      for (int j = 0; j < hops; j++) {
        chain.add(new ChainHop(str(), in.readInt(), in.readInt(), str(), str()));
      }
      return List.copyOf(chain);
    }

    private int count() throws IOException {
      int n = in.readInt();
      if (n < 0 || n > in.available()) {
        throw new IOException("corrupt count");
      }
      return n;
    }

    private String str() throws IOException {
      int len = in.readInt();
      if (len < 0) {
        return null;
      }
      if (len > in.available()) {
        throw new IOException("corrupt string");
      }
      byte[] b = in.readNBytes(len);
      return new String(b, StandardCharsets.UTF_8);
    }
  }
}
