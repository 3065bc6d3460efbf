package dev.loopguard.python.lower;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopguard.core.ir.Span;
import dev.loopguard.python.ast.Ast;
import dev.loopguard.python.parse.PythonParser;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SourceTextTest {

  @Test
  void slicesByLineAndColumn() {
    SourceText t = new SourceText("ab\r\ncdef\rgh\n");
    assertThat(t.lineCount()).isEqualTo(3);
    assertThat(t.slice(new Ast.Loc(2, 1, 2, 3))).isEqualTo("de");
    assertThat(t.slice(new Ast.Loc(1, 1, 3, 1))).isEqualTo("b\r\ncdef\rg");
    assertThat(t.slice(Ast.Loc.NONE)).isEmpty();
    assertThat(t.wholeSpan()).isEqualTo(Span.of(1, 1, 3, 3));
  }

  /**
   * Counting the lines of bytes (eight at a time until a \r turns up) agrees with counting those
   * of the text: random bytes of every length up to 40, over line breaks, a byte that differs
   * from \n and \r in one bit each, and bytes with the high bit set.
   */
  @Test
  void lineCountOfBytesIsTheTextsLineCount() {
    byte[] alphabet = {'\n', 'a', 0x0B, 0x0C, 0x0E, 0x0F, 0x08, 0x0, (byte) 0x8A, (byte) 0x8D,
        (byte) 0xFF, ' ', '\r'};
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < 20_000; i++) {
      byte[] bytes = new byte[random.nextInt(41)];
      // Mostly text without \r (the fast path; it is last), now and then with.
      int kinds = random.nextInt(4) == 0 ? alphabet.length : alphabet.length - 1;
      for (int k = 0; k < bytes.length; k++) {
        bytes[k] = alphabet[random.nextInt(kinds)];
      }
      String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
      assertThat(SourceText.lineCountOf(bytes)).as("%s", java.util.Arrays.toString(bytes))
          .isEqualTo(new SourceText(text).lineCount());
    }
  }

  /** The lexer records line starts as it goes; they must be the ones a scan of the text finds. */
  @Test
  void lexerLineStartsAreTheTextsLineStarts() throws Exception {
    List<String> sources = new ArrayList<>(List.of("", "\n", "\r", "\r\n", "a\rb\r\nc\nd",
        "x = '''a\r\nb\rc'''\n", "x = '''unterminated\n\ny = 1\n", "f'{a\r\n}'\n",
        "f'''{a}\r\n{b}'''\r", "s = 'a\\\r\nb'\n", "x = 1 \\\r\n  + 2\r\n", "\uFEFFx\r\n",
        "rb'''\r\r'''", "def f():\r\n\tpass\r\n# c\r", "x = 'open\ny = 2\n", "a\0b\nc"));
    // Random text over the characters that decide where strings, comments and lines end.
    String alphabet = "\"'\\\r\n\rf{}a #(r\t";
    java.util.Random random = new java.util.Random(42);
    for (int i = 0; i < 5000; i++) {
      StringBuilder sb = new StringBuilder();
      int n = random.nextInt(40);
      for (int k = 0; k < n; k++) {
        sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      sources.add(sb.toString());
    }
    try (var files = java.nio.file.Files.walk(java.nio.file.Path.of("src/test/resources/fixtures"))) {
      for (var f : files.filter(x -> x.toString().endsWith(".py")).toList()) {
        sources.add(java.nio.file.Files.readString(f));
      }
    }
    int compared = 0;
    for (String source : sources) {
      int[] recorded = PythonParser.parse(source).lineStarts();
      if (recorded != null) {
        compared++;
        assertThat(recorded).as("line starts of %s", source.replace("\r", "\\r").replace("\n", "\\n"))
            .isEqualTo(SourceText.lineStartsOf(source));
      }
    }
    assertThat(compared).isGreaterThan(sources.size() * 9 / 10);
  }

  @Test
  void spansAreOneBased() {
    assertThat(SourceText.span(new Ast.Loc(3, 0, 3, 4))).isEqualTo(Span.of(3, 1, 3, 5));
    assertThat(SourceText.span(Ast.Loc.NONE)).isEqualTo(Span.NONE);
  }

  @Test
  void shortenJoinsLinesAndCuts() {
    assertThat(SourceText.shorten("client\n    .get", 60)).isEqualTo("client.get");
    assertThat(SourceText.shorten("f(a,\n  b)", 60)).isEqualTo("f(a, b)");
    assertThat(SourceText.shorten("a and \\\n  b", 60)).isEqualTo("a and b");
    assertThat(SourceText.shorten("x".repeat(100), 60)).hasSize(60).endsWith("...");
    assertThat(SourceText.shorten("short", 60)).isEqualTo("short");
  }

  @Test
  void shortTextCutsOneLineAsShortenDoes() {
    String line = "x = " + "a".repeat(55) + "\uD83D\uDE00" + "b".repeat(40);
    SourceText t = new SourceText("first\n" + line + "\n");
    for (int max : new int[] {10, 57, 58, 59, 60, 200}) {
      Ast.Loc loc = new Ast.Loc(2, 4, 2, line.length());
      String expected = SourceText.shorten(line.substring(4), max);
      assertThat(t.shortText(loc, max)).as("max %d", max).isEqualTo(expected);
    }
    // The cut never splits a surrogate pair.
    assertThat(t.shortText(new Ast.Loc(2, 4, 2, line.length()), 59)).doesNotContain("\uD83D.");
    // Across lines the text is still folded.
    assertThat(t.shortText(new Ast.Loc(1, 0, 2, 5), 60)).isEqualTo("first x = a");
  }

  @Test
  void emptyText() {
    SourceText t = new SourceText("");
    assertThat(t.lineCount()).isEqualTo(1);
    assertThat(t.wholeSpan()).isEqualTo(Span.of(1, 1, 1, 1));
  }
}
