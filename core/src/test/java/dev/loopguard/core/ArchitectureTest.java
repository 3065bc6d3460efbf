package dev.loopguard.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Keeps the core language-neutral: no frontend or CLI imports, no language names in its code. */
class ArchitectureTest {
  private static final Pattern FORBIDDEN_IMPORT = Pattern.compile("import\\s+dev\\.loopguard\\.(python|cli|lang)\\b");
  private static final Pattern LANGUAGE_WORDS =
      Pattern.compile("\\b(asyncio|requests\\.|httpx|fastapi|FastAPI|__init__\\.py|pyvenv|noqa|\\.py\")\\b");

  @Test
  void coreDependsOnNoFrontendAndNamesNoLanguage() throws IOException {
    Path src = Path.of("src/main/java");
    List<String> problems = new ArrayList<>();
    try (Stream<Path> s = Files.walk(src)) {
      for (Path p : s.filter(x -> x.toString().endsWith(".java")).toList()) {
        String text = Files.readString(p);
        if (FORBIDDEN_IMPORT.matcher(text).find()) {
          problems.add(p + ": imports a frontend or the CLI");
        }
        var m = LANGUAGE_WORDS.matcher(withoutComments(text));
        if (m.find()) {
          problems.add(p + ": mentions '" + m.group() + "'");
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  /** The code without comments (examples in documentation may name anything). */
  static String withoutComments(String text) {
    return text.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\n]*", " ");
  }
}
