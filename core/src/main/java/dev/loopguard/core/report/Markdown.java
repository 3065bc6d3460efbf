package dev.loopguard.core.report;

import java.util.List;

/**
 * Small helpers for Markdown reports, and the one escaper every Markdown report uses for what a
 * repository controls (paths, names, messages): {@link #text} for prose, {@link #code} for
 * names, {@link #row} for table rows. Nothing a name holds becomes a link, an image, HTML, a
 * heading, emphasis, or breaks a table or a code span: control characters are shown as their
 * Unicode pictures (a newline as {@code ␊}), so the output stays one line per item. (An e-mail
 * address in prose may become a {@code mailto:} link; names in code never do.)
 */
public final class Markdown {
  private Markdown() {}

  // ASCII punctuation with a meaning in CommonMark or GFM anywhere in a line.
  private static final String SPECIAL = "\\`*_[]<>|~&";
  // ... and at the start of a line (a heading, a list item, a quote).
  private static final String SPECIAL_FIRST = "#+->!=";
  private static final char ZWSP = '\u200B';

  /** Text for a table cell: {@link #text} (pipes are escaped by {@link #row}). */
  public static String cell(String s) {
    return text(s);
  }

  /**
   * Prose safe anywhere in a line: every Markdown-special ASCII character backslash-escaped
   * (those special only at a line's start when they start it),
   * line breaks as spaces, other control characters as their pictures, no bare URL left for GFM
   * to link, white space at either end dropped.
   */
  public static String text(String raw) {
    if (raw == null) {
      return "";
    }
    // leading spaces would make an indented code block of a list item; trailing ones a line break
    String s = raw.strip();
    StringBuilder sb = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\n' || c == '\r') {
        sb.append(' ');
      } else if (control(c)) {
        sb.append(picture(c));
      } else if (c == '_' && i > 0 && i + 1 < s.length() && Character.isLetterOrDigit(s.charAt(i - 1))
          && Character.isLetterOrDigit(s.charAt(i + 1))) {
        sb.append(c); // inside a word an underscore never starts or ends emphasis
      } else if (SPECIAL.indexOf(c) >= 0 || (i == 0 && SPECIAL_FIRST.indexOf(c) >= 0)) {
        sb.append('\\').append(c);
      } else if ((c == ':' && s.startsWith("//", i + 1))
          || (c == '.' && i >= 3 && s.regionMatches(true, i - 3, "www", 0, 3))) {
        // GFM links bare URLs ("https://x", "www.x") even when escaped: a zero-width space around
        // the ':' or the dot of "www." keeps a name from becoming a link (an e-mail address may
        // still become a mailto: link, which leads nowhere)
        sb.append(ZWSP).append(c).append(ZWSP);
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /**
   * Inline code holding {@code s} exactly (but for control characters, shown as pictures): the
   * fence is one backtick longer than the longest run inside, padded with a space when the
   * content starts or ends with a backtick or a space.
   */
  public static String code(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder body = new StringBuilder(s.length());
    int longest = 0;
    int run = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      run = c == '`' ? run + 1 : 0;
      longest = Math.max(longest, run);
      body.append(control(c) ? picture(c) : c);
    }
    String fence = "`".repeat(longest + 1);
    // CommonMark strips one space from each end of a code span that is not all spaces
    boolean pad = !body.isEmpty() && (body.charAt(0) == '`' || body.charAt(body.length() - 1) == '`'
        || ((body.charAt(0) == ' ' || body.charAt(body.length() - 1) == ' ') && !body.chars().allMatch(ch -> ch == ' ')));
    String space = pad ? " " : "";
    return fence + space + body + space + fence;
  }

  /**
   * {@code s} with control characters (line breaks too) shown as their pictures: one line of a
   * fenced code block (fenced by {@link #fence}).
   */
  public static String plain(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      sb.append(control(c) ? picture(c) : c);
    }
    return sb.toString();
  }

  /** A code fence for {@code body}: backticks, at least three, more than any run inside. */
  public static String fence(CharSequence body) {
    int longest = 0;
    int run = 0;
    for (int i = 0; i < body.length(); i++) {
      run = body.charAt(i) == '`' ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    return "`".repeat(Math.max(3, longest + 1));
  }

  private static boolean control(char c) {
    return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029';
  }

  /** The visible stand-in for a control character: its Unicode control picture, or U+FFFD. */
  private static char picture(char c) {
    if (c < 0x20) {
      return (char) (0x2400 + c);
    }
    return c == 0x7f ? '\u2421' : '\uFFFD';
  }

  /**
   * A table cell's rendered content made safe in a GFM table: every {@code |} escaped (GFM splits
   * cells before it reads code spans, so this holds inside code too). GFM cannot show a backslash
   * right before a pipe in a cell's code: it is dropped, the row stays whole.
   */
  public static String inTable(String rendered) {
    StringBuilder sb = new StringBuilder(rendered.length() + 4);
    for (int i = 0; i < rendered.length(); i++) {
      char c = rendered.charAt(i);
      if (c == '|') {
        // an escaped pipe stays one: count the backslashes before it
        int backslashes = 0;
        for (int k = i - 1; k >= 0 && rendered.charAt(k) == '\\'; k--) {
          backslashes++;
        }
        if (backslashes % 2 == 0) {
          sb.append('\\');
        }
      }
      sb.append(c == '\n' || c == '\r' ? ' ' : c);
    }
    return sb.toString();
  }

  /** A table row; each cell is rendered Markdown ({@link #text}, {@link #code}), made table-safe. */
  public static String row(List<String> cells) {
    StringBuilder sb = new StringBuilder("|");
    for (String c : cells) {
      sb.append(' ').append(inTable(c)).append(" |");
    }
    return sb.append('\n').toString();
  }

  /** A header row and its separator. */
  public static String header(List<String> cells) {
    StringBuilder sep = new StringBuilder("|");
    for (int i = 0; i < cells.size(); i++) {
      sep.append("---|");
    }
    return row(cells) + sep + "\n";
  }

  /** {@code a, b, c and 4 more} of the first {@code max} items. */
  public static String places(List<String> items, int max) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < items.size() && i < max; i++) {
      sb.append(i == 0 ? "" : ", ").append(items.get(i));
    }
    if (items.size() > max) {
      sb.append(" and ").append(items.size() - max).append(" more");
    }
    return sb.toString();
  }

  public static String plural(long n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }
}
