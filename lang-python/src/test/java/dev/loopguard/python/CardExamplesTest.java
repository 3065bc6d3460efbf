package dev.loopguard.python;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopguard.core.rules.Rule;
import dev.loopguard.core.rules.RuleCard;
import dev.loopguard.core.rules.Rules;
import dev.loopguard.core.testkit.Fixture;
import dev.loopguard.core.testkit.FixtureRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The examples in every rule card run: "fail" examples must be flagged, "pass" ones must not. */
class CardExamplesTest {
  @TestFactory
  Stream<DynamicTest> examples() {
    FixtureRunner runner = new FixtureRunner();
    List<DynamicTest> tests = new ArrayList<>();
    for (Rule r : Rules.all()) {
      RuleCard card = r.card();
      assertThat(r.id()).as("a rule's id is its card's").isEqualTo(card.id());
      assertThat(card.examples()).as(card.id() + " examples").isNotEmpty();
      int i = 0;
      for (RuleCard.Example e : card.examples()) {
        if (!"python".equals(e.language())) {
          continue;
        }
        int n = ++i;
        tests.add(DynamicTest.dynamicTest(card.id() + " #" + n + " " + e.verdict() + ": " + e.title(), () -> {
          Fixture fx = Fixture.parse("example", e.code(), "app/example.py", "#");
          FixtureRunner.Outcome o = runner.run(fx);
          long mine = o.result().findings().stream().filter(f -> f.rule().equals(card.id())).count();
          if (e.verdict().equals("fail")) {
            assertThat(mine).as("findings for a fail example").isPositive();
          } else {
            assertThat(mine).as("findings for a pass example").isZero();
          }
        }));
      }
    }
    return tests.stream();
  }
}
