package dev.loopguard.python.parse;

import dev.loopguard.python.ast.Ast.AnnAssign;
import dev.loopguard.python.ast.Ast.Arg;
import dev.loopguard.python.ast.Ast.Arguments;
import dev.loopguard.python.ast.Ast.Assert;
import dev.loopguard.python.ast.Ast.Assign;
import dev.loopguard.python.ast.Ast.Alias;
import dev.loopguard.python.ast.Ast.Attribute;
import dev.loopguard.python.ast.Ast.AugAssign;
import dev.loopguard.python.ast.Ast.Await;
import dev.loopguard.python.ast.Ast.BinOp;
import dev.loopguard.python.ast.Ast.BoolOp;
import dev.loopguard.python.ast.Ast.Break;
import dev.loopguard.python.ast.Ast.Call;
import dev.loopguard.python.ast.Ast.ClassDef;
import dev.loopguard.python.ast.Ast.Compare;
import dev.loopguard.python.ast.Ast.Comprehension;
import dev.loopguard.python.ast.Ast.ConstKind;
import dev.loopguard.python.ast.Ast.Constant;
import dev.loopguard.python.ast.Ast.Continue;
import dev.loopguard.python.ast.Ast.Delete;
import dev.loopguard.python.ast.Ast.Dict;
import dev.loopguard.python.ast.Ast.DictComp;
import dev.loopguard.python.ast.Ast.ExceptHandler;
import dev.loopguard.python.ast.Ast.Expr;
import dev.loopguard.python.ast.Ast.ExprStmt;
import dev.loopguard.python.ast.Ast.For;
import dev.loopguard.python.ast.Ast.FormattedValue;
import dev.loopguard.python.ast.Ast.FunctionDef;
import dev.loopguard.python.ast.Ast.GeneratorExp;
import dev.loopguard.python.ast.Ast.Global;
import dev.loopguard.python.ast.Ast.If;
import dev.loopguard.python.ast.Ast.IfExp;
import dev.loopguard.python.ast.Ast.Import;
import dev.loopguard.python.ast.Ast.ImportFrom;
import dev.loopguard.python.ast.Ast.JoinedStr;
import dev.loopguard.python.ast.Ast.Keyword;
import dev.loopguard.python.ast.Ast.Lambda;
import dev.loopguard.python.ast.Ast.ListComp;
import dev.loopguard.python.ast.Ast.ListExpr;
import dev.loopguard.python.ast.Ast.Loc;
import dev.loopguard.python.ast.Ast.Match;
import dev.loopguard.python.ast.Ast.MatchAs;
import dev.loopguard.python.ast.Ast.MatchCase;
import dev.loopguard.python.ast.Ast.MatchClass;
import dev.loopguard.python.ast.Ast.MatchMapping;
import dev.loopguard.python.ast.Ast.MatchOr;
import dev.loopguard.python.ast.Ast.MatchSequence;
import dev.loopguard.python.ast.Ast.MatchSingleton;
import dev.loopguard.python.ast.Ast.MatchStar;
import dev.loopguard.python.ast.Ast.MatchValue;
import dev.loopguard.python.ast.Ast.Mod;
import dev.loopguard.python.ast.Ast.Name;
import dev.loopguard.python.ast.Ast.NamedExpr;
import dev.loopguard.python.ast.Ast.Nonlocal;
import dev.loopguard.python.ast.Ast.ParamSpec;
import dev.loopguard.python.ast.Ast.Pass;
import dev.loopguard.python.ast.Ast.Pattern;
import dev.loopguard.python.ast.Ast.Raise;
import dev.loopguard.python.ast.Ast.Return;
import dev.loopguard.python.ast.Ast.SetComp;
import dev.loopguard.python.ast.Ast.SetExpr;
import dev.loopguard.python.ast.Ast.Slice;
import dev.loopguard.python.ast.Ast.Starred;
import dev.loopguard.python.ast.Ast.Stmt;
import dev.loopguard.python.ast.Ast.Subscript;
import dev.loopguard.python.ast.Ast.Try;
import dev.loopguard.python.ast.Ast.Tuple;
import dev.loopguard.python.ast.Ast.TypeAlias;
import dev.loopguard.python.ast.Ast.TypeParam;
import dev.loopguard.python.ast.Ast.TypeVar;
import dev.loopguard.python.ast.Ast.TypeVarTuple;
import dev.loopguard.python.ast.Ast.UnaryOp;
import dev.loopguard.python.ast.Ast.While;
import dev.loopguard.python.ast.Ast.With;
import dev.loopguard.python.ast.Ast.WithItem;
import dev.loopguard.python.ast.Ast.Yield;
import dev.loopguard.python.ast.Ast.YieldFrom;
import dev.loopguard.python.ast.ParseResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * Hand-written recursive-descent parser for Python 3.8–3.14 producing {@link
 * dev.loopguard.python.ast.Ast} trees with CPython-exact positions (columns in UTF-16 units).
 *
 * <p>Entry point: {@link #parse(String)}. Each call owns all of its state, so concurrent calls
 * are safe. The parser never throws on bad input: syntax errors are returned in {@link
 * ParseResult#errors()} and parsing resumes at the next statement, so every statement that can be
 * parsed (in particular function definitions around a broken line) is in the tree.
 *
 * <h2>Limits and stack use</h2>
 *
 * <ul>
 *   <li>{@value #MAX_PAREN_DEPTH} nested brackets (as CPython: the 201st is a {@code too-deep}
 *       "too many nested parentheses" error).
 *   <li>{@value #MAX_INDENT_DEPTH} indentation levels (as CPython: 99 nested blocks are fine).
 *   <li>{@value #MAX_NESTING} levels of parser recursion: every recursive cycle of the parser
 *       passes through one counted entry (an expression inside brackets, a lambda default, an
 *       f-string replacement field, a bracketed pattern), so this bounds the Java stack.
 *   <li>{@value #MAX_EXPR_DEPTH} levels of expression tree height, including the chains the parser
 *       builds without recursion (binary/boolean operator chains, unary chains, conditional
 *       expression and lambda chains, attribute/call/subscript trailers), so recursive consumers
 *       of an expression tree are bounded too.
 * </ul>
 *
 * <p>Operator chains are parsed with an explicit operator-precedence stack, conditional
 * expressions and lambda bodies with an explicit pending stack, so neither {@code 1+1+...} nor
 * {@code not not ...} nor {@code a if b else c if ...} recurse. Every recursive cycle of the parser
 * passes through one counted entry, so Java stack use is bounded by {@value #MAX_NESTING} levels
 * of about six small frames each, plus at most 99 blocks of five frames. Measured worst cases
 * (child JVM, {@code -Xint} so that all frames are interpreted, the largest; {@code -Xss} steps
 * of 32 KB): 288 KB for 200 nested parentheses, 352 KB for 99 nested blocks around a 200-deep
 * call expression. This fits the default 512 KB–1 MB thread stacks; {@code DepthLimitTest} runs
 * all the worst-case inputs in a {@code -Xint -Xss512k} JVM.
 *
 * <p>Statement nesting is bounded by indentation; {@code elif} chains are parsed iteratively
 * (they still produce nested {@code If.orelse} lists, as CPython does: walk such trees with
 * {@link dev.loopguard.python.ast.AstWalker}).
 */
public final class PythonParser {
  /** Nested brackets allowed (CPython's MAXLEVEL). */
  public static final int MAX_PAREN_DEPTH = Lexer.MAX_PARENS;
  /** Indentation stack size (CPython's MAXINDENT): at most 99 nested indented blocks. */
  public static final int MAX_INDENT_DEPTH = Lexer.MAX_INDENT;
  /** Parser recursion bound (counted entries). */
  public static final int MAX_NESTING = 250;
  /** Maximum height of one expression tree. */
  public static final int MAX_EXPR_DEPTH = 1000;

  /** Consumed tokens are dropped from the buffer at a statement start beyond this index. */
  private static final int COMPACT_AT = 1024;
  /** Constant elements of a list or set display kept before later ones are dropped. */
  static final int KEPT_CONSTANTS = 65_536;

  /** Parses one decoded source file (a leading BOM is skipped). Never throws on bad input. */
  public static ParseResult parse(String source) {
    return new PythonParser(source).run();
  }

  // ------------------------------------------------------------------ operator table

  private static final int L_OR = 1;
  private static final int L_AND = 2;
  private static final int L_NOT = 3;
  private static final int L_CMP = 4;
  private static final int L_BOR = 5;
  private static final int L_BXOR = 6;
  private static final int L_BAND = 7;
  private static final int L_SHIFT = 8;
  private static final int L_ARITH = 9;
  private static final int L_TERM = 10;
  private static final int L_UNARY = 11;
  private static final int L_POW = 12;

  private static final int OP_OR = 1;
  private static final int OP_AND = 2;
  private static final int OP_NOT = 3;
  private static final int OP_EQ = 4;
  private static final int OP_NE = 5;
  private static final int OP_LT = 6;
  private static final int OP_LE = 7;
  private static final int OP_GT = 8;
  private static final int OP_GE = 9;
  private static final int OP_IS = 10;
  private static final int OP_ISNOT = 11;
  private static final int OP_IN = 12;
  private static final int OP_NOTIN = 13;
  private static final int OP_BOR = 14;
  private static final int OP_BXOR = 15;
  private static final int OP_BAND = 16;
  private static final int OP_LSHIFT = 17;
  private static final int OP_RSHIFT = 18;
  private static final int OP_ADD = 19;
  private static final int OP_SUB = 20;
  private static final int OP_MUL = 21;
  private static final int OP_DIV = 22;
  private static final int OP_FLOORDIV = 23;
  private static final int OP_MOD = 24;
  private static final int OP_MATMUL = 25;
  private static final int OP_UADD = 26;
  private static final int OP_USUB = 27;
  private static final int OP_INVERT = 28;
  private static final int OP_POW = 29;
  private static final int OP_COUNT = 30;

  private static final int[] LEVEL = new int[OP_COUNT];
  private static final String[] OPSTR = new String[OP_COUNT];
  private static final boolean[] PREFIX = new boolean[OP_COUNT];
  private static final int[] BINOP = new int[T.COUNT];
  private static final boolean[] STARTS_EXPR = new boolean[T.COUNT];

  private static void op(int op, int level, String s) {
    LEVEL[op] = level;
    OPSTR[op] = s;
  }

  static {
    op(OP_OR, L_OR, "or");
    op(OP_AND, L_AND, "and");
    op(OP_NOT, L_NOT, "not");
    op(OP_EQ, L_CMP, "==");
    op(OP_NE, L_CMP, "!=");
    op(OP_LT, L_CMP, "<");
    op(OP_LE, L_CMP, "<=");
    op(OP_GT, L_CMP, ">");
    op(OP_GE, L_CMP, ">=");
    op(OP_IS, L_CMP, "is");
    op(OP_ISNOT, L_CMP, "is not");
    op(OP_IN, L_CMP, "in");
    op(OP_NOTIN, L_CMP, "not in");
    op(OP_BOR, L_BOR, "|");
    op(OP_BXOR, L_BXOR, "^");
    op(OP_BAND, L_BAND, "&");
    op(OP_LSHIFT, L_SHIFT, "<<");
    op(OP_RSHIFT, L_SHIFT, ">>");
    op(OP_ADD, L_ARITH, "+");
    op(OP_SUB, L_ARITH, "-");
    op(OP_MUL, L_TERM, "*");
    op(OP_DIV, L_TERM, "/");
    op(OP_FLOORDIV, L_TERM, "//");
    op(OP_MOD, L_TERM, "%");
    op(OP_MATMUL, L_TERM, "@");
    op(OP_UADD, L_UNARY, "+");
    op(OP_USUB, L_UNARY, "-");
    op(OP_INVERT, L_UNARY, "~");
    op(OP_POW, L_POW, "**");
    PREFIX[OP_NOT] = true;
    PREFIX[OP_UADD] = true;
    PREFIX[OP_USUB] = true;
    PREFIX[OP_INVERT] = true;

    BINOP[T.OR] = OP_OR;
    BINOP[T.AND] = OP_AND;
    BINOP[T.EQEQUAL] = OP_EQ;
    BINOP[T.NOTEQUAL] = OP_NE;
    BINOP[T.LESS] = OP_LT;
    BINOP[T.LESSEQUAL] = OP_LE;
    BINOP[T.GREATER] = OP_GT;
    BINOP[T.GREATEREQUAL] = OP_GE;
    BINOP[T.IN] = OP_IN;
    BINOP[T.VBAR] = OP_BOR;
    BINOP[T.CIRCUMFLEX] = OP_BXOR;
    BINOP[T.AMPER] = OP_BAND;
    BINOP[T.LEFTSHIFT] = OP_LSHIFT;
    BINOP[T.RIGHTSHIFT] = OP_RSHIFT;
    BINOP[T.PLUS] = OP_ADD;
    BINOP[T.MINUS] = OP_SUB;
    BINOP[T.STAR] = OP_MUL;
    BINOP[T.SLASH] = OP_DIV;
    BINOP[T.DOUBLESLASH] = OP_FLOORDIV;
    BINOP[T.PERCENT] = OP_MOD;
    BINOP[T.AT] = OP_MATMUL;
    BINOP[T.DOUBLESTAR] = OP_POW;

    for (int t : new int[] {T.NAME, T.NUMBER, T.STRING, T.FSTRING_START, T.LPAR, T.LSQB,
        T.LBRACE, T.MINUS, T.PLUS, T.TILDE, T.STAR, T.NOT, T.LAMBDA, T.AWAIT, T.NONE, T.TRUE,
        T.FALSE, T.ELLIPSIS, T.ERROR}) {
      STARTS_EXPR[t] = true;
    }
  }

  private static final ConstKind[] NUM_KIND = {ConstKind.INT, ConstKind.FLOAT, ConstKind.COMPLEX};

  // ------------------------------------------------------------------ state

  private final Diagnostics diag = new Diagnostics();
  private final Lexer lx;
  private final ParseFailure failure = new ParseFailure();
  private int pos;
  /** Height of the expression returned last. */
  private int h;
  /** Current counted recursion depth. */
  private int nest;
  private int speculating;
  /** Set by a compound statement that ended early at a broken clause header. */
  private boolean pendingRecovery;
  /** Suppresses the error for a stray clause keyword right after a recovered statement. */
  private boolean suppressStray;

  // operator-precedence value/operator stacks (shared by nested parseBinary calls)
  private Expr[] vStack = new Expr[32];
  private int[] vStart = new int[32];
  private int[] vEnd = new int[32];
  private int[] vH = new int[32];
  private int vTop;
  private int[] oKind = new int[32];
  private int[] oTok = new int[32];
  /** For an accumulating run (or/and/comparisons): number of operators and, for comparisons,
   * where their kinds start in {@link #runOps}. */
  private int[] oRun = new int[32];
  private int[] oRunBase = new int[32];
  private int oTop;
  private int[] runOps = new int[32];
  private int rTop;
  // pending conditional expressions / lambdas
  private static final int P_LAMBDA = 1;
  private static final int P_IF = 2;
  private Object[] pA = new Object[16];
  private Object[] pB = new Object[16];
  private int[] pKind = new int[16];
  private int[] pStart = new int[16];
  private int[] pH = new int[16];
  private int pTop;

  private PythonParser(String source) {
    this.lx = new Lexer(source, diag);
  }

  private ParseResult run() {
    List<Stmt> body = new ArrayList<>();
    boolean prevErr = false;
    for (;;) {
      int t = tok();
      if (t == T.EOF) {
        break;
      }
      if (t == T.NEWLINE || t == T.DEDENT) {
        pos++;
        continue;
      }
      prevErr = statementInto(body, prevErr);
    }
    Mod mod = new Mod(new Loc(1, 0, lx.endLine(), lx.endCol()), body);
    List<ParseResult.SyntaxError> errors = diag.errors;
    errors.sort(Comparator.comparingInt(ParseResult.SyntaxError::line)
        .thenComparingInt(ParseResult.SyntaxError::col));
    return new ParseResult(mod, Collections.unmodifiableList(errors),
        Collections.unmodifiableList(lx.comments), lx.lineCount(), lx.lineStarts());
  }

  // ------------------------------------------------------------------ tokens and positions

  private int tok() {
    if (pos >= lx.count) {
      lx.fill(pos + 1);
    }
    return lx.type(pos);
  }

  private int peek(int k) {
    int i = pos + k;
    if (i >= lx.count) {
      lx.fill(i + 1);
    }
    return lx.type(i);
  }

  private int typeAt(int i) {
    if (i >= lx.count) {
      lx.fill(i + 1);
    }
    return lx.type(i);
  }

  private String str(int i) {
    return (String) lx.val[i];
  }

  /** Span from the start of token {@code st} to the end of the last consumed token. */
  private Loc loc(int st) {
    int e = pos - 1;
    return new Loc(lx.sLine(st), lx.sCol(st), lx.eLine(e), lx.eCol(e));
  }

  private Loc loc(int st, int e) {
    return new Loc(lx.sLine(st), lx.sCol(st), lx.eLine(e), lx.eCol(e));
  }

  private Loc tokLoc(int i) {
    return new Loc(lx.sLine(i), lx.sCol(i), lx.eLine(i), lx.eCol(i));
  }

  // Token indices are only valid within one statement (the buffer is compacted at statement
  // starts), so constructs spanning blocks keep packed positions: line << 32 | col.

  private long startOf(int t) {
    return ((long) lx.sLine(t) << 32) | lx.sCol(t);
  }

  /** Packed end position of the last consumed real token. */
  private long endPos() {
    int t = lastRealTok();
    return ((long) lx.eLine(t) << 32) | lx.eCol(t);
  }

  private static Loc span(long s, long e) {
    return new Loc((int) (s >>> 32), (int) s, (int) (e >>> 32), (int) e);
  }

  /** Index of the last consumed token that is not NEWLINE/INDENT/DEDENT (CPython's EXTRA end). */
  private int lastRealTok() {
    int i = pos - 1;
    while (i > 0) {
      int t = lx.type(i);
      if (t != T.NEWLINE && t != T.INDENT && t != T.DEDENT) {
        break;
      }
      i--;
    }
    return i;
  }

  private boolean accept(int t) {
    if (tok() == t) {
      pos++;
      return true;
    }
    return false;
  }

  private void expect(int t) {
    if (tok() != t) {
      throw fail("expected " + T.describe(t));
    }
    pos++;
  }

  private String expectName() {
    if (tok() != T.NAME) {
      throw fail("expected a name");
    }
    return str(pos++);
  }

  private static int max(int a, int b) {
    return a > b ? a : b;
  }

  // ------------------------------------------------------------------ errors

  private ParseFailure fail(String msg) {
    tok();
    return failAt(pos, msg);
  }

  private ParseFailure failAt(int i, String msg) {
    if (speculating == 0 && lx.type(i) != T.ERROR) {
      int t = lx.type(i);
      String m = msg;
      if (m == null) {
        m = t == T.NEWLINE || t == T.EOF ? "invalid syntax" : "invalid syntax (unexpected " + describeTok(i) + ")";
      }
      diag.add(lx.sLine(i), lx.sCol(i), Diagnostics.SYNTAX, m);
    }
    return failure;
  }

  private String describeTok(int i) {
    int t = lx.type(i);
    if (t == T.NAME || t == T.NUMBER) {
      return "'" + lx.val[i] + "'";
    }
    return T.describe(t);
  }

  private ParseFailure tooDeep(String msg) {
    if (speculating == 0) {
      tok();
      diag.add(lx.sLine(pos), lx.sCol(pos), Diagnostics.TOO_DEEP, msg);
    }
    return failure;
  }

  private void checkH(int hh) {
    if (hh > MAX_EXPR_DEPTH) {
      throw tooDeep("expression nested too deeply (more than " + MAX_EXPR_DEPTH + " levels)");
    }
  }

  private void enter() {
    if (++nest > MAX_NESTING) {
      throw tooDeep("expression nested too deeply (more than " + MAX_NESTING + " levels of recursion)");
    }
  }

  // ------------------------------------------------------------------ statements

  /**
   * Parses one statement into {@code out}, recovering from a syntax error by skipping to the next
   * statement (indented blocks after a broken line are parsed into {@code out}). Returns whether
   * the statement needed recovery.
   */
  private boolean statementInto(List<Stmt> out, boolean afterError) {
    if (pos >= COMPACT_AT && speculating == 0) {
      lx.discard(pos);
      pos = 0;
    }
    int t = tok();
    if (t == T.INDENT) {
      if (!afterError) {
        failAt(pos, "unexpected indent");
      }
      pos++;
      blockBodyInto(out);
      return true;
    }
    int start = pos;
    int sv = vTop;
    int so = oTop;
    int sp = pTop;
    int sn = nest;
    pendingRecovery = false;
    suppressStray = afterError;
    try {
      parseStatement(out);
      if (pendingRecovery) {
        pendingRecovery = false;
        recover(out);
        return true;
      }
      return false;
    } catch (ParseFailure f) {
      restore(sv, so, sp, sn);
      pendingRecovery = false;
      int c = tok();
      if (pos == start && c != T.NEWLINE && c != T.EOF && c != T.DEDENT && c != T.INDENT) {
        pos++;
      }
      recover(out);
      return true;
    }
  }

  private void restore(int sv, int so, int sp, int sn) {
    for (int i = sv; i < vTop; i++) {
      vStack[i] = null;
    }
    for (int i = sp; i < pTop; i++) {
      pA[i] = null;
      pB[i] = null;
    }
    vTop = sv;
    oTop = so;
    pTop = sp;
    nest = sn;
    rTop = 0;
    for (int i = oTop - 1; i >= 0; i--) {
      if (LEVEL[oKind[i]] == L_CMP) {
        rTop = oRunBase[i] + oRun[i];
        break;
      }
    }
  }

  /** Skips the rest of a broken logical line; an indented block that follows goes into {@code out}. */
  private void recover(List<Stmt> out) {
    for (;;) {
      int t = tok();
      if (t == T.NEWLINE) {
        pos++;
        break;
      }
      if (t == T.EOF || t == T.INDENT || t == T.DEDENT) {
        break;
      }
      pos++;
    }
    if (tok() == T.INDENT) {
      pos++;
      blockBodyInto(out);
    }
  }

  /** Statements up to and including the DEDENT that closes the current block. */
  private void blockBodyInto(List<Stmt> out) {
    boolean prevErr = false;
    for (;;) {
      int t = tok();
      if (t == T.DEDENT) {
        pos++;
        return;
      }
      if (t == T.EOF) {
        return;
      }
      if (t == T.NEWLINE) {
        pos++;
        continue;
      }
      prevErr = statementInto(out, prevErr);
    }
  }

  /** {@code block}: after ':' either NEWLINE INDENT statements DEDENT or simple statements. */
  private List<Stmt> parseBlock() {
    if (tok() == T.NEWLINE) {
      pos++;
      if (tok() != T.INDENT) {
        ParseFailure f = failAt(pos, "expected an indented block");
        if (speculating > 0) {
          throw f;
        }
        return new ArrayList<>(0);
      }
      pos++;
      List<Stmt> body = new ArrayList<>();
      blockBodyInto(body);
      return body;
    }
    List<Stmt> body = new ArrayList<>(2);
    int sv = vTop;
    int so = oTop;
    int sp = pTop;
    int sn = nest;
    try {
      simpleStatementsInto(body);
    } catch (ParseFailure f) {
      if (speculating > 0) {
        throw f;
      }
      restore(sv, so, sp, sn);
      recover(body);
    }
    return body;
  }

  private void parseStatement(List<Stmt> out) {
    int st = pos;
    switch (tok()) {
      case T.DEF:
        out.add(parseFunctionDef(List.of(), st, false));
        return;
      case T.ASYNC: {
        int n = peek(1);
        if (n == T.DEF) {
          pos++;
          out.add(parseFunctionDef(List.of(), st, true));
        } else if (n == T.FOR) {
          pos++;
          out.add(parseFor(st, true));
        } else if (n == T.WITH) {
          pos++;
          out.add(parseWith(st, true));
        } else {
          throw fail(null);
        }
        return;
      }
      case T.CLASS:
        out.add(parseClassDef(List.of(), st));
        return;
      case T.AT:
        out.add(parseDecorated());
        return;
      case T.IF:
        out.add(parseIf());
        return;
      case T.WHILE:
        out.add(parseWhile());
        return;
      case T.FOR:
        out.add(parseFor(st, false));
        return;
      case T.TRY:
        out.add(parseTry());
        return;
      case T.WITH:
        out.add(parseWith(st, false));
        return;
      case T.ELIF:
      case T.ELSE:
      case T.EXCEPT:
      case T.FINALLY:
        throw suppressStray ? failure : fail(null);
      case T.NAME:
        if (lx.val[pos] == "match" && looksLikeMatch()) {
          out.add(parseMatch());
          return;
        }
        break;
      default:
        break;
    }
    simpleStatementsInto(out);
  }

  private void simpleStatementsInto(List<Stmt> out) {
    Stmt last;
    for (;;) {
      last = parseSimpleStatement();
      out.add(last);
      if (tok() == T.SEMI) {
        pos++;
        if (tok() == T.NEWLINE) {
          break;
        }
        continue;
      }
      break;
    }
    if (tok() != T.NEWLINE) {
      if (last instanceof ExprStmt && ((ExprStmt) last).value() instanceof Name
          && STARTS_EXPR[tok()]) {
        String id = ((Name) ((ExprStmt) last).value()).id();
        if (id == "print" || id == "exec") {
          throw fail("Missing parentheses in call to '" + id + "'. Did you mean " + id + "(...)?");
        }
      }
      throw fail(null);
    }
    pos++;
  }

  private Stmt parseSimpleStatement() {
    int st = pos;
    switch (tok()) {
      case T.PASS:
        pos++;
        return new Pass(loc(st));
      case T.BREAK:
        pos++;
        return new Break(loc(st));
      case T.CONTINUE:
        pos++;
        return new Continue(loc(st));
      case T.RETURN: {
        pos++;
        Expr v = STARTS_EXPR[tok()] ? parseStarExpressions() : null;
        return new Return(loc(st), v);
      }
      case T.RAISE: {
        pos++;
        Expr exc = null;
        Expr cause = null;
        if (STARTS_EXPR[tok()]) {
          exc = parseExpression();
          if (accept(T.FROM)) {
            cause = parseExpression();
          }
        }
        return new Raise(loc(st), exc, cause);
      }
      case T.GLOBAL:
      case T.NONLOCAL: {
        boolean global = tok() == T.GLOBAL;
        pos++;
        List<String> names = new ArrayList<>(2);
        do {
          names.add(expectName());
        } while (accept(T.COMMA));
        return global ? new Global(loc(st), names) : new Nonlocal(loc(st), names);
      }
      case T.DEL:
        return parseDel();
      case T.ASSERT: {
        pos++;
        Expr test = parseExpression();
        Expr msg = accept(T.COMMA) ? parseExpression() : null;
        return new Assert(loc(st), test, msg);
      }
      case T.IMPORT:
        return parseImport();
      case T.FROM:
        return parseFromImport();
      case T.YIELD:
        break;
      case T.NAME:
        if (lx.val[pos] == "type" && peek(1) == T.NAME) {
          int t2 = peek(2);
          if (t2 == T.EQUAL || t2 == T.LSQB) {
            return parseTypeAlias();
          }
        }
        break;
      default:
        break;
    }
    return parseExprStatement();
  }

  private Expr parseRhs() {
    return tok() == T.YIELD ? parseYieldExpr() : parseStarExpressions();
  }

  private Stmt parseExprStatement() {
    int st = pos;
    Expr e = parseRhs();
    int t = tok();
    if (t == T.EQUAL) {
      List<Expr> targets = new ArrayList<>(1);
      checkTarget(e, st, TGT_STORE);
      targets.add(e);
      Expr value;
      for (;;) {
        pos++;
        int rs = pos;
        Expr rhs = parseRhs();
        if (tok() == T.EQUAL) {
          checkTarget(rhs, rs, TGT_STORE);
          targets.add(rhs);
          continue;
        }
        value = rhs;
        break;
      }
      return new Assign(loc(st), targets, value);
    }
    if (t == T.COLON) {
      if (!(e instanceof Name || e instanceof Attribute || e instanceof Subscript)) {
        throw failAt(st, e instanceof Tuple ? "only single target (not tuple) can be annotated"
            : e instanceof ListExpr ? "only single target (not list) can be annotated"
            : "illegal target for annotation");
      }
      boolean simple = e instanceof Name && lx.type(st) != T.LPAR;
      pos++;
      Expr ann = parseExpression();
      Expr value = null;
      if (accept(T.EQUAL)) {
        value = parseRhs();
      }
      return new AnnAssign(loc(st), e, ann, value, simple);
    }
    String aug = T.augOp(t);
    if (aug != null) {
      if (!(e instanceof Name || e instanceof Attribute || e instanceof Subscript)) {
        throw failAt(st, "'" + describe(e) + "' is an illegal expression for augmented assignment");
      }
      pos++;
      Expr value = parseRhs();
      return new AugAssign(loc(st), e, aug, value);
    }
    return new ExprStmt(loc(st), e);
  }

  private Stmt parseDel() {
    int st = pos;
    pos++;
    List<Expr> targets = new ArrayList<>(1);
    for (;;) {
      int ts = pos;
      Expr e = parsePrimaryNoAwait();
      checkTarget(e, ts, TGT_DEL);
      targets.add(e);
      if (tok() == T.COMMA) {
        pos++;
        int t = tok();
        if (t == T.NEWLINE || t == T.SEMI) {
          break;
        }
        continue;
      }
      break;
    }
    int t = tok();
    if (t != T.NEWLINE && t != T.SEMI) {
      throw fail(null);
    }
    return new Delete(loc(st), targets);
  }

  private String parseDottedName() {
    String first = expectName();
    if (tok() != T.DOT) {
      return first;
    }
    StringBuilder b = new StringBuilder(first);
    while (accept(T.DOT)) {
      b.append('.').append(expectName());
    }
    return b.toString();
  }

  private Stmt parseImport() {
    int st = pos;
    pos++;
    List<Alias> names = new ArrayList<>(1);
    do {
      int as = pos;
      String name = parseDottedName();
      String asname = accept(T.AS) ? expectName() : null;
      names.add(new Alias(loc(as), name, asname));
    } while (accept(T.COMMA));
    return new Import(loc(st), names);
  }

  private Stmt parseFromImport() {
    int st = pos;
    pos++;
    int level = 0;
    for (;;) {
      int t = tok();
      if (t == T.DOT) {
        level++;
      } else if (t == T.ELLIPSIS) {
        level += 3;
      } else {
        break;
      }
      pos++;
    }
    String module = null;
    if (tok() != T.IMPORT || level == 0) {
      module = parseDottedName();
    }
    expect(T.IMPORT);
    List<Alias> names = new ArrayList<>(2);
    if (tok() == T.STAR) {
      names.add(new Alias(tokLoc(pos), "*", null));
      pos++;
    } else {
      boolean paren = accept(T.LPAR);
      for (;;) {
        int as = pos;
        String name = expectName();
        String asname = accept(T.AS) ? expectName() : null;
        names.add(new Alias(loc(as), name, asname));
        if (tok() != T.COMMA) {
          break;
        }
        pos++;
        if (paren && tok() == T.RPAR) {
          break;
        }
      }
      if (paren) {
        expect(T.RPAR);
      }
    }
    return new ImportFrom(loc(st), module, names, level);
  }

  private Stmt parseTypeAlias() {
    int st = pos;
    pos++;
    int nt = pos;
    Name name = new Name(tokLoc(nt), str(nt));
    pos++;
    List<TypeParam> tps = tok() == T.LSQB ? parseTypeParams() : List.of();
    expect(T.EQUAL);
    Expr value = parseExpression();
    return new TypeAlias(loc(st), name, tps, value);
  }

  private List<TypeParam> parseTypeParams() {
    pos++; // '['
    List<TypeParam> out = new ArrayList<>(2);
    while (tok() != T.RSQB) {
      int st = pos;
      int t = tok();
      if (t == T.STAR) {
        pos++;
        String name = expectName();
        if (tok() == T.COLON) {
          throw fail("cannot use bound with TypeVarTuple");
        }
        Expr def = accept(T.EQUAL) ? parseStarExpression() : null;
        out.add(new TypeVarTuple(loc(st), name, def));
      } else if (t == T.DOUBLESTAR) {
        pos++;
        String name = expectName();
        if (tok() == T.COLON) {
          throw fail("cannot use bound with ParamSpec");
        }
        Expr def = accept(T.EQUAL) ? parseExpression() : null;
        out.add(new ParamSpec(loc(st), name, def));
      } else {
        String name = expectName();
        Expr bound = accept(T.COLON) ? parseExpression() : null;
        Expr def = accept(T.EQUAL) ? parseExpression() : null;
        out.add(new TypeVar(loc(st), name, bound, def));
      }
      if (!accept(T.COMMA)) {
        break;
      }
    }
    if (out.isEmpty()) {
      throw fail("Type parameter list cannot be empty");
    }
    expect(T.RSQB);
    return out;
  }

  // ------------------------------------------------------------------ compound statements

  private Stmt parseDecorated() {
    List<Expr> decos = new ArrayList<>(1);
    while (tok() == T.AT) {
      pos++;
      decos.add(parseNamedExpression());
      expect(T.NEWLINE);
    }
    int st = pos;
    switch (tok()) {
      case T.DEF:
        return parseFunctionDef(decos, st, false);
      case T.ASYNC:
        if (peek(1) == T.DEF) {
          pos++;
          return parseFunctionDef(decos, st, true);
        }
        break;
      case T.CLASS:
        return parseClassDef(decos, st);
      default:
        break;
    }
    throw fail("expected a function or class definition after decorators");
  }

  private Arguments emptyArguments() {
    tok();
    int l = lx.sLine(pos);
    int c = lx.sCol(pos);
    return new Arguments(new Loc(l, c, l, c), List.of(), List.of(), null, List.of(), List.of(),
        null, List.of());
  }

  private Stmt parseFunctionDef(List<Expr> decos, int st, boolean isAsync) {
    long start = startOf(st);
    expect(T.DEF);
    tok();
    Loc nameLoc = tokLoc(pos);
    String name = expectName();
    List<TypeParam> tps = List.of();
    Arguments args = null;
    Expr returns = null;
    int sv = vTop;
    int so = oTop;
    int sp = pTop;
    int sn = nest;
    try {
      if (tok() == T.LSQB) {
        tps = parseTypeParams();
      }
      expect(T.LPAR);
      args = parseParams(T.RPAR, true);
      expect(T.RPAR);
      if (accept(T.RARROW)) {
        returns = parseExpression();
      }
      expect(T.COLON);
    } catch (ParseFailure f) {
      if (speculating > 0) {
        throw f;
      }
      // keep the function (the analysis needs it): skip the broken header, take its body
      restore(sv, so, sp, sn);
      if (args == null) {
        args = emptyArguments();
      }
      List<Stmt> body = new ArrayList<>();
      recover(body);
      return new FunctionDef(span(start, endPos()), name, nameLoc, tps, args, body, decos,
          returns, isAsync);
    }
    List<Stmt> body = parseBlock();
    return new FunctionDef(span(start, endPos()), name, nameLoc, tps, args, body, decos, returns,
        isAsync);
  }

  private Stmt parseClassDef(List<Expr> decos, int st) {
    long start = startOf(st);
    pos++; // class
    tok();
    Loc nameLoc = tokLoc(pos);
    String name = expectName();
    List<TypeParam> tps = List.of();
    List<Expr> bases = new ArrayList<>(1);
    List<Keyword> kws = new ArrayList<>(0);
    int sv = vTop;
    int so = oTop;
    int sp = pTop;
    int sn = nest;
    try {
      if (tok() == T.LSQB) {
        tps = parseTypeParams();
      }
      if (tok() == T.LPAR) {
        int lp = pos;
        pos++;
        parseArgs(bases, kws, false, lp);
        expect(T.RPAR);
      }
      expect(T.COLON);
    } catch (ParseFailure f) {
      if (speculating > 0) {
        throw f;
      }
      restore(sv, so, sp, sn);
      List<Stmt> body = new ArrayList<>();
      recover(body);
      return new ClassDef(span(start, endPos()), name, nameLoc, tps, bases, kws, body, decos);
    }
    List<Stmt> body = parseBlock();
    return new ClassDef(span(start, endPos()), name, nameLoc, tps, bases, kws, body, decos);
  }

  /** Parses "else ':' block" if present; on a broken clause header flags pending recovery. */
  private List<Stmt> parseElse() {
    if (tok() != T.ELSE) {
      return List.of();
    }
    if (peek(1) != T.COLON) {
      pos++;
      failAt(pos, "expected ':'");
      pendingRecovery = true;
      return List.of();
    }
    pos += 2;
    return parseBlock();
  }

  private Stmt parseIf() {
    long start = startOf(pos);
    pos++;
    Expr test = parseNamedExpression();
    expect(T.COLON);
    List<Stmt> body = parseBlock();
    long end = endPos();
    List<Object[]> elifs = null;
    while (tok() == T.ELIF) {
      long est = startOf(pos);
      Expr et;
      try {
        pos++;
        et = parseNamedExpression();
        expect(T.COLON);
      } catch (ParseFailure f) {
        if (speculating > 0) {
          throw f;
        }
        pendingRecovery = true;
        break;
      }
      List<Stmt> eb = parseBlock();
      end = endPos();
      if (elifs == null) {
        elifs = new ArrayList<>();
      }
      elifs.add(new Object[] {est, et, eb});
    }
    List<Stmt> orelse = List.of();
    if (!pendingRecovery && tok() == T.ELSE) {
      orelse = parseElse();
      if (!pendingRecovery) {
        end = endPos();
      }
    }
    if (elifs != null) {
      for (int i = elifs.size() - 1; i >= 0; i--) {
        Object[] e = elifs.get(i);
        @SuppressWarnings("unchecked")
        List<Stmt> eb = (List<Stmt>) e[2];
        orelse = List.of(new If(span((Long) e[0], end), (Expr) e[1], eb, orelse));
      }
    }
    return new If(span(start, end), test, body, orelse);
  }

  private Stmt parseWhile() {
    long start = startOf(pos);
    pos++;
    Expr test = parseNamedExpression();
    expect(T.COLON);
    List<Stmt> body = parseBlock();
    long end = endPos();
    List<Stmt> orelse = parseElse();
    if (!pendingRecovery) {
      end = endPos();
    }
    return new While(span(start, end), test, body, orelse);
  }

  private Stmt parseFor(int st, boolean isAsync) {
    long start = startOf(st);
    expect(T.FOR);
    Expr target = parseStarTargets();
    expect(T.IN);
    Expr iter = parseStarExpressions();
    expect(T.COLON);
    List<Stmt> body = parseBlock();
    long end = endPos();
    List<Stmt> orelse = parseElse();
    if (!pendingRecovery) {
      end = endPos();
    }
    return new For(span(start, end), target, iter, body, orelse, isAsync);
  }

  private Stmt parseWith(int st, boolean isAsync) {
    long start = startOf(st);
    expect(T.WITH);
    List<WithItem> items = null;
    if (tok() == T.LPAR) {
      int close = matchingClose(pos);
      if (close > 0 && typeAt(close + 1) == T.COLON) {
        int save = pos;
        int sv = vTop;
        int so = oTop;
        int sp = pTop;
        int sn = nest;
        speculating++;
        try {
          pos++;
          items = new ArrayList<>(2);
          for (;;) {
            items.add(parseWithItem());
            if (tok() != T.COMMA) {
              break;
            }
            pos++;
            if (tok() == T.RPAR) {
              break;
            }
          }
          if (pos != close) {
            throw failure;
          }
          pos++;
        } catch (ParseFailure f) {
          restore(sv, so, sp, sn);
          pos = save;
          items = null;
        } finally {
          speculating--;
        }
      }
    }
    if (items == null) {
      items = new ArrayList<>(1);
      do {
        items.add(parseWithItem());
      } while (accept(T.COMMA));
    }
    expect(T.COLON);
    List<Stmt> body = parseBlock();
    return new With(span(start, endPos()), items, body, isAsync);
  }

  /** Token index of the bracket closing the one at {@code i}, or -1 if the line ends first. */
  private int matchingClose(int i) {
    int depth = 0;
    for (;; i++) {
      int t = typeAt(i);
      switch (t) {
        case T.LPAR:
        case T.LSQB:
        case T.LBRACE:
          depth++;
          break;
        case T.RPAR:
        case T.RSQB:
        case T.RBRACE:
          if (--depth == 0) {
            return i;
          }
          break;
        case T.NEWLINE:
        case T.EOF:
        case T.ERROR:
          return -1;
        default:
          break;
      }
    }
  }

  private WithItem parseWithItem() {
    int st = pos;
    Expr e = parseExpression();
    Expr target = null;
    if (accept(T.AS)) {
      target = parseTargetElem();
      int t = tok();
      if (t != T.COMMA && t != T.RPAR && t != T.COLON) {
        throw fail(null);
      }
    }
    return new WithItem(loc(st), e, target);
  }

  private Stmt parseTry() {
    long start = startOf(pos);
    pos++;
    expect(T.COLON);
    List<Stmt> body = parseBlock();
    long end = endPos();
    List<ExceptHandler> handlers = new ArrayList<>(1);
    int star = -1;
    while (tok() == T.EXCEPT) {
      int hst = pos;
      long hstart = startOf(hst);
      Expr type = null;
      String name = null;
      try {
        pos++;
        boolean s = accept(T.STAR);
        if (star == -1) {
          star = s ? 1 : 0;
        } else if ((star == 1) != s) {
          throw failAt(hst, "cannot have both 'except' and 'except*' on the same 'try'");
        }
        if (tok() != T.COLON) {
          int tst = pos;
          type = parseExpression();
          if (tok() == T.COMMA) {
            // PEP 758 (Python 3.14): 'except A, B:' without parentheses, when nothing is bound.
            List<Expr> elts = new ArrayList<>(2);
            elts.add(type);
            while (accept(T.COMMA) && STARTS_EXPR[tok()]) {
              elts.add(parseExpression());
            }
            type = new Tuple(loc(tst), elts);
            if (tok() == T.AS) {
              throw fail("multiple exception types must be parenthesized when using 'as'");
            }
          }
          if (accept(T.AS)) {
            name = expectName();
          }
        } else if (s) {
          throw fail("expected one or more exception types");
        }
        expect(T.COLON);
      } catch (ParseFailure f) {
        if (speculating > 0) {
          throw f;
        }
        pendingRecovery = true;
        break;
      }
      List<Stmt> hb = parseBlock();
      end = endPos();
      handlers.add(new ExceptHandler(span(hstart, end), type, name, hb));
    }
    List<Stmt> orelse = List.of();
    List<Stmt> finalbody = List.of();
    if (!pendingRecovery) {
      if (tok() == T.ELSE && !handlers.isEmpty()) {
        orelse = parseElse();
        if (!pendingRecovery) {
          end = endPos();
        }
      }
      if (!pendingRecovery && tok() == T.FINALLY) {
        if (peek(1) != T.COLON) {
          pos++;
          failAt(pos, "expected ':'");
          pendingRecovery = true;
        } else {
          pos += 2;
          finalbody = parseBlock();
          end = endPos();
        }
      }
      if (!pendingRecovery && handlers.isEmpty() && finalbody.isEmpty()) {
        throw fail("expected 'except' or 'finally' block");
      }
    }
    return new Try(span(start, end), body, handlers, orelse, finalbody, star == 1);
  }

  // ------------------------------------------------------------------ match

  /** A statement starting with the soft keyword {@code match}: is it a match statement? */
  private boolean looksLikeMatch() {
    int t1 = peek(1);
    if (!STARTS_EXPR[t1] || t1 == T.ERROR) {
      return false;
    }
    int i = pos + 1;
    for (;; i++) {
      int t = typeAt(i);
      if (t == T.NEWLINE || t == T.EOF) {
        break;
      }
    }
    return lx.type(i - 1) == T.COLON && typeAt(i + 1) == T.INDENT;
  }

  private Stmt parseMatch() {
    long start = startOf(pos);
    pos++;
    int ss = pos;
    Expr subject = parseStarNamedExpression();
    if (tok() == T.COMMA) {
      List<Expr> elts = new ArrayList<>(2);
      elts.add(subject);
      while (accept(T.COMMA)) {
        if (!STARTS_EXPR[tok()]) {
          break;
        }
        elts.add(parseStarNamedExpression());
      }
      subject = new Tuple(loc(ss), elts);
    } else if (subject instanceof Starred && lx.type(ss) == T.STAR) {
      throw failAt(ss, "cannot use starred expression here");
    }
    expect(T.COLON);
    expect(T.NEWLINE);
    expect(T.INDENT);
    List<MatchCase> cases = new ArrayList<>();
    for (;;) {
      int t = tok();
      if (t == T.DEDENT) {
        pos++;
        break;
      }
      if (t == T.EOF) {
        break;
      }
      if (t == T.NAME && lx.val[pos] == "case") {
        cases.add(parseCase());
        continue;
      }
      // not a case block: report, keep its statements in the previous case
      List<Stmt> sink = cases.isEmpty() ? new ArrayList<>() : cases.get(cases.size() - 1).body();
      if (!(sink instanceof ArrayList)) {
        sink = new ArrayList<>();
      }
      failAt(pos, "expected 'case' block");
      statementInto(sink, true);
    }
    return new Match(span(start, endPos()), subject, cases);
  }

  private MatchCase parseCase() {
    long start = startOf(pos);
    Loc caseLoc = tokLoc(pos);
    pos++;
    Pattern pat;
    Expr guard = null;
    int sv = vTop;
    int so = oTop;
    int sp = pTop;
    int sn = nest;
    try {
      pat = parsePatterns();
      if (accept(T.IF)) {
        guard = parseNamedExpression();
      }
      expect(T.COLON);
    } catch (ParseFailure f) {
      if (speculating > 0) {
        throw f;
      }
      restore(sv, so, sp, sn);
      List<Stmt> body = new ArrayList<>();
      recover(body);
      return new MatchCase(span(start, endPos()), new MatchAs(caseLoc, null, null), null, body);
    }
    List<Stmt> body = parseBlock();
    return new MatchCase(span(start, endPos()), pat, guard, body);
  }

  private static boolean startsPattern(int t) {
    switch (t) {
      case T.NAME:
      case T.NUMBER:
      case T.MINUS:
      case T.STRING:
      case T.FSTRING_START:
      case T.NONE:
      case T.TRUE:
      case T.FALSE:
      case T.LPAR:
      case T.LSQB:
      case T.LBRACE:
      case T.STAR:
        return true;
      default:
        return false;
    }
  }

  /** {@code patterns}: an open sequence (MatchSequence) or a single pattern. */
  private Pattern parsePatterns() {
    int st = pos;
    Pattern first = parseMaybeStarPattern();
    if (tok() != T.COMMA) {
      if (first instanceof MatchStar) {
        throw failAt(st, "star pattern must be part of a sequence pattern");
      }
      return first;
    }
    List<Pattern> list = new ArrayList<>(2);
    list.add(first);
    while (accept(T.COMMA)) {
      if (!startsPattern(tok())) {
        break;
      }
      list.add(parseMaybeStarPattern());
    }
    return new MatchSequence(loc(st), list);
  }

  private Pattern parseMaybeStarPattern() {
    if (tok() == T.STAR) {
      int st = pos;
      pos++;
      String name = expectName();
      return new MatchStar(loc(st), name == "_" ? null : name);
    }
    return parsePattern();
  }

  private Pattern parsePattern() {
    int st = pos;
    Pattern p = parseOrPattern();
    if (accept(T.AS)) {
      if (tok() == T.NAME && lx.val[pos] == "_") {
        throw fail("cannot use '_' as a target");
      }
      String name = expectName();
      return new MatchAs(loc(st), p, name);
    }
    return p;
  }

  private Pattern parseOrPattern() {
    int st = pos;
    Pattern first = parseClosedPattern();
    if (tok() != T.VBAR) {
      return first;
    }
    List<Pattern> list = new ArrayList<>(3);
    list.add(first);
    while (accept(T.VBAR)) {
      list.add(parseClosedPattern());
    }
    return new MatchOr(loc(st), list);
  }

  private Pattern parseClosedPattern() {
    int st = pos;
    switch (tok()) {
      case T.MINUS:
      case T.NUMBER:
        return matchValue(st, parseSignedNumber());
      case T.STRING:
      case T.FSTRING_START:
        return matchValue(st, parseStrings());
      case T.NONE:
        pos++;
        return new MatchSingleton(loc(st), ConstKind.NONE);
      case T.TRUE:
        pos++;
        return new MatchSingleton(loc(st), ConstKind.TRUE);
      case T.FALSE:
        pos++;
        return new MatchSingleton(loc(st), ConstKind.FALSE);
      case T.NAME: {
        String name = str(pos);
        pos++;
        if (name == "_") {
          return new MatchAs(loc(st), null, null);
        }
        int t = tok();
        if (t != T.DOT && t != T.LPAR) {
          return new MatchAs(loc(st), null, name);
        }
        Expr cls = new Name(loc(st), name);
        int n = 1;
        while (accept(T.DOT)) {
          String attr = expectName();
          cls = new Attribute(loc(st), cls, attr);
          checkH(++n);
        }
        if (tok() == T.LPAR) {
          return parseClassPattern(st, cls);
        }
        return new MatchValue(loc(st), cls);
      }
      case T.LPAR: {
        enter();
        pos++;
        if (accept(T.RPAR)) {
          nest--;
          return new MatchSequence(loc(st), List.of());
        }
        Pattern first = parseMaybeStarPattern();
        if (tok() == T.COMMA) {
          List<Pattern> list = new ArrayList<>(2);
          list.add(first);
          while (accept(T.COMMA)) {
            if (tok() == T.RPAR) {
              break;
            }
            list.add(parseMaybeStarPattern());
          }
          expect(T.RPAR);
          nest--;
          return new MatchSequence(loc(st), list);
        }
        if (first instanceof MatchStar) {
          throw fail(null);
        }
        expect(T.RPAR);
        nest--;
        return first;
      }
      case T.LSQB: {
        enter();
        pos++;
        List<Pattern> list = new ArrayList<>(2);
        while (tok() != T.RSQB) {
          list.add(parseMaybeStarPattern());
          if (!accept(T.COMMA)) {
            break;
          }
        }
        expect(T.RSQB);
        nest--;
        return new MatchSequence(loc(st), list);
      }
      case T.LBRACE:
        return parseMappingPattern();
      case T.ERROR:
        throw failure;
      default:
        throw fail(null);
    }
  }

  private Pattern matchValue(int st, Expr v) {
    return new MatchValue(loc(st), v);
  }

  /** signed_number or complex_number (for literal patterns and mapping keys). */
  private Expr parseSignedNumber() {
    int st = pos;
    boolean neg = accept(T.MINUS);
    if (tok() != T.NUMBER) {
      throw fail(null);
    }
    int nt = pos++;
    Expr v = new Constant(tokLoc(nt), NUM_KIND[lx.flags(nt)], str(nt));
    if (neg) {
      v = new UnaryOp(loc(st), "-", v);
    }
    int t = tok();
    if (t == T.PLUS || t == T.MINUS) {
      if (lx.flags(nt) == Lexer.NUM_COMPLEX) {
        throw failAt(nt, "real number required in complex literal");
      }
      pos++;
      if (tok() != T.NUMBER || lx.flags(pos) != Lexer.NUM_COMPLEX) {
        throw fail("imaginary number required in complex literal");
      }
      int it = pos++;
      Expr imag = new Constant(tokLoc(it), ConstKind.COMPLEX, str(it));
      v = new BinOp(loc(st), v, t == T.PLUS ? "+" : "-", imag);
    }
    return v;
  }

  private Pattern parseClassPattern(int st, Expr cls) {
    enter();
    pos++; // '('
    List<Pattern> patterns = new ArrayList<>(2);
    List<String> kwdAttrs = new ArrayList<>(0);
    List<Pattern> kwdPatterns = new ArrayList<>(0);
    while (tok() != T.RPAR) {
      if (tok() == T.NAME && peek(1) == T.EQUAL) {
        kwdAttrs.add(str(pos));
        pos += 2;
        kwdPatterns.add(parsePattern());
      } else {
        if (!kwdAttrs.isEmpty()) {
          throw fail("positional patterns follow keyword patterns");
        }
        patterns.add(parsePattern());
      }
      if (!accept(T.COMMA)) {
        break;
      }
    }
    expect(T.RPAR);
    nest--;
    return new MatchClass(loc(st), cls, patterns, kwdAttrs, kwdPatterns);
  }

  private Pattern parseMappingPattern() {
    int st = pos;
    enter();
    pos++; // '{'
    List<Expr> keys = new ArrayList<>(2);
    List<Pattern> pats = new ArrayList<>(2);
    String rest = null;
    while (tok() != T.RBRACE) {
      if (accept(T.DOUBLESTAR)) {
        rest = expectName();
        accept(T.COMMA);
        break;
      }
      keys.add(parseMappingKey());
      expect(T.COLON);
      pats.add(parsePattern());
      if (!accept(T.COMMA)) {
        break;
      }
    }
    expect(T.RBRACE);
    nest--;
    return new MatchMapping(loc(st), keys, pats, rest);
  }

  private Expr parseMappingKey() {
    int st = pos;
    switch (tok()) {
      case T.MINUS:
      case T.NUMBER:
        return parseSignedNumber();
      case T.STRING:
      case T.FSTRING_START:
        return parseStrings();
      case T.NONE:
        pos++;
        return new Constant(loc(st), ConstKind.NONE, null);
      case T.TRUE:
        pos++;
        return new Constant(loc(st), ConstKind.TRUE, null);
      case T.FALSE:
        pos++;
        return new Constant(loc(st), ConstKind.FALSE, null);
      case T.NAME: {
        if (peek(1) != T.DOT) {
          break;
        }
        Expr e = new Name(tokLoc(pos), str(pos));
        pos++;
        int n = 1;
        while (accept(T.DOT)) {
          String attr = expectName();
          e = new Attribute(loc(st), e, attr);
          checkH(++n);
        }
        return e;
      }
      default:
        break;
    }
    throw fail(null);
  }

  // ------------------------------------------------------------------ targets

  private static final int TGT_STORE = 0;
  private static final int TGT_DEL = 1;

  /** {@code star_targets}: a target or a comma list (Tuple) of targets; stops before 'in'. */
  private Expr parseStarTargets() {
    int st = pos;
    Expr first = parseTargetElem();
    if (tok() != T.COMMA) {
      return first;
    }
    List<Expr> elts = new ArrayList<>(2);
    elts.add(first);
    while (accept(T.COMMA)) {
      if (!STARTS_EXPR[tok()]) {
        break;
      }
      elts.add(parseTargetElem());
    }
    return new Tuple(loc(st), elts);
  }

  /** {@code star_target}. */
  private Expr parseTargetElem() {
    int st = pos;
    if (tok() == T.STAR) {
      pos++;
      if (tok() == T.STAR) {
        throw fail(null);
      }
      Expr inner = parseTargetElem();
      return new Starred(loc(st), inner);
    }
    Expr e = parsePrimaryNoAwait();
    checkTarget(e, st, TGT_STORE);
    return e;
  }

  private void checkTarget(Expr e, int st, int kind) {
    if (e instanceof Name || e instanceof Attribute || e instanceof Subscript) {
      return;
    }
    if (e instanceof Starred) {
      if (kind == TGT_DEL) {
        throw failAt(st, "cannot delete starred");
      }
      checkTarget(((Starred) e).value(), st, kind);
      return;
    }
    List<Expr> elts = null;
    if (e instanceof Tuple) {
      elts = ((Tuple) e).elts();
    } else if (e instanceof ListExpr) {
      elts = ((ListExpr) e).elts();
    }
    if (elts != null) {
      for (Expr x : elts) {
        checkTarget(x, st, kind);
      }
      return;
    }
    throw failAt(st, (kind == TGT_DEL ? "cannot delete " : "cannot assign to ") + describe(e));
  }

  private static String describe(Expr e) {
    if (e instanceof Call) {
      return "function call";
    }
    if (e instanceof Constant) {
      ConstKind k = ((Constant) e).kind();
      return k == ConstKind.NONE ? "None" : k == ConstKind.TRUE ? "True"
          : k == ConstKind.FALSE ? "False" : k == ConstKind.ELLIPSIS ? "ellipsis" : "literal";
    }
    if (e instanceof Tuple) {
      return "tuple";
    }
    if (e instanceof ListExpr) {
      return "list";
    }
    if (e instanceof Compare) {
      return "comparison";
    }
    if (e instanceof Lambda) {
      return "lambda";
    }
    if (e instanceof IfExp) {
      return "conditional expression";
    }
    if (e instanceof NamedExpr) {
      return "named expression";
    }
    if (e instanceof Await) {
      return "await expression";
    }
    if (e instanceof Yield || e instanceof YieldFrom) {
      return "yield expression";
    }
    if (e instanceof JoinedStr || e instanceof FormattedValue) {
      return "f-string expression";
    }
    if (e instanceof GeneratorExp) {
      return "generator expression";
    }
    if (e instanceof ListComp || e instanceof SetComp || e instanceof DictComp) {
      return "comprehension";
    }
    if (e instanceof Dict) {
      return "dict literal";
    }
    if (e instanceof SetExpr) {
      return "set display";
    }
    return "expression";
  }

  // ------------------------------------------------------------------ expressions

  /** {@code star_expressions}: one star_expression or a Tuple of them. */
  private Expr parseStarExpressions() {
    int st = pos;
    Expr first = parseStarExpression();
    if (tok() != T.COMMA) {
      return first;
    }
    int mh = h;
    List<Expr> elts = new ArrayList<>(4);
    elts.add(first);
    while (accept(T.COMMA)) {
      if (!STARTS_EXPR[tok()]) {
        break;
      }
      elts.add(parseStarExpression());
      mh = max(mh, h);
    }
    h = mh + 1;
    checkH(h);
    return new Tuple(loc(st), elts);
  }

  /** {@code star_expression}: '*' bitwise_or | expression. */
  private Expr parseStarExpression() {
    return tok() == T.STAR ? parseStarred() : parseExpression();
  }

  /** {@code star_named_expression}: '*' bitwise_or | named_expression. */
  private Expr parseStarNamedExpression() {
    return tok() == T.STAR ? parseStarred() : parseNamedExpression();
  }

  /** '*' bitwise_or, at the '*'. */
  private Expr parseStarred() {
    int st = pos;
    pos++;
    Expr v = parseBinary(L_BOR);
    checkH(++h);
    return new Starred(loc(st), v);
  }

  /** {@code named_expression}: NAME ':=' expression | expression !':='. */
  private Expr parseNamedExpression() {
    if (tok() == T.NAME && peek(1) == T.COLONEQUAL) {
      int st = pos;
      Name target = new Name(tokLoc(st), str(st));
      pos += 2;
      Expr v = parseExpression();
      checkH(++h);
      return new NamedExpr(loc(st), target, v);
    }
    int st = pos;
    Expr e = parseExpression();
    if (tok() == T.COLONEQUAL) {
      throw failAt(st, "cannot use assignment expressions with " + describe(e));
    }
    return e;
  }

  private void pushPending(int kind, int st, Object a, Object b, int hh, int base) {
    if (pTop == pKind.length) {
      int cap = pTop * 2;
      pA = java.util.Arrays.copyOf(pA, cap);
      pB = java.util.Arrays.copyOf(pB, cap);
      pKind = java.util.Arrays.copyOf(pKind, cap);
      pStart = java.util.Arrays.copyOf(pStart, cap);
      pH = java.util.Arrays.copyOf(pH, cap);
    }
    if (pTop - base >= MAX_EXPR_DEPTH) {
      throw tooDeep("expression nested too deeply (more than " + MAX_EXPR_DEPTH + " levels)");
    }
    pKind[pTop] = kind;
    pStart[pTop] = st;
    pA[pTop] = a;
    pB[pTop] = b;
    pH[pTop] = hh;
    pTop++;
  }

  /**
   * {@code expression}: conditional expressions and lambdas. Both are right-nested, so they are
   * collected on an explicit stack and folded at the end instead of recursing.
   */
  private Expr parseExpression() {
    final int base = pTop;
    Expr r;
    int rh;
    for (;;) {
      int t = tok();
      if (t == T.LAMBDA) {
        int st = pos;
        pos++;
        enter();
        Arguments a = parseParams(T.COLON, false);
        nest--;
        int ah = h;
        expect(T.COLON);
        pushPending(P_LAMBDA, st, a, null, ah, base);
        continue;
      }
      int st = pos;
      Expr body = parseBinary(L_OR);
      int bh = h;
      if (tok() == T.IF) {
        pos++;
        Expr test = parseBinary(L_OR);
        int th = h;
        if (tok() != T.ELSE) {
          throw fail("expected 'else' after 'if' expression");
        }
        pos++;
        pushPending(P_IF, st, body, test, max(bh, th), base);
        continue;
      }
      r = body;
      rh = bh;
      break;
    }
    while (pTop > base) {
      int i = --pTop;
      rh = max(rh, pH[i]) + 1;
      checkH(rh);
      if (pKind[i] == P_LAMBDA) {
        r = new Lambda(loc(pStart[i]), (Arguments) pA[i], r);
      } else {
        r = new IfExp(loc(pStart[i]), (Expr) pB[i], (Expr) pA[i], r);
      }
      pA[i] = null;
      pB[i] = null;
    }
    h = rh;
    return r;
  }

  private void pushOp(int op, int tokIdx, int oBase) {
    if (oTop == oKind.length) {
      oKind = java.util.Arrays.copyOf(oKind, oTop * 2);
      oTok = java.util.Arrays.copyOf(oTok, oTop * 2);
      oRun = java.util.Arrays.copyOf(oRun, oTop * 2);
      oRunBase = java.util.Arrays.copyOf(oRunBase, oTop * 2);
    }
    // Runs of or/and/comparisons share one entry, so every entry adds at least one level of
    // tree height: this bounds prefix-operator and '**' chains early.
    if (oTop - oBase >= MAX_EXPR_DEPTH) {
      throw tooDeep("expression nested too deeply (more than " + MAX_EXPR_DEPTH + " levels)");
    }
    oKind[oTop] = op;
    oTok[oTop] = tokIdx;
    oRun[oTop] = 1;
    if (LEVEL[op] == L_CMP) {
      oRunBase[oTop] = rTop;
      pushRunOp(op);
    }
    oTop++;
  }

  private void pushRunOp(int op) {
    if (rTop == runOps.length) {
      runOps = java.util.Arrays.copyOf(runOps, rTop * 2);
    }
    runOps[rTop++] = op;
  }

  private void pushVal(Expr e, int st, int en, int hh) {
    if (vTop == vStack.length) {
      int cap = vTop * 2;
      vStack = java.util.Arrays.copyOf(vStack, cap);
      vStart = java.util.Arrays.copyOf(vStart, cap);
      vEnd = java.util.Arrays.copyOf(vEnd, cap);
      vH = java.util.Arrays.copyOf(vH, cap);
    }
    vStack[vTop] = e;
    vStart[vTop] = st;
    vEnd[vTop] = en;
    vH[vTop] = hh;
    vTop++;
  }

  /**
   * Operator-precedence parsing of everything from {@code disjunction} ({@code minLevel ==
   * L_OR}) or {@code bitwise_or} ({@code L_BOR}) down to {@code await_primary}, with explicit
   * value/operator stacks: no recursion per operator, only per bracketed operand.
   */
  private Expr parseBinary(int minLevel) {
    enter();
    final int vBase = vTop;
    final int oBase = oTop;
    for (;;) {
      for (;;) {
        int t = tok();
        int op;
        if (t == T.MINUS) {
          op = OP_USUB;
        } else if (t == T.PLUS) {
          op = OP_UADD;
        } else if (t == T.TILDE) {
          op = OP_INVERT;
        } else if (t == T.NOT && minLevel <= L_NOT
            && (oTop == oBase || LEVEL[oKind[oTop - 1]] <= L_NOT)) {
          op = OP_NOT;
        } else {
          break;
        }
        pushOp(op, pos, oBase);
        pos++;
      }
      int st = pos;
      Expr operand = tok() == T.AWAIT ? parseAwait() : parsePrimaryNoAwait();
      int t = tok();
      int op;
      if (t == T.NOT) {
        op = peek(1) == T.IN ? OP_NOTIN : 0;
      } else if (t == T.IS) {
        op = peek(1) == T.NOT ? OP_ISNOT : OP_IS;
      } else {
        op = BINOP[t];
      }
      if (op == 0 || LEVEL[op] < minLevel) {
        if (vTop == vBase && oTop == oBase) {
          // fast path: a lone operand (h already set)
          nest--;
          return operand;
        }
        pushVal(operand, st, pos - 1, h);
        break;
      }
      pushVal(operand, st, pos - 1, h);
      int lvl = LEVEL[op];
      boolean accumulated = false;
      while (oTop > oBase) {
        int tl = LEVEL[oKind[oTop - 1]];
        if (tl > lvl || (tl == lvl && lvl != L_POW && lvl != L_CMP && lvl != L_OR && lvl != L_AND)) {
          reduceTop(oBase);
        } else {
          if (tl == lvl && lvl != L_POW) {
            // extend the run of or / and / comparisons
            oRun[oTop - 1]++;
            if (lvl == L_CMP) {
              pushRunOp(op);
            }
            accumulated = true;
          }
          break;
        }
      }
      if (!accumulated) {
        pushOp(op, pos, oBase);
      }
      pos += (op == OP_NOTIN || op == OP_ISNOT) ? 2 : 1;
    }
    while (oTop > oBase) {
      reduceTop(oBase);
    }
    Expr r = vStack[vBase];
    h = vH[vBase];
    vStack[vBase] = null;
    vTop = vBase;
    nest--;
    return r;
  }

  private void reduceTop(int oBase) {
    int k = oKind[oTop - 1];
    if (PREFIX[k]) {
      oTop--;
      int opTok = oTok[oTop];
      int vi = vTop - 1;
      int hh = vH[vi] + 1;
      checkH(hh);
      vStack[vi] = new UnaryOp(loc(opTok, vEnd[vi]), OPSTR[k], vStack[vi]);
      vStart[vi] = opTok;
      vH[vi] = hh;
      return;
    }
    int lvl = LEVEL[k];
    if (lvl == L_CMP || lvl == L_OR || lvl == L_AND) {
      int n = oRun[oTop - 1];
      int rb = oRunBase[oTop - 1];
      int v0 = vTop - n - 1;
      int hh = 0;
      for (int j = v0; j < vTop; j++) {
        hh = max(hh, vH[j]);
      }
      hh++;
      checkH(hh);
      Loc l = loc(vStart[v0], vEnd[vTop - 1]);
      Expr node;
      if (lvl == L_CMP) {
        List<String> ops = new ArrayList<>(n);
        List<Expr> comps = new ArrayList<>(n);
        for (int j = 0; j < n; j++) {
          ops.add(OPSTR[runOps[rb + j]]);
          comps.add(vStack[v0 + 1 + j]);
        }
        rTop = rb;
        node = new Compare(l, vStack[v0], ops, comps);
      } else {
        List<Expr> vals = new ArrayList<>(n + 1);
        for (int j = v0; j < vTop; j++) {
          vals.add(vStack[j]);
        }
        node = new BoolOp(l, lvl == L_OR ? "or" : "and", vals);
      }
      for (int j = v0 + 1; j < vTop; j++) {
        vStack[j] = null;
      }
      vStack[v0] = node;
      vEnd[v0] = vEnd[vTop - 1];
      vH[v0] = hh;
      vTop = v0 + 1;
      oTop--;
      return;
    }
    oTop--;
    int ri = vTop - 1;
    int li = vTop - 2;
    int hh = max(vH[li], vH[ri]) + 1;
    checkH(hh);
    vStack[li] = new BinOp(loc(vStart[li], vEnd[ri]), vStack[li], OPSTR[k], vStack[ri]);
    vEnd[li] = vEnd[ri];
    vH[li] = hh;
    vStack[ri] = null;
    vTop--;
  }

  /** {@code 'await' primary}. */
  private Expr parseAwait() {
    int st = pos;
    pos++;
    Expr e = parsePrimaryNoAwait();
    checkH(++h);
    return new Await(loc(st), e);
  }

  /** {@code primary}: an atom followed by '.' NAME, calls and subscripts (a loop, no recursion). */
  private Expr parsePrimaryNoAwait() {
    int st = pos;
    Expr e = parseAtom();
    int eh = h;
    for (;;) {
      int t = tok();
      if (t == T.DOT) {
        pos++;
        String name = expectName();
        e = new Attribute(loc(st), e, name);
        eh++;
      } else if (t == T.LPAR) {
        int lp = pos;
        pos++;
        List<Expr> args = tok() == T.RPAR ? List.of() : new ArrayList<>(2);
        List<Keyword> kws = new ArrayList<>(0);
        int ah = parseArgs(args, kws, true, lp);
        expect(T.RPAR);
        e = new Call(loc(st), e, args, kws.isEmpty() ? List.of() : kws);
        eh = max(eh, ah) + 1;
      } else if (t == T.LSQB) {
        pos++;
        Expr s = parseSlices();
        expect(T.RSQB);
        e = new Subscript(loc(st), e, s);
        eh = max(eh, h) + 1;
      } else {
        break;
      }
      checkH(eh);
    }
    h = eh;
    return e;
  }

  /**
   * Call arguments up to (not including) ')'. Returns the maximum height of the argument
   * subtrees (plus one for keywords).
   */
  private int parseArgs(List<Expr> args, List<Keyword> kws, boolean allowGenexp, int lparTok) {
    int mh = 0;
    boolean seenKw = false;
    boolean seenDoubleStar = false;
    while (tok() != T.RPAR) {
      int st = pos;
      int t = tok();
      if (t == T.STAR) {
        if (seenDoubleStar) {
          throw fail("iterable argument unpacking follows keyword argument unpacking");
        }
        pos++;
        Expr v = parseExpression();
        args.add(new Starred(loc(st), v));
        mh = max(mh, h + 1);
      } else if (t == T.DOUBLESTAR) {
        pos++;
        Expr v = parseExpression();
        kws.add(new Keyword(loc(st), null, v));
        mh = max(mh, h + 1);
        seenDoubleStar = true;
      } else if (t == T.NAME && peek(1) == T.EQUAL) {
        String name = str(pos);
        pos += 2;
        Expr v = parseExpression();
        kws.add(new Keyword(loc(st), name, v));
        mh = max(mh, h + 1);
        seenKw = true;
      } else {
        Expr e = parseNamedExpression();
        int eh = h;
        int n = tok();
        if (n == T.FOR || (n == T.ASYNC && peek(1) == T.FOR)) {
          if (!allowGenexp || !args.isEmpty() || !kws.isEmpty()) {
            throw failAt(st, "Generator expression must be parenthesized");
          }
          List<Comprehension> gens = parseComprehensions();
          eh = max(eh, h);
          if (tok() != T.RPAR) {
            throw failAt(st, "Generator expression must be parenthesized");
          }
          Loc l = new Loc(lx.sLine(lparTok), lx.sCol(lparTok), lx.eLine(pos), lx.eCol(pos));
          args.add(new GeneratorExp(l, e, gens));
          mh = max(mh, eh + 1);
          break;
        }
        if (seenKw || seenDoubleStar) {
          throw failAt(st, seenDoubleStar ? "positional argument follows keyword argument unpacking"
              : "positional argument follows keyword argument");
        }
        args.add(e);
        mh = max(mh, eh);
      }
      if (!accept(T.COMMA)) {
        break;
      }
    }
    return mh;
  }

  /** {@code slices}: a slice/expression, or a Tuple of slices and starred expressions. */
  private Expr parseSlices() {
    int st = pos;
    Expr first = parseSliceItem();
    if (tok() != T.COMMA) {
      if (lx.type(st) == T.STAR) {
        int hh = h + 1;
        checkH(hh);
        h = hh;
        return new Tuple(loc(st), new ArrayList<>(List.of(first)));
      }
      return first;
    }
    int mh = h;
    List<Expr> elts = new ArrayList<>(3);
    elts.add(first);
    while (accept(T.COMMA)) {
      if (tok() == T.RSQB) {
        break;
      }
      elts.add(parseSliceItem());
      mh = max(mh, h);
    }
    h = mh + 1;
    checkH(h);
    return new Tuple(loc(st), elts);
  }

  private Expr parseSliceItem() {
    int st = pos;
    int t = tok();
    if (t == T.STAR) {
      pos++;
      Expr v = parseExpression();
      checkH(++h);
      return new Starred(loc(st), v);
    }
    Expr lower = null;
    int mh = 0;
    if (t != T.COLON) {
      lower = parseNamedExpression();
      if (tok() != T.COLON) {
        return lower;
      }
      if (lower instanceof NamedExpr && lx.type(st) != T.LPAR) {
        throw fail(null);
      }
      mh = h;
    }
    pos++; // ':'
    Expr upper = null;
    Expr step = null;
    t = tok();
    if (t != T.COLON && t != T.COMMA && t != T.RSQB) {
      upper = parseExpression();
      mh = max(mh, h);
    }
    if (accept(T.COLON)) {
      t = tok();
      if (t != T.COMMA && t != T.RSQB) {
        step = parseExpression();
        mh = max(mh, h);
      }
    }
    h = mh + 1;
    checkH(h);
    return new Slice(loc(st), lower, upper, step);
  }

  private Expr parseAtom() {
    int st = pos;
    switch (tok()) {
      case T.NAME:
        pos++;
        h = 1;
        return new Name(tokLoc(st), str(st));
      case T.NUMBER:
        pos++;
        h = 1;
        return new Constant(tokLoc(st), NUM_KIND[lx.flags(st)], str(st));
      case T.STRING:
      case T.FSTRING_START:
        return parseStrings();
      case T.NONE:
        pos++;
        h = 1;
        return new Constant(tokLoc(st), ConstKind.NONE, null);
      case T.TRUE:
        pos++;
        h = 1;
        return new Constant(tokLoc(st), ConstKind.TRUE, null);
      case T.FALSE:
        pos++;
        h = 1;
        return new Constant(tokLoc(st), ConstKind.FALSE, null);
      case T.ELLIPSIS:
        pos++;
        h = 1;
        return new Constant(tokLoc(st), ConstKind.ELLIPSIS, null);
      case T.LPAR:
        return parseParen();
      case T.LSQB:
        return parseListDisplay();
      case T.LBRACE:
        return parseBraceDisplay();
      case T.ERROR:
        throw failure;
      default:
        throw fail(null);
    }
  }

  private boolean atComprehension() {
    int t = tok();
    return t == T.FOR || (t == T.ASYNC && peek(1) == T.FOR);
  }

  /** '(' ... ')': empty tuple, group, tuple, generator expression or parenthesized yield. */
  private Expr parseParen() {
    int st = pos;
    pos++;
    if (tok() == T.RPAR) {
      pos++;
      h = 1;
      return new Tuple(loc(st), new ArrayList<>(0));
    }
    if (tok() == T.YIELD) {
      Expr y = parseYieldExpr();
      expect(T.RPAR);
      return y;
    }
    int es = pos;
    Expr first = tok() == T.STAR ? parseStarNamedExpression() : parseNamedExpression();
    int mh = h;
    boolean starred = lx.type(es) == T.STAR;
    if (atComprehension()) {
      if (starred) {
        throw failAt(es, "iterable unpacking cannot be used in comprehension");
      }
      List<Comprehension> gens = parseComprehensions();
      expect(T.RPAR);
      h = max(mh, h) + 1;
      checkH(h);
      return new GeneratorExp(loc(st), first, gens);
    }
    if (tok() == T.COMMA) {
      List<Expr> elts = new ArrayList<>(4);
      elts.add(first);
      while (accept(T.COMMA)) {
        if (tok() == T.RPAR) {
          break;
        }
        elts.add(parseStarNamedExpression());
        mh = max(mh, h);
      }
      expect(T.RPAR);
      h = mh + 1;
      checkH(h);
      return new Tuple(loc(st), elts);
    }
    if (starred) {
      throw failAt(es, "cannot use starred expression here");
    }
    expect(T.RPAR);
    h = mh;
    return first;
  }

  private Expr parseListDisplay() {
    int st = pos;
    pos++;
    if (accept(T.RSQB)) {
      h = 1;
      return new ListExpr(loc(st), new ArrayList<>(0));
    }
    int es = pos;
    Expr first = parseStarNamedExpression();
    int mh = h;
    if (atComprehension()) {
      List<Comprehension> gens = displayComprehensions(es, T.RSQB, mh);
      return new ListComp(loc(st), first, gens);
    }
    List<Expr> elts = displayElements(first, T.RSQB, mh);
    return new ListExpr(loc(st), elts);
  }

  /**
   * The comprehensions of a list, set or dict display whose first element (at token {@code es})
   * has been read, through {@code closer}; sets the height.
   */
  private List<Comprehension> displayComprehensions(int es, int closer, int mh) {
    if (lx.type(es) == T.STAR) {
      throw failAt(es, "iterable unpacking cannot be used in comprehension");
    }
    List<Comprehension> gens = parseComprehensions();
    expect(closer);
    h = max(mh, h) + 1;
    checkH(h);
    return gens;
  }

  /**
   * The elements of a list or set display from its first, through {@code closer}; sets the height.
   * A display of millions of elements (a generated table, a hostile one-line literal) is read in
   * bounded memory and linear time: the tokens of elements already read are dropped as it goes
   * (outer frames hold only indexes of tokens before it), and constants after the first
   * {@link #KEPT_CONSTANTS} elements are not kept (a constant holds no call or name).
   */
  private List<Expr> displayElements(Expr first, int closer, int mh) {
    List<Expr> elts = new ArrayList<>(4);
    elts.add(first);
    int keep = pos;
    int read = 1;
    while (accept(T.COMMA)) {
      if (tok() == closer) {
        break;
      }
      Expr e = parseStarNamedExpression();
      if (read++ < KEPT_CONSTANTS || !(e instanceof Constant)) {
        elts.add(e);
      }
      mh = max(mh, h);
      if (speculating == 0 && pos - keep >= COMPACT_AT) {
        lx.removeRange(keep, pos);
        pos = keep;
      }
    }
    expect(closer);
    h = mh + 1;
    checkH(h);
    return elts;
  }

  private Expr parseBraceDisplay() {
    int st = pos;
    pos++;
    if (accept(T.RBRACE)) {
      h = 1;
      return new Dict(loc(st), new ArrayList<>(0), new ArrayList<>(0));
    }
    int es = pos;
    Expr first;
    Expr firstValue = null;
    int mh;
    if (tok() == T.DOUBLESTAR) {
      pos++;
      firstValue = parseBinary(L_BOR);
      first = null;
      mh = h + 1;
    } else {
      first = parseStarNamedExpression();
      mh = h;
      if (tok() == T.COLON && lx.type(es) != T.STAR) {
        if (first instanceof NamedExpr && lx.type(es) != T.LPAR) {
          throw fail(null);
        }
        pos++;
        firstValue = parseExpression();
        mh = max(mh, h) + 1;
        if (atComprehension()) {
          List<Comprehension> gens = displayComprehensions(es, T.RBRACE, mh);
          return new DictComp(loc(st), first, firstValue, gens);
        }
      } else if (firstValue == null) {
        // a set
        if (atComprehension()) {
          List<Comprehension> gens = displayComprehensions(es, T.RBRACE, mh);
          return new SetComp(loc(st), first, gens);
        }
        List<Expr> elts = displayElements(first, T.RBRACE, mh);
        return new SetExpr(loc(st), elts);
      }
    }
    if (atComprehension()) {
      throw fail("dict unpacking cannot be used in dict comprehension");
    }
    List<Expr> keys = new ArrayList<>(4);
    List<Expr> values = new ArrayList<>(4);
    keys.add(first);
    values.add(firstValue);
    while (accept(T.COMMA)) {
      if (tok() == T.RBRACE) {
        break;
      }
      if (accept(T.DOUBLESTAR)) {
        keys.add(null);
        values.add(parseBinary(L_BOR));
        mh = max(mh, h + 1);
      } else {
        keys.add(parseExpression());
        mh = max(mh, h + 1);
        expect(T.COLON);
        values.add(parseExpression());
        mh = max(mh, h + 1);
      }
    }
    expect(T.RBRACE);
    h = mh + 1;
    checkH(h);
    return new Dict(loc(st), keys, values);
  }

  /** for_if_clauses; sets {@link #h} to the maximum height below the comprehension nodes. */
  private List<Comprehension> parseComprehensions() {
    List<Comprehension> gens = new ArrayList<>(1);
    int mh = 0;
    while (atComprehension()) {
      int st = pos;
      boolean isAsync = accept(T.ASYNC);
      pos++; // for
      Expr target = parseStarTargets();
      expect(T.IN);
      Expr iter = parseBinary(L_OR);
      mh = max(mh, h);
      List<Expr> ifs = new ArrayList<>(0);
      while (accept(T.IF)) {
        ifs.add(parseBinary(L_OR));
        mh = max(mh, h);
      }
      gens.add(new Comprehension(loc(st), target, iter, ifs, isAsync));
    }
    h = mh + 1;
    return gens;
  }

  private Expr parseYieldExpr() {
    int st = pos;
    pos++;
    if (accept(T.FROM)) {
      Expr v = parseExpression();
      checkH(++h);
      return new YieldFrom(loc(st), v);
    }
    Expr v = null;
    h = 0;
    if (STARTS_EXPR[tok()]) {
      v = parseStarExpressions();
    }
    checkH(++h);
    return new Yield(loc(st), v);
  }

  // ------------------------------------------------------------------ parameters

  /**
   * Parameters of a def ({@code annotations}, closer ')') or a lambda (closer ':'). Sets {@link
   * #h} to the height of the Arguments subtree.
   */
  private Arguments parseParams(int closer, boolean annotations) {
    int st = pos;
    if (tok() == closer) {
      h = 1;
      return emptyArguments();
    }
    List<Arg> posonly = List.of();
    List<Arg> args = new ArrayList<>(4);
    List<Expr> defaults = new ArrayList<>(0);
    List<Arg> kwonly = new ArrayList<>(0);
    List<Expr> kwDefaults = new ArrayList<>(0);
    Arg vararg = null;
    Arg kwarg = null;
    boolean seenSlash = false;
    boolean seenStar = false;
    boolean bareStar = false;
    int mh = 0;
    for (;;) {
      int t = tok();
      if (t == T.SLASH) {
        if (seenSlash) {
          throw fail("/ may appear only once");
        }
        if (seenStar) {
          throw fail("/ must be ahead of *");
        }
        if (args.isEmpty()) {
          throw fail("at least one argument must precede /");
        }
        pos++;
        posonly = args;
        args = new ArrayList<>(2);
        seenSlash = true;
      } else if (t == T.STAR) {
        if (seenStar) {
          throw fail("* argument may appear only once");
        }
        pos++;
        seenStar = true;
        int n = tok();
        if (n == T.COMMA) {
          bareStar = true;
        } else if (n == closer) {
          throw fail("named arguments must follow bare *");
        } else {
          vararg = parseParam(annotations, true);
          mh = max(mh, h);
        }
      } else if (t == T.DOUBLESTAR) {
        pos++;
        kwarg = parseParam(annotations, false);
        mh = max(mh, h);
        accept(T.COMMA);
        if (tok() != closer) {
          throw fail("arguments cannot follow var-keyword argument");
        }
        break;
      } else if (t == T.NAME) {
        Arg a = parseParam(annotations, false);
        mh = max(mh, h);
        Expr def = null;
        if (accept(T.EQUAL)) {
          def = parseExpression();
          mh = max(mh, h);
        }
        if (!seenStar) {
          if (def != null) {
            defaults.add(def);
          } else if (!defaults.isEmpty()) {
            throw failAt(pos - 1, "parameter without a default follows parameter with a default");
          }
          args.add(a);
        } else {
          kwonly.add(a);
          kwDefaults.add(def);
        }
      } else {
        throw fail(null);
      }
      if (tok() == closer) {
        break;
      }
      expect(T.COMMA);
      if (tok() == closer) {
        break;
      }
    }
    if (bareStar && kwonly.isEmpty()) {
      throw fail("named arguments must follow bare *");
    }
    h = mh + 1;
    return new Arguments(loc(st), posonly, args, vararg, kwonly, kwDefaults, kwarg, defaults);
  }

  private Arg parseParam(boolean annotations, boolean starAnnotation) {
    int st = pos;
    String name = expectName();
    Expr ann = null;
    h = 1;
    if (annotations && accept(T.COLON)) {
      ann = starAnnotation && tok() == T.STAR ? parseStarExpression() : parseExpression();
      h++;
    }
    return new Arg(loc(st), name, ann);
  }

  // ------------------------------------------------------------------ strings

  /** Adjacent string literals: one Constant, or one JoinedStr when any part is an f-string. */
  private Expr parseStrings() {
    int st = pos;
    if (tok() == T.STRING) {
      int n = peek(1);
      if (n != T.STRING && n != T.FSTRING_START) {
        pos++;
        h = 1;
        return new Constant(tokLoc(st),
            (lx.flags(st) & Lexer.STR_BYTES) != 0 ? ConstKind.BYTES : ConstKind.STR, str(st));
      }
    }
    List<Expr> parts = new ArrayList<>();
    boolean anyF = false;
    boolean anyBytes = false;
    boolean anyStr = false;
    int mh = 0;
    for (;;) {
      int t = tok();
      if (t == T.STRING) {
        boolean b = (lx.flags(pos) & Lexer.STR_BYTES) != 0;
        if (b) {
          anyBytes = true;
        } else {
          anyStr = true;
        }
        parts.add(new Constant(tokLoc(pos), b ? ConstKind.BYTES : ConstKind.STR, str(pos)));
        pos++;
      } else if (t == T.FSTRING_START) {
        anyF = true;
        mh = max(mh, parseFString(parts));
      } else {
        break;
      }
    }
    if (anyBytes && (anyStr || anyF)) {
      throw failAt(st, "cannot mix bytes and nonbytes literals");
    }
    if (!anyF) {
      StringBuilder b = new StringBuilder();
      for (Expr e : parts) {
        b.append(((Constant) e).value());
      }
      h = 1;
      return new Constant(loc(st), anyBytes ? ConstKind.BYTES : ConstKind.STR, b.toString());
    }
    h = mh + 1;
    checkH(h);
    return new JoinedStr(loc(st), foldConstants(parts));
  }

  /**
   * Merges runs of adjacent Constant parts (position: first part's start to last part's end)
   * and drops empty ones, as CPython's string concatenation does.
   */
  private static List<Expr> foldConstants(List<Expr> parts) {
    int n = parts.size();
    List<Expr> out = new ArrayList<>(n);
    int i = 0;
    while (i < n) {
      Expr e = parts.get(i);
      if (!(e instanceof Constant)) {
        out.add(e);
        i++;
        continue;
      }
      int j = i + 1;
      while (j < n && parts.get(j) instanceof Constant) {
        j++;
      }
      Constant c = (Constant) e;
      if (j == i + 1) {
        if (!c.value().isEmpty()) {
          out.add(c);
        }
      } else {
        StringBuilder b = new StringBuilder();
        for (int k = i; k < j; k++) {
          b.append(((Constant) parts.get(k)).value());
        }
        if (b.length() > 0) {
          Loc a = c.loc();
          Loc z = parts.get(j - 1).loc();
          out.add(new Constant(new Loc(a.line(), a.col(), z.endLine(), z.endCol()), ConstKind.STR,
              b.toString()));
        }
      }
      i = j;
    }
    return out;
  }

  /** One f-string; appends its parts. Returns the max height of its FormattedValues. */
  private int parseFString(List<Expr> parts) {
    pos++; // FSTRING_START
    int mh = 0;
    for (;;) {
      int t = tok();
      if (t == T.FSTRING_MIDDLE) {
        String v = str(pos);
        if (!v.isEmpty()) {
          parts.add(new Constant(tokLoc(pos), ConstKind.STR, v));
        }
        pos++;
      } else if (t == T.LBRACE) {
        mh = max(mh, parseFStringField(parts));
      } else if (t == T.FSTRING_END) {
        pos++;
        return mh;
      } else if (t == T.ERROR) {
        throw failure;
      } else {
        throw fail("f-string: expecting '}'");
      }
    }
  }

  /** Source text of a debug field {@code {expr=}} from after '{' to {@code end}, comments removed. */
  private String debugText(int lbrace, int end) {
    int from = lx.eOff(lbrace);
    int to = lx.sOff(end);
    char[] b = lx.buf;
    boolean hash = false;
    for (int i = from; i < to; i++) {
      if (b[i] == '#') {
        hash = true;
        break;
      }
    }
    if (!hash) {
      return lx.text(from, to);
    }
    StringBuilder out = new StringBuilder();
    int cur = from;
    for (int i = lbrace + 1; i <= end; i++) {
      int gs = lx.eOff(i - 1);
      int ge = lx.sOff(i);
      for (int k = gs; k < ge; k++) {
        if (b[k] == '#') {
          out.append(b, cur, k - cur);
          while (k < ge && b[k] != '\n' && b[k] != '\r') {
            k++;
          }
          cur = k;
          break;
        }
      }
    }
    out.append(b, cur, to - cur);
    return out.toString().replace("\r\n", "\n").replace('\r', '\n');
  }

  /** A replacement field '{' expr ['='] ['!' conv] [':' spec] '}'; returns its height. */
  private int parseFStringField(List<Expr> parts) {
    int st = pos;
    pos++; // '{'
    enter();
    int t = tok();
    if (t == T.RBRACE || t == T.EQUAL || t == T.EXCLAMATION || t == T.COLON) {
      throw fail("f-string: valid expression required before '" + T.describe(t).replace("'", "") + "'");
    }
    Expr e = parseRhs();
    int eh = h;
    boolean debug = accept(T.EQUAL);
    int conv = -1;
    int textEnd = -1;
    if (tok() == T.EXCLAMATION) {
      int bang = pos++;
      if (tok() != T.NAME || lx.sOff(pos) != lx.eOff(bang)) {
        throw fail("f-string: conversion type must come right after the exclamation mark");
      }
      String c = str(pos);
      if (c.length() != 1 || "sra".indexOf(c.charAt(0)) < 0) {
        throw fail("f-string: invalid conversion character '" + c + "': expected 's', 'r', or 'a'");
      }
      conv = c.charAt(0);
      pos++;
      textEnd = bang;
    }
    Expr spec = null;
    int sh = 0;
    if (tok() == T.COLON) {
      int colon = pos++;
      if (textEnd < 0) {
        textEnd = colon;
      }
      List<Expr> sp = new ArrayList<>(2);
      for (;;) {
        t = tok();
        if (t == T.FSTRING_MIDDLE) {
          String v = str(pos);
          if (!v.isEmpty()) {
            sp.add(new Constant(tokLoc(pos), ConstKind.STR, v));
          }
          pos++;
        } else if (t == T.LBRACE) {
          sh = max(sh, parseFStringField(sp));
        } else {
          break;
        }
      }
      spec = new JoinedStr(loc(colon), foldConstants(sp));
      sh++;
    }
    if (textEnd < 0) {
      textEnd = pos;
    }
    if (tok() != T.RBRACE) {
      throw fail("f-string: expecting '}'");
    }
    pos++;
    int fh = max(eh, sh) + 1;
    checkH(fh);
    if (debug && conv == -1 && spec == null) {
      conv = 'r';
    }
    if (debug) {
      String text = debugText(st, textEnd);
      parts.add(new Constant(new Loc(lx.eLine(st), lx.eCol(st), lx.sLine(textEnd),
          lx.sCol(textEnd)), ConstKind.STR, text));
    }
    parts.add(new FormattedValue(loc(st), e, conv, spec));
    nest--;
    return fh;
  }
}
