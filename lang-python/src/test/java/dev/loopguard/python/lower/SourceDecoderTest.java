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
  void emptyAndNull() {
    assertThat(SourceDecoder.decode(new byte[0], "a.py").text()).isEmpty();
    assertThat(SourceDecoder.decode(null, "a.py").text()).isEmpty();
  }
}
