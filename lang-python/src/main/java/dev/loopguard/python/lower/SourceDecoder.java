package dev.loopguard.python.lower;

import dev.loopguard.core.ir.Diagnostic;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the bytes of a Python file into text as CPython does: a UTF-8 byte order mark is
 * stripped, a PEP 263 {@code coding:} cookie in the first two lines selects the charset, and the
 * default is UTF-8. Bytes the charset cannot decode are replaced (U+FFFD) and reported as one
 * {@code decode-error} diagnostic; decoding never fails.
 */
public final class SourceDecoder {

  /** The text and any problems met. */
  public record Decoded(String text, Charset charset, List<Diagnostic> diagnostics) {}

  private static final Pattern COOKIE =
      Pattern.compile("^[ \\t\\f]*#.*?coding[:=][ \\t]*([-\\w.]+)");
  private static final Pattern BLANK_OR_COMMENT = Pattern.compile("^[ \\t\\f]*(?:#.*)?$");

  private SourceDecoder() {}

  public static Decoded decode(byte[] content, String path) {
    List<Diagnostic> diagnostics = new ArrayList<>(1);
    byte[] bytes = content == null ? new byte[0] : content;
    int start = 0;
    boolean bom = bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB
        && (bytes[2] & 0xff) == 0xBF;
    Charset charset = StandardCharsets.UTF_8;
    if (bom) {
      start = 3;
    } else {
      String cookie = findCookie(bytes);
      if (cookie != null) {
        Charset cs = charsetFor(cookie);
        if (cs == null) {
          diagnostics.add(new Diagnostic(path, 0, 0, "decode-error",
              "Unknown encoding '" + cookie + "' in the coding cookie; the file was read as UTF-8."));
        } else {
          charset = cs;
        }
      }
    }
    String text = decodeWith(bytes, start, charset, path, diagnostics);
    return new Decoded(text, charset, List.copyOf(diagnostics));
  }

  private static String decodeWith(byte[] bytes, int start, Charset charset, String path,
      List<Diagnostic> diagnostics) {
    int len = bytes.length - start;
    if (charset == StandardCharsets.UTF_8) {
      // The common case. The String constructor decodes fast and replaces malformed input with
      // U+FFFD; without one in its result the input was valid, and the strict decoder would
      // give the same text.
      String fast = new String(bytes, start, len, StandardCharsets.UTF_8);
      if (fast.indexOf('\uFFFD') < 0) {
        return fast;
      }
      return decodeUtf8(bytes, start, len, path, diagnostics);
    }
    CharsetDecoder strict = charset.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, start, len);
    CharBuffer out = CharBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 16L,
        (long) Math.ceil(len * (double) strict.maxCharsPerByte()) + 16));
    CoderResult r = strict.decode(in, out, true);
    if (!r.isError() && !r.isOverflow()) {
      r = strict.flush(out);
      if (!r.isError() && !r.isOverflow()) {
        out.flip();
        return out.toString();
      }
    }
    int errorAt = in.position();
    int line = 1;
    for (int i = start; i < errorAt && i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        line++;
      }
    }
    diagnostics.add(new Diagnostic(path, line, 0, "decode-error",
        "The file is not valid " + charset.name() + " (first bad byte on line " + line
            + "); undecodable bytes were replaced."));
    CharsetDecoder lenient = charset.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE);
    try {
      return lenient.decode(ByteBuffer.wrap(bytes, start, len)).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return new String(bytes, start, len, StandardCharsets.ISO_8859_1);
    }
  }

  /**
   * UTF-8 with malformed bytes: each malformed sequence becomes U+FFFD. CPython 3.11 imports a
   * module whose invalid UTF-8 is only inside comments (its tokenizer never decodes a comment)
   * and rejects one with invalid UTF-8 in code or a string literal: so only the latter is a
   * {@code decode-error}, on the line of its first bad byte.
   */
  private static String decodeUtf8(byte[] bytes, int start, int len, String path,
      List<Diagnostic> diagnostics) {
    CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, start, len);
    CharBuffer out = CharBuffer.allocate(len + 16);
    List<Integer> bad = new ArrayList<>();
    while (true) {
      CoderResult r = strict.decode(in, out, true);
      if (r.isError()) {
        bad.add(out.position());
        out.put('\uFFFD');
        in.position(in.position() + r.length());
      } else {
        break; // underflow: all input read (the buffer holds at most one char per byte)
      }
    }
    strict.flush(out);
    out.flip();
    String text = out.toString();
    int outside = firstOutsideComments(text, bad);
    if (outside >= 0) {
      int line = 1;
      for (int i = 0; i < outside; i++) {
        if (text.charAt(i) == '\n') {
          line++;
        }
      }
      diagnostics.add(new Diagnostic(path, line, 0, "decode-error",
          "The file is not valid UTF-8 (first bad byte on line " + line
              + ", outside a comment); undecodable bytes were replaced."));
    }
    return text;
  }

  /**
   * The first of the (ascending) offsets {@code bad} in {@code text} that is not inside a
   * comment, or -1: a small scan of Python's comments and string literals (a {@code #} in a
   * string starts no comment; a backslash escapes the next character in any string).
   */
  static int firstOutsideComments(String text, List<Integer> bad) {
    int k = 0;
    int i = 0;
    int n = text.length();
    while (k < bad.size() && i < n) {
      char c = text.charAt(i);
      boolean comment = c == '#';
      int end;
      if (comment) {
        end = i;
        while (end < n && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
          end++;
        }
      } else if (c == '\'' || c == '"') {
        end = stringEnd(text, i);
      } else {
        end = i + 1;
      }
      while (k < bad.size() && bad.get(k) < end) {
        if (!comment) {
          return bad.get(k);
        }
        k++;
      }
      i = end;
    }
    return k < bad.size() ? bad.get(k) : -1;
  }

  /** The end of the string literal whose quote is at {@code open} (a line ends an unterminated one). */
  private static int stringEnd(String text, int open) {
    int n = text.length();
    char q = text.charAt(open);
    boolean triple = open + 2 < n && text.charAt(open + 1) == q && text.charAt(open + 2) == q;
    int j = open + (triple ? 3 : 1);
    while (j < n) {
      char d = text.charAt(j);
      if (d == '\\') {
        j += 2;
      } else if (d == q && (!triple || (j + 2 < n && text.charAt(j + 1) == q && text.charAt(j + 2) == q))) {
        return j + (triple ? 3 : 1);
      } else if (!triple && (d == '\n' || d == '\r')) {
        return j;
      } else {
        j++;
      }
    }
    return n;
  }

  /** The charset named by a PEP 263 cookie in the first two lines, or null. */
  static String findCookie(byte[] bytes) {
    int lineStart = 0;
    for (int lineNo = 0; lineNo < 2 && lineStart < bytes.length; lineNo++) {
      int end = lineStart;
      while (end < bytes.length && bytes[end] != '\n' && bytes[end] != '\r') {
        end++;
      }
      String line = new String(bytes, lineStart, end - lineStart, StandardCharsets.ISO_8859_1);
      Matcher m = COOKIE.matcher(line);
      if (m.find()) {
        return m.group(1);
      }
      if (!BLANK_OR_COMMENT.matcher(line).matches()) {
        return null;
      }
      if (end < bytes.length && bytes[end] == '\r' && end + 1 < bytes.length
          && bytes[end + 1] == '\n') {
        end++;
      }
      lineStart = end + 1;
    }
    return null;
  }

  /** Maps a Python codec name to a Java charset, or null when there is none. */
  static Charset charsetFor(String pythonName) {
    String n = pythonName.toLowerCase(Locale.ROOT).replace('_', '-');
    if (n.equals("utf-8") || n.startsWith("utf-8-") || n.equals("utf8") || n.startsWith("utf8-")) {
      return StandardCharsets.UTF_8;
    }
    if (n.equals("latin-1") || n.equals("latin1") || n.equals("iso-8859-1") || n.equals("l1")
        || n.equals("iso-latin-1") || n.equals("iso8859-1") || n.startsWith("latin-1-")
        || n.startsWith("iso-8859-1-") || n.startsWith("iso-latin-1-")) {
      return StandardCharsets.ISO_8859_1;
    }
    if (n.equals("ascii") || n.equals("us-ascii") || n.equals("646")) {
      return StandardCharsets.US_ASCII;
    }
    if (n.startsWith("cp") && n.length() > 2 && Character.isDigit(n.charAt(2))) {
      Charset cs = tryCharset("windows-" + n.substring(2));
      if (cs != null && n.length() == 6 && n.charAt(2) == '1' && n.charAt(3) == '2') {
        return cs;
      }
      if (n.equals("cp932")) {
        cs = tryCharset("windows-31j");
        if (cs != null) {
          return cs;
        }
      }
    }
    for (String candidate : new String[] {pythonName, n, n.replace('-', '_'), n.replace("-", "")}) {
      Charset cs = tryCharset(candidate);
      if (cs != null) {
        return cs;
      }
    }
    return null;
  }

  private static Charset tryCharset(String name) {
    try {
      return Charset.forName(name);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
