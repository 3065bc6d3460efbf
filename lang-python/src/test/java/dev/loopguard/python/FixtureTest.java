package dev.loopguard.python;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopguard.core.testkit.Fixture;
import dev.loopguard.core.testkit.FixtureRunner;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Runs every annotated fixture under {@code src/test/resources/fixtures}. */
class FixtureTest {
  private static final FixtureRunner RUNNER = new FixtureRunner();

  @TestFactory
  Stream<DynamicTest> fixtures() throws IOException, URISyntaxException {
    Path root = Path.of(FixtureTest.class.getResource("/fixtures").toURI());
    List<Path> files;
    try (Stream<Path> s = Files.walk(root)) {
      files = s.filter(p -> p.toString().endsWith(".py")).sorted().toList();
    }
    assertThat(files).as("fixture files").isNotEmpty();
    return files.stream().map(p -> {
      String name = root.relativize(p).toString().replace('\\', '/');
      return DynamicTest.dynamicTest(name, () -> {
        String text = Files.readString(p, StandardCharsets.UTF_8);
        Fixture fx = Fixture.parse(name, text, p.getFileName().toString(), "#");
        FixtureRunner.Outcome o = RUNNER.run(fx);
        assertThat(o.problems()).as("fixture " + name).isEmpty();
      });
    });
  }
}
