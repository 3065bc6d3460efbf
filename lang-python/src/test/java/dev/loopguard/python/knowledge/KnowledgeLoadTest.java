package dev.loopguard.python.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loopguard.core.engine.Frontends;
import dev.loopguard.core.engine.Knowledge;
import dev.loopguard.core.knowledge.FactIndex;
import dev.loopguard.core.knowledge.KnowledgeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnowledgeLoadTest {

  @Test
  void preloadedBuiltInPacksGiveTheSameIndexAsALoadWithoutPreloading() {
    FactIndex first = Knowledge.load(Frontends.all(), List.of(), Set.of());
    Knowledge.preload(Frontends.all());
    FactIndex again = Knowledge.load(Frontends.all(), List.of(), Set.of());
    assertThat(again.fingerprint()).isEqualTo(first.fingerprint());
    assertThat(again.size()).isEqualTo(first.size()).isGreaterThan(100);
    assertThat(again.lookup("requests.get")).isNotNull();
  }

  @Test
  void userPacksAndDisabledFactsApplyToEveryLoadNotJustTheFirst(@TempDir Path dir) throws Exception {
    Path pack = dir.resolve("mine.yaml");
    Files.writeString(pack, """
        pack: mine
        language: python
        facts:
          - id: mine.slow-call
            match: mylib.slow_call
            kind: blocking
            category: other
        """);
    Knowledge.preload(Frontends.all());
    FactIndex plain = Knowledge.load(Frontends.all(), List.of(), Set.of());
    FactIndex withPack = Knowledge.load(Frontends.all(), List.of(pack), Set.of());
    assertThat(plain.lookup("mylib.slow_call")).isNull();
    assertThat(withPack.lookup("mylib.slow_call")).isNotNull();
    String someId = plain.lookup("requests.get").id();
    FactIndex disabled = Knowledge.load(Frontends.all(), List.of(), Set.of(someId));
    assertThat(plain.byId(someId)).isNotNull();
    assertThat(disabled.byId(someId)).isNull();
    assertThat(Knowledge.load(Frontends.all(), List.of(), Set.of()).byId(someId)).isNotNull();
    assertThatThrownBy(() -> Knowledge.load(Frontends.all(), List.of(), Set.of("no.such.fact")))
        .isInstanceOf(KnowledgeException.class);
  }
}
