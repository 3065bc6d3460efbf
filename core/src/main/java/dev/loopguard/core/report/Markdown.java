package dev.loopguard.core.report;

import java.util.List;

/** Small helpers for Markdown reports. */
public final class Markdown {
  private Markdown() {}

  /** Text for a table cell: pipes escaped, line breaks removed. */
  public static String cell(String s) {
    return s == null ? "" : s.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ");
  }

  /** Inline code, safe for backticks inside. */
  public static String code(String s) {
    if (s == null) {
      return "";
    }
    return s.contains("`") ? "`` " + s + " ``" : "`" + s + "`";
  }

  /** A table row. */
  public static String row(List<String> cells) {
    StringBuilder sb = new StringBuilder("|");
    for (String c : cells) {
      sb.append(' ').append(c).append(" |");
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
