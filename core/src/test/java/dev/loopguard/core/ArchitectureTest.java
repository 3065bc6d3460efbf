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

/**
 * Keeps the shape: the core is language-neutral (no frontend or CLI imports, no language names in
 * its code), the semantic model imports no rule, a review knows rules only through their
 * interface and judge, reports and configuration never reach into the engine, and a rule's id
 * lives only in its own package.
 */
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

  private static final Pattern SPECIAL_NAME = Pattern.compile("\"[^\"]*__[a-z]+__[^\"]*\"");

  @Test
  void coreNamesNoSpecialMethodOfALanguage() throws IOException {
    List<String> problems = new ArrayList<>();
    for (Path p : javaFiles(Path.of("src/main/java"))) {
      var m = SPECIAL_NAME.matcher(withoutComments(Files.readString(p)));
      if (m.find()) {
        problems.add(p + ": names " + m.group());
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void theSemanticModelImportsNoRule() throws IOException {
    assertThat(importsMatching("analysis", "import\\s+(static\\s+)?dev\\.loopguard\\.core\\.rules\\b")).isEmpty();
  }

  @Test
  void aReviewKnowsRulesOnlyThroughTheirInterfaceAndJudge() throws IOException {
    assertThat(importsMatching("diff/review",
        "import\\s+(static\\s+)?dev\\.loopguard\\.core\\.rules\\.(?!(Rule|ReviewJudge|RuleCard|Rules);)"))
        .isEmpty();
  }

  @Test
  void reportsAndConfigurationNeverReachIntoTheEngine() throws IOException {
    String engine = "import\\s+(static\\s+)?dev\\.loopguard\\.core\\.engine\\b";
    assertThat(importsMatching("report", engine)).isEmpty();
    assertThat(importsMatching("config", engine)).isEmpty();
    assertThat(importsMatching("result", engine)).isEmpty();
  }

  /** A rule's id, its policy and its texts live in its package; other code asks the rule. */
  @Test
  void aRulesIdAppearsOnlyInItsOwnPackage() throws IOException {
    List<String> ids = dev.loopguard.core.rules.Rules.all().stream()
        .map(dev.loopguard.core.rules.Rule::id).toList();
    assertThat(ids).contains("perf-004", "conc-001", "perf-007");
    List<String> problems = new ArrayList<>();
    for (String module : List.of("src/main/java", "../lang-python/src/main/java", "../cli/src/main/java")) {
      Path root = Path.of(module);
      if (!Files.isDirectory(root)) {
        continue;
      }
      for (Path p : javaFiles(root)) {
        String rel = p.toString().replace('\\', '/');
        String text = null;
        for (String id : ids) {
          if (rel.contains("/core/rules/" + id.replace("-", "") + "/")) {
            continue;
          }
          text = text != null ? text : Files.readString(p);
          if (text.contains(id)) {
            problems.add(p + ": names " + id + " outside its package");
          }
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  private static List<String> importsMatching(String pkg, String regex) throws IOException {
    Pattern pattern = Pattern.compile(regex);
    List<String> out = new ArrayList<>();
    for (Path p : javaFiles(Path.of("src/main/java/dev/loopguard/core").resolve(pkg))) {
      for (String line : Files.readAllLines(p)) {
        if (pattern.matcher(line).find()) {
          out.add(p.getFileName() + ": " + line.trim());
        }
      }
    }
    return out;
  }

  private static List<Path> javaFiles(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(x -> x.toString().endsWith(".java")).sorted().toList();
    }
  }

  /** The code without comments (examples in documentation may name anything). */
  static String withoutComments(String text) {
    return text.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\n]*", " ");
  }
}
