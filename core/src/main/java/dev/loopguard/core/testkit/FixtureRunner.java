package dev.loopguard.core.testkit;

import dev.loopguard.core.frontend.Frontends;
import dev.loopguard.core.engine.Knowledge;
import dev.loopguard.core.config.ScanOptions;
import dev.loopguard.core.result.ScanResult;
import dev.loopguard.core.engine.Scanner;
import dev.loopguard.core.frontend.LanguageFrontend;
import dev.loopguard.core.knowledge.FactIndex;
import dev.loopguard.core.model.Attributes;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.rules.Rules;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Runs fixtures through the real scanner and compares findings with the annotations. Outcomes:
 * expected and reported (good), expected and missing, reported but not expected (noise), a
 * {@code todo-expect} that now passes, a {@code todo-ok} that is no longer reported: any of the
 * last four is a problem.
 */
public final class FixtureRunner {
  private final List<LanguageFrontend> frontends;
  private final FactIndex facts;

  public FixtureRunner() {
    this.frontends = Frontends.all();
    this.facts = new Knowledge(frontends).load(List.of(), Set.of());
  }

  public FactIndex facts() {
    return facts;
  }

  /** The result of one fixture: problems (empty when it passes) and counts. */
  public record Outcome(Fixture fixture, List<String> problems, int expectedMet, ScanResult result) {
    public boolean passed() {
      return problems.isEmpty();
    }
  }

  public Outcome run(Fixture fx) {
    Path dir;
    try {
      dir = Files.createTempDirectory("loopguard-fixture");
      for (Map.Entry<String, String> e : fx.files().entrySet()) {
        Path p = dir.resolve(e.getKey());
        Files.createDirectories(p.getParent());
        Files.writeString(p, e.getValue(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      ScanOptions opts = ScanOptions.of(dir).withIncludeContexts(fx.include()).withThreads(1);
      ScanResult result = new Scanner(frontends, facts, Rules.all()).scan(opts);
      return compare(fx, result);
    } finally {
      deleteTree(dir);
    }
  }

  static Outcome compare(Fixture fx, ScanResult result) {
    List<String> problems = new ArrayList<>();
    Map<String, List<Finding>> byLine = new HashMap<>();
    for (Finding f : result.findings()) {
      if (!fx.rules().isEmpty() && !fx.rules().contains(f.rule())) {
        continue;
      }
      byLine.computeIfAbsent(f.path() + ":" + f.line(), k -> new ArrayList<>()).add(f);
    }
    Map<String, List<Fixture.Expectation>> expByLine = new HashMap<>();
    for (Fixture.Expectation e : fx.expectations()) {
      expByLine.computeIfAbsent(e.path() + ":" + e.line(), k -> new ArrayList<>()).add(e);
    }
    int met = 0;
    for (Fixture.Expectation e : fx.expectations()) {
      String where = e.path() + ":" + e.line();
      List<Finding> here = byLine.getOrDefault(where, List.of()).stream()
          .filter(f -> f.rule().equals(e.rule())).toList();
      List<Finding> matching = here.stream().filter(f -> matches(f, e.props())).toList();
      switch (e.kind()) {
        case EXPECT -> {
          if (matching.size() == e.count()) {
            met++;
          } else if (here.isEmpty()) {
            problems.add(where + ": expected " + e.rule() + describe(e.props()) + ", nothing reported");
          } else {
            problems.add(where + ": expected " + e.count() + "x " + e.rule() + describe(e.props())
                + ", got " + here.stream().map(FixtureRunner::describe).toList());
          }
        }
        case OK -> {
          if (!here.isEmpty()) {
            problems.add(where + ": must not flag " + e.rule() + ", got " + here.stream().map(FixtureRunner::describe).toList());
          }
        }
        case TODO_EXPECT -> {
          if (!matching.isEmpty()) {
            problems.add(where + ": todo-expect " + e.rule() + " is now reported: turn it into expect");
          }
        }
        case TODO_OK -> {
          if (here.isEmpty()) {
            problems.add(where + ": todo-ok " + e.rule() + " is no longer reported: turn it into ok");
          }
        }
      }
    }
    for (Map.Entry<String, List<Finding>> e : byLine.entrySet()) {
      List<Fixture.Expectation> exps = expByLine.getOrDefault(e.getKey(), List.of());
      for (Finding f : e.getValue()) {
        boolean covered = exps.stream().anyMatch(x -> x.rule().equals(f.rule())
            && (x.kind() == Fixture.Kind.EXPECT || x.kind() == Fixture.Kind.TODO_OK
                || x.kind() == Fixture.Kind.OK || x.kind() == Fixture.Kind.TODO_EXPECT));
        if (!covered) {
          problems.add(e.getKey() + ": unexpected " + describe(f));
        }
      }
    }
    problems.sort(Comparator.naturalOrder());
    return new Outcome(fx, problems, met, result);
  }

  static boolean matches(Finding f, Map<String, String> props) {
    for (Map.Entry<String, String> p : props.entrySet()) {
      String v = p.getValue();
      boolean ok = switch (p.getKey()) {
        case "count" -> true;
        case "confidence" -> f.confidence().label().equalsIgnoreCase(v);
        case "priority" -> f.priority().label().equalsIgnoreCase(v);
        case "category" -> v.equals(f.attribute(Attributes.CATEGORY));
        case "api" -> v.equals(f.attribute(Attributes.API));
        case "timeout" -> v.equals(f.attribute(Attributes.TIMEOUT));
        case "chain" -> Integer.parseInt(v) == f.chain().size();
        case "excluded" -> v.equals(f.excludedAs());
        case "context" -> f.context() != null && f.context().contains(v.replace('_', ' '));
        // A rule's own attribute (owner=dropped): a misspelt key matches no finding, so fails.
        default -> v.equals(f.attribute(p.getKey()));
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static String describe(Map<String, String> props) {
    if (props.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    props.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
    return sb.toString();
  }

  static String describe(Finding f) {
    return f.rule() + " confidence=" + f.confidence().label() + " priority=" + f.priority().label()
        + " category=" + f.attribute(Attributes.CATEGORY) + " api=" + f.attribute(Attributes.API) + " chain=" + f.chain().size()
        + (f.attribute(Attributes.TIMEOUT) != null ? " timeout=" + f.attribute(Attributes.TIMEOUT) : "")
        + (f.excludedAs() != null ? " excluded=" + f.excludedAs() : "");
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // best effort
        }
      });
    } catch (IOException ignored) {
      // best effort
    }
  }
}
