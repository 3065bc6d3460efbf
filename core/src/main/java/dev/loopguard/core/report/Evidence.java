package dev.loopguard.core.report;

import dev.loopguard.core.model.EvidenceSite;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** What event-loop code already does right, grouped for reports. */
public final class Evidence {
  /** One place: {@code path:line} in a function. */
  public record Place(String path, int line, String function) implements Comparable<Place> {
    @Override
    public int compareTo(Place o) {
      int c = path.compareTo(o.path);
      return c != 0 ? c : Integer.compare(line, o.line);
    }

    @Override
    public String toString() {
      return path + ":" + line;
    }
  }

  private final Map<String, List<Place>> offloads = new TreeMap<>();
  private final Map<String, List<Place>> asyncApis = new TreeMap<>();
  private final Map<String, List<Place>> asyncClients = new TreeMap<>();
  private final List<EvidenceSite> raw;

  public Evidence(List<EvidenceSite> evidence) {
    this.raw = evidence == null ? List.of() : evidence;
    Set<String> seen = new HashSet<>();
    for (EvidenceSite e : raw) {
      if (!seen.add(e.kind() + "\0" + e.path() + "\0" + e.callIndex() + "\0" + e.api())) {
        continue;
      }
      Place p = new Place(e.path(), e.line(), e.function());
      if ("offload".equals(e.kind())) {
        offloads.computeIfAbsent(e.api(), k -> new ArrayList<>()).add(p);
      } else if ("async-api".equals(e.kind())) {
        asyncApis.computeIfAbsent(e.api(), k -> new ArrayList<>()).add(p);
        String client = CallSites.clientOf(e.api());
        if (client != null) {
          asyncClients.computeIfAbsent(client, k -> new ArrayList<>()).add(p);
        }
      }
    }
    for (Map<String, List<Place>> m : List.of(offloads, asyncApis, asyncClients)) {
      m.values().forEach(l -> l.sort(Comparator.naturalOrder()));
    }
  }

  /** Offloads by offloading API ({@code asyncio.to_thread}). */
  public Map<String, List<Place>> offloads() {
    return offloads;
  }

  /** Awaited async APIs by name. */
  public Map<String, List<Place>> asyncApis() {
    return asyncApis;
  }

  /** Awaited methods of async clients by client class. */
  public Map<String, List<Place>> asyncClients() {
    return asyncClients;
  }

  public List<EvidenceSite> raw() {
    return raw;
  }

  public int offloadCount() {
    return offloads.values().stream().mapToInt(List::size).sum();
  }

  public int asyncApiCount() {
    return asyncApis.values().stream().mapToInt(List::size).sum();
  }

  /** Places as Markdown code spans, at most {@code max}. */
  public static String places(List<Place> places, int max) {
    return Markdown.places(places.stream().map(p -> Markdown.code(p.toString())).toList(), max);
  }
}
