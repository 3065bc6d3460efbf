package dev.loopguard.python.parse;

import dev.loopguard.python.ast.ParseResult.Comment;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Python tokenizer (3.8–3.13 token set, PEP 701 f-strings) over a {@code char[]}.
 *
 * <p>Tokens are produced on demand into parallel arrays (no token objects): type, start/end
 * offset, start/end line and column (UTF-16 units), a value (interned identifier or number
 * text, decoded string) and flags. The parser asks for tokens with {@link #fill(int)} and may
 * drop consumed ones with {@link #discard(int)} so that memory stays bounded for huge files.
 *
 * <p>The lexer never throws on bad input: it records a diagnostic and emits an {@link T#ERROR}
 * token, on which the parser abandons the current statement without a second message.
 *
 * <p>Modes: normal, f-string literal ({@code FS_STR}), f-string replacement field expression
 * ({@code FS_EXPR}, tokenized normally) and format spec ({@code FS_SPEC}). Replacement-field
 * braces count as brackets, so newlines inside them are implicit line joins and the nesting
 * limit covers nested f-strings too.
 */
final class Lexer {
  static final int MAX_PARENS = 200;
  static final int MAX_INDENT = 100;

  static final int STR_BYTES = 1;
  static final int FS_RAW = 1;
  static final int NUM_INT = 0;
  static final int NUM_FLOAT = 1;
  static final int NUM_COMPLEX = 2;

  private static final int PF_RAW = 1;
  private static final int PF_BYTES = 2;
  private static final int PF_F = 4;
  // PEP 750 (Python 3.14) template strings: lexed as f-strings (t"...", tr"...", rt"...").
  private static final int PF_T = 8;

  private static final int FS_STR = 0;
  private static final int FS_EXPR = 1;
  private static final int FS_SPEC = 2;

  private static final boolean[] ID_START = new boolean[128];
  private static final boolean[] ID_PART = new boolean[128];

  static {
    for (int c = 0; c < 128; c++) {
      boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
      ID_START[c] = letter;
      ID_PART[c] = letter || (c >= '0' && c <= '9');
    }
  }

  final char[] buf;
  final int len;
  final NameTable names;
  private final Diagnostics diag;
  final List<Comment> comments = new ArrayList<>();

  // ------------------------------------------------------------------ token buffer
  // One int[] record of STRIDE ints per token (one cache line holds two tokens) plus values.
  static final int STRIDE = 8;
  private static final int F_TYPE = 0;
  private static final int F_SOFF = 1;
  private static final int F_EOFF = 2;
  private static final int F_SLINE = 3;
  private static final int F_SCOL = 4;
  private static final int F_ELINE = 5;
  private static final int F_ECOL = 6;
  private static final int F_FLAGS = 7;
  int count;
  int[] tk;
  Object[] val;

  int type(int i) {
    return tk[i << 3];
  }

  int sOff(int i) {
    return tk[(i << 3) + F_SOFF];
  }

  int eOff(int i) {
    return tk[(i << 3) + F_EOFF];
  }

  int sLine(int i) {
    return tk[(i << 3) + F_SLINE];
  }

  int sCol(int i) {
    return tk[(i << 3) + F_SCOL];
  }

  int eLine(int i) {
    return tk[(i << 3) + F_ELINE];
  }

  int eCol(int i) {
    return tk[(i << 3) + F_ECOL];
  }

  int flags(int i) {
    return tk[(i << 3) + F_FLAGS];
  }

  // ------------------------------------------------------------------ scanner state
  private int p;
  private int line = 1;
  private int lineStart;
  // Offsets where lines start, as the lexer meets the line breaks (line 1 starts at 0).
  private int[] lineStarts;
  private int lineStartCount = 1;
  private boolean atLineStart = true;
  private boolean needNewline;
  private boolean lineHasCode;
  private boolean eof;

  private final int[] ind = new int[MAX_INDENT + 1];
  private final int[] altInd = new int[MAX_INDENT + 1];
  private final boolean[] phantom = new boolean[MAX_INDENT + 1];
  private int indTop;
  private boolean indentTooDeepReported;
  private boolean tabErrorReported;

  private char[] parKind = new char[64];
  private int[] parLine = new int[64];
  private int[] parCol = new int[64];
  private int parTop;
  private boolean parTooDeepReported;

  private int[] fsKind = new int[16];
  private char[] fsQuote = new char[16];
  private boolean[] fsTriple = new boolean[16];
  private boolean[] fsRaw = new boolean[16];
  private int[] fsDepth = new int[16];
  private int[] fsLine = new int[16];
  private int[] fsCol = new int[16];
  private int fsTop;

  private int lastTripleDq = -2;
  private int lastTripleSq = -2;
  private boolean nulReported;

  private final StringBuilder sb = new StringBuilder();
  private String decodeError;

  Lexer(String source, Diagnostics diag) {
    this.diag = diag;
    this.buf = source.toCharArray();
    this.len = buf.length;
    if (len > 0 && buf[0] == '\uFEFF') {
      p = 1;
      lineStart = 1;
    }
    names = new NameTable(len);
    lineStarts = new int[Math.max(16, len / 32)];
    // the parser drops consumed tokens at statement starts, so the buffer stays small
    int cap = Math.max(64, Math.min(2048, len / 3 + 64));
    tk = new int[cap * STRIDE];
    val = new Object[cap];
  }

  /**
   * Number of lines of the source (a final line terminator does not start a new line). Valid
   * once the EOF token has been produced.
   */
  int lineCount() {
    return p == lineStart ? line - 1 : line;
  }

  /**
   * The offset of each line's start, as {@code SourceText} computes it (line breaks {@code \n},
   * {@code \r\n}, {@code \r}), once the lexer has read to the end of the source; else null.
   */
  int[] lineStarts() {
    return p >= len ? java.util.Arrays.copyOf(lineStarts, lineStartCount) : null;
  }

  /** End position of the source: line and column. */
  int endLine() {
    return line;
  }

  int endCol() {
    return p - lineStart;
  }

  /**
   * Ensures at least {@code need} tokens are buffered (EOF repeats at the end). Lexes a batch
   * ahead so that the lexer loop runs hot rather than one call per token.
   */
  void fill(int need) {
    int target = need + 32;
    while (count < target) {
      if (eof && count >= need) {
        return;
      }
      next();
    }
  }

  /** Drops the buffered tokens {@code from} (inclusive) to {@code to} (already consumed by the parser). */
  void removeRange(int from, int to) {
    int rest = count - to;
    System.arraycopy(tk, to * STRIDE, tk, from * STRIDE, rest * STRIDE);
    System.arraycopy(val, to, val, from, rest);
    int newCount = from + rest;
    Arrays.fill(val, newCount, count, null);
    count = newCount;
  }

  /** Drops the first {@code n} buffered tokens (already consumed by the parser). */
  void discard(int n) {
    int rest = count - n;
    System.arraycopy(tk, n * STRIDE, tk, 0, rest * STRIDE);
    System.arraycopy(val, n, val, 0, rest);
    Arrays.fill(val, rest, count, null);
    count = rest;
  }

  /** Source text between two offsets with line ends normalized to \n. */
  String text(int from, int to) {
    boolean cr = false;
    for (int i = from; i < to; i++) {
      if (buf[i] == '\r') {
        cr = true;
        break;
      }
    }
    if (!cr) {
      return new String(buf, from, to - from);
    }
    return normalizeNewlines(from, to);
  }

  // ------------------------------------------------------------------ emission

  private void grow() {
    tk = Arrays.copyOf(tk, tk.length * 2);
    val = Arrays.copyOf(val, val.length * 2);
  }

  /** Adds a token ending at the current position. */
  private void add(int t, int so, int sl, int sc, Object v, int fl) {
    int i = count;
    if (i == val.length) {
      grow();
    }
    int[] a = tk;
    int b = i << 3;
    a[b] = t;
    a[b + F_SOFF] = so;
    a[b + F_EOFF] = p;
    a[b + F_SLINE] = sl;
    a[b + F_SCOL] = sc;
    a[b + F_ELINE] = line;
    a[b + F_ECOL] = p - lineStart;
    a[b + F_FLAGS] = fl;
    val[i] = v;
    count = i + 1;
  }

  /** Moves the end of the last token to the given position. */
  private void setLastEnd(int eo, int el, int ec) {
    int b = (count - 1) << 3;
    tk[b + F_EOFF] = eo;
    tk[b + F_ELINE] = el;
    tk[b + F_ECOL] = ec;
  }

  /** Adds a zero-width token at the current position. */
  private void addHere(int t) {
    add(t, p, line, p - lineStart, null, 0);
  }

  private void error(int l, int c, String msg) {
    diag.add(l, c, Diagnostics.SYNTAX, msg);
  }

  // ------------------------------------------------------------------ main loop

  private void next() {
    if (eof) {
      addHere(T.EOF);
      return;
    }
    if (fsTop > 0) {
      int k = fsKind[fsTop - 1];
      if (k == FS_STR) {
        fstringLiteral();
        return;
      }
      if (k == FS_SPEC) {
        formatSpec();
        return;
      }
    }
    if (atLineStart) {
      atLineStart = false;
      if (lineStart()) {
        return;
      }
    }
    char c;
    for (;;) {
      if (p >= len) {
        atEof();
        return;
      }
      c = buf[p];
      if (c == ' ' || c == '\t' || c == '\f') {
        p++;
        continue;
      }
      if (c == '\n' || c == '\r') {
        if (parTop > 0) {
          newlineChar();
          if (bracketLineHeuristic()) {
            return;
          }
          continue;
        }
        int col = p - lineStart;
        add(T.NEWLINE, p, line, col, null, 0);
        setLastEnd(p + 1, line, col + 1);
        newlineChar();
        atLineStart = true;
        needNewline = false;
        parTooDeepReported = false;
        return;
      }
      if (c == '#') {
        comment();
        continue;
      }
      if (c == '\\') {
        if (p + 1 < len && (buf[p + 1] == '\n' || buf[p + 1] == '\r')) {
          int bl = line;
          int bc = p - lineStart;
          p++;
          newlineChar();
          if (p >= len) {
            // a continuation into the end of the file (CPython: unexpected EOF)
            error(bl, bc, "unexpected EOF while parsing");
            add(T.ERROR, p, line, 0, null, 0);
            return;
          }
          continue;
        }
        int so = p++;
        error(line, so - lineStart, p >= len ? "unexpected EOF while parsing"
            : "unexpected character after line continuation character");
        add(T.ERROR, so, line, so - lineStart, null, 0);
        return;
      }
      break;
    }
    lineHasCode = true;
    needNewline = true;
    int so = p;
    int sc = p - lineStart;
    int sl = line;
    if (c < 128) {
      if (ID_START[c]) {
        // fast path for the most frequent token: an ASCII identifier or keyword
        char[] b = buf;
        int n = len;
        int h = c;
        int q = p + 1;
        char d = 0;
        while (q < n && (d = b[q]) < 128 && ID_PART[d]) {
          h = 31 * h + d;
          q++;
        }
        if (q < n && (d >= 128 || d == '"' || d == '\'')) {
          identifier(so, sc);
          return;
        }
        p = q;
        String s = names.intern(b, so, q, h, T.NAME);
        add(names.lastKind, so, sl, sc, s, 0);
        return;
      }
      if (c >= '0' && c <= '9') {
        number(so, sc);
        return;
      }
      operator(c, so, sl, sc);
      return;
    }
    int cp = Character.codePointAt(buf, p, len);
    if (isIdStart(cp)) {
      nonAsciiIdentifier(so, sc);
      return;
    }
    p += Character.charCount(cp);
    error(sl, sc, String.format("invalid character '%s' (U+%04X)", new String(Character.toChars(cp)), cp));
    add(T.ERROR, so, sl, sc, null, 0);
  }

  private void operator(char c, int so, int sl, int sc) {
    char d = p + 1 < len ? buf[p + 1] : '\0';
    char e = p + 2 < len ? buf[p + 2] : '\0';
    int t;
    int n = 1;
    switch (c) {
      case '(':
      case '[':
      case '{':
        p++;
        if (!pushParen(c, sl, sc)) {
          add(T.ERROR, so, sl, sc, null, 0);
          return;
        }
        add(c == '(' ? T.LPAR : c == '[' ? T.LSQB : T.LBRACE, so, sl, sc, null, 0);
        return;
      case ')':
      case ']':
      case '}':
        p++;
        closeParen(c, so, sl, sc);
        return;
      case ':':
        if (fsTop > 0 && fsKind[fsTop - 1] == FS_EXPR && parTop == fsDepth[fsTop - 1]) {
          p++;
          add(T.COLON, so, sl, sc, null, 0);
          fsKind[fsTop - 1] = FS_SPEC;
          return;
        }
        if (d == '=') {
          t = T.COLONEQUAL;
          n = 2;
        } else {
          t = T.COLON;
        }
        break;
      case '.':
        if (d >= '0' && d <= '9') {
          number(so, sc);
          return;
        }
        if (d == '.' && e == '.') {
          t = T.ELLIPSIS;
          n = 3;
        } else {
          t = T.DOT;
        }
        break;
      case '+', '-', '*', '/', '%', '@', '&', '|', '^', '=', '!', '<', '>', ',', ';', '~':
        if (c == '-' && d == '>') {
          t = T.RARROW;
          n = 2;
          break;
        }
        t = simpleOperator(c, d, e);
        n = t >>> 16;
        t &= 0xFFFF;
        break;
      case '\'':
      case '"':
        string(so, sc, 0);
        return;
      default:
        p++;
        if (c == 0) {
          nul(so);
        } else if (c < 32 || c == 127) {
          error(sl, sc, String.format("invalid non-printable character U+%04X", (int) c));
        } else {
          error(sl, sc, "invalid character '" + c + "'");
        }
        add(T.ERROR, so, sl, sc, null, 0);
        return;
    }
    p += n;
    add(t, so, sl, sc, null, 0);
  }

  // Operators made of one character, optionally doubled, optionally followed by '=': the token
  // of c, of c=, of cc and of cc= (0: no such operator).
  private static final int[] ONE = new int[128];
  private static final int[] WITH_EQUAL = new int[128];
  private static final int[] DOUBLED = new int[128];
  private static final int[] DOUBLED_EQUAL = new int[128];

  static {
    operator('+', T.PLUS, T.PLUSEQUAL, 0, 0);
    operator('-', T.MINUS, T.MINEQUAL, 0, 0);
    operator('*', T.STAR, T.STAREQUAL, T.DOUBLESTAR, T.DOUBLESTAREQUAL);
    operator('/', T.SLASH, T.SLASHEQUAL, T.DOUBLESLASH, T.DOUBLESLASHEQUAL);
    operator('%', T.PERCENT, T.PERCENTEQUAL, 0, 0);
    operator('@', T.AT, T.ATEQUAL, 0, 0);
    operator('&', T.AMPER, T.AMPEREQUAL, 0, 0);
    operator('|', T.VBAR, T.VBAREQUAL, 0, 0);
    operator('^', T.CIRCUMFLEX, T.CIRCUMFLEXEQUAL, 0, 0);
    operator('=', T.EQUAL, T.EQEQUAL, 0, 0);
    operator('!', T.EXCLAMATION, T.NOTEQUAL, 0, 0);
    operator('<', T.LESS, T.LESSEQUAL, T.LEFTSHIFT, T.LEFTSHIFTEQUAL);
    operator('>', T.GREATER, T.GREATEREQUAL, T.RIGHTSHIFT, T.RIGHTSHIFTEQUAL);
    operator(',', T.COMMA, 0, 0, 0);
    operator(';', T.SEMI, 0, 0, 0);
    operator('~', T.TILDE, 0, 0, 0);
  }

  private static void operator(char c, int one, int withEqual, int doubled, int doubledEqual) {
    ONE[c] = one;
    WITH_EQUAL[c] = withEqual;
    DOUBLED[c] = doubled;
    DOUBLED_EQUAL[c] = doubledEqual;
  }

  /**
   * The operator that starts with {@code c} (followed by {@code d}, {@code e}), longest first:
   * its token, with its length in characters in the bits above 16.
   */
  private static int simpleOperator(char c, char d, char e) {
    if (d == c && DOUBLED[c] != 0) {
      return e == '=' && DOUBLED_EQUAL[c] != 0 ? DOUBLED_EQUAL[c] | 3 << 16 : DOUBLED[c] | 2 << 16;
    }
    if (d == '=' && WITH_EQUAL[c] != 0) {
      return WITH_EQUAL[c] | 2 << 16;
    }
    return ONE[c] | 1 << 16;
  }

  private void nul(int at) {
    if (!nulReported) {
      nulReported = true;
      error(line, at - lineStart, "source code cannot contain null bytes");
    }
  }

  private void newlineChar() {
    if (buf[p] == '\r' && p + 1 < len && buf[p + 1] == '\n') {
      p += 2;
    } else {
      p++;
    }
    line++;
    lineStart = p;
    lineHasCode = false;
    if (line > lineStartCount) {
      // Not when lexing again after a rewind: those lines are recorded.
      if (lineStartCount == lineStarts.length) {
        lineStarts = java.util.Arrays.copyOf(lineStarts, lineStartCount * 2);
      }
      lineStarts[lineStartCount++] = p;
    }
  }

  private void comment() {
    int s = p;
    int col = p - lineStart;
    char c;
    while (p < len && (c = buf[p]) != '\n' && c != '\r') {
      if (c == 0) {
        nul(p);
      }
      p++;
    }
    comments.add(new Comment(line, col, new String(buf, s + 1, p - s - 1), lineHasCode));
  }

  // ------------------------------------------------------------------ indentation

  /** At the start of a logical line outside brackets. Returns true if it emitted tokens. */
  private boolean lineStart() {
    for (;;) {
      int col = 0;
      int alt = 0;
      while (p < len) {
        char c = buf[p];
        if (c == ' ') {
          col++;
          alt++;
        } else if (c == '\t') {
          col = (col / 8 + 1) * 8;
          alt++;
        } else if (c == '\f') {
          col = 0;
          alt = 0;
        } else {
          break;
        }
        p++;
      }
      if (p >= len) {
        return false;
      }
      char c = buf[p];
      if (c == '#') {
        comment();
        if (p >= len) {
          return false;
        }
        c = buf[p];
      }
      if (c == '\n' || c == '\r') {
        newlineChar();
        continue;
      }
      return indentation(col, alt);
    }
  }

  private boolean indentation(int col, int alt) {
    int cur = ind[indTop];
    if (col == cur) {
      indentTooDeepReported = false;
      if (alt != altInd[indTop]) {
        tabError();
      }
      return false;
    }
    if (col > cur) {
      if (indTop + 1 >= MAX_INDENT) {
        if (!indentTooDeepReported) {
          indentTooDeepReported = true;
          diag.add(line, 0, Diagnostics.TOO_DEEP, "too many levels of indentation");
        }
        add(T.ERROR, lineStart, line, 0, null, 0);
        needNewline = true;
        return true;
      }
      if (alt <= altInd[indTop]) {
        tabError();
      }
      indTop++;
      ind[indTop] = col;
      altInd[indTop] = alt;
      phantom[indTop] = false;
      add(T.INDENT, lineStart, line, 0, null, 0);
      return true;
    }
    indentTooDeepReported = false;
    boolean emitted = false;
    while (indTop > 0 && col < ind[indTop]) {
      if (!phantom[indTop]) {
        addHere(T.DEDENT);
        emitted = true;
      }
      indTop--;
    }
    if (col != ind[indTop]) {
      error(line, col, "unindent does not match any outer indentation level");
      if (indTop + 1 < MAX_INDENT) {
        indTop++;
        ind[indTop] = col;
        altInd[indTop] = alt;
        phantom[indTop] = true;
      }
    } else if (alt != altInd[indTop]) {
      tabError();
    }
    return emitted;
  }

  private void tabError() {
    if (!tabErrorReported) {
      tabErrorReported = true;
      error(line, 0, "inconsistent use of tabs and spaces in indentation");
    }
  }

  private void atEof() {
    if (parTop > 0 || fsTop > 0) {
      if (parTop > 0) {
        int i = parTop - 1;
        error(parLine[i], parCol[i], "'" + opener(parKind[i]) + "' was never closed");
      }
      parTop = 0;
      fsTop = 0;
      addHere(T.ERROR);
      needNewline = true;
      return;
    }
    if (needNewline) {
      needNewline = false;
      addHere(T.NEWLINE);
      return;
    }
    boolean emitted = false;
    while (indTop > 0) {
      if (!phantom[indTop]) {
        addHere(T.DEDENT);
        emitted = true;
      }
      indTop--;
    }
    if (emitted) {
      return;
    }
    eof = true;
    addHere(T.EOF);
  }

  private static char opener(char k) {
    return k == 'f' ? '{' : k;
  }

  // ------------------------------------------------------------------ brackets

  private boolean pushParen(char k, int sl, int sc) {
    if (parTop == parKind.length) {
      int cap = parKind.length * 2;
      parKind = Arrays.copyOf(parKind, cap);
      parLine = Arrays.copyOf(parLine, cap);
      parCol = Arrays.copyOf(parCol, cap);
    }
    parKind[parTop] = k;
    parLine[parTop] = sl;
    parCol[parTop] = sc;
    parTop++;
    if (parTop > MAX_PARENS) {
      if (!parTooDeepReported) {
        parTooDeepReported = true;
        diag.add(sl, sc, Diagnostics.TOO_DEEP, "too many nested parentheses");
      }
      return false;
    }
    return true;
  }

  private void closeParen(char c, int so, int sl, int sc) {
    char open = c == ')' ? '(' : c == ']' ? '[' : '{';
    if (parTop == 0) {
      error(sl, sc, "unmatched '" + c + "'");
      add(T.ERROR, so, sl, sc, null, 0);
      return;
    }
    char top = parKind[parTop - 1];
    if (top == open || (c == '}' && top == 'f')) {
      parTop--;
      if (top == 'f' && fsTop > 0 && fsKind[fsTop - 1] != FS_STR) {
        fsTop--;
      }
      add(c == ')' ? T.RPAR : c == ']' ? T.RSQB : T.RBRACE, so, sl, sc, null, 0);
      return;
    }
    error(sl, sc, "closing parenthesis '" + c + "' does not match opening parenthesis '"
        + opener(top) + "'");
    for (int i = parTop - 1; i >= 0; i--) {
      if (parKind[i] == 'f') {
        break;
      }
      if (parKind[i] == open) {
        parTop = i;
        break;
      }
    }
    add(T.ERROR, so, sl, sc, null, 0);
  }

  private static final String[] STATEMENT_ONLY_KEYWORDS = {
    "def", "class", "return", "pass", "raise", "del", "global", "nonlocal", "assert", "break",
    "continue", "import", "while", "try", "with", "except", "finally", "elif"
  };

  /**
   * Inside brackets at the start of a physical line: a keyword that can only start a statement
   * means the bracket was never closed. Report it, close all brackets and resume normal
   * tokenization so that the following statements survive.
   */
  private boolean bracketLineHeuristic() {
    int q = p;
    while (q < len && (buf[q] == ' ' || buf[q] == '\t' || buf[q] == '\f')) {
      q++;
    }
    if (q >= len) {
      return false;
    }
    char c = buf[q];
    if (c < 'a' || c > 'y') {
      return false;
    }
    int e = q;
    while (e < len && buf[e] < 128 && ID_PART[buf[e]]) {
      e++;
    }
    if (e < len && buf[e] >= 128) {
      return false;
    }
    int n = e - q;
    boolean hit = false;
    for (String k : STATEMENT_ONLY_KEYWORDS) {
      if (k.length() == n && k.charAt(0) == c) {
        boolean same = true;
        for (int i = 1; i < n; i++) {
          if (k.charAt(i) != buf[q + i]) {
            same = false;
            break;
          }
        }
        if (same) {
          hit = true;
          break;
        }
      }
    }
    if (!hit && n == 5 && buf[q] == 'a' && buf[q + 1] == 's' && buf[q + 2] == 'y'
        && buf[q + 3] == 'n' && buf[q + 4] == 'c') {
      // "async def" / "async with" cannot appear inside brackets either ("async for" can)
      int r = e;
      while (r < len && (buf[r] == ' ' || buf[r] == '\t')) {
        r++;
      }
      hit = (startsWord(r, "def") || startsWord(r, "with"));
    }
    if (!hit) {
      return false;
    }
    int i = parTop - 1;
    error(parLine[i], parCol[i], "'" + opener(parKind[i]) + "' was never closed");
    parTop = 0;
    fsTop = 0;
    addHere(T.ERROR);
    addHere(T.NEWLINE);
    needNewline = false;
    atLineStart = true;
    return true;
  }

  private boolean startsWord(int at, String w) {
    int n = w.length();
    if (at + n > len) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (buf[at + i] != w.charAt(i)) {
        return false;
      }
    }
    return at + n == len || buf[at + n] >= 128 || !ID_PART[buf[at + n]];
  }

  // ------------------------------------------------------------------ identifiers

  private static boolean isIdStart(int cp) {
    return cp == '_' || Character.isUnicodeIdentifierStart(cp);
  }

  private static boolean isIdPart(int cp) {
    return cp == '_' || (Character.isUnicodeIdentifierPart(cp) && !Character.isIdentifierIgnorable(cp));
  }

  private void identifier(int so, int sc) {
    int h = 0;
    int q = p;
    char c;
    while (q < len && (c = buf[q]) < 128 && ID_PART[c]) {
      h = 31 * h + c;
      q++;
    }
    if (q < len && buf[q] >= 128 && isIdPart(Character.codePointAt(buf, q, len))) {
      nonAsciiIdentifier(so, sc);
      return;
    }
    int n = q - so;
    if (n <= 2 && q < len && (buf[q] == '"' || buf[q] == '\'')) {
      int pf = prefixFlags(so, q);
      if (pf >= 0) {
        p = q;
        string(so, sc, pf);
        return;
      }
    }
    p = q;
    String s = names.intern(buf, so, q, h, T.NAME);
    add(names.lastKind, so, line, sc, s, 0);
  }

  private void nonAsciiIdentifier(int so, int sc) {
    int q = so;
    while (q < len) {
      char c = buf[q];
      if (c < 128) {
        if (!ID_PART[c]) {
          break;
        }
        q++;
      } else {
        int cp = Character.codePointAt(buf, q, len);
        if (!isIdPart(cp)) {
          break;
        }
        q += Character.charCount(cp);
      }
    }
    p = q;
    String s = Normalizer.normalize(new String(buf, so, q - so), Normalizer.Form.NFKC);
    s = names.intern(s, T.NAME);
    add(T.NAME, so, line, sc, s, 0);
  }

  private int prefixFlags(int from, int to) {
    int f = 0;
    for (int i = from; i < to; i++) {
      int bit;
      switch (buf[i]) {
        case 'r':
        case 'R':
          bit = PF_RAW;
          break;
        case 'b':
        case 'B':
          bit = PF_BYTES;
          break;
        case 'f':
        case 'F':
          bit = PF_F;
          break;
        case 't':
        case 'T':
          bit = PF_T;
          break;
        case 'u':
        case 'U':
          if (to - from != 1) {
            return -1;
          }
          bit = 0;
          break;
        default:
          return -1;
      }
      if ((f & bit) != 0) {
        return -1;
      }
      f |= bit;
    }
    if ((f & PF_T) != 0) {
      if ((f & (PF_BYTES | PF_F)) != 0) {
        return -1;
      }
      f = (f & ~PF_T) | PF_F;
    }
    if ((f & PF_BYTES) != 0 && (f & PF_F) != 0) {
      return -1;
    }
    return f;
  }

  // ------------------------------------------------------------------ numbers

  private static boolean isDigitOf(int radix, char c) {
    switch (radix) {
      case 16:
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      case 8:
        return c >= '0' && c <= '7';
      case 2:
        return c == '0' || c == '1';
      default:
        return c >= '0' && c <= '9';
    }
  }

  private char at(int i) {
    return i < len ? buf[i] : '\0';
  }

  private String numError;

  /** Decimal digits with single underscores between them; returns false on a bad underscore. */
  private boolean decimalTail() {
    for (;;) {
      while (p < len && buf[p] >= '0' && buf[p] <= '9') {
        p++;
      }
      if (at(p) != '_') {
        return true;
      }
      p++;
      if (!(at(p) >= '0' && at(p) <= '9')) {
        numError = "invalid decimal literal";
        return false;
      }
    }
  }

  private void number(int so, int sc) {
    int sl = line;
    numError = null;
    int kind = NUM_INT;
    char c = buf[p];
    String what = "decimal";
    scan:
    {
      if (c == '0' && "xXoObB".indexOf(at(p + 1)) >= 0) {
        char x = Character.toLowerCase(at(p + 1));
        int radix = x == 'x' ? 16 : x == 'o' ? 8 : 2;
        what = x == 'x' ? "hexadecimal" : x == 'o' ? "octal" : "binary";
        p += 2;
        int digits = 0;
        for (;;) {
          char d = at(p);
          if (d == '_') {
            p++;
            if (!isDigitOf(radix, at(p))) {
              numError = "invalid " + what + " literal";
              break scan;
            }
            continue;
          }
          if (isDigitOf(radix, d)) {
            p++;
            digits++;
            continue;
          }
          break;
        }
        if (digits == 0) {
          numError = "invalid " + what + " literal";
          break scan;
        }
        char d = at(p);
        if (radix != 16 && d >= '0' && d <= '9') {
          numError = "invalid digit '" + d + "' in " + what + " literal";
          break scan;
        }
        verifyEnd(what);
        break scan;
      }
      boolean fraction = false;
      if (c == '.') {
        p++;
        fraction = true;
      } else if (c == '0') {
        boolean nonzero = false;
        for (;;) {
          char d = at(p);
          if (d == '_') {
            p++;
            if (!(at(p) >= '0' && at(p) <= '9')) {
              numError = "invalid decimal literal";
              break scan;
            }
            continue;
          }
          if (d != '0') {
            break;
          }
          p++;
        }
        if (at(p) >= '0' && at(p) <= '9') {
          nonzero = true;
          if (!decimalTail()) {
            break scan;
          }
        }
        char d = at(p);
        if (d == '.') {
          p++;
          fraction = true;
        } else if (d != 'e' && d != 'E' && d != 'j' && d != 'J') {
          if (nonzero) {
            numError = "leading zeros in decimal integer literals are not permitted; "
                + "use an 0o prefix for octal integers";
            break scan;
          }
          verifyEnd(what);
          break scan;
        }
      } else {
        if (!decimalTail()) {
          break scan;
        }
        if (at(p) == '.') {
          p++;
          fraction = true;
        }
      }
      if (fraction) {
        kind = NUM_FLOAT;
        if (at(p) >= '0' && at(p) <= '9') {
          if (!decimalTail()) {
            break scan;
          }
        }
      }
      char d = at(p);
      if (d == 'e' || d == 'E') {
        int save = p;
        p++;
        char s = at(p);
        if (s == '+' || s == '-') {
          p++;
          if (!(at(p) >= '0' && at(p) <= '9')) {
            numError = "invalid decimal literal";
            break scan;
          }
        } else if (!(s >= '0' && s <= '9')) {
          // not an exponent: 1else, 1e (error unless a keyword follows)
          p = save;
          verifyEnd(what);
          break scan;
        }
        kind = NUM_FLOAT;
        if (!decimalTail()) {
          break scan;
        }
        d = at(p);
      }
      if (d == 'j' || d == 'J') {
        p++;
        kind = NUM_COMPLEX;
      }
      verifyEnd(what);
    }
    if (numError != null) {
      error(sl, sc, numError);
      // swallow the rest of the bad literal so that it does not cascade
      while (p < len && buf[p] < 128 && ID_PART[buf[p]]) {
        p++;
      }
      add(T.ERROR, so, sl, sc, null, 0);
      return;
    }
    String s;
    if (p - so <= INTERNED_NUMBER_CHARS) {
      int h = 0;
      for (int i = so; i < p; i++) {
        h = 31 * h + buf[i];
      }
      s = names.intern(buf, so, p, h, T.NUMBER);
    } else {
      // a table of millions of distinct numbers would grow the name table without bound
      s = new String(buf, so, p - so);
    }
    add(T.NUMBER, so, sl, sc, s, kind);
  }

  /** Numbers up to this long are interned (few distinct ones); longer ones are not. */
  private static final int INTERNED_NUMBER_CHARS = 4;

  private static final String[] NUMBER_FOLLOW_KEYWORDS = {"and", "else", "for", "if", "in", "is", "not", "or"};

  private void verifyEnd(String what) {
    char c = at(p);
    boolean idStart = c < 128 ? ID_START[c] : (p < len && isIdStart(Character.codePointAt(buf, p, len)));
    if (!idStart) {
      return;
    }
    for (String k : NUMBER_FOLLOW_KEYWORDS) {
      if (p + k.length() <= len) {
        boolean same = true;
        for (int i = 0; i < k.length(); i++) {
          if (buf[p + i] != k.charAt(i)) {
            same = false;
            break;
          }
        }
        if (same) {
          return; // CPython only warns
        }
      }
    }
    numError = "invalid " + what + " literal";
  }

  // ------------------------------------------------------------------ strings

  private String normalizeNewlines(int from, int to) {
    sb.setLength(0);
    for (int i = from; i < to; i++) {
      char c = buf[i];
      if (c == '\r') {
        sb.append('\n');
        if (i + 1 < to && buf[i + 1] == '\n') {
          i++;
        }
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** p at the opening quote; {@code pf} prefix flags. */
  private void string(int so, int sc, int pf) {
    int sl = line;
    int sls = lineStart;
    char q = buf[p];
    boolean triple = p + 2 < len && buf[p + 1] == q && buf[p + 2] == q;
    if ((pf & PF_F) != 0) {
      fstringStart(so, sc, pf, q, triple);
      return;
    }
    int bodyStart = p + (triple ? 3 : 1);
    p = bodyStart;
    boolean esc = false;
    boolean cr = false;
    int bodyEnd;
    for (;;) {
      if (p >= len) {
        unterminated(so, sl, sls, sc, triple, false);
        return;
      }
      char c = buf[p];
      if (c == q) {
        if (!triple) {
          bodyEnd = p++;
          break;
        }
        if (p + 2 < len && buf[p + 1] == q && buf[p + 2] == q) {
          bodyEnd = p;
          p += 3;
          break;
        }
        p++;
        continue;
      }
      if (c == '\\') {
        esc = true;
        p++;
        if (p < len) {
          char d = buf[p];
          if (d == '\n' || d == '\r') {
            if (d == '\r') {
              cr = true;
            }
            newlineChar();
          } else {
            p++;
          }
        }
        continue;
      }
      if (c <= '\r') {
        if (c == '\n' || c == '\r') {
          if (!triple) {
            unterminated(so, sl, sls, sc, false, false);
            return;
          }
          if (c == '\r') {
            cr = true;
          }
          newlineChar();
          continue;
        }
        if (c == 0) {
          nul(p);
        }
      }
      p++;
    }
    boolean bytes = (pf & PF_BYTES) != 0;
    if (bytes) {
      for (int i = bodyStart; i < bodyEnd; i++) {
        if (buf[i] >= 128) {
          error(sl, sc, "bytes can only contain ASCII literal characters");
          add(T.ERROR, so, sl, sc, null, 0);
          return;
        }
      }
    }
    String v;
    if (!esc || (pf & PF_RAW) != 0) {
      v = bodyEnd == bodyStart ? "" : cr ? normalizeNewlines(bodyStart, bodyEnd)
          : new String(buf, bodyStart, bodyEnd - bodyStart);
    } else {
      v = decode(bodyStart, bodyEnd, bytes);
      if (v == null) {
        error(sl, sc, decodeError);
        add(T.ERROR, so, sl, sc, null, 0);
        return;
      }
    }
    add(T.STRING, so, sl, sc, v, bytes ? STR_BYTES : 0);
  }

  /**
   * An unterminated string. Single-quoted: the error token runs to the end of the line.
   * Triple-quoted (ran into EOF): rewind to the end of the opening line so that the rest of the
   * file is still tokenized.
   */
  private void unterminated(int so, int sl, int sls, int sc, boolean triple, boolean fstring) {
    String what = (triple ? "unterminated triple-quoted " : "unterminated ")
        + (fstring ? "f-string literal" : "string literal");
    if (triple) {
      error(sl, sc, what + " (detected at line " + line + ")");
      line = sl;
      lineStart = sls;
      p = so;
      while (p < len && buf[p] != '\n' && buf[p] != '\r') {
        p++;
      }
    } else {
      error(sl, sc, what + " (detected at line " + line + ")");
    }
    add(T.ERROR, so, sl, sc, null, 0);
  }

  private String decode(int from, int to, boolean bytes) {
    sb.setLength(0);
    int i = from;
    while (i < to) {
      char c = buf[i];
      if (c == '\\') {
        i = escape(i, to, sb, bytes, '\0');
        if (i < 0) {
          return null;
        }
      } else if (c == '\r') {
        sb.append('\n');
        i += (i + 1 < to && buf[i + 1] == '\n') ? 2 : 1;
      } else {
        sb.append(c);
        i++;
      }
    }
    return sb.toString();
  }

  private static int hexVal(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  /**
   * Decodes one escape sequence starting at the backslash {@code buf[i]}; appends to {@code out}
   * and returns the index after it, or -1 with {@link #decodeError} set. Unknown escapes are kept
   * verbatim (CPython only warns). {@code quote} bounds \N{...} scanning inside f-strings.
   */
  private int escape(int i, int to, StringBuilder out, boolean bytes, char quote) {
    int j = i + 1;
    if (j >= to) {
      out.append('\\');
      return j;
    }
    char c = buf[j];
    switch (c) {
      case '\n':
        return j + 1;
      case '\r':
        return (j + 1 < to && buf[j + 1] == '\n') ? j + 2 : j + 1;
      case '\\':
      case '\'':
      case '"':
        out.append(c);
        return j + 1;
      case 'a':
        out.append('\u0007');
        return j + 1;
      case 'b':
        out.append('\b');
        return j + 1;
      case 'f':
        out.append('\f');
        return j + 1;
      case 'n':
        out.append('\n');
        return j + 1;
      case 'r':
        out.append('\r');
        return j + 1;
      case 't':
        out.append('\t');
        return j + 1;
      case 'v':
        out.append('\u000B');
        return j + 1;
      case '0':
      case '1':
      case '2':
      case '3':
      case '4':
      case '5':
      case '6':
      case '7': {
        int v = 0;
        int k = j;
        while (k < to && k < j + 3 && buf[k] >= '0' && buf[k] <= '7') {
          v = v * 8 + (buf[k] - '0');
          k++;
        }
        out.append((char) (bytes ? v & 0xFF : v));
        return k;
      }
      case 'x':
        return hexEscape(j, to, 2, out, "\\xXX");
      case 'u':
        if (bytes) {
          break;
        }
        return hexEscape(j, to, 4, out, "\\uXXXX");
      case 'U':
        if (bytes) {
          break;
        }
        return hexEscape(j, to, 8, out, "\\UXXXXXXXX");
      case 'N': {
        if (bytes) {
          break;
        }
        if (j + 1 >= to || buf[j + 1] != '{') {
          decodeError = "(unicode error) malformed \\N character escape";
          return -1;
        }
        int k = j + 2;
        while (k < to && buf[k] != '}' && buf[k] != '\n' && buf[k] != '\r' && buf[k] != quote) {
          k++;
        }
        if (k >= to || buf[k] != '}' || k == j + 2) {
          decodeError = "(unicode error) malformed \\N character escape";
          return -1;
        }
        int cp = UnicodeNames.lookup(new String(buf, j + 2, k - j - 2));
        // unknown: U+FFFD rather than an error (Java's name database may be older than Python's)
        out.appendCodePoint(cp < 0 ? 0xFFFD : cp);
        return k + 1;
      }
      default:
        break;
    }
    out.append('\\').append(c);
    return j + 1;
  }

  private int hexEscape(int j, int to, int n, StringBuilder out, String form) {
    int v = 0;
    for (int k = 1; k <= n; k++) {
      int h = j + k < to ? hexVal(buf[j + k]) : -1;
      if (h < 0) {
        decodeError = "(unicode error) truncated " + form + " escape";
        return -1;
      }
      v = (v << 4) | h;
    }
    if (n == 8) {
      if (v < 0 || v > 0x10FFFF) {
        decodeError = "(unicode error) illegal Unicode character";
        return -1;
      }
      out.appendCodePoint(v);
    } else {
      out.append((char) v);
    }
    return j + n + 1;
  }

  // ------------------------------------------------------------------ f-strings

  private boolean hasClosingTriple(char q, int from) {
    int last;
    if (q == '"') {
      if (lastTripleDq == -2) {
        lastTripleDq = lastTriple('"');
      }
      last = lastTripleDq;
    } else {
      if (lastTripleSq == -2) {
        lastTripleSq = lastTriple('\'');
      }
      last = lastTripleSq;
    }
    return last >= from;
  }

  private int lastTriple(char q) {
    for (int i = len - 3; i >= 0; i--) {
      if (buf[i] == q && buf[i + 1] == q && buf[i + 2] == q) {
        return i;
      }
    }
    return -1;
  }

  private void fstringStart(int so, int sc, int pf, char q, boolean triple) {
    int sl = line;
    if (triple && !hasClosingTriple(q, p + 3)) {
      unterminated(so, sl, lineStart, sc, true, true);
      return;
    }
    p += triple ? 3 : 1;
    boolean raw = (pf & PF_RAW) != 0;
    add(T.FSTRING_START, so, sl, sc, null, raw ? FS_RAW : 0);
    pushFs(FS_STR, q, triple, raw, parTop, sl, sc);
  }

  private void pushFs(int kind, char q, boolean triple, boolean raw, int depth, int l, int c) {
    if (fsTop == fsKind.length) {
      int cap = fsTop * 2;
      fsKind = Arrays.copyOf(fsKind, cap);
      fsQuote = Arrays.copyOf(fsQuote, cap);
      fsTriple = Arrays.copyOf(fsTriple, cap);
      fsRaw = Arrays.copyOf(fsRaw, cap);
      fsDepth = Arrays.copyOf(fsDepth, cap);
      fsLine = Arrays.copyOf(fsLine, cap);
      fsCol = Arrays.copyOf(fsCol, cap);
    }
    fsKind[fsTop] = kind;
    fsQuote[fsTop] = q;
    fsTriple[fsTop] = triple;
    fsRaw[fsTop] = raw;
    fsDepth[fsTop] = depth;
    fsLine[fsTop] = l;
    fsCol[fsTop] = c;
    fsTop++;
  }

  /** Abandons all f-string state after an unrecoverable f-string error. */
  private void unwindFStrings() {
    for (int i = 0; i < fsTop; i++) {
      if (fsKind[i] == FS_STR) {
        parTop = Math.min(parTop, fsDepth[i]);
        break;
      }
    }
    fsTop = 0;
  }

  private int enclosingFs() {
    for (int i = fsTop - 1; i >= 0; i--) {
      if (fsKind[i] == FS_STR) {
        return i;
      }
    }
    return -1;
  }

  /** Opens a replacement field at p ('{'). */
  private void openField() {
    int so = p;
    int sc = p - lineStart;
    p++;
    if (!pushParen('f', line, sc)) {
      add(T.ERROR, so, line, sc, null, 0);
    } else {
      add(T.LBRACE, so, line, sc, null, 0);
    }
    pushFs(FS_EXPR, '\0', false, false, parTop, line, sc);
  }

  private void middle(int so, int sl, int sc, boolean bad) {
    if (p > so) {
      add(bad ? T.ERROR : T.FSTRING_MIDDLE, so, sl, sc, bad ? null : sb.toString(), 0);
    }
  }

  /** Literal part of an f-string (top frame FS_STR). */
  private void fstringLiteral() {
    int f = fsTop - 1;
    char q = fsQuote[f];
    boolean triple = fsTriple[f];
    boolean raw = fsRaw[f];
    int so = p;
    int sl = line;
    int sc = p - lineStart;
    boolean bad = false;
    sb.setLength(0);
    for (;;) {
      if (p >= len) {
        error(fsLine[f], fsCol[f], (triple ? "unterminated triple-quoted f-string literal"
            : "unterminated f-string literal") + " (detected at line " + line + ")");
        add(T.ERROR, so, sl, sc, null, 0);
        unwindFStrings();
        return;
      }
      char c = buf[p];
      if (c == q) {
        if (!triple || (p + 2 < len && buf[p + 1] == q && buf[p + 2] == q)) {
          middle(so, sl, sc, bad);
          int eo = p;
          int ec = p - lineStart;
          p += triple ? 3 : 1;
          add(T.FSTRING_END, eo, line, ec, null, 0);
          fsTop--;
          return;
        }
        sb.append(c);
        p++;
        continue;
      }
      if (c == '\n' || c == '\r') {
        if (!triple) {
          error(fsLine[f], fsCol[f], "unterminated f-string literal (detected at line " + line + ")");
          add(T.ERROR, so, sl, sc, null, 0);
          unwindFStrings();
          return;
        }
        sb.append('\n');
        newlineChar();
        continue;
      }
      if (c == '\\') {
        if (raw) {
          sb.append('\\');
          p++;
          if (p < len) {
            char d = buf[p];
            if (d == q || d == '\\') {
              sb.append(d);
              p++;
            } else if (d == '\n' || d == '\r') {
              sb.append('\n');
              newlineChar();
            }
          }
          continue;
        }
        char d = at(p + 1);
        if (d == '\n' || d == '\r') {
          p++;
          newlineChar();
          continue;
        }
        if (d == '{' || d == '}') {
          sb.append('\\');
          p++;
          continue;
        }
        int r = escape(p, len, sb, false, q);
        if (r < 0) {
          if (!bad) {
            error(line, p - lineStart, decodeError);
          }
          bad = true;
          p += 2;
          continue;
        }
        p = r;
        continue;
      }
      if (c == '{') {
        if (at(p + 1) == '{') {
          sb.append('{');
          p += 2;
          continue;
        }
        middle(so, sl, sc, bad);
        openField();
        return;
      }
      if (c == '}') {
        if (at(p + 1) == '}') {
          sb.append('}');
          p += 2;
          continue;
        }
        middle(so, sl, sc, bad);
        error(line, p - lineStart, "f-string: single '}' is not allowed");
        int eo = p++;
        add(T.ERROR, eo, line, eo - lineStart, null, 0);
        return;
      }
      if (c == 0) {
        nul(p);
      }
      sb.append(c);
      p++;
    }
  }

  /** Format spec of a replacement field (top frame FS_SPEC). */
  private void formatSpec() {
    int g = enclosingFs();
    char q = g >= 0 ? fsQuote[g] : '"';
    boolean triple = g >= 0 && fsTriple[g];
    int so = p;
    int sl = line;
    int sc = p - lineStart;
    boolean bad = false;
    sb.setLength(0);
    for (;;) {
      if (p >= len) {
        middle(so, sl, sc, bad);
        if (g >= 0) {
          error(fsLine[g], fsCol[g], "unterminated f-string literal (detected at line " + line + ")");
        }
        addHere(T.ERROR);
        unwindFStrings();
        return;
      }
      char c = buf[p];
      if (c == '{') {
        middle(so, sl, sc, bad);
        openField();
        return;
      }
      if (c == '}') {
        middle(so, sl, sc, bad);
        int eo = p++;
        add(T.RBRACE, eo, line, eo - lineStart, null, 0);
        if (parTop > 0) {
          parTop--;
        }
        fsTop--;
        return;
      }
      boolean endQuote = c == q && (!triple || (p + 2 < len && buf[p + 1] == q && buf[p + 2] == q));
      if (endQuote || ((c == '\n' || c == '\r') && !triple)) {
        middle(so, sl, sc, bad);
        error(line, p - lineStart, "f-string: expecting '}'");
        addHere(T.ERROR);
        if (parTop > 0) {
          parTop--;
        }
        fsTop--;
        return;
      }
      if (c == '\n' || c == '\r') {
        sb.append('\n');
        newlineChar();
        continue;
      }
      if (c == '\\') {
        char d = at(p + 1);
        if (d == '\n' || d == '\r') {
          p++;
          newlineChar();
          continue;
        }
        int r = escape(p, len, sb, false, q);
        if (r < 0) {
          if (!bad) {
            error(line, p - lineStart, decodeError);
          }
          bad = true;
          p += 2;
          continue;
        }
        p = r;
        continue;
      }
      if (c == 0) {
        nul(p);
      }
      sb.append(c);
      p++;
    }
  }
}
