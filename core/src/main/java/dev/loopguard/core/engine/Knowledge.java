package dev.loopguard.core.engine;

import dev.loopguard.core.engine.cache.KnowledgeSnapshot;
import dev.loopguard.core.engine.cache.ResultCache;
import dev.loopguard.core.frontend.LanguageFrontend;
import dev.loopguard.core.knowledge.Fact;
import dev.loopguard.core.knowledge.FactIndex;
import dev.loopguard.core.knowledge.KnowledgeException;
import dev.loopguard.core.knowledge.PackLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The knowledge of a set of frontends: their built-in packs, parsed once for the life of this
 * object (they are resources of the frontends' own jars and facts are immutable), plus the user's
 * packs, read by every {@link #load}, into one index. A process makes one and hands it to what
 * scans; nothing is kept in static state.
 */
public final class Knowledge {
  private final List<LanguageFrontend> frontends;
  private final Map<BuiltIn, List<Fact>> builtIn = new java.util.concurrent.ConcurrentHashMap<>();

  private record BuiltIn(ClassLoader loader, String resource) {}

  // Held while a snapshot is read: a load that comes meanwhile waits for its packs rather than
  // parsing the YAML itself.
  private final Object snapshotRead = new Object();

  public Knowledge(List<LanguageFrontend> frontends) {
    this.frontends = List.copyOf(frontends);
  }

  public List<LanguageFrontend> frontends() {
    return frontends;
  }

  /**
   * Parses the frontends' built-in packs, so that a later {@link #load} does not: for a thread
   * that has nothing else to do while a command line is read. A pack that fails here fails
   * again, with its message, in {@code load}.
   */
  public void preload() {
    for (LanguageFrontend fe : frontends) {
      for (String res : fe.knowledgePacks()) {
        builtIn(fe, res);
      }
    }
  }

  /**
   * As {@link #preload()}, taking the parsed packs from {@code snapshot} ({@link
   * KnowledgeSnapshot}) when it holds those of this build, else parsing them and writing it.
   */
  public void preload(Path snapshot) {
    synchronized (snapshotRead) {
      preloadFrom(frontends, snapshot);
    }
  }

  private void preloadFrom(List<LanguageFrontend> frontends, Path snapshot) {
    long[] key = snapshotKey(frontends);
    Map<String, List<Fact>> stored = KnowledgeSnapshot.read(snapshot, key);
    if (stored != null && fill(frontends, stored)) {
      return;
    }
    Map<String, List<Fact>> parsed = new java.util.LinkedHashMap<>();
    for (LanguageFrontend fe : frontends) {
      for (String res : fe.knowledgePacks()) {
        parsed.put(snapshotName(fe, res), builtIn(fe, res));
      }
    }
    KnowledgeSnapshot.write(snapshot, key, parsed);
  }

  /** Takes every built-in pack from {@code stored}; false (and nothing taken) when one lacks. */
  private boolean fill(List<LanguageFrontend> frontends, Map<String, List<Fact>> stored) {
    for (LanguageFrontend fe : frontends) {
      for (String res : fe.knowledgePacks()) {
        if (!stored.containsKey(snapshotName(fe, res))) {
          return false;
        }
      }
    }
    for (LanguageFrontend fe : frontends) {
      for (String res : fe.knowledgePacks()) {
        builtIn.putIfAbsent(new BuiltIn(fe.getClass().getClassLoader(), res),
            stored.get(snapshotName(fe, res)));
      }
    }
    return true;
  }

  /** A built-in pack's name in a snapshot. */
  private static String snapshotName(LanguageFrontend fe, String resource) {
    return fe.id() + ":" + resource;
  }

  /** What the built-in packs depend on: loopguard's version and build, and every pack's name. */
  private static long[] snapshotKey(List<LanguageFrontend> frontends) {
    ResultCache.KeyBuilder k = new ResultCache.KeyBuilder().add("knowledge")
        .add(dev.loopguard.core.Version.get()).addBuildOf(Knowledge.class);
    for (LanguageFrontend fe : frontends) {
      k.add(fe.id()).addBuildOf(fe.getClass());
      for (String res : fe.knowledgePacks()) {
        k.add(res);
      }
    }
    return k.key();
  }

  private List<Fact> builtIn(LanguageFrontend fe, String resource) {
    ClassLoader cl = fe.getClass().getClassLoader();
    return builtIn.computeIfAbsent(new BuiltIn(cl, resource),
        k -> List.copyOf(new PackLoader().loadResource(cl, resource)));
  }

  /**
   * The index of the built-in packs and {@code userPacks} (whose facts override built-in ones of
   * the same id), without the facts whose ids are in {@code disabled}.
   */
  public FactIndex load(List<Path> userPacks, Set<String> disabled) {
    synchronized (snapshotRead) {
      // nothing: waits for a preload that is reading a snapshot
    }
    PackLoader loader = new PackLoader();
    List<Fact> facts = new ArrayList<>();
    Map<String, String> idSource = new HashMap<>();
    for (LanguageFrontend fe : frontends) {
      for (String res : fe.knowledgePacks()) {
        for (Fact f : builtIn(fe, res)) {
          String prev = idSource.put(f.id(), f.source());
          if (prev != null) {
            throw new KnowledgeException("fact id " + f.id() + " is defined twice: in " + prev + " and in " + f.source());
          }
          facts.add(f);
        }
      }
    }
    for (Path p : userPacks) {
      facts.addAll(loader.loadFile(p)); // user facts override built-in ones with the same id
    }
    for (String d : disabled) {
      boolean known = facts.stream().anyMatch(f -> f.id().equals(d));
      if (!known) {
        throw new KnowledgeException("--disable-fact " + d + ": no fact has that id");
      }
    }
    Predicate<String> implicit = member -> false;
    for (LanguageFrontend fe : frontends) {
      implicit = implicit.or(fe.semantics()::isImplicitMember);
    }
    return new FactIndex(facts, disabled, implicit);
  }
}
