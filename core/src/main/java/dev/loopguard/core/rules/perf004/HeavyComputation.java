package dev.loopguard.core.rules.perf004;

import dev.loopguard.core.analysis.ExecutionContext;
import dev.loopguard.core.analysis.Heat;
import dev.loopguard.core.analysis.Project;
import dev.loopguard.core.analysis.RequestSized;
import dev.loopguard.core.analysis.SemanticModel;
import dev.loopguard.core.analysis.Target;
import dev.loopguard.core.ir.Arg;
import dev.loopguard.core.ir.CallSite;
import dev.loopguard.core.ir.EventList;
import dev.loopguard.core.ir.FunctionIr;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.ir.Ref;
import dev.loopguard.core.ir.Span;
import dev.loopguard.core.knowledge.Fact;
import dev.loopguard.core.knowledge.FactKind;
import dev.loopguard.core.model.Attributes;
import dev.loopguard.core.model.ChainHop;
import dev.loopguard.core.model.Confidence;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.model.Priority;
import dev.loopguard.core.rules.DoNotFlag;
import dev.loopguard.core.rules.RuleContext;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * perf-004's {@code cpu} category for obviously expensive work written inline, found from the
 * event lists and the request-sized data of the model:
 * <ul>
 *   <li>a loop with a large literal trip count ({@code trip-count} facts: a range of 10**6);
 *   <li>a loop over request-sized data with no await whose body does work that grows with the
 *       data again: a nested loop over request-sized data, or a {@code sized-work} call per item
 *       of a collection with no bound (a query's rows, a listing);
 *   <li>a {@code sized-work} call (hashing, compression, serialisation) of request-sized data
 *       that a {@code request-data} fact names (a parameter alone does not count: a token or a
 *       password is small).
 * </ul>
 * In a function that runs on the loop (high confidence), or in a sync helper it calls directly
 * (medium). Small in-memory work (json of a constant, a hash of a token, a loop over a short
 * list) is never a finding.
 */
final class HeavyComputation {
  /** Trip counts from this many steps up are heavy whatever the body does. */
  static final long LARGE_TRIP_COUNT = 100_000;
  /** The attribute that says what request-sized data the work is on. */
  static final String SIZE = "size";

  private final SemanticModel model;
  private final Project project;
  private final RequestSized sized;
  // Heavy spots of sync helpers (by function id), for callers on the loop.
  private final Map<String, List<Spot>> helperSpots = new HashMap<>();

  /** Something heavy in one function: where, what, and the API when a call does it. */
  private record Spot(Span span, String what, String api, String size, Fact fact, boolean strong) {}

  private HeavyComputation(SemanticModel model) {
    this.model = model;
    this.project = model.project();
    this.sized = RequestSized.of(model);
  }

  /** perf-004's cpu findings of {@code ctx}'s model, under the rule's do-not-flag policy. */
  static List<Finding> findings(RuleContext ctx) {
    return new HeavyComputation(ctx.model()).find(ctx);
  }

  private List<Finding> find(RuleContext ctx) {
    List<Finding> out = new ArrayList<>();
    ExecutionContext ec = model.context();
    for (ModuleIr m : project.modules()) {
      for (FunctionIr f : m.functions()) {
        Project.Fn fn = project.function(f.id());
        if (fn == null || fn.module() != m || !ec.runsOnLoop(fn) || f.events().isEmpty()) {
          continue;
        }
        ExecutionContext.HeatInfo h = ec.loopHeat(fn);
        Heat heat = h == null ? Heat.NONE : h.heat();
        String excluded = DoNotFlag.contextOf(ctx.paths(), m.path(), f, heat, null);
        if (excluded != null && !ctx.includeContexts().contains(excluded)) {
          continue;
        }
        Priority priority = excluded != null ? Priority.P3 : heat.priority(null);
        for (Spot s : spots(m, fn)) {
          out.add(finding(m, fn, m, null, null, s,
              s.strong() ? Confidence.HIGH : Confidence.MEDIUM, priority, excluded, h));
        }
        // Sync helpers called directly: their own heavy spots, one hop away.
        for (CallSite cs : project.callsIn(f.id())) {
          if (cs.awaited() || model.skipped(cs)) {
            continue;
          }
          for (Target t : model.graph().targets(m, cs)) {
            Project.Fn callee = t instanceof Target.ProjectFunction pf ? project.function(pf.id()) : null;
            if (callee == null || !SemanticModel.isSync(callee) || ec.runsOnLoop(callee)
                || callee.id().equals(f.id())) {
              continue;
            }
            for (Spot s : helperSpots.computeIfAbsent(callee.id(),
                k -> spots(callee.module(), callee))) {
              out.add(finding(callee.module(), fn, m, cs, callee.ir().qualifiedName(), s,
                  Confidence.MEDIUM, priority, excluded, h));
            }
          }
        }
      }
    }
    return out;
  }

  /** One open loop while the events are walked. */
  private static final class Frame {
    Ref iterable;
    int line;
    boolean suspends;
    boolean work;
    boolean nestedSized;
    boolean reportedInside;
    RequestSized.Source source;
  }

  /** The heavy spots of {@code fn}'s body. */
  private List<Spot> spots(ModuleIr m, Project.Fn fn) {
    List<Spot> out = new ArrayList<>();
    ArrayDeque<Frame> loops = new ArrayDeque<>();
    Ref pendingIter = null;
    EventList.Cursor c = fn.ir().events().cursor();
    while (c.next()) {
      switch (c.kind()) {
        case ITER -> pendingIter = c.ref();
        case LOOP -> {
          Frame fr = new Frame();
          fr.iterable = pendingIter;
          fr.line = c.line();
          pendingIter = null;
          if (fr.iterable != null) {
            RequestSized.Source s = sized.sourceOf(m, fn, fr.iterable);
            fr.source = s;
            if (s != null && !loops.isEmpty()) {
              loops.peek().nestedSized = true;
            }
          }
          loops.push(fr);
        }
        case AWAIT, YIELD -> loops.forEach(fr -> fr.suspends = true);
        case CALL -> {
          CallSite cs = m.calls().get(c.site());
          Fact work = sizedWork(m, cs);
          if (work != null) {
            // Per-item work adds up over a collection with no bound (rows, a listing); over a
            // request's own list it is bounded by the body.
            loops.forEach(fr -> fr.work |= fr.source != null
                && fr.source.origin() == RequestSized.Origin.FACT
                && fr.source.size() == RequestSized.Size.COLLECTION);
            Spot s = sizedWorkSpot(m, fn, cs, work);
            if (s != null) {
              out.add(s);
              loops.forEach(fr -> fr.reportedInside = true);
            }
          }
        }
        case LOOP_END -> {
          if (loops.isEmpty()) {
            break;
          }
          Frame fr = loops.pop();
          Spot s = fr.suspends || fr.reportedInside ? null : loopSpot(m, fr);
          if (s != null) {
            out.add(s);
            loops.forEach(p -> p.reportedInside = true);
          }
        }
        default -> {}
      }
    }
    return out;
  }

  /** The heavy loop {@code fr} is, or null. */
  private Spot loopSpot(ModuleIr m, Frame fr) {
    CallSite iterCall = fr.iterable instanceof Ref.Call rc && rc.site() >= 0
        && rc.site() < m.calls().size() ? m.calls().get(rc.site()) : null;
    Span at = iterCall != null ? iterCall.span() : new Span(fr.line, 1, fr.line, 1);
    if (iterCall != null) {
      for (Target t : model.graph().targets(m, iterCall)) {
        Fact tc = t instanceof Target.Api api ? model.facts().side(FactKind.TRIP_COUNT, api.name()) : null;
        long n = tc == null ? -1 : tripCount(iterCall);
        if (n >= LARGE_TRIP_COUNT) {
          return new Spot(at, "a loop of " + n + " steps with no await",
              ((Target.Api) t).name(), null, tc, true);
        }
      }
    }
    if (fr.source != null && (fr.work || fr.nestedSized)) {
      String does = fr.nestedSized ? "a nested loop over request-sized data"
          : "work that grows with each item";
      return new Spot(at, "a loop over request-sized data (" + fr.source.what() + ") with no await and "
          + does, null, fr.source.what(), fr.source.fact(),
          fr.source.origin() == RequestSized.Origin.FACT);
    }
    return null;
  }

  /** The largest whole-number literal among the positional arguments of {@code cs}; -1 if none. */
  private static long tripCount(CallSite cs) {
    long max = -1;
    for (Arg a : cs.args()) {
      if (a.isPositional() && a.value() instanceof Ref.Literal lit && lit.kind() == Ref.LiteralKind.NUMBER) {
        try {
          max = Math.max(max, Long.parseLong(lit.text().replace("_", "")));
        } catch (NumberFormatException e) {
          // Not a whole number in decimal: no trip count.
        }
      }
    }
    return max;
  }

  /** The sized-work fact of a call's target, or null. */
  private Fact sizedWork(ModuleIr m, CallSite cs) {
    if (cs.awaited()) {
      return null;
    }
    for (Target t : model.graph().targets(m, cs)) {
      if (t instanceof Target.Api api) {
        Fact f = model.facts().side(FactKind.SIZED_WORK, api.name());
        if (f != null) {
          return f;
        }
      }
    }
    return null;
  }

  /**
   * Whether work of fact {@code work} is heavy on data of {@code size}: the request-data
   * categories its {@code applies-to} lists (all when it lists none). Hashing is fast per byte
   * and heavy only on uploads; parsing a body is what the framework itself does.
   */
  static boolean heavyOn(Fact work, RequestSized.Size size) {
    if (work.appliesTo() == null) {
      return true;
    }
    for (String c : work.appliesTo().split(",")) {
      if (c.trim().equals(RequestSized.categoryOf(size))) {
        return true;
      }
    }
    return false;
  }

  /** A sized-work call whose data a request-data fact names, or null. */
  private Spot sizedWorkSpot(ModuleIr m, Project.Fn fn, CallSite cs, Fact work) {
    Arg data = cs.arg(0);
    if (data == null || data.value() == null) {
      return null;
    }
    RequestSized.Source s = sized.factSourceOf(m, fn, data.value());
    if (s == null || !heavyOn(work, s.size())) {
      return null;
    }
    String api = null;
    for (Target t : model.graph().targets(m, cs)) {
      if (t instanceof Target.Api a && model.facts().side(FactKind.SIZED_WORK, a.name()) != null) {
        api = a.name();
        break;
      }
    }
    return new Spot(cs.span(), api + " on request-sized data (" + s.what() + ")", api, s.what(),
        work, true);
  }

  private Finding finding(ModuleIr at, Project.Fn root, ModuleIr rootModule, CallSite via,
      String helper, Spot s, Confidence confidence, Priority priority, String excluded,
      ExecutionContext.HeatInfo h) {
    FunctionIr f = root.ir();
    String kindOfFunction = f.async() ? "async function" : "event-loop callback";
    List<ChainHop> chain = new ArrayList<>();
    String message;
    if (via == null) {
      String what = s.what().startsWith("a ") ? "A " + s.what().substring(2) : s.what();
      message = what + " runs on the event loop in " + kindOfFunction + " " + f.qualifiedName() + ".";
    } else {
      chain.add(new ChainHop(rootModule.path(), via.span().line(), via.span().column(),
          f.qualifiedName(), helper));
      message = via.calleeText() + "() runs " + s.what() + " on the event loop in "
          + kindOfFunction + " " + f.qualifiedName() + ".";
    }
    chain.add(new ChainHop(at.path(), s.span().line(), s.span().column(),
        via == null ? f.qualifiedName() : helper, s.api() != null ? s.api() : "loop"));
    Fact fact = s.fact();
    Attributes attributes = Attributes.builder()
        .put(Attributes.CATEGORY, "cpu", Attributes.Slot.SUBJECT)
        .put(Attributes.API, s.api(), Attributes.Slot.SUBJECT)
        .put(SIZE, s.size(), Attributes.Slot.DETAIL)
        .put(Attributes.REFERENCE, fact != null ? fact.reference() : null, Attributes.Slot.REFERENCE)
        .put(Attributes.FACT, fact != null ? fact.id() : null, Attributes.Slot.REFERENCE)
        .build();
    String remediation = "Run the computation in a worker thread, or a process pool for long CPU"
        + " work, or bound the data it works on.";
    String context = h == null || h.origin() == null ? "async code with no known entry point"
        : h.heat().description() + " " + shortName(h.origin());
    return new Finding(BlockingOnEventLoopRule.ID, rootModule.path(),
        via == null ? s.span() : via.span(), f.qualifiedName(), message, confidence, priority,
        context, excluded, List.copyOf(chain), remediation, attributes, null);
  }

  private static String shortName(String id) {
    int hash = id.indexOf('#');
    return hash < 0 ? id : id.substring(0, hash);
  }
}
