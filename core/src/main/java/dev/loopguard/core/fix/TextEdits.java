package dev.loopguard.core.fix;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.eclipse.jgit.diff.DiffAlgorithm;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.diff.EditList;
import org.eclipse.jgit.diff.RawText;
import org.eclipse.jgit.diff.RawTextComparator;

/** Applies {@link TextEdit}s to a text, and shows the result as a unified diff. */
public final class TextEdits {
  private TextEdits() {}

  /**
   * The text with the edits made. Lines end at {@code \n}, {@code \r\n} or {@code \r}.
   *
   * @throws IllegalArgumentException when an edit lies outside the text or two edits overlap
   */
  public static String apply(String text, List<TextEdit> edits) {
    List<Integer> starts = lineStarts(text);
    record At(int start, int end, TextEdit edit) {}
    List<At> at = new ArrayList<>();
    for (TextEdit e : edits) {
      int s = offset(text, starts, e.span().line(), e.span().column());
      int t = offset(text, starts, e.span().endLine(), e.span().endColumn());
      if (t < s) {
        throw new IllegalArgumentException("edit " + e.span() + " ends before it starts");
      }
      at.add(new At(s, t, e));
    }
    at.sort(Comparator.comparingInt(At::start).thenComparingInt(At::end));
    for (int i = 1; i < at.size(); i++) {
      if (at.get(i).start() < at.get(i - 1).end()) {
        throw new IllegalArgumentException("edits " + at.get(i - 1).edit().span() + " and "
            + at.get(i).edit().span() + " overlap");
      }
    }
    StringBuilder out = new StringBuilder(text.length() + 64);
    int pos = 0;
    for (At a : at) {
      out.append(text, pos, a.start()).append(a.edit().text());
      pos = a.end();
    }
    return out.append(text, pos, text.length()).toString();
  }

  private static List<Integer> lineStarts(String text) {
    List<Integer> starts = new ArrayList<>();
    starts.add(0);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
        starts.add(i + 1);
      }
    }
    return starts;
  }

  private static int offset(String text, List<Integer> starts, int line, int column) {
    if (line < 1 || line > starts.size() || column < 1) {
      throw new IllegalArgumentException("position " + line + ":" + column + " is outside the text");
    }
    int o = starts.get(line - 1) + column - 1;
    int lineEnd = line < starts.size() ? starts.get(line) : text.length();
    if (o > lineEnd) {
      throw new IllegalArgumentException("position " + line + ":" + column + " is past the end of its line");
    }
    return o;
  }

  /**
   * A unified diff (as {@code git diff} writes it, three lines of context) from {@code before} to
   * {@code after} of the file at {@code path}; empty when they are equal.
   */
  public static String unifiedDiff(String path, String before, String after) {
    if (before.equals(after)) {
      return "";
    }
    RawText a = new RawText(before.getBytes(StandardCharsets.UTF_8));
    RawText b = new RawText(after.getBytes(StandardCharsets.UTF_8));
    EditList edits = DiffAlgorithm.getAlgorithm(DiffAlgorithm.SupportedAlgorithm.HISTOGRAM)
        .diff(RawTextComparator.DEFAULT, a, b);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DiffFormatter f = new DiffFormatter(out)) {
      f.setContext(3);
      out.write(("--- a/" + path + "\n+++ b/" + path + "\n").getBytes(StandardCharsets.UTF_8));
      f.format(edits, a, b);
      f.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
