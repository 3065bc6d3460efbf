package dev.loopguard.bench;

import dev.loopguard.core.analysis.HotPaths;
import dev.loopguard.core.analysis.SemanticModel;
import dev.loopguard.core.analysis.PathKinds;
import dev.loopguard.core.analysis.Project;
import dev.loopguard.core.frontend.Frontends;
import dev.loopguard.core.engine.Knowledge;
import dev.loopguard.core.frontend.LanguageFrontend;
import dev.loopguard.core.frontend.SourceFile;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.knowledge.FactIndex;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.rules.Rule;
import dev.loopguard.core.rules.RuleContext;
import dev.loopguard.core.rules.Rules;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code lower}: decode, parse and lower every corpus file to the IR (one thread; bytes/s).
 * {@code analyse}: the whole-program part of a scan on IR lowered once at set-up: project index,
 * call graph, summaries to a fixpoint, heat, and the rules.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xss8m", "-XX:+UseParallelGC"})
public class AnalysisBench {
  Corpus corpus;
  LanguageFrontend python;
  FactIndex facts;
  List<Rule> rules;
  PathKinds kinds;
  List<SourceFile> sources;
  List<ModuleIr> modules;

  @Setup
  public void setup() {
    corpus = Corpus.load();
    List<LanguageFrontend> frontends = Frontends.all();
    python = frontends.stream().filter(f -> f.id().equals("python")).findFirst().orElseThrow();
    facts = new Knowledge(frontends).load(List.of(), Set.of());
    rules = Rules.all();
    kinds = new PathKinds(python.conventions().tests(), python.conventions().scripts());
    Set<String> present = new HashSet<>(corpus.paths);
    sources = new ArrayList<>();
    for (int i = 0; i < corpus.paths.size(); i++) {
      String rel = corpus.paths.get(i);
      sources.add(new SourceFile(rel, python.moduleName(rel, present::contains),
          python.moduleAliases(rel, present::contains), corpus.bytes.get(i)));
    }
    modules = new ArrayList<>();
    for (SourceFile s : sources) {
      modules.add(python.lower(s));
    }
  }

  @Benchmark
  public int lower(Bytes counter) {
    int calls = 0;
    for (SourceFile s : sources) {
      calls += python.lower(s).calls().size();
      counter.bytes += s.content().length;
    }
    return calls;
  }

  @Benchmark
  public int analyse() {
    SemanticModel model = new SemanticModel(new Project(modules), facts, python.semantics()).run(HotPaths::neverHot);
    RuleContext ctx = new RuleContext(model, kinds, Set.of());
    int n = 0;
    for (Rule r : rules) {
      List<Finding> found = r.check(ctx);
      n += found.size();
    }
    return n;
  }
}
