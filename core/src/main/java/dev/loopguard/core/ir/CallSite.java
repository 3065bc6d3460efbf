package dev.loopguard.core.ir;

import java.util.List;
import java.util.Set;

/**
 * A call expression. Every call is one, including constructor calls, calls in decorators and
 * calls nested in arguments.
 *
 * @param index position in {@link ModuleIr#calls()}
 * @param scope id of the {@link FunctionIr} whose body evaluates the call (comprehensions and
 *     generator expressions belong to the function that contains them; lambdas are their own
 *     scope; decorators and default values belong to the enclosing scope)
 * @param callee what is called
 * @param calleeText the callee's source text, shortened (e.g. {@code requests.post},
 *     {@code self.client.get})
 * @param line first line of the whole call expression (see {@link #span()})
 * @param column its first column
 * @param endLine its last line
 * @param endColumn the column after its end
 * @param awaited the call's result is awaited directly ({@code await f()}) or the call is used by
 *     {@code async with} / {@code async for}
 * @param args arguments in source order
 * @param loopDepth how many loops (for, while, comprehension) of the same scope enclose the call
 * @param loopKind innermost enclosing loop of the same scope, or null
 * @param flags facts about where the call stands
 */
public record CallSite(
    int index,
    String scope,
    Ref callee,
    String calleeText,
    // The span's parts, not a Span: a program has hundreds of thousands of calls.
    int line,
    int column,
    int endLine,
    int endColumn,
    boolean awaited,
    List<Arg> args,
    int loopDepth,
    LoopKind loopKind,
    Set<CallFlag> flags) {

  public enum LoopKind {
    FOR,
    ASYNC_FOR,
    WHILE,
    /** {@code while True:} and equivalents: a loop that runs until broken out of. */
    WHILE_TRUE,
    COMPREHENSION
  }

  public enum CallFlag {
    /** Inside an {@code if __name__ == "__main__":} block (or the language's equivalent). */
    MAIN_GUARD,
    /** Part of a decorator expression. */
    DECORATOR,
    /** The call is the context manager of a {@code with}/{@code async with} statement. */
    WITH_ITEM,
    /** Inside a {@code try} body whose handlers catch broadly; informative only. */
    IN_TRY,
    /** Only evaluated for type checking ({@code if TYPE_CHECKING:}). */
    TYPE_CHECKING_ONLY,
    /**
     * No call expression stands in the source: the language calls the method itself, as Python's
     * {@code a / b} calls {@code a.__truediv__(b)}. The site spans the expression that makes the
     * call.
     */
    IMPLICIT,
    /**
     * The call's result is dropped: the call is a statement of its own ({@code create_task(c)}),
     * its result neither bound, passed, awaited nor returned.
     */
    DISCARDED
  }

  private static final Set<CallFlag>[] FLAG_SETS = FlagSets.all(CallFlag.class);

  public CallSite {
    flags = FlagSets.canonical(flags, FLAG_SETS);
  }

  public CallSite(int index, String scope, Ref callee, String calleeText, Span span,
      boolean awaited, List<Arg> args, int loopDepth, LoopKind loopKind, Set<CallFlag> flags) {
    this(index, scope, callee, calleeText, span.line(), span.column(), span.endLine(),
        span.endColumn(), awaited, args, loopDepth, loopKind, flags);
  }

  /** The whole call expression. */
  public Span span() {
    return new Span(line, column, endLine, endColumn);
  }

  public Arg arg(int position) {
    for (Arg a : args) {
      if (a.keyword() == null && a.position() == position) {
        return a;
      }
    }
    return null;
  }

  public Arg keyword(String name) {
    for (Arg a : args) {
      if (name.equals(a.keyword())) {
        return a;
      }
    }
    return null;
  }

  public boolean hasFlag(CallFlag flag) {
    return flags.contains(flag);
  }
}
