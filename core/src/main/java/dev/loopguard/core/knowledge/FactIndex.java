package dev.loopguard.core.knowledge;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers "what is known about {@code requests.Session.get}?". The most specific fact wins: an
 * exact match beats a pattern; between patterns, more literal characters win; on a tie
 * {@code non-blocking} wins. Immutable after construction, safe for concurrent use.
 */
public final class FactIndex {
  private static final Fact NONE = new Fact("", List.of(), FactKind.TYPE, null, null, null, null,
      null, null, null, null, null, null, null, null, null, "", "");

  private final Map<String, Fact> byId;
  private final Map<String, List<Fact>> exact = new HashMap<>();
  private final Map<String, List<Entry>> patternsByPrefix = new HashMap<>();
  private final List<Entry> patternsAnyFirst = new ArrayList<>();
  private final List<Entry> functionEntries = new ArrayList<>();
  private final Map<String, List<Entry>> functionEntriesByName = new HashMap<>();
  private final Map<String, Fact> cache = new ConcurrentHashMap<>();
  // Side facts (locks, clients, state, spawns, cancellation, request data, fan-out, ...) answer
  // questions of their own about a name, never lookup(): each kind from an index of its own.
  private final Map<FactKind, FactIndex> sides;

  private record Entry(NamePattern pattern, Fact fact) {}

  private final Predicate<String> implicitMember;

  /**
   * Builds the index. Later facts with the same id replace earlier ones (user packs override
   * built-in facts); ids in {@code disabled} are dropped.
   */
  public FactIndex(Collection<Fact> facts, Set<String> disabled) {
    this(facts, disabled, member -> false);
  }

  /**
   * As {@link #FactIndex(Collection, Set)}, for a language that calls the members
   * {@code implicitMember} accepts without naming them (from statements and operators): a
   * wildcard does not match those.
   */
  public FactIndex(Collection<Fact> facts, Set<String> disabled, Predicate<String> implicitMember) {
    this.implicitMember = implicitMember;
    Map<String, Fact> ids = new LinkedHashMap<>();
    for (Fact f : facts) {
      ids.put(f.id(), f);
    }
    for (String d : disabled) {
      ids.remove(d);
    }
    this.byId = ids;
    Map<FactKind, List<Fact>> sideFacts = new java.util.EnumMap<>(FactKind.class);
    for (Fact f : ids.values()) {
      if (f.kind().isSide()) {
        sideFacts.computeIfAbsent(f.kind(), k -> new ArrayList<>()).add(f);
        continue;
      }
      for (String glob : f.match()) {
        for (String m : NamePattern.expandBraces(glob, 256)) {
          index(NamePattern.compile(m), f);
        }
      }
    }
    Map<FactKind, FactIndex> sides = new java.util.EnumMap<>(FactKind.class);
    sideFacts.forEach((kind, list) -> sides.put(kind, new FactIndex(list, implicitMember)));
    this.sides = sides;
  }

  /** An index of one side kind's facts only, answering {@link #lookup} for them. */
  private FactIndex(List<Fact> sideFacts, Predicate<String> implicitMember) {
    this.implicitMember = implicitMember;
    Map<String, Fact> ids = new LinkedHashMap<>();
    for (Fact f : sideFacts) {
      ids.put(f.id(), f);
      for (String glob : f.match()) {
        for (String m : NamePattern.expandBraces(glob, 256)) {
          index(NamePattern.compile(m), f);
        }
      }
    }
    this.byId = ids;
    this.sides = Map.of();
  }

  /**
   * The lock fact for type {@code typeName} (its instances are locks), or null. Lock facts answer
   * only this: {@link #lookup} never returns one.
   */
  public Fact lock(String typeName) {
    return side(FactKind.LOCK, typeName);
  }

  /**
   * The spawn fact for callable {@code name} (calling it starts its callable argument running on
   * its own), or null. Answered beside the fact {@link #lookup} gives for the same name.
   */
  public Fact spawn(String name) {
    return side(FactKind.SPAWNS, name);
  }

  /**
   * The cancellation fact for exception type {@code typeName} (catching it catches a task's
   * cancellation), or null.
   */
  public Fact cancellation(String typeName) {
    return side(FactKind.CANCELLATION, typeName);
  }

  /**
   * The cancels fact for callable {@code name} (calling it cancels the task or scope it is called
   * on), or null; {@code ?.name} asks about the method on a receiver of unknown type.
   */
  public Fact cancels(String name) {
    return side(FactKind.CANCELS, name);
  }

  /**
   * The client fact for type {@code typeName} (its instances are clients of a remote service,
   * meant to be made once and shared), or null. Client facts answer only this: {@link #lookup}
   * never returns one.
   */
  public Fact client(String typeName) {
    return side(FactKind.CLIENT, typeName);
  }

  /**
   * The state fact for API {@code name} (what it does to persisted state: read, write,
   * conditional write, transaction), or null. State facts answer only this: {@link #lookup}
   * never returns one.
   */
  public Fact state(String name) {
    return side(FactKind.STATE, name);
  }

  /**
   * The fact of side kind {@code kind} ({@link FactKind#isSide}) that matches {@code name}, or
   * null: side facts answer a question of their own about a name (is it a lock type, does it give
   * request-sized data, does it fan out) and never change what {@link #lookup} says.
   */
  public Fact side(FactKind kind, String name) {
    FactIndex idx = sides.get(kind);
    return idx == null ? null : idx.lookup(name);
  }

  private void index(NamePattern p, Fact f) {
    if (f.kind() == FactKind.ENTRY_POINT && "function".equals(f.appliesTo())) {
      String glob = p.toString();
      String last = glob.substring(glob.lastIndexOf('.') + 1);
      if (!last.isEmpty() && last.indexOf('*') < 0 && last.indexOf('{') < 0) {
        functionEntriesByName.computeIfAbsent(last, k -> new ArrayList<>()).add(new Entry(p, f));
      } else {
        functionEntries.add(new Entry(p, f));
      }
    } else if (p.isExact()) {
      exact.computeIfAbsent(p.exact(), k -> new ArrayList<>()).add(f);
    } else if (p.literalPrefix() != null) {
      patternsByPrefix.computeIfAbsent(p.literalPrefix(), k -> new ArrayList<>())
          .add(new Entry(p, f));
    } else {
      patternsAnyFirst.add(new Entry(p, f));
    }
  }

  /** The same facts with {@code more} added (later ids win), keeping what this index skips. */
  public FactIndex with(Collection<Fact> more, Set<String> disabled) {
    List<Fact> all = new ArrayList<>(all());
    all.addAll(more);
    return new FactIndex(all, disabled, implicitMember);
  }

  public static FactIndex of(Collection<Fact> facts) {
    return new FactIndex(facts, Set.of());
  }

  /** The fact that governs {@code name}, or null. */
  public Fact lookup(String name) {
    Fact f = cache.get(name);
    if (f == null) {
      f = compute(name);
      cache.put(name, f == null ? NONE : f);
      return f;
    }
    return f == NONE ? null : f;
  }

  private Fact compute(String name) {
    List<Fact> ex = exact.get(name);
    if (ex != null) {
      return best(ex.stream().map(x -> new Entry(null, x)).toList(), true);
    }
    List<Entry> candidates = new ArrayList<>();
    // Patterns are bucketed by their literal leading segments: look up every dotted prefix.
    int dot = name.indexOf('.');
    while (dot > 0) {
      List<Entry> bucket = patternsByPrefix.get(name.substring(0, dot));
      if (bucket != null) {
        for (Entry e : bucket) {
          if (e.pattern.matches(name, implicitMember)) {
            candidates.add(e);
          }
        }
      }
      dot = name.indexOf('.', dot + 1);
    }
    for (Entry e : patternsAnyFirst) {
      if (e.pattern.matches(name, implicitMember)) {
        candidates.add(e);
      }
    }
    return candidates.isEmpty() ? null : best(candidates, false);
  }

  private static Fact best(List<Entry> entries, boolean exactMatches) {
    Entry best = null;
    for (Entry e : entries) {
      if (best == null) {
        best = e;
        continue;
      }
      int a = exactMatches ? 0 : e.pattern.literalLength();
      int b = exactMatches ? 0 : best.pattern.literalLength();
      if (a > b || (a == b && e.fact.kind() == FactKind.NON_BLOCKING
          && best.fact.kind() != FactKind.NON_BLOCKING)) {
        best = e;
      }
    }
    return best.fact;
  }

  /** Entry-point facts that apply to functions by their own qualified name. */
  public List<Fact> functionEntries(String qualifiedName) {
    List<Fact> out = new ArrayList<>();
    String last = qualifiedName.substring(qualifiedName.lastIndexOf('.') + 1);
    for (Entry e : functionEntriesByName.getOrDefault(last, List.of())) {
      if (e.pattern.matches(qualifiedName, implicitMember)) {
        out.add(e.fact);
      }
    }
    for (Entry e : functionEntries) {
      if (e.pattern.matches(qualifiedName, implicitMember)) {
        out.add(e.fact);
      }
    }
    return out;
  }

  public Fact byId(String id) {
    return byId.get(id);
  }

  public Collection<Fact> all() {
    return byId.values();
  }

  public int size() {
    return byId.size();
  }

  /**
   * Every fact of this index as text, for cache keys: equal indexes give equal texts. (Facts are
   * records, so their text holds every field.)
   */
  public String fingerprint() {
    StringBuilder sb = new StringBuilder(byId.size() * 256);
    for (Fact f : byId.values()) {
      sb.append(f).append('\n');
    }
    return sb.toString();
  }
}
