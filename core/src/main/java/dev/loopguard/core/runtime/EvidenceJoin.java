package dev.loopguard.core.runtime;

import dev.loopguard.core.ir.Span;
import dev.loopguard.core.knowledge.Fact;
import dev.loopguard.core.knowledge.FactKind;
import dev.loopguard.core.model.Attributes;
import dev.loopguard.core.model.ChainHop;
import dev.loopguard.core.model.Confidence;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.model.Observations;
import dev.loopguard.core.model.Observed;
import dev.loopguard.core.model.Priority;
import dev.loopguard.core.rules.Fingerprints;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Joins run-time events to static findings. An event is mapped to the scanned tree through its
 * stack ({@link SourceMap}); a finding whose location or a hop of whose chain is a frame of the
 * event explains it (when several do, those matching the most frames); a slow callback is
 * explained by a finding in the same function of the same file. A finding that explains events is
 * observed (count, longest duration, sources). Events that no finding explains become runtime-only
 * findings at their innermost frame in the tree, with the reason the scan missed them: no fact, or
 * a fact that says the API does not block (a knowledge gap), or a blocking fact whose call the
 * analysis did not connect to the event loop (a resolution gap). Events with no frame in the tree
 * are returned as unmapped.
 *
 * <p>Knows nothing of {@link Finding}'s rule-specific fields beyond location, chain and API, and
 * changes no finding: the result carries the observations beside the findings.
 */
public final class EvidenceJoin {
  private final String ruleId;
  private final SourceMap sources;
  private final UnaryOperator<String> moduleOfPath;
  private final Function<String, Fact> facts;

  /**
   * @param ruleId the rule runtime-only findings belong to
   * @param sources maps stack paths to the tree
   * @param moduleOfPath the module name of a root-relative file (for qualified function names)
   * @param facts the knowledge: the fact governing a qualified API name, or null
   */
  public EvidenceJoin(String ruleId, SourceMap sources, UnaryOperator<String> moduleOfPath,
      Function<String, Fact> facts) {
    this.ruleId = ruleId;
    this.sources = sources;
    this.moduleOfPath = moduleOfPath;
    this.facts = facts;
  }

  /**
   * The joined result.
   *
   * @param findings every finding: observed static findings first, then runtime-only ones, then
   *     the rest, each group in its original order
   * @param observed the observations of findings (static and runtime-only)
   * @param runtimeOnly the findings made from events no static finding explains
   * @param unmapped events with no frame in the scanned tree
   * @param events how many events were joined
   */
  public record Joined(List<Finding> findings, Observations observed, List<Finding> runtimeOnly,
      List<RuntimeEvent> unmapped, int events) {}

  private record Site(String path, int line) {}

  private static final class Tally {
    int count;
    Double longest;
    final Set<String> sources = new LinkedHashSet<>();

    void add(RuntimeEvent e) {
      count++;
      if (e.seconds() != null && (longest == null || e.seconds() > longest)) {
        longest = e.seconds();
      }
      sources.add(e.source() + " (" + e.format() + ")");
    }

    Observed observed() {
      return new Observed(count, longest, List.copyOf(sources));
    }
  }

  public Joined join(List<Finding> findings, List<RuntimeEvent> events) {
    return join(findings, List.of(), events);
  }

  /**
   * As {@link #join(List, List)}; {@code unreported} are findings the scan made but does not
   * report (do-not-flag contexts, path policies, thresholds): an event they explain becomes a
   * runtime-only finding that says so.
   */
  public Joined join(List<Finding> findings, List<Finding> unreported, List<RuntimeEvent> events) {
    Map<Finding, Tally> tallies = new LinkedHashMap<>();
    Map<String, List<RuntimeEvent>> unexplained = new LinkedHashMap<>();
    Map<String, List<Site>> unexplainedSites = new LinkedHashMap<>();
    List<RuntimeEvent> unmapped = new ArrayList<>();
    List<RuntimeEvent> slow = new ArrayList<>();
    Set<String> blockingFunctions = new HashSet<>();
    for (RuntimeEvent e : events) {
      List<Site> sites = mapped(e);
      if (sites.isEmpty()) {
        unmapped.add(e);
        continue;
      }
      if (e.kind().equals(RuntimeEvent.SLOW_CALLBACK)) {
        slow.add(e);
        continue;
      }
      for (int i = 0; i < e.stack().size(); i++) {
        String p = sources.map(e.stack().get(i).path());
        if (p != null) {
          blockingFunctions.add(p + '\0' + simpleName(e.stack().get(i).function()));
        }
      }
      List<Finding> matches = explaining(findings, sites);
      if (matches.isEmpty()) {
        Site at = sites.get(sites.size() - 1);
        String key = at.path() + '\0' + at.line() + '\0' + e.api();
        unexplained.computeIfAbsent(key, k -> new ArrayList<>()).add(e);
        unexplainedSites.putIfAbsent(key, sites);
      } else {
        for (Finding f : matches) {
          tallies.computeIfAbsent(f, k -> new Tally()).add(e);
        }
      }
    }
    for (RuntimeEvent e : slow) {
      List<Finding> matches = sameFunction(findings, e);
      if (!matches.isEmpty()) {
        for (Finding f : matches) {
          tallies.computeIfAbsent(f, k -> new Tally()).add(e);
        }
        continue;
      }
      boolean explainedByEvent = false;
      for (RuntimeEvent.Frame fr : e.stack()) {
        String p = sources.map(fr.path());
        if (p != null && blockingFunctions.contains(p + '\0' + simpleName(fr.function()))) {
          explainedByEvent = true;
        }
      }
      if (!explainedByEvent) {
        List<Site> sites = mapped(e);
        Site at = sites.get(sites.size() - 1);
        String key = at.path() + '\0' + at.line() + "\0<slow>";
        unexplained.computeIfAbsent(key, k -> new ArrayList<>()).add(e);
        unexplainedSites.putIfAbsent(key, sites);
      }
    }

    List<Finding> runtimeOnly = new ArrayList<>();
    Map<Finding, Tally> runtimeTallies = new LinkedHashMap<>();
    for (Map.Entry<String, List<RuntimeEvent>> u : unexplained.entrySet()) {
      Tally t = new Tally();
      u.getValue().forEach(t::add);
      List<Finding> hidden = explaining(unreported, unexplainedSites.get(u.getKey()));
      Finding f = runtimeOnlyFinding(u.getValue().get(0), t, hidden.isEmpty() ? null : hidden.get(0));
      runtimeOnly.add(f);
    }
    runtimeOnly = Fingerprints.assign(runtimeOnly);
    int i = 0;
    for (List<RuntimeEvent> evs : unexplained.values()) {
      Tally t = new Tally();
      evs.forEach(t::add);
      runtimeTallies.put(runtimeOnly.get(i++), t);
    }

    Map<String, Observed> byKey = new LinkedHashMap<>();
    List<Finding> ordered = new ArrayList<>();
    for (Finding f : findings) {
      Tally t = tallies.get(f);
      if (t != null) {
        byKey.put(Observations.key(f), t.observed());
        ordered.add(f);
      }
    }
    for (Finding f : runtimeOnly) {
      byKey.put(Observations.key(f), runtimeTallies.get(f).observed());
      ordered.add(f);
    }
    for (Finding f : findings) {
      if (!tallies.containsKey(f)) {
        ordered.add(f);
      }
    }
    return new Joined(List.copyOf(ordered), Observations.of(byKey), List.copyOf(runtimeOnly),
        List.copyOf(unmapped), events.size());
  }

  private List<Site> mapped(RuntimeEvent e) {
    List<Site> out = new ArrayList<>();
    for (RuntimeEvent.Frame f : e.stack()) {
      String p = sources.map(f.path());
      if (p != null && f.line() > 0) {
        out.add(new Site(p, f.line()));
      }
    }
    return out;
  }

  /**
   * The findings that match the most frames of the event (none when no frame matches): a frame
   * matches the finding's location or a hop of its chain.
   */
  private static List<Finding> explaining(List<Finding> findings, List<Site> sites) {
    Set<Site> at = new HashSet<>(sites);
    int best = 0;
    List<Finding> out = new ArrayList<>();
    for (Finding f : findings) {
      Set<Site> hops = new LinkedHashSet<>();
      hops.add(new Site(f.path(), f.line()));
      for (ChainHop h : f.chain()) {
        hops.add(new Site(h.path(), h.line()));
      }
      int score = 0;
      for (Site s : hops) {
        if (at.contains(s)) {
          score++;
        }
      }
      // The event's stack must reach the finding's event-loop function, or begin inside its chain
      // (a log that names only the helper's line): a shared helper alone does not say which caller ran.
      boolean located = at.contains(new Site(f.path(), f.line())) || hops.contains(sites.get(0));
      if (score == 0 || score < best || !located) {
        continue;
      }
      if (score > best) {
        best = score;
        out.clear();
      }
      out.add(f);
    }
    return out;
  }

  private List<Finding> sameFunction(List<Finding> findings, RuntimeEvent e) {
    List<Finding> out = new ArrayList<>();
    for (RuntimeEvent.Frame fr : e.stack()) {
      String p = sources.map(fr.path());
      if (p == null) {
        continue;
      }
      String name = simpleName(fr.function());
      for (Finding f : findings) {
        if (f.path().equals(p) && simpleName(f.function()).equals(name) && !out.contains(f)) {
          out.add(f);
        }
      }
    }
    return out;
  }

  private static String simpleName(String qualified) {
    if (qualified == null) {
      return "";
    }
    return qualified.substring(qualified.lastIndexOf('.') + 1);
  }

  private Finding runtimeOnlyFinding(RuntimeEvent first, Tally tally, Finding unreported) {
    List<RuntimeEvent.Frame> inTree = new ArrayList<>();
    for (RuntimeEvent.Frame f : first.stack()) {
      if (sources.map(f.path()) != null && f.line() > 0) {
        inTree.add(f);
      }
    }
    RuntimeEvent.Frame last = inTree.get(inTree.size() - 1);
    String path = sources.map(last.path());
    boolean slowCallback = first.kind().equals(RuntimeEvent.SLOW_CALLBACK);
    String api = slowCallback ? "event-loop callback" : first.api() == null ? "a blocking call" : first.api();
    Fact fact = slowCallback || first.api() == null ? null : facts.apply(first.api());
    List<ChainHop> chain = new ArrayList<>();
    for (int i = 0; i < inTree.size(); i++) {
      RuntimeEvent.Frame f = inTree.get(i);
      String call = i + 1 < inTree.size() ? qualified(sources.map(inTree.get(i + 1).path()),
          inTree.get(i + 1).function()) : api;
      chain.add(new ChainHop(sources.map(f.path()), f.line(), 1, qualified(sources.map(f.path()),
          f.function()), call));
    }
    String function = qualified(path, last.function());
    String took = tally.longest == null ? "" : String.format(Locale.ROOT, " for %.3f s", tally.longest);
    String reason;
    if (unreported != null && !slowCallback) {
      reason = "the scan found it (" + unreported.path() + ":" + unreported.line() + ") but does not report it"
          + (unreported.excludedAs() != null ? " in " + unreported.excludedAs() + " code" : " under this configuration")
          + " (" + unreported.context() + ")";
    } else if (slowCallback) {
      reason = "no blocking call was recorded in it (CPU-bound work, or a call the detector does not time)";
    } else if (fact == null) {
      reason = "knowledge gap: no knowledge fact names " + api;
    } else if (fact.kind() != FactKind.BLOCKING) {
      reason = "knowledge gap: fact " + fact.id() + " says " + api + " does not block";
    } else {
      reason = "resolution gap: fact " + fact.id() + " says " + api
          + " blocks, but the analysis did not connect this call to the event loop";
    }
    String message = slowCallback
        ? "A callback in " + function + " held the event loop" + took + " at run time and no static finding explains it: " + reason + "."
        : api + " blocked the event loop" + took + " in " + function + " at run time"
            + (unreported != null ? "; " : " and no static finding explains it: ") + reason + ".";
    String remediation = slowCallback
        ? "Find the slow work in " + function + " and move it off the event loop (a worker thread or process)."
        : "Move the call off the event loop (an async API or a worker thread)"
            + (unreported != null ? "." : fact == null || fact.kind() != FactKind.BLOCKING
                ? ", and add a knowledge-pack fact for " + api + " so that scans find it." : ".");
    Attributes attributes = Attributes.builder()
        .put(Attributes.CATEGORY, fact != null && fact.category() != null ? fact.category() : "other",
            Attributes.Slot.SUBJECT)
        .put(Attributes.API, api, Attributes.Slot.SUBJECT)
        .put(Attributes.REPLACEMENT, fact == null ? null : fact.replacement(), Attributes.Slot.REFERENCE)
        .put(Attributes.REFERENCE, fact == null ? null : fact.reference(), Attributes.Slot.REFERENCE)
        .put(Attributes.FACT, fact == null ? null : fact.id(), Attributes.Slot.REFERENCE)
        .build();
    return new Finding(ruleId, path, new Span(last.line(), 1, last.line(), 1), function, message,
        Confidence.HIGH, Priority.P1, "observed at run time (" + first.source() + ")", null,
        List.copyOf(chain), remediation, attributes, null);
  }

  private String qualified(String path, String function) {
    String module = path == null ? null : moduleOfPath.apply(path);
    String fn = function == null || function.isEmpty() || function.equals("<module>") ? "" : function;
    if (module == null || module.isEmpty()) {
      return fn.isEmpty() ? path : fn;
    }
    return fn.isEmpty() ? module : module + "." + fn;
  }
}
