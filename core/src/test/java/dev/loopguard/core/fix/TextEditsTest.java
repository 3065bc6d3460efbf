package dev.loopguard.core.fix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loopguard.core.ir.Span;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextEditsTest {
  @Test
  void editsApplyByLineAndColumnWhateverTheLineBreaks() {
    String text = "ab\r\ncd\ref\ngh";
    String out = TextEdits.apply(text, List.of(
        new TextEdit(Span.of(2, 1, 2, 3), "CD"),
        TextEdit.insert(1, 1, ">"),
        new TextEdit(Span.of(3, 2, 4, 2), "-"),
        TextEdit.insert(4, 3, "!")));
    assertThat(out).isEqualTo(">ab\r\nCD\re-h!");
  }

  @Test
  void overlappingOrOutOfRangeEditsAreRefused() {
    assertThatThrownBy(() -> TextEdits.apply("abcdef", List.of(new TextEdit(Span.of(1, 1, 1, 4), "x"),
        new TextEdit(Span.of(1, 3, 1, 5), "y")))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("overlap");
    assertThatThrownBy(() -> TextEdits.apply("ab\n", List.of(TextEdit.insert(1, 5, "x"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("past the end");
    assertThatThrownBy(() -> TextEdits.apply("ab", List.of(TextEdit.insert(3, 1, "x"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside");
  }

  @Test
  void theDiffIsUnifiedWithGitsHeadersAndEmptyWhenNothingChanges() {
    String before = "a\nb\nc\nd\ne\nf\ng\nh\n";
    String after = before.replace("e\n", "E\n");
    assertThat(TextEdits.unifiedDiff("x/y.py", before, after)).isEqualTo(
        "--- a/x/y.py\n+++ b/x/y.py\n@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n");
    assertThat(TextEdits.unifiedDiff("x/y.py", before, before)).isEmpty();
  }
}
