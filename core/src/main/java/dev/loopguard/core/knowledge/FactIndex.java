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
      null, null, null, null, null, null, null, null, null, List.of(), List.of(), null, "", "", null);

  private final Map<String, Fact> byId;
  private final Map<String, List<Fact>> exact = new HashMap<>();
  private final Map<String, List<Entry>> patternsByPrefix = new HashMap<>();
  private final List<Entry> patternsAnyFirst = new ArrayList<>();
  private final List<Entry> functionEntries = new ArrayList<>();
  private final Map<String, List<Entry>> functionEntriesByName = new HashMap<>();
  private final Map<String, Fact> cache = new ConcurrentHashMap<>();
  // Lock and client facts name types, not what calls resolve to: they answer lock() and
  // client() alone.
  private final FactIndex locks;
  private final FactIndex clients;
  // State facts name APIs that already have a fact of another kind: they answer state() alone.
  private final FactIndex states;

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
    List<Fact> lockFacts = new ArrayList<>();
    List<Fact> clientFacts = new ArrayList<>();
    List<Fact> stateFacts = new ArrayList<>();
    for (Fact f : ids.values()) {
      if (f.kind() == FactKind.LOCK) {
        lockFacts.add(f);
        continue;
      }
      if (f.kind() == FactKind.CLIENT) {
        clientFacts.add(f);
        continue;
      }
      if (f.kind() == FactKind.STATE) {
        stateFacts.add(f);
        continue;
      }
      for (String glob : f.match()) {
        for (String m : NamePattern.expandBraces(glob, 256)) {
          index(NamePattern.compile(m), f);
        }
      }
    }
    this.locks = lockFacts.isEmpty() ? null : new FactIndex(lockFacts, implicitMember);
    this.clients = clientFacts.isEmpty() ? null : new FactIndex(clientFacts, implicitMember);
    this.states = stateFacts.isEmpty() ? null : new FactIndex(stateFacts, implicitMember);
  }

  /** An index of type facts of one kind only (locks, clients), answering {@link #lookup} for them. */
  private FactIndex(List<Fact> typeFacts, Predicate<String> implicitMember) {
    this.implicitMember = implicitMember;
    Map<String, Fact> ids = new LinkedHashMap<>();
    for (Fact f : typeFacts) {
      ids.put(f.id(), f);
      for (String glob : f.match()) {
        for (String m : NamePattern.expandBraces(glob, 256)) {
          index(NamePattern.compile(m), f);
        }
      }
    }
    this.byId = ids;
    this.locks = null;
    this.clients = null;
    this.states = null;
  }

  /**
   * The lock fact for type {@code typeName} (its instances are locks), or null. Lock facts answer
   * only this: {@link #lookup} never returns one.
   */
  public Fact lock(String typeName) {
    return locks == null ? null : locks.lookup(typeName);
  }

  /**
   * The client fact for type {@code typeName} (its instances are clients of a remote service,
   * meant to be made once and shared), or null. Client facts answer only this: {@link #lookup}
   * never returns one.
   */
  public Fact client(String typeName) {
    return clients == null ? null : clients.lookup(typeName);
  }

  /**
   * The state fact for API {@code name} (what it does to persisted state: read, write,
   * conditional write, transaction), or null. State facts answer only this: {@link #lookup}
   * never returns one.
   */
  public Fact state(String name) {
    return states == null ? null : states.lookup(name);
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
