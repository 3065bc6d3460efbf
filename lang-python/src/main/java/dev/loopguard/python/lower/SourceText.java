package dev.loopguard.python.lower;

import dev.loopguard.core.ir.Span;
import dev.loopguard.python.ast.Ast;
import java.util.Arrays;

/**
 * The decoded text of one file with its line starts: slices source text by {@link Ast.Loc} and
 * converts locations to IR spans. Line breaks are {@code \n}, {@code \r\n} and {@code \r}, as in
 * Python's universal newlines.
 */
public final class SourceText {
  private final String text;
  private final int[] lineStarts;
  private final int lineCount;

  public SourceText(String text) {
    this(text, lineStartsOf(text));
  }

  /**
   * {@code text} with the line starts a lexer recorded: {@code lineStarts[0] == 0}, then the
   * offset after each line break, as {@link #lineStartsOf} finds them.
   */
  public SourceText(String text, int[] lineStarts) {
    this.text = text;
    this.lineStarts = lineStarts;
    int n = lineStarts.length;
    // A trailing line break does not start a line of its own.
    this.lineCount = n > 1 && lineStarts[n - 1] == text.length() ? n - 1 : n;
  }

  /** The offset of each line's start: 0, then the offset after each line break. */
  public static int[] lineStartsOf(String text) {
    int len = text.length();
    int[] starts = new int[Math.max(16, len / 32)];
    int n = 1;
    if (text.indexOf('\r') < 0) {
      // The common case: String.indexOf is an intrinsic.
      for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
        if (n == starts.length) {
          starts = Arrays.copyOf(starts, n * 2);
        }
        starts[n++] = i + 1;
      }
    } else {
      char[] cs = text.toCharArray();
      for (int i = 0; i < cs.length; i++) {
        char c = cs[i];
        if (c == '\n' || c == '\r') {
          if (c == '\r' && i + 1 < cs.length && cs[i + 1] == '\n') {
            i++;
          }
          if (n == starts.length) {
            starts = Arrays.copyOf(starts, n * 2);
          }
          starts[n++] = i + 1;
        }
      }
    }
    return Arrays.copyOf(starts, n);
  }

  /**
   * The number of lines of a file's bytes, as {@link #lineCount()} counts the decoded text's:
   * line breaks are {@code \n}, {@code \r\n} and {@code \r} in every charset a Python file
   * may declare (they are ASCII-compatible), and a final line break does not start a line.
   */
  public static int lineCountOf(byte[] bytes) {
    // Eight bytes at a time while there is no \r (almost every file): count the \n bytes.
    int len = bytes.length;
    int lf = 0;
    int i = 0;
    for (; i + 8 <= len; i += 8) {
      long w = (long) LONGS.get(bytes, i);
      if (zeroBytes(w ^ CRS) != 0) {
        return lineCountWithCr(bytes);
      }
      lf += Long.bitCount(zeroBytes(w ^ LFS));
    }
    for (; i < len; i++) {
      if (bytes[i] == '\r') {
        return lineCountWithCr(bytes);
      }
      if (bytes[i] == '\n') {
        lf++;
      }
    }
    return lf > 0 && bytes[len - 1] == '\n' ? lf : lf + 1;
  }

  private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles
      .byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long LFS = '\n' * ONES;
  private static final long CRS = '\r' * ONES;

  /** The high bit of each byte of {@code x} that is zero, and no other bit. */
  private static long zeroBytes(long x) {
    long low7 = 0x7F7F7F7F7F7F7F7FL;
    return ~(((x & low7) + low7) | x) & 0x8080808080808080L;
  }

  /** {@link #lineCountOf} of bytes with a \r: each byte a char, counted as text is. */
  private static int lineCountWithCr(byte[] bytes) {
    return new SourceText(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1))
        .lineCount();
  }

  public String text() {
    return text;
  }

  /** Number of lines (an empty file has one empty line). */
  public int lineCount() {
    return lineCount;
  }

  /** Offset into the text of a 1-based line and 0-based column, clamped to the line. */
  public int offset(int line, int col) {
    if (line < 1) {
      return 0;
    }
    if (line > lineStarts.length) {
      return text.length();
    }
    int start = lineStarts[line - 1];
    int next = line < lineStarts.length ? lineStarts[line] : text.length();
    return Math.max(start, Math.min(start + Math.max(col, 0), next));
  }

  /** The source text of a node location ("" for {@link Ast.Loc#NONE} or an empty region). */
  public String slice(Ast.Loc loc) {
    if (loc == null || loc.line() <= 0) {
      return "";
    }
    int from = offset(loc.line(), loc.col());
    int to = offset(loc.endLine(), loc.endCol());
    return to > from ? text.substring(from, to) : "";
  }

  /**
   * The source text of a location, on one line and shortened to {@code max} characters. Reads
   * only as much of the text as the result needs.
   */
  public String shortText(Ast.Loc loc, int max) {
    if (loc == null || loc.line() <= 0) {
      return "";
    }
    int from = offset(loc.line(), loc.col());
    int to = offset(loc.endLine(), loc.endCol());
    if (to <= from) {
      return "";
    }
    // On one line there is no line break to fold: cut without looking at the characters.
    return loc.line() == loc.endLine() ? cut(text, from, to, max) : shorten(text, from, to, max);
  }

  /** {@code s.substring(from, to)}, cut to {@code max} characters ending with "...". */
  private static String cut(String s, int from, int to, int max) {
    if (to - from <= max) {
      return s.substring(from, to);
    }
    int keep = Math.max(0, max - 3);
    if (keep > 0 && Character.isHighSurrogate(s.charAt(from + keep - 1))) {
      keep--;
    }
    return s.substring(from, from + keep) + "...";
  }

  /** The whole file as a span. */
  public Span wholeSpan() {
    int lastStart = lineStarts[lineCount - 1];
    int end = lineCount < lineStarts.length ? lineStarts[lineCount] : text.length();
    // Exclude the line break itself.
    while (end > lastStart && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
      end--;
    }
    return Span.of(1, 1, lineCount, end - lastStart + 1);
  }

  /** IR span of an AST location: columns become 1-based. */
  public static Span span(Ast.Loc loc) {
    if (loc == null || loc.line() <= 0) {
      return Span.NONE;
    }
    return Span.of(loc.line(), loc.col() + 1, loc.endLine(), loc.endCol() + 1);
  }

  /**
   * Puts source text on one line and shortens it: a run of white space holding a line break
   * (and a backslash continuation before it) becomes one space, or nothing next to brackets and
   * dots; text longer than {@code max} is cut and ends with {@code ...}.
   */
  public static String shorten(String s, int max) {
    return shorten(s, 0, s.length(), max);
  }

  /** {@link #shorten(String, int)} of {@code s.substring(from, to)}. */
  static String shorten(String s, int from, int to, int max) {
    // Most call texts are one short line: a substring, without copying char by char.
    int limit = Math.min(to, from + max + 1);
    int i0 = from;
    while (i0 < limit && s.charAt(i0) != '\n' && s.charAt(i0) != '\r') {
      i0++;
    }
    if (i0 == limit) {
      return cut(s, from, to, max);
    }
    StringBuilder sb = new StringBuilder(Math.min(to - from, max + 8));
    boolean cut = false;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == '\n' || c == '\r') {
        // Drop white space (and a continuation backslash) already written.
        int len = sb.length();
        while (len > 0 && (sb.charAt(len - 1) == ' ' || sb.charAt(len - 1) == '\t'
            || sb.charAt(len - 1) == '\\' || sb.charAt(len - 1) == '\f')) {
          len--;
        }
        sb.setLength(len);
        int j = i;
        while (j < to && Character.isWhitespace(s.charAt(j))) {
          j++;
        }
        char prev = len > 0 ? sb.charAt(len - 1) : 0;
        char next = j < to ? s.charAt(j) : 0;
        boolean tight = prev == 0 || next == 0 || "([{.".indexOf(prev) >= 0
            || ")]}.,:".indexOf(next) >= 0;
        if (!tight) {
          sb.append(' ');
        }
        i = j - 1;
      } else {
        sb.append(c);
      }
      if (sb.length() > max) {
        cut = true;
        break;
      }
    }
    if (!cut) {
      return sb.toString();
    }
    int keep = Math.max(0, max - 3);
    if (keep > 0 && Character.isHighSurrogate(sb.charAt(keep - 1))) {
      keep--;
    }
    sb.setLength(keep);
    return sb.append("...").toString();
  }
}
