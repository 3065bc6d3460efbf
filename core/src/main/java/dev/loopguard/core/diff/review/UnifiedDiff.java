package dev.loopguard.core.diff.review;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Unified diffs ({@code git diff}, {@code diff -u}, {@code gh pr diff}): parsing into file
 * patches and hunks, and applying a file patch forwards (old side to new side) or backwards.
 * Paths lose the {@code a/} and {@code b/} prefixes git writes.
 */
public final class UnifiedDiff {
  private static final Pattern HUNK = Pattern.compile("^@@+ -(\\d+)(?:,(\\d+))? \\+(\\d+)(?:,(\\d+))? @@+.*");
  private static final Pattern DIFF_GIT = Pattern.compile("^diff --git (\"?a/.*) (\"?b/.*)$");

  private UnifiedDiff() {}

  /** One line of a hunk: {@code ' '} context, {@code '-'} removed, {@code '+'} added. */
  public record Line(char kind, String text) {}

  /**
   * A hunk. {@code oldStart}/{@code newStart} are 1-based (for an empty side, the line after
   * which the other side's lines go, possibly 0). {@code oldNoNewline}/{@code newNoNewline}: the
   * last line of that side has no line end.
   */
  public record Hunk(int oldStart, int oldCount, int newStart, int newCount, List<Line> lines,
      boolean oldNoNewline, boolean newNoNewline) {

    List<String> side(boolean old) {
      List<String> out = new ArrayList<>();
      for (Line l : lines) {
        if (l.kind() == ' ' || l.kind() == (old ? '-' : '+')) {
          out.add(l.text());
        }
      }
      return out;
    }
  }

  /**
   * The changes to one file. {@code oldPath} is null for a new file, {@code newPath} null for a
   * deleted one; {@code binary} patches carry no hunks.
   */
  public record FilePatch(String oldPath, String newPath, List<Hunk> hunks, boolean binary) {
    /** The path the patch is about (the new path, or the old one for a deletion). */
    public String path() {
      return newPath != null ? newPath : oldPath;
    }
  }

  /** Thrown when a diff is malformed or a patch does not apply. */
  public static final class DiffException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DiffException(String message) {
      super(message);
    }
  }

  /**
   * Parses every file patch of a unified diff; text outside file patches is ignored. A diff whose
   * every line ends in CRLF (saved on Windows, sent through a mail client) has its carriage
   * returns stripped first, as GNU patch does. A hunk header that does not parse is an error.
   */
  public static List<FilePatch> parse(String text) {
    String[] lines = text.split("\n", -1);
    if (allCrlf(lines)) {
      for (int i = 0; i < lines.length; i++) {
        lines[i] = stripCr(lines[i]);
      }
    }
    List<FilePatch> out = new ArrayList<>();
    int i = 0;
    while (i < lines.length) {
      String line = stripCr(lines[i]);
      Matcher git = DIFF_GIT.matcher(line);
      if (git.matches() || (line.startsWith("--- ") && i + 1 < lines.length
          && stripCr(lines[i + 1]).startsWith("+++ "))) {
        i = parseFile(lines, i, git.matches() ? git : null, out);
      } else {
        i++;
      }
    }
    return out;
  }

  /** Whether every line but an empty last one ends in a carriage return (and there is one). */
  private static boolean allCrlf(String[] lines) {
    int n = lines.length;
    if (n > 0 && lines[n - 1].isEmpty()) {
      n--;
    }
    for (int i = 0; i < n; i++) {
      if (!lines[i].endsWith("\r")) {
        return false;
      }
    }
    return n > 0;
  }

  private static int parseFile(String[] lines, int start, Matcher git, List<FilePatch> out) {
    int i = start;
    String oldPath = null;
    String newPath = null;
    boolean isNew = false;
    boolean deleted = false;
    boolean binary = false;
    if (git != null) {
      oldPath = stripPrefix(unquote(git.group(1)), "a/");
      newPath = stripPrefix(unquote(git.group(2)), "b/");
      i++;
      while (i < lines.length) {
        String l = stripCr(lines[i]);
        if (l.startsWith("diff --git ") || l.startsWith("--- ") || l.startsWith("@@")) {
          break;
        }
        if (l.startsWith("new file mode")) {
          isNew = true;
        } else if (l.startsWith("deleted file mode")) {
          deleted = true;
        } else if (l.startsWith("rename from ")) {
          oldPath = l.substring("rename from ".length());
        } else if (l.startsWith("rename to ")) {
          newPath = l.substring("rename to ".length());
        } else if (l.startsWith("Binary files ") || l.startsWith("GIT binary patch")) {
          binary = true;
        }
        i++;
      }
    }
    List<Hunk> hunks = new ArrayList<>();
    if (i < lines.length && stripCr(lines[i]).startsWith("--- ")
        && i + 1 < lines.length && stripCr(lines[i + 1]).startsWith("+++ ")) {
      String o = headerPath(stripCr(lines[i]).substring(4));
      String n = headerPath(stripCr(lines[i + 1]).substring(4));
      boolean prefixed = (o == null || o.startsWith("a/")) && (n == null || n.startsWith("b/"))
          && !(o == null && n == null);
      if (o == null) {
        isNew = true;
      } else {
        oldPath = prefixed ? o.substring(2) : o;
      }
      if (n == null) {
        deleted = true;
      } else {
        newPath = prefixed ? n.substring(2) : n;
      }
      i += 2;
    }
    while (i < lines.length) {
      String l = stripCr(lines[i]);
      Matcher h = HUNK.matcher(l);
      if (!h.matches()) {
        if (l.startsWith("@@")) {
          throw new DiffException("malformed hunk header at line " + (i + 1) + ": " + shorten(l)
              + " (expected @@ -START[,COUNT] +START[,COUNT] @@)");
        }
        break;
      }
      int oldStart = number(h.group(1), 0, i);
      int oldCount = number(h.group(2), 1, i);
      int newStart = number(h.group(3), 0, i);
      int newCount = number(h.group(4), 1, i);
      i++;
      List<Line> body = new ArrayList<>();
      int o = 0;
      int n = 0;
      boolean oldNoNl = false;
      boolean newNoNl = false;
      char last = ' ';
      while (i < lines.length && (o < oldCount || n < newCount || lines[i].startsWith("\\"))) {
        String raw = lines[i];
        if (raw.startsWith("\\")) {
          // "\ No newline at end of file" applies to the line before it.
          oldNoNl |= last == '-' || last == ' ';
          newNoNl |= last == '+' || last == ' ';
          i++;
          continue;
        }
        char k = raw.isEmpty() ? ' ' : raw.charAt(0);
        String t = raw.isEmpty() ? "" : raw.substring(1);
        if (k == '\r' && raw.length() == 1) {
          k = ' ';
          t = "";
        }
        switch (k) {
          case ' ' -> {
            o++;
            n++;
          }
          case '-' -> o++;
          case '+' -> n++;
          default -> throw new DiffException("malformed hunk line " + (i + 1) + ": " + shorten(raw));
        }
        body.add(new Line(k, t));
        last = k;
        i++;
      }
      if (o != oldCount || n != newCount) {
        throw new DiffException("truncated hunk at line " + (i + 1) + " (expected -" + oldCount
            + " +" + newCount + " lines, found -" + o + " +" + n + ")");
      }
      hunks.add(new Hunk(oldStart, oldCount, newStart, newCount, List.copyOf(body), oldNoNl, newNoNl));
    }
    if (oldPath == null && newPath == null) {
      throw new DiffException("a file patch at line " + (start + 1) + " names no file");
    }
    out.add(new FilePatch(isNew ? null : oldPath, deleted ? null : newPath, List.copyOf(hunks), binary));
    return Math.max(i, start + 1);
  }

  /** A hunk header's number ({@code dflt} when absent); one too large is an error. */
  private static int number(String digits, int dflt, int line) {
    if (digits == null) {
      return dflt;
    }
    if (digits.length() > 9) {
      throw new DiffException("malformed hunk header at line " + (line + 1) + ": " + shorten(digits)
          + " is too large a line number");
    }
    return Integer.parseInt(digits);
  }

  private static String headerPath(String s) {
    int tab = s.indexOf('\t');
    String p = unquote((tab >= 0 ? s.substring(0, tab) : s).strip());
    return p.equals("/dev/null") ? null : p;
  }

  private static String stripPrefix(String p, String prefix) {
    return p.startsWith(prefix) ? p.substring(prefix.length()) : p;
  }

  private static String unquote(String s) {
    if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
      return s.substring(1, s.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\")
          .replace("\\t", "\t");
    }
    return s;
  }

  private static String stripCr(String s) {
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }

  private static String shorten(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }

  /**
   * Applies {@code patch} to {@code content} (null: the file is absent). Forwards, content is the
   * old side and the result the new side; backwards ({@code reverse}) the other way round. The
   * result is null when the file is absent on the other side.
   *
   * @throws DiffException when the patch does not fit the content
   */
  public static String apply(FilePatch patch, String content, boolean reverse) {
    boolean creates = reverse ? patch.newPath() == null : patch.oldPath() == null;
    boolean removes = reverse ? patch.oldPath() == null : patch.newPath() == null;
    if (creates) {
      if (content != null && !content.isEmpty()) {
        throw new DiffException(patch.path() + ": the file should not exist yet");
      }
      content = "";
    } else if (content == null) {
      throw new DiffException(patch.path() + ": the file does not exist");
    }
    Text text = Text.of(content);
    List<String> lines = text.lines;
    boolean finalNewline = text.finalNewline;
    List<String> out = new ArrayList<>();
    int pos = 0; // next unconsumed line of the input
    int offset = 0;
    for (Hunk h : patch.hunks()) {
      List<String> from = h.side(!reverse);
      List<String> to = h.side(reverse);
      int start = reverse ? h.newStart() : h.oldStart();
      int expected = (from.isEmpty() ? start : start - 1) + offset;
      int at = find(lines, from, expected, pos);
      if (at < 0) {
        throw new DiffException(patch.path() + ": hunk @@ -" + h.oldStart() + "," + h.oldCount()
            + " +" + h.newStart() + "," + h.newCount() + " @@ does not match the file");
      }
      offset = at - (from.isEmpty() ? start : start - 1);
      out.addAll(lines.subList(pos, at));
      out.addAll(to);
      pos = at + from.size();
      if (pos == lines.size()) {
        // The hunk reaches the end of the file: the other side's line end comes from the patch.
        finalNewline = !(reverse ? h.oldNoNewline() : h.newNoNewline());
      }
    }
    out.addAll(lines.subList(pos, lines.size()));
    if (removes) {
      if (!out.isEmpty()) {
        throw new DiffException(patch.path() + ": the file should be empty after the patch");
      }
      return null;
    }
    if (out.isEmpty()) {
      return "";
    }
    String joined = String.join(text.lineEnd, out);
    return finalNewline ? joined + text.lineEnd : joined;
  }

  /** The position where {@code lines} holds {@code want}, nearest to {@code expected}, or -1. */
  private static int find(List<String> lines, List<String> want, int expected, int min) {
    int max = lines.size() - want.size();
    if (max < min) {
      return -1;
    }
    int e = Math.max(min, Math.min(expected, max));
    for (int d = 0; e - d >= min || e + d <= max; d++) {
      if (e + d <= max && matchesAt(lines, want, e + d)) {
        return e + d;
      }
      if (d > 0 && e - d >= min && matchesAt(lines, want, e - d)) {
        return e - d;
      }
    }
    return -1;
  }

  private static boolean matchesAt(List<String> lines, List<String> want, int at) {
    for (int i = 0; i < want.size(); i++) {
      if (!lines.get(at + i).equals(want.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** A text split into lines without their ends. */
  private record Text(List<String> lines, boolean finalNewline, String lineEnd) {
    static Text of(String s) {
      String end = s.contains("\r\n") ? "\r\n" : "\n";
      if (s.isEmpty()) {
        return new Text(new ArrayList<>(), true, end);
      }
      boolean nl = s.endsWith("\n");
      String body = nl ? s.substring(0, s.length() - 1) : s;
      List<String> lines = new ArrayList<>();
      for (String l : body.split("\n", -1)) {
        lines.add(end.equals("\r\n") && l.endsWith("\r") ? l.substring(0, l.length() - 1) : l);
      }
      return new Text(lines, nl, end);
    }
  }
}
