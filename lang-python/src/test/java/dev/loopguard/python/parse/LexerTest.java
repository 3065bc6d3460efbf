package dev.loopguard.python.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopguard.python.ast.ParseResult.Comment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LexerTest {

  /** Tokens as "TYPE[:value]@line:col-endLine:endCol", up to and including EOF. */
  static List<String> tokens(String src) {
    Diagnostics d = new Diagnostics();
    Lexer lx = new Lexer(src, d);
    List<String> out = new ArrayList<>();
    for (int i = 0; ; i++) {
      lx.fill(i + 1);
      int t = lx.type(i);
      StringBuilder b = new StringBuilder(name(t));
      if (lx.val[i] != null) {
        b.append(':').append(lx.val[i]);
      }
      b.append('@').append(lx.sLine(i)).append(':').append(lx.sCol(i)).append('-')
          .append(lx.eLine(i)).append(':').append(lx.eCol(i));
      out.add(b.toString());
      if (t == T.EOF) {
        return out;
      }
    }
  }

  static List<String> types(String src) {
    Lexer lx = new Lexer(src, new Diagnostics());
    List<String> out = new ArrayList<>();
    for (int i = 0; ; i++) {
      lx.fill(i + 1);
      out.add(name(lx.type(i)));
      if (lx.type(i) == T.EOF) {
        return out;
      }
    }
  }

  static Diagnostics errors(String src) {
    Diagnostics d = new Diagnostics();
    Lexer lx = new Lexer(src, d);
    for (int i = 0; ; i++) {
      lx.fill(i + 1);
      if (lx.type(i) == T.EOF) {
        return d;
      }
    }
  }

  static String name(int t) {
    switch (t) {
      case T.EOF: return "EOF";
      case T.NEWLINE: return "NEWLINE";
      case T.INDENT: return "INDENT";
      case T.DEDENT: return "DEDENT";
      case T.NAME: return "NAME";
      case T.NUMBER: return "NUMBER";
      case T.STRING: return "STRING";
      case T.FSTRING_START: return "FSTART";
      case T.FSTRING_MIDDLE: return "FMID";
      case T.FSTRING_END: return "FEND";
      case T.ERROR: return "ERROR";
      default: return T.describe(t);
    }
  }

  @Test
  void indentationProducesIndentAndDedent() {
    assertThat(types("if x:\n    y\n    if z:\n        w\nv\n")).containsExactly(
        "'if'", "NAME", "':'", "NEWLINE", "INDENT", "NAME", "NEWLINE", "'if'", "NAME", "':'",
        "NEWLINE", "INDENT", "NAME", "NEWLINE", "DEDENT", "DEDENT", "NAME", "NEWLINE", "EOF");
  }

  @Test
  void blankAndCommentLinesDoNotAffectIndentation() {
    assertThat(types("if x:\n\n    # c\n  # odd comment\n    y\n")).containsExactly(
        "'if'", "NAME", "':'", "NEWLINE", "INDENT", "NAME", "NEWLINE", "DEDENT", "EOF");
  }

  @Test
  void tabsAdvanceToTheNextMultipleOfEight() {
    assertThat(errors("if a:\n\tif b:\n\t\tc\n\td\n").errors).isEmpty();
    assertThat(types("if a:\n\tif b:\n\t\tc\n\td\n")).containsExactly("'if'", "NAME", "':'",
        "NEWLINE", "INDENT", "'if'", "NAME", "':'", "NEWLINE", "INDENT", "NAME", "NEWLINE",
        "DEDENT", "NAME", "NEWLINE", "DEDENT", "EOF");
    // 8 spaces then 8 spaces + tab (column 16): consistent, one more level
    assertThat(errors("if a:\n        if b:\n        \tc\n").errors).isEmpty();
    // "\t" and 8 spaces are both column 8 but differ under tab size 1: TabError (as CPython)
    assertThat(errors("if x:\n\ty\n        z\n").errors).extracting(e -> e.message())
        .containsExactly("inconsistent use of tabs and spaces in indentation");
    assertThat(errors("if x:\n\ty\n  \tz\n").errors).extracting(e -> e.message())
        .containsExactly("inconsistent use of tabs and spaces in indentation");
  }

  @Test
  void formFeedResetsTheColumn() {
    assertThat(types("if x:\n    \fy\n")).doesNotContain("INDENT");
    assertThat(types("if x:\n\f    y\n")).contains("INDENT");
  }

  @Test
  void lineEndingsCrLfCrAndLf() {
    for (String nl : new String[] {"\n", "\r\n", "\r"}) {
      List<String> toks = tokens("a = 1" + nl + "b" + nl);
      assertThat(toks).as(nl.replace("\r", "CR").replace("\n", "LF"))
          .contains("NAME:a@1:0-1:1", "NUMBER:1@1:4-1:5", "NAME:b@2:0-2:1");
      assertThat(types("a = 1" + nl + "b" + nl)).containsExactly("NAME", "'='", "NUMBER",
          "NEWLINE", "NAME", "NEWLINE", "EOF");
    }
  }

  @Test
  void bracketsJoinLinesAndBackslashContinues() {
    assertThat(types("x = (1,\n     2)\ny = 1 + \\\n  2\n")).containsExactly("NAME", "'='",
        "'('", "NUMBER", "','", "NUMBER", "')'", "NEWLINE", "NAME", "'='", "NUMBER", "'+'",
        "NUMBER", "NEWLINE", "EOF");
    assertThat(tokens("y = 1 + \\\n  2\n")).contains("NUMBER:2@2:2-2:3");
  }

  @Test
  void commentsAreCollected() {
    Diagnostics d = new Diagnostics();
    Lexer lx = new Lexer("# head\nx = 1  # tail\nf(a,  # in brackets\n  b)\n", d);
    lx.fill(1000);
    assertThat(lx.comments).containsExactly(new Comment(1, 0, " head", false),
        new Comment(2, 7, " tail", true), new Comment(3, 6, " in brackets", true));
  }

  @Test
  void numbers() {
    for (String n : new String[] {"0", "00", "0_0", "123", "1_000", "0x1F", "0X_ff", "0o17",
        "0b1010", "1.5", "1.", ".5", "1e10", "1E-5", "1.5e+3", "1j", "1.5J", "1_0.0_1e1_0j",
        "09.5", "0e0"}) {
      assertThat(tokens(n + "\n")).as(n).first().isEqualTo("NUMBER:" + n + "@1:0-1:" + n.length());
    }
    for (String bad : new String[] {"0777", "1__0", "1_", "0x", "0b2", "0o8", "10L", "1abc",
        "0x_"}) {
      assertThat(errors(bad + "\n").errors).as(bad).isNotEmpty();
    }
    // a keyword right after a number is only a warning in CPython
    assertThat(errors("1if x else 2\n").errors).isEmpty();
    assertThat(types("1if x else 2\n")).startsWith("NUMBER", "'if'");
    assertThat(types("1else\n")).startsWith("NUMBER", "'else'");
  }

  @Test
  void stringPrefixesAndValues() {
    assertThat(tokens("r'\\d' b'x' rb'\\n' BR'y' u'z' 'a\\tb'\n")).containsSubsequence(
        "STRING:\\d@1:0-1:5", "STRING:x@1:6-1:10", "STRING:\\n@1:11-1:17",
        "STRING:y@1:18-1:23", "STRING:z@1:24-1:28", "STRING:a\tb@1:29-1:35");
    assertThat(types("ur'x'\n")).startsWith("NAME", "STRING");
    assertThat(types("f'x'\n")).startsWith("FSTART", "FMID", "FEND");
  }

  @Test
  void tripleQuotedStringsSpanLinesAndNormalizeNewlines() {
    assertThat(tokens("'''a\r\nb'''\n")).first().isEqualTo("STRING:a\nb@1:0-2:4");
    assertThat(tokens("x = \"\"\"\n\"\"\"\n")).contains("STRING:\n@1:4-2:3");
  }

  @Test
  void escapes() {
    assertThat(tokens("'\\x41\\u0042\\U00000043\\N{LATIN SMALL LETTER D}\\101\\q'\n").get(0))
        .startsWith("STRING:ABCdA\\q@");
    assertThat(tokens("b'\\xff\\u0041'\n").get(0)).startsWith("STRING:\u00ff\\u0041@");
    assertThat(tokens("'a\\\nb'\n").get(0)).startsWith("STRING:ab@");
    assertThat(errors("'\\x4'\n").errors).isNotEmpty();
    assertThat(errors("'\\U00110000'\n").errors).isNotEmpty();
    // invalid escapes only warn in CPython
    assertThat(errors("'\\d \\w'\n").errors).isEmpty();
  }

  @Test
  void fstringTokens() {
    assertThat(tokens("f'a{x!r:>{w}}b'\n")).containsExactly(
        "FSTART@1:0-1:2", "FMID:a@1:2-1:3", "'{'@1:3-1:4", "NAME:x@1:4-1:5", "'!'@1:5-1:6",
        "NAME:r@1:6-1:7", "':'@1:7-1:8", "FMID:>@1:8-1:9", "'{'@1:9-1:10", "NAME:w@1:10-1:11",
        "'}'@1:11-1:12", "'}'@1:12-1:13", "FMID:b@1:13-1:14", "FEND@1:14-1:15",
        "NEWLINE@1:15-1:16", "EOF@2:0-2:0");
    // PEP 701: the same quotes nest
    assertThat(types("f'{f'{x}'}'\n")).containsExactly("FSTART", "'{'", "FSTART", "'{'",
        "NAME", "'}'", "FEND", "'}'", "FEND", "NEWLINE", "EOF");
    assertThat(tokens("f'{{}}'\n")).contains("FMID:{}@1:2-1:6");
    // ':' inside brackets is not a format spec; '!=' is an operator
    assertThat(types("f'{a[1:2]}{b!=c}'\n")).containsSubsequence("'['", "NUMBER", "':'",
        "NUMBER", "']'", "NAME", "'!='", "NAME");
  }

  @Test
  void multiLineReplacementFieldInTripleQuotedFString() {
    assertThat(types("f'''{\n  x  # comment\n  + 1\n}'''\n")).containsExactly("FSTART", "'{'",
        "NAME", "'+'", "NUMBER", "'}'", "FEND", "NEWLINE", "EOF");
  }

  @Test
  void identifiers() {
    assertThat(tokens("café π 𝑥 _x\n")).containsSubsequence("NAME:café@1:0-1:4",
        "NAME:π@1:5-1:6", "NAME:x@1:7-1:9", "NAME:_x@1:10-1:12");
    assertThat(types("match case type _ print\n")).startsWith("NAME", "NAME", "NAME", "NAME",
        "NAME");
    assertThat(types("if else None\n")).startsWith("'if'", "'else'", "'None'");
  }

  @Test
  void bomIsSkipped() {
    assertThat(tokens("\uFEFFx\n")).first().isEqualTo("NAME:x@1:0-1:1");
  }

  @Test
  void errorsBecomeErrorTokensAndLexingContinues() {
    Diagnostics d = errors("x = $\ny = `z`\nw = 'abc\nv = 1\n");
    assertThat(d.errors).hasSize(4);
    assertThat(types("x = $\nv = 1\n")).containsExactly("NAME", "'='", "ERROR", "NEWLINE",
        "NAME", "'='", "NUMBER", "NEWLINE", "EOF");
  }

  @Test
  void nulCharacterIsAnErrorNotACrash() {
    Diagnostics d = errors("x = 1\u0000\ny = 2\n");
    assertThat(d.errors).extracting(e -> e.message())
        .containsExactly("source code cannot contain null bytes");
    assertThat(d.errors.get(0).line()).isEqualTo(1);
    assertThat(d.errors.get(0).col()).isEqualTo(5);
  }

  @Test
  void unterminatedTripleQuotedStringRecoversAtTheNextLine() {
    assertThat(types("x = '''abc\ny = 1\n")).containsExactly("NAME", "'='", "ERROR", "NEWLINE",
        "NAME", "'='", "NUMBER", "NEWLINE", "EOF");
    assertThat(errors("x = '''abc\ny = 1\n").errors).extracting(e -> e.message())
        .containsExactly("unterminated triple-quoted string literal (detected at line 3)");
  }

  @Test
  void unclosedBracketIsClosedAtAStatementKeyword() {
    List<String> t = types("x = f(1,\ndef g():\n    pass\n");
    assertThat(t).containsSubsequence("ERROR", "NEWLINE", "'def'", "NAME", "'('", "')'", "':'",
        "NEWLINE", "INDENT", "'pass'");
    assertThat(errors("x = f(1,\ndef g():\n    pass\n").errors).extracting(e -> e.message())
        .containsExactly("'(' was never closed");
  }

  @Test
  void unclosedBracketAtEof() {
    assertThat(errors("x = [1,\n2\n").errors).extracting(e -> e.message())
        .containsExactly("'[' was never closed");
  }

  @Test
  void tooManyParentheses() {
    String ok = "(".repeat(200) + ")".repeat(200) + "\n";
    assertThat(errors(ok).errors).isEmpty();
    String bad = "(".repeat(201) + ")".repeat(201) + "\n";
    assertThat(errors(bad).errors).extracting(e -> e.kind() + ": " + e.message())
        .containsExactly("too-deep: too many nested parentheses");
  }

  @Test
  void tooManyIndentationLevels() {
    StringBuilder ok = new StringBuilder();
    for (int i = 0; i < 99; i++) {
      ok.append(" ".repeat(i)).append("if x:\n");
    }
    ok.append(" ".repeat(99)).append("pass\n");
    assertThat(errors(ok.toString()).errors).isEmpty();
    StringBuilder bad = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      bad.append(" ".repeat(i)).append("if x:\n");
    }
    bad.append(" ".repeat(100)).append("pass\n");
    assertThat(errors(bad.toString()).errors).extracting(e -> e.kind() + "@" + e.line())
        .containsExactly("too-deep@101");
  }
}
