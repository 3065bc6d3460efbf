package dev.loopguard.core.analysis;

import dev.loopguard.core.ir.Arg;
import dev.loopguard.core.ir.Binding;
import dev.loopguard.core.ir.CallSite;
import dev.loopguard.core.ir.FunctionIr;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.ir.Ref;
import dev.loopguard.core.knowledge.Fact;
import dev.loopguard.core.knowledge.FactKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Request-sized data, a rule-neutral derived fact: which values in a function hold data whose
 * size the program's caller controls. Sources are
 * <ul>
 *   <li>what an API gives that a {@code request-data} fact names (a request body, an uploaded
 *       message payload: {@link Size#PAYLOAD}; an uploaded file's bytes: {@link Size#UPLOAD};
 *       a query's rows, a directory listing: {@link Size#COLLECTION}), read as a call's result
 *       or as an attribute;
 *   <li>the parameters of an entry point that serves requests, messages or events (its arguments
 *       come from the caller; {@link Origin#PARAMETER}, weaker: a parameter may be a scalar).
 * </ul>
 * and what is derived from them: a local assigned one, a part of one (an attribute or an item,
 * not a slice), a method's result on one whose API the packs do not know, a range as long as a
 * request-sized number, and a parameter of a project function that a caller passes one.
 * Computed once per scan ({@link #of}); queries are memoised.
 */
public final class RequestSized {

  /** What sort of data a source holds. */
  public enum Size {
    /** A request body or a message: as large as the caller sends, up to the server's limit. */
    PAYLOAD,
    /** An uploaded file's contents: large by nature. */
    UPLOAD,
    /** A collection with no bound of the program's own (rows, a listing, a list from a request). */
    COLLECTION
  }

  /** Where the size comes from. */
  public enum Origin {
    /** An API a request-data fact names. */
    FACT,
    /** A parameter of an entry point that serves callers. */
    PARAMETER
  }

  /**
   * A request-sized value: its size, its origin, and what it is, for messages ({@code the result
   * of asyncpg.Connection.fetch}, {@code parameter items of handler upload}).
   */
  public record Source(Size size, Origin origin, String what, Fact fact) {}

  private static final SemanticModel.Key<RequestSized> KEY = new SemanticModel.Key<>("request-sized data");
  /** Entry kinds whose arguments come from outside the program. */
  private static final Set<String> SERVING = Set.of("request", "websocket", "stream", "per-message",
      "per-event");
  private static final int MAX_DEPTH = 6;
  private static final Source NONE = new Source(Size.PAYLOAD, Origin.FACT, "", null);

  private final SemanticModel model;
  private final Values values;
  private final Map<Object, Source> memo = new ConcurrentHashMap<>();
  private Map<String, List<Caller>> callers;

  private RequestSized(SemanticModel model) {
    this.model = model;
    // An evaluator of its own: rules may ask while others use the model's.
    this.values = model.values().fork();
  }

  /** The request-sized data of {@code model}, made the first time a scan asks. */
  public static RequestSized of(SemanticModel model) {
    return model.derived(KEY, RequestSized::new);
  }

  private record MemoKey(String module, String function, Ref ref) {}

  /**
   * The source that makes {@code ref}, read in function {@code fn} of module {@code m},
   * request-sized; null when nothing says it is.
   */
  public synchronized Source sourceOf(ModuleIr m, Project.Fn fn, Ref ref) {
    if (ref == null || fn == null) {
      return null;
    }
    return find(m, fn, ref, 0);
  }

  /** As {@link #sourceOf}, counting only sources named by facts (not parameters). */
  public Source factSourceOf(ModuleIr m, Project.Fn fn, Ref ref) {
    Source s = sourceOf(m, fn, ref);
    return s != null && s.origin() == Origin.FACT ? s : null;
  }

  private Source find(ModuleIr m, Project.Fn fn, Ref ref, int depth) {
    if (depth > MAX_DEPTH) {
      return null;
    }
    MemoKey key = new MemoKey(m.path(), fn.id(), ref);
    Source cached = memo.get(key);
    if (cached != null) {
      return cached == NONE ? null : cached;
    }
    // Cycles (x = f(x)) end here: the key is taken before the walk.
    memo.put(key, NONE);
    Source s = compute(m, fn, ref, depth);
    memo.put(key, s == null ? NONE : s);
    return s;
  }

  private Source compute(ModuleIr m, Project.Fn fn, Ref ref, int depth) {
    if (ref instanceof Ref.Call c) {
      if (c.site() < 0 || c.site() >= m.calls().size()) {
        return null;
      }
      CallSite cs = m.calls().get(c.site());
      boolean unknownMethod = true;
      for (Target t : model.graph().targets(m, cs)) {
        if (t instanceof Target.Api api) {
          Fact f = model.facts().side(FactKind.REQUEST_DATA, api.name());
          if (f != null) {
            return new Source(sizeOf(f), Origin.FACT, "the result of " + api.name(), f);
          }
          // A sequence as long as a request-sized number says (a range of request.n).
          if (model.facts().side(FactKind.TRIP_COUNT, api.name()) != null) {
            for (Arg a : cs.args()) {
              Source s = a.isPositional() ? find(m, fn, a.value(), depth + 1) : null;
              if (s != null) {
                return new Source(Size.COLLECTION, s.origin(), api.name() + " of " + s.what(), s.fact());
              }
            }
            return null;
          }
          if (api.fact() != null) {
            unknownMethod = false;
          }
        } else {
          unknownMethod = false;
        }
      }
      // A method of request data that the packs do not know (decoding, splitting, an item):
      // its result is as large.
      if (unknownMethod && cs.callee() instanceof Ref.Attr a) {
        return find(m, fn, a.base(), depth + 1);
      }
      return null;
    }
    if (ref instanceof Ref.Attr a) {
      for (Val v : values.eval(m, a)) {
        String name = v instanceof Val.External e ? e.name()
            : v instanceof Val.Instance i && !i.project() ? i.type() : null;
        Fact f = name == null ? null : model.facts().side(FactKind.REQUEST_DATA, name);
        if (f != null) {
          return new Source(sizeOf(f), Origin.FACT, name, f);
        }
      }
      // A part of request data (a field of a body, an item of a list) is request data.
      Source base = find(m, fn, a.base(), depth + 1);
      if (base == null || base.origin() != Origin.PARAMETER || !(a.base() instanceof Ref.Var)
          || a.name().startsWith("_")) {
        return base;
      }
      return new Source(base.size(), base.origin(), a + " (" + base.what() + ")", base.fact());
    }
    if (ref instanceof Ref.QName q) {
      Fact f = model.facts().side(FactKind.REQUEST_DATA, q.name());
      return f == null ? null : new Source(sizeOf(f), Origin.FACT, q.name(), f);
    }
    if (ref instanceof Ref.Var v && Objects.equals(v.scope(), fn.id())) {
      for (FunctionIr.Param p : fn.ir().params()) {
        if (p.name().equals(v.name())) {
          return parameter(fn, p, depth);
        }
      }
      Source best = null;
      for (Binding b : model.project().bindingsOf(v.scope(), v.name())) {
        if (b.kind() != Binding.Kind.ASSIGN && b.kind() != Binding.Kind.WITH) {
          continue;
        }
        Source s = find(m, fn, b.value(), depth + 1);
        if (s != null && (best == null || s.origin() == Origin.FACT && best.origin() != Origin.FACT)) {
          best = s;
        }
      }
      return best;
    }
    return null;
  }

  /**
   * A parameter of a serving entry point (not its receiver) holds what the caller sent; a
   * parameter of another function holds request data when a caller in the project passes it
   * some.
   */
  private Source parameter(Project.Fn fn, FunctionIr.Param p, int depth) {
    List<FunctionIr.Param> params = fn.ir().params();
    boolean receiver = fn.ir().isMethod() && !fn.ir().hasFlag(FunctionIr.Flag.STATIC)
        && !params.isEmpty() && params.get(0) == p;
    if (receiver) {
      return null;
    }
    ExecutionContext.HeatInfo h = model.context().heatOf(fn.id());
    if (h.entry() == null || !SERVING.contains(h.entry()) || !fn.id().equals(h.origin())) {
      return passed(fn, p, receiverOffset(fn), depth);
    }
    // An annotation that a request-data fact names says what the parameter holds.
    if (p.annotation() != null) {
      for (Val t : values.eval(fn.module(), p.annotation())) {
        String name = t instanceof Val.External e ? e.name() : null;
        Fact f = name == null ? null : model.facts().side(FactKind.REQUEST_DATA, name);
        if (f != null) {
          return new Source(sizeOf(f), Origin.FACT, "parameter " + p.name() + " of "
              + h.entry() + " handler " + fn.ir().name(), f);
        }
      }
    }
    return new Source(Size.COLLECTION, Origin.PARAMETER,
        "parameter " + p.name() + " of " + h.entry() + " handler " + fn.ir().name(), null);
  }

  private static int receiverOffset(Project.Fn fn) {
    return fn.ir().isMethod() && !fn.ir().hasFlag(FunctionIr.Flag.STATIC) ? 1 : 0;
  }

  /** A call of a project function: where it stands and in which function. */
  private record Caller(ModuleIr module, Project.Fn function, CallSite site) {}

  /** The first request-sized argument callers pass for parameter {@code p} of {@code fn}. */
  private Source passed(Project.Fn fn, FunctionIr.Param p, int offset, int depth) {
    if (p.kind() == FunctionIr.ParamKind.VAR_POSITIONAL || p.kind() == FunctionIr.ParamKind.VAR_KEYWORD) {
      return null;
    }
    int index = fn.ir().params().indexOf(p) - offset;
    for (Caller c : callers().getOrDefault(fn.id(), List.of())) {
      Arg a = p.kind() == FunctionIr.ParamKind.KEYWORD_ONLY ? null : c.site().arg(index);
      if (a == null && p.kind() != FunctionIr.ParamKind.POSITIONAL_ONLY) {
        a = c.site().keyword(p.name());
      }
      Source s = a == null ? null : find(c.module(), c.function(), a.value(), depth + 1);
      if (s != null) {
        return new Source(s.size(), s.origin(), s.what() + ", passed to " + fn.ir().name(), s.fact());
      }
    }
    return null;
  }

  /** Calls of project functions by the function called, made the first time a parameter asks. */
  private Map<String, List<Caller>> callers() {
    Map<String, List<Caller>> c = callers;
    if (c == null) {
      c = new HashMap<>();
      Project project = model.project();
      for (ModuleIr m : project.modules()) {
        for (CallSite cs : m.calls()) {
          if (cs.args().isEmpty()) {
            continue;
          }
          Project.Fn caller = project.function(cs.scope());
          if (caller == null) {
            continue;
          }
          for (Target t : model.graph().targets(m, cs)) {
            if (t instanceof Target.ProjectFunction pf) {
              c.computeIfAbsent(pf.id(), k -> new ArrayList<>()).add(new Caller(m, caller, cs));
            }
          }
        }
      }
      callers = c;
    }
    return c;
  }

  private static Size sizeOf(Fact f) {
    return switch (String.valueOf(f.category())) {
      case "payload" -> Size.PAYLOAD;
      case "upload" -> Size.UPLOAD;
      default -> Size.COLLECTION;
    };
  }

  /** The category name of {@code size} in the packs ({@code payload}, {@code upload}, ...). */
  public static String categoryOf(Size size) {
    return size.name().toLowerCase(java.util.Locale.ROOT);
  }
}
