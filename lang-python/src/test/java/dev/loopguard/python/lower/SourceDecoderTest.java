package dev.loopguard.python.lower;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SourceDecoderTest {

  @Test
  void plainUtf8() {
    SourceDecoder.Decoded d = SourceDecoder.decode("x = 'é'\n".getBytes(StandardCharsets.UTF_8), "a.py");
    assertThat(d.text()).isEqualTo("x = 'é'\n");
    assertThat(d.diagnostics()).isEmpty();
  }

  @Test
  void bomIsStripped() {
    byte[] body = "import os\n".getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[body.length + 3];
    bytes[0] = (byte) 0xEF;
    bytes[1] = (byte) 0xBB;
    bytes[2] = (byte) 0xBF;
    System.arraycopy(body, 0, bytes, 3, body.length);
    SourceDecoder.Decoded d = SourceDecoder.decode(bytes, "a.py");
    assertThat(d.text()).isEqualTo("import os\n");
    assertThat(d.diagnostics()).isEmpty();
  }

  @Test
  void latin1CookieOnFirstOrSecondLine() {
    byte[] first = "# -*- coding: latin-1 -*-\ns = '\u00e9'\n".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(SourceDecoder.decode(first, "a.py").text()).isEqualTo("# -*- coding: latin-1 -*-\ns = 'é'\n");
    byte[] second = "#!/usr/bin/env python\n# vim: set fileencoding=iso-8859-15 :\ns = '\u00e9'\n"
        .getBytes(StandardCharsets.ISO_8859_1);
    SourceDecoder.Decoded d = SourceDecoder.decode(second, "a.py");
    assertThat(d.text()).endsWith("s = 'é'\n");
    assertThat(d.charset().name()).isEqualTo("ISO-8859-15");
    assertThat(d.diagnostics()).isEmpty();
  }

  @Test
  void cookieAfterCodeIsIgnored() {
    byte[] bytes = "x = 1\n# coding: latin-1\n".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(SourceDecoder.decode(bytes, "a.py").charset()).isEqualTo(StandardCharsets.UTF_8);
  }

  @Test
  void pythonCodecNamesMapToJavaCharsets() {
    assertThat(SourceDecoder.charsetFor("utf8")).isEqualTo(StandardCharsets.UTF_8);
    assertThat(SourceDecoder.charsetFor("utf-8-sig")).isEqualTo(StandardCharsets.UTF_8);
    assertThat(SourceDecoder.charsetFor("latin_1")).isEqualTo(StandardCharsets.ISO_8859_1);
    assertThat(SourceDecoder.charsetFor("iso-latin-1-unix")).isEqualTo(StandardCharsets.ISO_8859_1);
    assertThat(SourceDecoder.charsetFor("cp1252").name()).isEqualTo("windows-1252");
    assertThat(SourceDecoder.charsetFor("euc_jp")).isNotNull();
    assertThat(SourceDecoder.charsetFor("no-such-codec")).isNull();
  }

  @Test
  void unknownCookieFallsBackToUtf8WithDiagnostic() {
    byte[] bytes = "# coding: klingon\nx = 1\n".getBytes(StandardCharsets.US_ASCII);
    SourceDecoder.Decoded d = SourceDecoder.decode(bytes, "a.py");
    assertThat(d.text()).isEqualTo("# coding: klingon\nx = 1\n");
    assertThat(d.diagnostics()).singleElement()
        .satisfies(x -> assertThat(x.kind()).isEqualTo("decode-error"));
  }

  @Test
  void invalidUtf8IsReplacedAndReported() {
    byte[] bytes = {'x', '=', '1', '\n', 'y', '=', '"', (byte) 0xff, '"', '\n'};
    SourceDecoder.Decoded d = SourceDecoder.decode(bytes, "a.py");
    assertThat(d.text()).isEqualTo("x=1\ny=\"\ufffd\"\n");
    assertThat(d.diagnostics()).singleElement().satisfies(x -> {
      assertThat(x.kind()).isEqualTo("decode-error");
      assertThat(x.line()).isEqualTo(2);
      assertThat(x.path()).isEqualTo("a.py");
    });
  }

  @Test
  void invalidUtf8InCommentsIsAcceptedAsCpythonImportsIt() {
    // CPython 3.11 imports these (its tokenizer does not decode comments): no diagnostic
    for (String src : new String[] {"x = 1  # caf\u00e9 \u00ff\n", "# \u00ff\nx = 1\n",
        "s = '#'  # \u00ff\n", "s = \"\"\"\n\"\"\"  # \u00c0\u0080\n", "x = 1 # \u00ed\u00a0\u0080 surrogate\n"}) {
      SourceDecoder.Decoded d = SourceDecoder.decode(src.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), "a.py");
      assertThat(d.diagnostics()).as(src).isEmpty();
      assertThat(d.text()).as(src).contains("\ufffd");
    }
    // ... and rejects these (a bad byte in a string, or in a string that holds a '#'): reported
    for (String src : new String[] {"s = '# \u00ff'\n", "s = \"\"\"\n# \u00ff\n\"\"\"\n", "\u00ff = 1\n",
        "x = 1  # ok\ns = 'a\\' \u00ff'\n"}) {
      SourceDecoder.Decoded d = SourceDecoder.decode(src.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), "a.py");
      assertThat(d.diagnostics()).as(src).singleElement()
          .satisfies(x -> assertThat(x.kind()).isEqualTo("decode-error"));
    }
    // with another declared encoding, any undecodable byte is an error (CPython: SyntaxError)
    byte[] ascii = "# coding: ascii\nx = 1  # caf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    assertThat(SourceDecoder.decode(ascii, "a.py").diagnostics()).hasSize(1);
  }

  @Test
  void emptyAndNull() {
    assertThat(SourceDecoder.decode(new byte[0], "a.py").text()).isEmpty();
    assertThat(SourceDecoder.decode(null, "a.py").text()).isEmpty();
  }
}
