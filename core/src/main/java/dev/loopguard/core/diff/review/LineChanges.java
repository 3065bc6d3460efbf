package dev.loopguard.core.diff.review;

import java.util.BitSet;
import org.eclipse.jgit.diff.DiffAlgorithm;
import org.eclipse.jgit.diff.Edit;
import org.eclipse.jgit.diff.EditList;
import org.eclipse.jgit.diff.RawText;
import org.eclipse.jgit.diff.RawTextComparator;

/**
 * The lines a change touches in one file: on the base side the lines removed or replaced, on the
 * head side the lines added or replaced (1-based line numbers). A missing side is an empty file.
 */
public record LineChanges(BitSet base, BitSet head, int hunks) {

  /** Line changes between two contents (null: absent), by git's histogram diff. */
  public static LineChanges between(byte[] base, byte[] head) {
    RawText a = new RawText(base == null ? new byte[0] : base);
    RawText b = new RawText(head == null ? new byte[0] : head);
    EditList edits = DiffAlgorithm.getAlgorithm(DiffAlgorithm.SupportedAlgorithm.HISTOGRAM)
        .diff(RawTextComparator.WS_IGNORE_TRAILING, a, b);
    BitSet bl = new BitSet();
    BitSet hl = new BitSet();
    for (Edit e : edits) {
      bl.set(e.getBeginA() + 1, e.getEndA() + 1);
      hl.set(e.getBeginB() + 1, e.getEndB() + 1);
    }
    return new LineChanges(bl, hl, edits.size());
  }

  /** Whether a base line in {@code [from, to]} changed. */
  public boolean baseTouches(int from, int to) {
    return touches(base, from, to);
  }

  /** Whether a head line in {@code [from, to]} changed. */
  public boolean headTouches(int from, int to) {
    return touches(head, from, to);
  }

  private static boolean touches(BitSet lines, int from, int to) {
    int next = lines.nextSetBit(Math.max(0, from));
    return next >= 0 && next <= to;
  }
}
