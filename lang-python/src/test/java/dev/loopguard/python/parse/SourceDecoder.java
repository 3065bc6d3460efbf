package dev.loopguard.python.parse;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Test helper: decodes Python source bytes like CPython (UTF-8 BOM, PEP 263 coding cookie). */
final class SourceDecoder {
  private SourceDecoder() {}

  private static final Pattern COOKIE =
      Pattern.compile("^[ \\t\\f]*#.*?coding[:=][ \\t]*([-\\w.]+)");

  /** Returns the decoded text, or throws CharacterCodingException / IllegalArgumentException. */
  static String decode(byte[] data) throws CharacterCodingException {
    boolean bom = data.length >= 3 && (data[0] & 0xFF) == 0xEF && (data[1] & 0xFF) == 0xBB
        && (data[2] & 0xFF) == 0xBF;
    int off = bom ? 3 : 0;
    Charset cs = StandardCharsets.UTF_8;
    String cookie = cookie(data, off);
    if (cookie != null) {
      cs = charset(cookie);
      if (bom && !normalName(cookie).equals("utf-8")) {
        throw new IllegalArgumentException("encoding problem: utf-8 BOM with " + cookie);
      }
    }
    return cs.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(data, off, data.length - off))
        .toString();
  }

  private static String cookie(byte[] data, int off) {
    int lineStart = off;
    for (int n = 0; n < 2 && lineStart < data.length; n++) {
      int e = lineStart;
      while (e < data.length && data[e] != '\n' && data[e] != '\r') {
        e++;
      }
      String line = new String(data, lineStart, e - lineStart, StandardCharsets.ISO_8859_1);
      Matcher m = COOKIE.matcher(line);
      if (m.find()) {
        return m.group(1);
      }
      String t = line.strip();
      if (!t.isEmpty() && !t.startsWith("#")) {
        return null; // only a comment/blank first line lets the second line carry the cookie
      }
      if (e < data.length && data[e] == '\r' && e + 1 < data.length && data[e + 1] == '\n') {
        e++;
      }
      lineStart = e + 1;
    }
    return null;
  }

  /** CPython's get_normal_name. */
  static String normalName(String name) {
    String n = name.toLowerCase(Locale.ROOT).replace('_', '-');
    if (n.equals("utf-8") || n.startsWith("utf-8-")) {
      return "utf-8";
    }
    for (String l : new String[] {"latin-1", "iso-8859-1", "iso-latin-1"}) {
      if (n.equals(l) || n.startsWith(l + "-")) {
        return "iso-8859-1";
      }
    }
    return name;
  }

  static Charset charset(String name) {
    String n = name.toLowerCase(Locale.ROOT).replace('_', '-');
    if (n.equals("utf-8") || n.startsWith("utf-8-") || n.equals("utf8")) {
      return StandardCharsets.UTF_8;
    }
    if (n.equals("latin-1") || n.startsWith("latin-1-") || n.equals("iso-8859-1")
        || n.startsWith("iso-8859-1-") || n.equals("iso-latin-1") || n.startsWith("iso-latin-1-")
        || n.equals("latin1")) {
      return StandardCharsets.ISO_8859_1;
    }
    return Charset.forName(n);
  }
}
