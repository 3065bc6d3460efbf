package dev.loopguard.core.rules.perf007;

import dev.loopguard.core.analysis.Project;
import dev.loopguard.core.analysis.RequestSized;
import dev.loopguard.core.analysis.SemanticModel;
import dev.loopguard.core.analysis.Target;
import dev.loopguard.core.analysis.Val;
import dev.loopguard.core.analysis.Values;
import dev.loopguard.core.ir.Arg;
import dev.loopguard.core.ir.Binding;
import dev.loopguard.core.ir.CallSite;
import dev.loopguard.core.ir.EventList;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.ir.Ref;
import dev.loopguard.core.knowledge.Fact;
import dev.loopguard.core.knowledge.FactKind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The unbounded fan-outs of one function, from its event list: a {@code fan-out} call (a gather
 * of awaitables, a task started per item) over a request-sized collection, whose spawned
 * coroutines hold no bound (a semaphore, a capacity limiter) and whose spawning loop never waits.
 */
final class FanOuts {

  /** One unbounded fan-out: the spawning call, its fact, the collection and the spawned work. */
  record FanOut(CallSite site, String api, Fact fact, RequestSized.Source source, String spawned,
      int loopLine) {}

  private final SemanticModel model;
  private final RequestSized sized;
  private final Map<String, Boolean> bounded = new HashMap<>();
  // An evaluator of its own: the model's belongs to whoever asks first.
  private final Values values;

  FanOuts(SemanticModel model) {
    this.model = model;
    this.values = model.values().fork();
    this.sized = RequestSized.of(model);
  }

  /** A loop open while the events are walked; closed comprehensions are kept for spreads. */
  private static final class Frame {
    Ref iterable;
    CallSite.LoopKind kind;
    int line;
    boolean suspends;
    boolean stepPending;
    RequestSized.Source source;
    final List<CallSite> calls = new ArrayList<>();
    final List<FanOut> spawns = new ArrayList<>();
  }

  /** A collection filled with one coroutine of {@code work} per step of {@code loop}. */
  private record Filled(Frame loop, String work) {}

  List<FanOut> of(ModuleIr m, Project.Fn fn) {
    List<FanOut> out = new ArrayList<>();
    ArrayDeque<Frame> loops = new ArrayDeque<>();
    List<Frame> comprehensions = new ArrayList<>();
    // Collections filled in a loop over request data with a coroutine per item, by variable.
    Map<Ref, Filled> filled = new HashMap<>();
    Ref pendingIter = null;
    EventList.Cursor c = fn.ir().events().cursor();
    while (c.next()) {
      switch (c.kind()) {
        case ITER -> pendingIter = c.ref();
        case LOOP -> {
          Frame fr = new Frame();
          fr.iterable = pendingIter;
          fr.kind = c.loopKind();
          fr.line = c.line();
          fr.stepPending = fr.kind == CallSite.LoopKind.ASYNC_FOR;
          pendingIter = null;
          if (fr.iterable != null) {
            fr.source = sized.sourceOf(m, fn, fr.iterable);
          }
          loops.push(fr);
        }
        case AWAIT, YIELD -> {
          Frame top = loops.peek();
          if (top != null && top.stepPending) {
            // An async for's own step: the body has not started.
            top.stepPending = false;
          } else {
            loops.forEach(fr -> fr.suspends = true);
          }
        }
        case CALL -> {
          CallSite cs = m.calls().get(c.site());
          loops.forEach(fr -> fr.calls.add(cs));
          Fact f = fanOut(m, cs);
          if (f != null) {
            if (f.callableArg() != null) {
              // Judged when the loop ends: a wait later in its body bounds it too.
              Frame sizedLoop = innermostSized(loops);
              FanOut x = sizedLoop == null ? null : spawnInLoop(m, cs, f, sizedLoop);
              if (x != null) {
                sizedLoop.spawns.add(x);
              }
            } else {
              FanOut x = spread(m, fn, cs, f, comprehensions, filled);
              if (x != null) {
                out.add(x);
              }
            }
          } else if (!loops.isEmpty() && cs.callee() instanceof Ref.Attr a && a.base() instanceof Ref.Var v
              && v.scope() != null && v.scope().equals(fn.id())) {
            // tasks.add(work(x)) / tasks.append(create_task(work(x))) in a loop over request data.
            Frame sizedLoop = innermostSized(loops);
            String work = sizedLoop == null ? null : carriedCoroutine(m, cs);
            if (work != null) {
              filled.putIfAbsent(v, new Filled(sizedLoop, work));
            }
          }
        }
        case LOOP_END -> {
          if (!loops.isEmpty()) {
            Frame fr = loops.pop();
            if (!fr.suspends) {
              out.addAll(fr.spawns);
            }
            if (fr.kind == CallSite.LoopKind.COMPREHENSION) {
              comprehensions.add(fr);
            }
          }
        }
        default -> {}
      }
    }
    return out;
  }

  private static Frame innermostSized(ArrayDeque<Frame> loops) {
    for (Frame fr : loops) {
      if (fr.source != null) {
        return fr;
      }
    }
    return null;
  }

  /** The fan-out fact of a call's target, or null. */
  private Fact fanOut(ModuleIr m, CallSite cs) {
    for (Target t : model.graph().targets(m, cs)) {
      if (t instanceof Target.Api api) {
        Fact f = model.facts().side(FactKind.FAN_OUT, api.name());
        if (f != null) {
          return f;
        }
      }
    }
    return null;
  }

  /** A task started per step of a loop over request data that never waits: all at once. */
  private FanOut spawnInLoop(ModuleIr m, CallSite cs, Fact f, Frame fr) {
    Arg a = Values.callableArg(cs, f);
    if (a == null || !(a.value() instanceof Ref.Call spawned)) {
      return null;
    }
    String work = unboundedWork(m, m.calls().get(spawned.site()));
    return work == null ? null : new FanOut(cs, apiName(m, cs), f, fr.source, work, fr.line);
  }

  /** A gather of awaitables spread from a comprehension, a map or a filled collection. */
  private FanOut spread(ModuleIr m, Project.Fn fn, CallSite cs, Fact f, List<Frame> comprehensions,
      Map<Ref, Filled> filled) {
    for (Arg a : cs.args()) {
      if (!"*".equals(a.keyword())) {
        continue;
      }
      Ref v = a.value();
      if (v instanceof Ref.Unknown) {
        // A comprehension written in the argument: the one whose calls stand inside this call.
        for (int i = comprehensions.size() - 1; i >= 0; i--) {
          Frame fr = comprehensions.get(i);
          if (fr.source != null && inside(fr, cs)) {
            FanOut x = fromCalls(m, cs, f, fr);
            if (x != null) {
              return x;
            }
          }
        }
      } else if (v instanceof Ref.Var var) {
        Filled fill = filled.get(var);
        if (fill != null && !fill.loop().suspends) {
          return new FanOut(cs, apiName(m, cs), f, fill.loop().source, fill.work(), fill.loop().line);
        }
        for (Binding b : model.project().bindingsOf(var.scope(), var.name())) {
          if (b.kind() != Binding.Kind.ASSIGN) {
            continue;
          }
          for (Frame c : comprehensions) {
            if (c.source != null && c.line >= b.line() && c.line <= b.endLine()) {
              FanOut x = fromCalls(m, cs, f, c);
              if (x != null) {
                return x;
              }
            }
          }
          if (b.value() instanceof Ref.Call mapped) {
            FanOut x = mapped(m, fn, cs, f, m.calls().get(mapped.site()));
            if (x != null) {
              return x;
            }
          }
        }
      } else if (v instanceof Ref.Call mapped && mapped.site() >= 0 && mapped.site() < m.calls().size()) {
        FanOut x = mapped(m, fn, cs, f, m.calls().get(mapped.site()));
        if (x != null) {
          return x;
        }
      }
    }
    return null;
  }

  /** {@code map(work, items)}: an async function mapped over request data. */
  private FanOut mapped(ModuleIr m, Project.Fn fn, CallSite gather, Fact f, CallSite map) {
    RequestSized.Source source = null;
    String work = null;
    for (Arg a : map.args()) {
      if (!a.isPositional()) {
        continue;
      }
      RequestSized.Source s = sized.sourceOf(m, fn, a.value());
      if (s != null) {
        source = s;
        continue;
      }
      for (Val v : values.eval(m, a.value())) {
        if (v instanceof Val.Func func) {
          Project.Fn target = model.project().function(func.id());
          if (target != null && target.ir().async() && !bounded(target, 0)) {
            work = target.ir().qualifiedName();
          }
        }
      }
    }
    return source != null && work != null
        ? new FanOut(gather, apiName(m, gather), f, source, work, map.span().line()) : null;
  }

  private FanOut fromCalls(ModuleIr m, CallSite cs, Fact f, Frame fr) {
    for (CallSite inner : fr.calls) {
      String work = unboundedWork(m, inner);
      if (work != null) {
        return new FanOut(cs, apiName(m, cs), f, fr.source, work, fr.line);
      }
    }
    return null;
  }

  private static boolean inside(Frame fr, CallSite cs) {
    for (CallSite inner : fr.calls) {
      if (after(inner.line(), inner.column(), cs.line(), cs.column())
          && after(cs.endLine(), cs.endColumn(), inner.endLine(), inner.endColumn())) {
        return true;
      }
    }
    return false;
  }

  private static boolean after(int l1, int c1, int l0, int c0) {
    return l1 > l0 || l1 == l0 && c1 >= c0;
  }

  /**
   * The unbounded work whose coroutine a call passes along ({@code tasks.append(work(x))}), or
   * null. A started task ({@code create_task(work(x))}) is the fan-out of its own call.
   */
  private String carriedCoroutine(ModuleIr m, CallSite cs) {
    for (Arg a : cs.args()) {
      if (a.isPositional() && a.value() instanceof Ref.Call inner && inner.site() >= 0
          && inner.site() < m.calls().size()) {
        String work = unboundedWork(m, m.calls().get(inner.site()));
        if (work != null) {
          return work;
        }
      }
    }
    return null;
  }

  /**
   * What the coroutine made at {@code cs} is, when it holds no bound: an async project function
   * without one, or an external async API; null for other calls, unresolved ones, and bounded
   * work.
   */
  private String unboundedWork(ModuleIr m, CallSite cs) {
    if (cs.awaited()) {
      return null;
    }
    String work = null;
    for (Target t : model.graph().targets(m, cs)) {
      if (t instanceof Target.ProjectFunction pf) {
        Project.Fn target = model.project().function(pf.id());
        if (target == null || !target.ir().async()) {
          continue;
        }
        if (bounded(target, 0)) {
          return null;
        }
        work = target.ir().qualifiedName();
      } else if (t instanceof Target.Api api && api.fact() != null
          && api.fact().kind() == FactKind.ASYNC_API) {
        work = api.name();
      }
    }
    return work;
  }

  /**
   * Whether async function {@code fn} holds a bound: it enters a semaphore or limiter (a
   * {@code bound} or {@code lock} fact, or a context manager it cannot type that is no call),
   * acquires one, or awaits a project function that does.
   */
  private boolean bounded(Project.Fn fn, int depth) {
    Boolean known = bounded.get(fn.id());
    if (known != null) {
      return known;
    }
    bounded.put(fn.id(), false);
    boolean result = false;
    ModuleIr m = fn.module();
    EventList.Cursor c = fn.ir().events().cursor();
    while (c.next() && !result) {
      switch (c.kind()) {
        case WITH, ASYNC_WITH -> result = boundRef(m, c.ref());
        case CALL -> {
          CallSite cs = m.calls().get(c.site());
          for (Target t : model.graph().targets(m, cs)) {
            if (t instanceof Target.Api api) {
              int dot = api.name().lastIndexOf('.');
              String owner = dot > 0 ? api.name().substring(0, dot) : api.name();
              if (model.facts().side(FactKind.BOUND, owner) != null && cs.awaited()) {
                result = true;
              }
            } else if (t instanceof Target.ProjectFunction pf && cs.awaited() && depth < 2) {
              Project.Fn callee = model.project().function(pf.id());
              if (callee != null && callee.ir().async() && bounded(callee, depth + 1)) {
                result = true;
              }
            }
          }
        }
        default -> {}
      }
    }
    bounded.put(fn.id(), result);
    return result;
  }

  private boolean boundRef(ModuleIr m, Ref ref) {
    if (ref instanceof Ref.Call rc) {
      if (rc.site() < 0 || rc.site() >= m.calls().size()) {
        return false;
      }
      for (Target t : model.graph().targets(m, m.calls().get(rc.site()))) {
        if (t instanceof Target.Api api && (model.facts().side(FactKind.BOUND, api.name()) != null
            || model.facts().lock(api.name()) != null)) {
          return true;
        }
      }
      return false;
    }
    boolean typed = false;
    for (Val v : values.eval(m, ref)) {
      String type = v instanceof Val.Instance i ? i.type() : v instanceof Val.External e ? e.name() : null;
      if (type == null) {
        continue;
      }
      if (model.facts().side(FactKind.BOUND, type) != null || model.facts().lock(type) != null) {
        return true;
      }
      typed = true;
    }
    // A context manager held in a variable or attribute whose type is unknown may well be a
    // semaphore: the rule does not claim the work is unbounded.
    return !typed;
  }

  private String apiName(ModuleIr m, CallSite cs) {
    for (Target t : model.graph().targets(m, cs)) {
      if (t instanceof Target.Api api && model.facts().side(FactKind.FAN_OUT, api.name()) != null) {
        return api.name();
      }
    }
    return cs.calleeText();
  }
}
