package dev.loopguard.python.robust;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.loopguard.core.frontend.SourceFile;
import dev.loopguard.core.ir.Diagnostic;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.python.PythonFrontend;
import dev.loopguard.python.ast.ParseResult;
import dev.loopguard.python.lower.SourceDecoder;
import dev.loopguard.python.parse.PythonParser;
import java.util.List;
import java.util.Set;

/**
 * Fuzz targets for the lexer, parser and lowering. Documented results only: a parse result (with
 * syntax errors for bad input) and an IR whose diagnostics have known kinds; never an exception,
 * a StackOverflowError or an internal error.
 *
 * <p>{@code mvn verify} runs the seed inputs under {@code src/test/resources/.../ParserFuzzTestInputs/}
 * (regression mode). To fuzz: {@code JAZZER_FUZZ=1 mvn -pl lang-python -am test
 * -Dtest=ParserFuzzTest#parse -Dsurefire.failIfNoSpecifiedTests=false} (see bench/README.md).
 */
class ParserFuzzTest {
  private static final PythonFrontend PY = new PythonFrontend();
  private static final Set<String> KINDS = Set.of("syntax-error", "decode-error", "too-deep");

  @FuzzTest(maxDuration = "60s")
  void parse(byte[] input) {
    String text = SourceDecoder.decode(input, "fuzz.py").text();
    ParseResult r = PythonParser.parse(text);
    assertThat(r).isNotNull();
    assertThat(r.module()).isNotNull();
  }

  @FuzzTest(maxDuration = "60s")
  void lower(byte[] input) {
    ModuleIr m = PY.lower(new SourceFile("pkg/fuzz.py", "pkg.fuzz", List.of("fuzz"), input));
    assertThat(m.functions()).isNotEmpty();
    for (Diagnostic d : m.diagnostics()) {
      assertThat(d.kind()).as(d.message()).isIn(KINDS);
    }
  }
}
