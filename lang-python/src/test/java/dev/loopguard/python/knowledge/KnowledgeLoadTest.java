package dev.loopguard.python.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loopguard.core.frontend.Frontends;
import dev.loopguard.core.engine.Knowledge;
import dev.loopguard.core.engine.cache.KnowledgeSnapshot;
import dev.loopguard.core.frontend.LanguageFrontend;
import dev.loopguard.core.knowledge.Fact;
import dev.loopguard.core.knowledge.FactIndex;
import dev.loopguard.core.knowledge.KnowledgeException;
import dev.loopguard.core.knowledge.PackLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnowledgeLoadTest {

  @Test
  void preloadedBuiltInPacksGiveTheSameIndexAsALoadWithoutPreloading() {
    FactIndex first = new Knowledge(Frontends.all()).load(List.of(), Set.of());
    Knowledge preloaded = new Knowledge(Frontends.all());
    preloaded.preload();
    FactIndex again = preloaded.load(List.of(), Set.of());
    assertThat(again.fingerprint()).isEqualTo(first.fingerprint());
    assertThat(again.size()).isEqualTo(first.size()).isGreaterThan(100);
    assertThat(again.lookup("requests.get")).isNotNull();
  }

  @Test
  void theBuiltInPacksKnowWhichTypesAreLocks() {
    FactIndex index = new Knowledge(Frontends.all()).load(List.of(), Set.of());
    for (String lock : List.of("asyncio.Lock", "asyncio.Condition", "threading.Lock",
        "threading.RLock", "anyio.Lock", "trio.Lock", "trio.StrictFIFOLock",
        "multiprocessing.Lock")) {
      assertThat(index.lock(lock)).as(lock).isNotNull();
    }
    for (String other : List.of("asyncio.Semaphore", "asyncio.Event", "threading.Event",
        "requests.Session")) {
      assertThat(index.lock(other)).as(other).isNull();
    }
    // A lock fact changes nothing a call resolves to.
    assertThat(index.lookup("threading.Lock.__enter__").kind().yamlName()).isEqualTo("blocking");
    assertThat(index.lookup("asyncio.Lock")).isNull();
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
    Knowledge knowledge = new Knowledge(Frontends.all());
    knowledge.preload();
    FactIndex plain = knowledge.load(List.of(), Set.of());
    FactIndex withPack = knowledge.load(List.of(pack), Set.of());
    assertThat(plain.lookup("mylib.slow_call")).isNull();
    assertThat(withPack.lookup("mylib.slow_call")).isNotNull();
    String someId = plain.lookup("requests.get").id();
    FactIndex disabled = knowledge.load(List.of(), Set.of(someId));
    assertThat(plain.byId(someId)).isNotNull();
    assertThat(disabled.byId(someId)).isNull();
    assertThat(knowledge.load(List.of(), Set.of()).byId(someId)).isNotNull();
    assertThatThrownBy(() -> knowledge.load(List.of(), Set.of("no.such.fact")))
        .isInstanceOf(KnowledgeException.class);
  }

  @Test
  void aSnapshotGivesBackEveryBuiltInFactExactlyUnderItsKeyOnly(@TempDir Path dir) throws Exception {
    Map<String, List<Fact>> packs = new LinkedHashMap<>();
    for (LanguageFrontend fe : Frontends.all()) {
      for (String res : fe.knowledgePacks()) {
        packs.put(res, new PackLoader().loadResource(fe.getClass().getClassLoader(), res));
      }
    }
    assertThat(packs.values().stream().mapToInt(List::size).sum()).isGreaterThan(100);
    assertThat(packs.values().stream().flatMap(List::stream)
        .anyMatch(f -> !f.nonBlockingIf().isEmpty())).isTrue();
    assertThat(packs.values().stream().flatMap(List::stream)
        .anyMatch(f -> f.nonBlockingIf().stream().anyMatch(c -> !c.types().isEmpty()))).isTrue();
    assertThat(packs.values().stream().flatMap(List::stream)
        .anyMatch(f -> !f.syncHandlerIf().isEmpty())).isTrue();
    Path file = dir.resolve("sub/loopguard.facts");
    assertThat(KnowledgeSnapshot.write(file, new long[] {1, 2}, packs)).isTrue();
    assertThat(KnowledgeSnapshot.read(file, new long[] {1, 2})).isEqualTo(packs);
    assertThat(KnowledgeSnapshot.read(file, new long[] {1, 3})).isNull();
    assertThat(Files.exists(dir.resolve("sub/.gitignore"))).isFalse();
    byte[] b = Files.readAllBytes(file);
    b[b.length / 2] ^= 1;
    Files.write(file, b);
    assertThat(KnowledgeSnapshot.read(file, new long[] {1, 2})).isNull();
    assertThat(KnowledgeSnapshot.read(dir.resolve("missing.facts"), new long[] {1, 2})).isNull();
  }

  @Test
  void preloadingWithASnapshotWritesItOnceAndReplacesAForeignOne(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("loopguard.facts");
    new Knowledge(Frontends.all()).preload(file);
    byte[] written = Files.readAllBytes(file);
    assertThat(written.length).isGreaterThan(10_000);
    Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(0));
    new Knowledge(Frontends.all()).preload(file);
    assertThat(Files.getLastModifiedTime(file).toMillis()).as("read, not written again").isZero();
    Files.writeString(file, "not a snapshot");
    Knowledge fromSnapshot = new Knowledge(Frontends.all());
    fromSnapshot.preload(file);
    assertThat(Files.readAllBytes(file)).isEqualTo(written);
    FactIndex loaded = fromSnapshot.load(List.of(), Set.of());
    assertThat(loaded.lookup("requests.get")).isNotNull();
  }
}
