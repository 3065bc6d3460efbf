package dev.loopguard.python.fix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopguard.core.frontend.Frontends;
import dev.loopguard.core.engine.Knowledge;
import dev.loopguard.core.config.ScanOptions;
import dev.loopguard.core.engine.Scanner;
import dev.loopguard.core.fix.FixOutcome;
import dev.loopguard.core.fix.FixSite;
import dev.loopguard.core.fix.TextEdits;
import dev.loopguard.core.frontend.LanguageFrontend;
import dev.loopguard.core.knowledge.FactIndex;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.rules.Rules;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code loopguard fix}'s Python rewrites on before/after fixtures ({@code src/test/resources/fix}):
 * each {@code NAME.before.py} is scanned as a one-file project, its findings are fixed, and the
 * text must equal {@code NAME.after.py} (the before file itself when there is none: nothing may
 * change); fixing the result again changes nothing.
 */
class PythonFixerTest {
  private static final Path FIXTURES = Path.of("src/test/resources/fix");
  private static final List<LanguageFrontend> FRONTENDS = Frontends.all();
  private static final FactIndex FACTS = new Knowledge(FRONTENDS).load(List.of(), Set.of());

  @TempDir Path dir;

  static Stream<String> cases() throws IOException {
    try (Stream<Path> files = Files.list(FIXTURES)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".before.py"))
          .map(n -> n.substring(0, n.length() - ".before.py".length())).sorted().toList().stream();
    }
  }

  /** The findings of {@code text} as the one file of a project, and the fix of them. */
  private FixOutcome fixOnce(String name, String text) throws IOException {
    Path file = dir.resolve(name + ".py");
    Files.writeString(file, text, StandardCharsets.UTF_8);
    List<Finding> findings = new Scanner(FRONTENDS, FACTS, Rules.all())
        .scan(ScanOptions.of(dir).withThreads(1)).findings();
    List<FixSite> sites = findings.stream().map(FixSite::of).toList();
    return FRONTENDS.get(0).fixes(name + ".py", text, sites);
  }

  @ParameterizedTest
  @MethodSource("cases")
  void theFixedTextIsTheAfterFileAndASecondFixChangesNothing(String name) throws IOException {
    String before = Files.readString(FIXTURES.resolve(name + ".before.py"));
    Path afterFile = FIXTURES.resolve(name + ".after.py");
    String expected = Files.exists(afterFile) ? Files.readString(afterFile) : before;
    FixOutcome first = fixOnce(name, before);
    String after = TextEdits.apply(before, first.edits());
    assertThat(after).as("%s, skipped: %s", name, first.skipped()).isEqualTo(expected);

    FixOutcome second = fixOnce(name, after);
    assertThat(TextEdits.apply(after, second.edits())).as("fixing %s twice", name).isEqualTo(after);
    assertThat(second.fixed()).isEmpty();
    if (before.equals(expected)) {
      assertThat(first.skipped()).as("%s has findings to leave alone", name).isNotEmpty();
    } else {
      assertThat(second.skipped()).as("what %s's fix leaves", name).hasSameSizeAs(first.skipped());
    }
  }

  @Test
  void everyFindingLeftAloneSaysWhy() throws IOException {
    String before = Files.readString(FIXTURES.resolve("left_alone.before.py"));
    List<String> reasons = fixOnce("left_alone", before).skipped().stream()
        .map(s -> s.site().span().line() + " " + s.reason()).toList();
    assertThat(reasons).anyMatch(r -> r.startsWith("14 ") && r.contains("helper"))
        .anyMatch(r -> r.startsWith("16 ") && r.contains("comprehension"))
        .anyMatch(r -> r.startsWith("17 ") && r.contains("larger expression"))
        .anyMatch(r -> r.startsWith("18 ") && r.contains("database connection"))
        .anyMatch(r -> r.startsWith("19 ") && r.contains("lock"));
  }

  @Test
  void windowsLineEndingsAreKeptAndTheImportUsesThem() throws IOException {
    String before = "import time\r\n\r\n\r\nasync def f():\r\n    time.sleep(1)\r\n";
    String after = TextEdits.apply(before, fixOnce("crlf", before).edits());
    assertThat(after).isEqualTo("import asyncio\r\nimport time\r\n\r\n\r\nasync def f():\r\n    await asyncio.sleep(1)\r\n");
  }

  @Test
  void aDocstringOnTheLastLineWithoutLineBreakGetsTheImportOnANewLine() throws IOException {
    String text = "\"\"\"doc\"\"\"";
    // no finding, so no edit: the import is only added with a fix
    assertThat(fixOnce("doc", text).edits()).isEmpty();
    String before = "\"\"\"doc\"\"\"\nimport time\nasync def f(): time.sleep(1)";
    String after = TextEdits.apply(before, fixOnce("doc2", before).edits());
    assertThat(after).isEqualTo("\"\"\"doc\"\"\"\nimport asyncio\nimport time\nasync def f(): await asyncio.sleep(1)");
  }

  @Test
  void aFileThatBindsAsyncioOtherwiseOrDoesNotParseIsLeftAlone() throws IOException {
    FixOutcome shadowed = fixOnce("shadow", "import time\nfrom mylib import asyncio\n\nasync def f():\n    time.sleep(1)\n");
    assertThat(shadowed.edits()).isEmpty();
    assertThat(shadowed.skipped()).singleElement().satisfies(s -> assertThat(s.reason()).contains("binds the name asyncio"));
  }

  /** A made-up direct, high-confidence finding of {@code api} at a call of {@code text}. */
  private static FixSite site(String text, String call, String api) {
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      int col = lines[i].indexOf(call);
      if (col >= 0) {
        return new FixSite("perf-004", dev.loopguard.core.ir.Span.of(i + 1, col + 1, i + 1, col + 1 + call.length()),
            api, "sleep", dev.loopguard.core.model.Confidence.HIGH, true, false);
      }
    }
    throw new AssertionError(call);
  }

  @Test
  void awaitGoesOnlyIntoTheBodyOfTheAsyncDefItself() {
    String text = "import time\n"
        + "async def f(delay=time.sleep(0)):\n"
        + "    g = lambda: time.sleep(1)\n"
        + "    def inner():\n"
        + "        time.sleep(2)\n"
        + "    class K:\n"
        + "        time.sleep(3)\n"
        + "    x = [time.sleep(4) for _ in 'ab']\n"
        + "    time.sleep(5)\n";
    List<FixSite> sites = List.of(site(text, "time.sleep(0)", "time.sleep"), site(text, "time.sleep(1)", "time.sleep"),
        site(text, "time.sleep(2)", "time.sleep"), site(text, "time.sleep(3)", "time.sleep"),
        site(text, "time.sleep(4)", "time.sleep"), site(text, "time.sleep(5)", "time.sleep"));
    FixOutcome o = new PythonFixer().fix(text, sites);
    assertThat(o.fixed()).containsExactly(sites.get(5));
    assertThat(o.skipped().stream().map(FixOutcome.Skipped::reason).toList()).satisfiesExactly(
        r -> assertThat(r).contains("default value"),
        r -> assertThat(r).contains("lambda"),
        r -> assertThat(r).contains("sync def"),
        r -> assertThat(r).contains("class body"),
        r -> assertThat(r).contains("comprehension"));
    assertThat(TextEdits.apply(text, o.edits())).endsWith("    await asyncio.sleep(5)\n").startsWith("import asyncio\nimport time\n");
  }

  @Test
  void aGeneratorArgumentAndAnUndottedCalleeAreNotMovedToAThread() {
    String text = "import asyncio\nasync def f(xs, make):\n    consume(x for x in xs)\n    make().run(1)\n";
    FixOutcome o = new PythonFixer().fix(text, List.of(site(text, "consume(x for x in xs)", "lib.consume"),
        site(text, "make().run(1)", "lib.Runner.run")));
    assertThat(o.edits()).isEmpty();
    assertThat(o.skipped().stream().map(FixOutcome.Skipped::reason).toList()).satisfiesExactly(
        r -> assertThat(r).contains("generator"), r -> assertThat(r).contains("dotted"));
  }
}
