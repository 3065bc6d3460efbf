package dev.loopguard.python.fix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.loopguard.core.fix.FixSite;
import dev.loopguard.core.knowledge.NamePattern;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code loopguard fix} may rewrite in Python, read from {@code fixes.yaml} beside this
 * class: the blocking calls with an awaited twin of the same arguments, and the calls that must
 * not move to a worker thread.
 */
final class FixPolicy {
  private record Never(NamePattern api, String category, String reason) {}

  private final java.util.Set<String> rules;
  private final Map<String, String> awaitReplacements;
  private final List<Never> never;

  private FixPolicy(java.util.Set<String> rules, Map<String, String> awaitReplacements, List<Never> never) {
    this.rules = rules;
    this.awaitReplacements = awaitReplacements;
    this.never = never;
  }

  /** Whether the findings of rule {@code id} are ones these rewrites fix. */
  boolean fixes(String id) {
    return rules.contains(id);
  }

  /** The built-in policy, read once. */
  static FixPolicy builtIn() {
    return Holder.POLICY;
  }

  private static final class Holder {
    static final FixPolicy POLICY = read();
  }

  private static FixPolicy read() {
    try (InputStream in = FixPolicy.class.getResourceAsStream("fixes.yaml")) {
      if (in == null) {
        throw new IllegalStateException("fixes.yaml is missing beside " + FixPolicy.class.getName());
      }
      JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(in);
      java.util.Set<String> rules = new java.util.LinkedHashSet<>();
      for (JsonNode r : root.path("rules")) {
        rules.add(r.asText());
      }
      Map<String, String> replacements = new LinkedHashMap<>();
      for (JsonNode r : root.path("await-replacements")) {
        replacements.put(r.path("api").asText(), r.path("replacement").asText());
      }
      List<Never> never = new ArrayList<>();
      for (JsonNode n : root.path("never-offload")) {
        never.add(new Never(n.hasNonNull("api") ? NamePattern.compile(n.path("api").asText()) : null,
            n.hasNonNull("category") ? n.path("category").asText() : null, n.path("reason").asText()));
      }
      return new FixPolicy(java.util.Set.copyOf(rules), Map.copyOf(replacements), List.copyOf(never));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read fixes.yaml", e);
    }
  }

  /** The awaited twin of {@code api} ({@code asyncio.sleep}), or null. */
  String awaitReplacement(String api) {
    return api == null ? null : awaitReplacements.get(api);
  }

  /** Why the site's call must stay on its thread, or null when it may move to a worker thread. */
  String neverOffload(FixSite site) {
    for (Never n : never) {
      if ((n.category() != null && n.category().equals(site.category()))
          || (n.api() != null && site.api() != null && n.api().matches(site.api()))) {
        return n.reason();
      }
    }
    return null;
  }
}
