package dev.loopguard.core.ir;

import java.util.List;
import java.util.Set;

/**
 * A scope that runs code: the module body, a class body, a function, a method or a lambda.
 *
 * @param id unique within the project: the qualified name, with {@code #2}, {@code #3} appended
 *     to later definitions of the same qualified name in the same module (the module scope's id
 *     is the module name)
 * @param qualifiedName dotted name as other code refers to it: {@code pkg.mod.func},
 *     {@code pkg.mod.Class.method}, {@code pkg.mod.outer.<locals>.inner}; for lambdas
 *     {@code pkg.mod.outer.<lambda@12:5>}
 * @param name simple name ({@code <module>}, {@code <lambda>} for those kinds)
 * @param kind what sort of scope this is
 * @param async an {@code async def} (or the language's equivalent)
 * @param span the whole definition, decorators excluded
 * @param nameSpan the name in the definition (the {@code def} line), or the span for lambdas
 * @param parent id of the enclosing scope (null for the module scope)
 * @param classId for a method: id of the class it is defined in; otherwise null
 * @param decorators decorator expressions, outermost first
 * @param params parameters in order; for methods the receiver ({@code self}/{@code cls}) too
 * @param returns declared return type, or null
 * @param flags facts about the definition
 * @param events what the body does, in order (see {@link EventList}); empty for outlines, stubs
 *     a frontend did not lower, and frontends that do not record events
 */
public record FunctionIr(
    String id,
    String qualifiedName,
    String name,
    Kind kind,
    boolean async,
    Span span,
    Span nameSpan,
    String parent,
    String classId,
    List<Ref> decorators,
    List<Param> params,
    Ref returns,
    Set<Flag> flags,
    EventList events) {

  public enum Kind {
    MODULE,
    CLASS_BODY,
    FUNCTION,
    LAMBDA
  }

  public enum Flag {
    /** Contains {@code yield}: a generator (async generator when also async). */
    GENERATOR,
    /** Defined inside an {@code if __name__ == "__main__":} block. */
    MAIN_GUARD,
    /** Defined inside another function (closures and lambdas). */
    NESTED,
    /** {@code @staticmethod} or equivalent: no receiver parameter. */
    STATIC,
    /** {@code @classmethod} or equivalent: the receiver is the class. */
    CLASSMETHOD,
    /** {@code @property} or equivalent: attribute reads call it. */
    PROPERTY,
    /** {@code @overload}/abstract stub: has no body worth analysing. */
    STUB
  }

  public record Param(String name, ParamKind kind, Ref annotation, Ref defaultValue) {}

  public enum ParamKind {
    POSITIONAL_ONLY,
    POSITIONAL,
    VAR_POSITIONAL,
    KEYWORD_ONLY,
    VAR_KEYWORD
  }

  private static final Set<Flag>[] FLAG_SETS = FlagSets.all(Flag.class);

  public FunctionIr {
    flags = FlagSets.canonical(flags, FLAG_SETS);
    events = events == null ? EventList.EMPTY : events;
  }

  /** A function whose events are not (yet) known. */
  public FunctionIr(String id, String qualifiedName, String name, Kind kind, boolean async,
      Span span, Span nameSpan, String parent, String classId, List<Ref> decorators,
      List<Param> params, Ref returns, Set<Flag> flags) {
    this(id, qualifiedName, name, kind, async, span, nameSpan, parent, classId, decorators,
        params, returns, flags, EventList.EMPTY);
  }

  /** This function with {@code events}. */
  public FunctionIr withEvents(EventList events) {
    return new FunctionIr(id, qualifiedName, name, kind, async, span, nameSpan, parent, classId,
        decorators, params, returns, flags, events);
  }

  /** The scope of module {@code module}'s top-level code, spanning {@code span}. */
  public static FunctionIr moduleScope(String module, Span span) {
    return new FunctionIr(module, module, "<module>", Kind.MODULE, false, span, span, null, null,
        List.of(), List.of(), null, Set.of());
  }

  public boolean hasFlag(Flag flag) {
    return flags.contains(flag);
  }

  public boolean isMethod() {
    return classId != null;
  }
}
