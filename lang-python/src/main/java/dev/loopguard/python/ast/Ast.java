package dev.loopguard.python.ast;

import java.util.List;

/**
 * Python syntax tree, modelled on CPython's {@code ast} module (3.13) so that the differential
 * test against CPython compares like with like. Trees live only while one file is lowered.
 *
 * <p>Positions: {@link Loc} lines are 1-based; columns are 0-based and count UTF-16 code units
 * within the line (CPython counts UTF-8 bytes; for ASCII lines the two agree). End positions are
 * exclusive, as in CPython.
 *
 * <p>Optional children are {@code null}; lists are never null (possibly empty).
 */
public final class Ast {
  private Ast() {}

  /** Source region of a node. */
  public record Loc(int line, int col, int endLine, int endCol) {
    public static final Loc NONE = new Loc(0, 0, 0, 0);
  }

  /** Every node has a location. */
  public sealed interface Node permits Mod, Stmt, Expr, Pattern, TypeParam, Arguments, Arg,
      Keyword, Alias, WithItem, MatchCase, Comprehension, ExceptHandler {
    Loc loc();
  }

  // ---------------------------------------------------------------- module

  public record Mod(Loc loc, List<Stmt> body) implements Node {}

  // ---------------------------------------------------------------- statements

  public sealed interface Stmt extends Node
      permits FunctionDef, ClassDef, Return, Delete, Assign, TypeAlias, AugAssign, AnnAssign, For,
          While, If, With, Match, Raise, Try, Assert, Import, ImportFrom, Global, Nonlocal,
          ExprStmt, Pass, Break, Continue {}

  /** {@code def} and {@code async def}. {@code loc} starts at {@code def}/{@code async}, not at decorators. */
  public record FunctionDef(Loc loc, String name, Loc nameLoc, List<TypeParam> typeParams,
      Arguments args, List<Stmt> body, List<Expr> decorators, Expr returns, boolean isAsync)
      implements Stmt {}

  /** {@code loc} starts at {@code class}, not at decorators. */
  public record ClassDef(Loc loc, String name, Loc nameLoc, List<TypeParam> typeParams,
      List<Expr> bases, List<Keyword> keywords, List<Stmt> body, List<Expr> decorators)
      implements Stmt {}

  public record Return(Loc loc, Expr value) implements Stmt {}

  public record Delete(Loc loc, List<Expr> targets) implements Stmt {}

  /** {@code a = b = value}: targets in source order. */
  public record Assign(Loc loc, List<Expr> targets, Expr value) implements Stmt {}

  /** PEP 695 {@code type X[T] = ...}. */
  public record TypeAlias(Loc loc, Expr name, List<TypeParam> typeParams, Expr value)
      implements Stmt {}

  /** {@code op} is the operator without {@code =}: {@code +}, {@code //}, {@code @} ... */
  public record AugAssign(Loc loc, Expr target, String op, Expr value) implements Stmt {}

  public record AnnAssign(Loc loc, Expr target, Expr annotation, Expr value, boolean simple)
      implements Stmt {}

  public record For(Loc loc, Expr target, Expr iter, List<Stmt> body, List<Stmt> orelse,
      boolean isAsync) implements Stmt {}

  public record While(Loc loc, Expr test, List<Stmt> body, List<Stmt> orelse) implements Stmt {}

  /** {@code elif} is an {@code If} alone in {@code orelse}, as in CPython. */
  public record If(Loc loc, Expr test, List<Stmt> body, List<Stmt> orelse) implements Stmt {}

  public record With(Loc loc, List<WithItem> items, List<Stmt> body, boolean isAsync)
      implements Stmt {}

  public record Match(Loc loc, Expr subject, List<MatchCase> cases) implements Stmt {}

  public record Raise(Loc loc, Expr exc, Expr cause) implements Stmt {}

  /** {@code isStar} for {@code try ... except*}. */
  public record Try(Loc loc, List<Stmt> body, List<ExceptHandler> handlers, List<Stmt> orelse,
      List<Stmt> finalbody, boolean isStar) implements Stmt {}

  public record Assert(Loc loc, Expr test, Expr msg) implements Stmt {}

  public record Import(Loc loc, List<Alias> names) implements Stmt {}

  /** {@code module} is null for {@code from . import x}; {@code level} counts the dots. */
  public record ImportFrom(Loc loc, String module, List<Alias> names, int level)
      implements Stmt {}

  public record Global(Loc loc, List<String> names) implements Stmt {}

  public record Nonlocal(Loc loc, List<String> names) implements Stmt {}

  /** An expression statement (CPython's {@code Expr}). */
  public record ExprStmt(Loc loc, Expr value) implements Stmt {}

  public record Pass(Loc loc) implements Stmt {}

  public record Break(Loc loc) implements Stmt {}

  public record Continue(Loc loc) implements Stmt {}

  // ---------------------------------------------------------------- expressions

  public sealed interface Expr extends Node
      permits BoolOp, NamedExpr, BinOp, UnaryOp, Lambda, IfExp, Dict, SetExpr, ListComp, SetComp,
          DictComp, GeneratorExp, Await, Yield, YieldFrom, Compare, Call, FormattedValue,
          JoinedStr, Constant, Attribute, Subscript, Starred, Name, ListExpr, Tuple, Slice {}

  /** {@code op} is {@code and} or {@code or}; nested chains of the same op are flattened. */
  public record BoolOp(Loc loc, String op, List<Expr> values) implements Expr {}

  public record NamedExpr(Loc loc, Expr target, Expr value) implements Expr {}

  /** {@code op}: {@code + - * @ / // % ** << >> | ^ &}. */
  public record BinOp(Loc loc, Expr left, String op, Expr right) implements Expr {}

  /** {@code op}: {@code not}, {@code -}, {@code +}, {@code ~}. */
  public record UnaryOp(Loc loc, String op, Expr operand) implements Expr {}

  public record Lambda(Loc loc, Arguments args, Expr body) implements Expr {}

  public record IfExp(Loc loc, Expr test, Expr body, Expr orelse) implements Expr {}

  /** A null key stands for {@code **value}. */
  public record Dict(Loc loc, List<Expr> keys, List<Expr> values) implements Expr {}

  public record SetExpr(Loc loc, List<Expr> elts) implements Expr {}

  public record ListComp(Loc loc, Expr elt, List<Comprehension> generators) implements Expr {}

  public record SetComp(Loc loc, Expr elt, List<Comprehension> generators) implements Expr {}

  public record DictComp(Loc loc, Expr key, Expr value, List<Comprehension> generators)
      implements Expr {}

  public record GeneratorExp(Loc loc, Expr elt, List<Comprehension> generators)
      implements Expr {}

  public record Await(Loc loc, Expr value) implements Expr {}

  public record Yield(Loc loc, Expr value) implements Expr {}

  public record YieldFrom(Loc loc, Expr value) implements Expr {}

  /** {@code ops}: {@code == != < <= > >= is is not in not in}. */
  public record Compare(Loc loc, Expr left, List<String> ops, List<Expr> comparators)
      implements Expr {}

  /** Positional arguments (including {@code Starred}) and keywords (including {@code **}). */
  public record Call(Loc loc, Expr func, List<Expr> args, List<Keyword> keywords)
      implements Expr {}

  /** One {@code {...}} of an f-string; {@code conversion} is -1, 's', 'r' or 'a'. */
  public record FormattedValue(Loc loc, Expr value, int conversion, Expr formatSpec)
      implements Expr {}

  /** An f-string: {@code Constant} string parts and {@code FormattedValue}s. */
  public record JoinedStr(Loc loc, List<Expr> values) implements Expr {}

  /**
   * A literal. {@code value}: the decoded text for STR (escapes processed) and BYTES (as
   * latin-1 text), the source text for numbers, null for the rest. Adjacent string literals are
   * one Constant (or one JoinedStr when any part is an f-string).
   */
  public record Constant(Loc loc, ConstKind kind, String value) implements Expr {}

  public enum ConstKind {
    STR, BYTES, INT, FLOAT, COMPLEX, TRUE, FALSE, NONE, ELLIPSIS
  }

  public record Attribute(Loc loc, Expr value, String attr) implements Expr {}

  public record Subscript(Loc loc, Expr value, Expr slice) implements Expr {}

  public record Starred(Loc loc, Expr value) implements Expr {}

  public record Name(Loc loc, String id) implements Expr {}

  public record ListExpr(Loc loc, List<Expr> elts) implements Expr {}

  public record Tuple(Loc loc, List<Expr> elts) implements Expr {}

  public record Slice(Loc loc, Expr lower, Expr upper, Expr step) implements Expr {}

  // ---------------------------------------------------------------- parts

  /** Parameters. {@code defaults} align with the last positional params (posonly + args); {@code kwDefaults} align with {@code kwonly} (null entries for none). */
  public record Arguments(Loc loc, List<Arg> posonly, List<Arg> args, Arg vararg,
      List<Arg> kwonly, List<Expr> kwDefaults, Arg kwarg, List<Expr> defaults) implements Node {}

  public record Arg(Loc loc, String name, Expr annotation) implements Node {}

  /** {@code arg} is null for {@code **value}. */
  public record Keyword(Loc loc, String arg, Expr value) implements Node {}

  /** {@code name} may be dotted ({@code import a.b.c}); {@code asname} may be null. */
  public record Alias(Loc loc, String name, String asname) implements Node {}

  public record WithItem(Loc loc, Expr contextExpr, Expr optionalVars) implements Node {}

  public record MatchCase(Loc loc, Pattern pattern, Expr guard, List<Stmt> body)
      implements Node {}

  public record Comprehension(Loc loc, Expr target, Expr iter, List<Expr> ifs, boolean isAsync)
      implements Node {}

  /** {@code type} and {@code name} may be null. */
  public record ExceptHandler(Loc loc, Expr type, String name, List<Stmt> body)
      implements Node {}

  // ---------------------------------------------------------------- patterns (match)

  public sealed interface Pattern extends Node
      permits MatchValue, MatchSingleton, MatchSequence, MatchMapping, MatchClass, MatchStar,
          MatchAs, MatchOr {}

  public record MatchValue(Loc loc, Expr value) implements Pattern {}

  public record MatchSingleton(Loc loc, ConstKind value) implements Pattern {}

  public record MatchSequence(Loc loc, List<Pattern> patterns) implements Pattern {}

  public record MatchMapping(Loc loc, List<Expr> keys, List<Pattern> patterns, String rest)
      implements Pattern {}

  public record MatchClass(Loc loc, Expr cls, List<Pattern> patterns, List<String> kwdAttrs,
      List<Pattern> kwdPatterns) implements Pattern {}

  /** {@code name} null for {@code *_}. */
  public record MatchStar(Loc loc, String name) implements Pattern {}

  /** {@code pattern} null for a capture or wildcard; {@code name} null for {@code _}. */
  public record MatchAs(Loc loc, Pattern pattern, String name) implements Pattern {}

  public record MatchOr(Loc loc, List<Pattern> patterns) implements Pattern {}

  // ---------------------------------------------------------------- PEP 695 type parameters

  public sealed interface TypeParam extends Node permits TypeVar, ParamSpec, TypeVarTuple {}

  public record TypeVar(Loc loc, String name, Expr bound, Expr defaultValue) implements TypeParam {}

  public record ParamSpec(Loc loc, String name, Expr defaultValue) implements TypeParam {}

  public record TypeVarTuple(Loc loc, String name, Expr defaultValue) implements TypeParam {}
}
