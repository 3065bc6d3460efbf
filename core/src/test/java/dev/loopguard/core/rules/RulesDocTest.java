package dev.loopguard.core.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/rules.md lists every registered rule, one table row each, with its card's title. */
class RulesDocTest {
  @Test
  void everyRuleHasItsRowWithItsTitle() throws IOException {
    String doc = Files.readString(Path.of("../docs/rules.md"));
    assertThat(Rules.all()).isNotEmpty();
    for (Rule r : Rules.all()) {
      assertThat(doc).as("docs/rules.md row of " + r.id())
          .contains("| " + r.id() + " | " + r.card().title() + " |");
    }
  }
}
