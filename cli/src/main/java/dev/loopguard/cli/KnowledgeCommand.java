package dev.loopguard.cli;

import dev.loopguard.core.frontend.Frontends;
import dev.loopguard.core.engine.Knowledge;
import dev.loopguard.core.knowledge.Fact;
import dev.loopguard.core.knowledge.FactIndex;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code loopguard knowledge list|show ID|packs}: inspect the facts. */
@Command(name = "knowledge", mixinStandardHelpOptions = true,
    description = "Inspect the knowledge about external APIs.",
    subcommands = {KnowledgeCommand.ListFacts.class, KnowledgeCommand.Show.class, KnowledgeCommand.Packs.class})
final class KnowledgeCommand implements Callable<Integer> {
  private final Io io;

  KnowledgeCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    io.err().println("loopguard knowledge: say list, show ID or packs");
    return ExitCode.ERROR.code();
  }

  static FactIndex load(Io io, List<Path> packs, List<String> disabled) {
    return new Knowledge(Frontends.all()).load(packs.stream().map(p -> io.cwd().resolve(p)).toList(),
        Set.copyOf(disabled));
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List facts: id, kind, category, match.")
  static final class ListFacts implements Callable<Integer> {
    private final Io io;

    @Option(names = "--kind", description = "Only facts of this kind (blocking, offloads, ...).")
    String kind;

    @Option(names = "--category", description = "Only facts of this category (http, db, ...).")
    String category;

    @Option(names = "--pack", description = "Only facts of this pack.")
    String pack;

    @Option(names = "--knowledge", description = "Also load this pack (repeatable).")
    List<Path> packs = new ArrayList<>();

    @Option(names = "--disable-fact", description = "Drop a fact by id (repeatable).")
    List<String> disabled = new ArrayList<>();

    ListFacts(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      FactIndex idx = load(io, packs, disabled);
      List<Fact> facts = new ArrayList<>(idx.all());
      facts.sort(Comparator.comparing(Fact::pack).thenComparing(Fact::id));
      for (Fact f : facts) {
        if ((kind != null && !f.kind().yamlName().equals(kind))
            || (category != null && !category.equals(f.category()))
            || (pack != null && !f.pack().equals(pack))) {
          continue;
        }
        io.out().println(f.id() + "\t" + f.kind().yamlName() + "\t"
            + (f.category() == null ? "-" : f.category()) + "\t" + String.join(" ", f.match()));
      }
      io.out().flush();
      return ExitCode.OK.code();
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one fact.")
  static final class Show implements Callable<Integer> {
    private final Io io;

    @Parameters(paramLabel = "ID")
    String id;

    @Option(names = "--knowledge", description = "Also load this pack (repeatable).")
    List<Path> packs = new ArrayList<>();

    Show(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      FactIndex idx = load(io, packs, List.of());
      Fact f = idx.byId(id);
      if (f == null) {
        io.err().println("loopguard: no fact '" + id + "'; 'loopguard knowledge list' lists them.");
        return ExitCode.ERROR.code();
      }
      line("id", f.id());
      line("pack", f.pack() + " (" + f.source() + ")");
      line("match", String.join(", ", f.match()));
      line("kind", f.kind().yamlName());
      line("category", f.category());
      line("replacement", f.replacement());
      line("returns", f.returns());
      line("callable-arg", f.callableArg() == null ? null : String.valueOf(f.callableArg()));
      line("callable-keyword", f.callableKeyword());
      line("entry", f.entry());
      line("applies-to", f.kind().yamlName().equals("entry-point") ? f.appliesTo() : null);
      line("sync-handler", f.syncHandler());
      line("default-timeout", f.defaultTimeout());
      line("confidence", f.confidence());
      line("reference", f.reference());
      line("note", f.note());
      io.out().flush();
      return ExitCode.OK.code();
    }

    private void line(String k, String v) {
      if (v != null) {
        io.out().println(k + ": " + v);
      }
    }
  }

  @Command(name = "packs", mixinStandardHelpOptions = true, description = "List packs with fact counts.")
  static final class Packs implements Callable<Integer> {
    private final Io io;

    Packs(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      FactIndex idx = load(io, List.of(), List.of());
      Map<String, Integer> counts = new TreeMap<>();
      for (Fact f : idx.all()) {
        counts.merge(f.pack(), 1, Integer::sum);
      }
      counts.forEach((p, n) -> io.out().println(p + "\t" + n));
      io.out().println("total\t" + idx.size());
      io.out().flush();
      return ExitCode.OK.code();
    }
  }
}
