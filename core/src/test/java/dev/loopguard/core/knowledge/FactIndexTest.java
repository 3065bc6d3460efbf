package dev.loopguard.core.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FactIndexTest {
  private final PackLoader loader = new PackLoader();

  private List<Fact> parse(String yaml) {
    return loader.parse(yaml.getBytes(StandardCharsets.UTF_8), "test.yaml");
  }

  @Test
  void patternsMatchSegmentsAlternativesAndDeepWildcards() {
    assertThat(NamePattern.compile("os.spawn*").matches("os.spawnlp")).isTrue();
    assertThat(NamePattern.compile("os.spawn*").matches("os.spawn.x")).isFalse();
    assertThat(NamePattern.compile("requests.{get,post}").matches("requests.post")).isTrue();
    assertThat(NamePattern.compile("requests.{get,post}").matches("requests.put")).isFalse();
    assertThat(NamePattern.compile("google.cloud.**.Client").matches("google.cloud.Client")).isTrue();
    assertThat(NamePattern.compile("google.cloud.**.Client").matches("google.cloud.a.b.Client")).isTrue();
    assertThat(NamePattern.compile("{httpx.Client,requests.Session}.get").matches("requests.Session.get")).isTrue();
    assertThatThrownBy(() -> NamePattern.compile("a.{b,c")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NamePattern.compile("a.b}")).isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * A language that calls members named {@code __x__} implicitly, except those a call spells:
   * a fact must spell one to match it.
   */
  private static final java.util.function.Predicate<String> IMPLICIT = m -> m.length() > 4
      && m.startsWith("__") && m.endsWith("__") && !Set.of("__call__", "__init__", "__new__").contains(m);

  private static boolean matches(String glob, String name) {
    return NamePattern.compile(glob).matches(name, IMPLICIT);
  }

  @Test
  void wildcardsDoNotMatchImplicitMembers() {
    assertThat(matches("redis.Redis.*", "redis.Redis.get")).isTrue();
    assertThat(matches("redis.Redis.*", "redis.Redis.__enter__")).isFalse();
    assertThat(matches("a.**", "a.b.__exit__")).isFalse();
    assertThat(matches("a.*", "a.__")).isTrue();
    assertThat(matches("a.*", "a._private_")).isTrue();
    assertThat(matches("a.*", "a.__mangled")).isTrue();
    assertThat(matches("a.*.run", "a.__x__.run")).isTrue();
    assertThat(matches("a.__*", "a.__exit__")).isFalse();
    // Calls spell these: calling an object, a constructor, super().__init__().
    assertThat(matches("a.B.*", "a.B.__call__")).isTrue();
    assertThat(matches("a.B.*", "a.B.__init__")).isTrue();
    assertThat(matches("a.B.*", "a.B.__new__")).isTrue();
    assertThat(matches("a.B.*", "a.B.__call__later__")).isFalse();
    assertThat(matches("threading.{Lock,RLock}.{acquire,__enter__}", "threading.RLock.__enter__")).isTrue();
    assertThat(matches("p.Path.__*div__", "p.Path.__truediv__")).isTrue();
    // A language with no implicit members: wildcards match every member.
    assertThat(NamePattern.compile("redis.Redis.*").matches("redis.Redis.__enter__")).isTrue();
  }

  @Test
  void anIndexSkipsImplicitMembersForWildcardFacts() {
    List<Fact> facts = parse("""
        pack: t/lock
        facts:
          - id: t:any
            match: lib.Lock.*
            kind: blocking
            category: thread-wait
          - id: t:enter
            match: lib.Lock.__enter__
            kind: blocking
            category: thread-wait
        """);
    FactIndex idx = new FactIndex(facts, Set.of(), IMPLICIT);
    assertThat(idx.lookup("lib.Lock.__exit__")).isNull();
    assertThat(idx.lookup("lib.Lock.__enter__").id()).isEqualTo("t:enter");
    assertThat(idx.lookup("lib.Lock.acquire").id()).isEqualTo("t:any");
    assertThat(FactIndex.of(facts).lookup("lib.Lock.__exit__").id()).isEqualTo("t:any");
  }

  @Test
  void lockFactsAnswerLockAloneAndNeverALookup() {
    List<Fact> facts = parse("""
        pack: t/locks
        facts:
          - id: t:all
            match: mylib.*
            kind: blocking
            category: other
          - id: t:lock
            match: mylib.{Lock,RLock}
            kind: lock
          - id: t:any-lock
            match: "**.DistributedLock"
            kind: lock
        """);
    FactIndex idx = FactIndex.of(facts);
    assertThat(idx.lookup("mylib.Lock").id()).isEqualTo("t:all");
    assertThat(idx.lock("mylib.RLock").id()).isEqualTo("t:lock");
    assertThat(idx.lock("other.sub.DistributedLock").id()).isEqualTo("t:any-lock");
    assertThat(idx.lock("mylib.Semaphore")).isNull();
    assertThat(idx.lookup("other.sub.DistributedLock")).isNull();
    assertThat(FactIndex.of(List.of()).lock("mylib.Lock")).isNull();
  }

  @Test
  void stateFactsAnswerStateAloneAndNeedACategory() {
    List<Fact> facts = parse("""
        pack: t/state
        facts:
          - id: t:io
            match: db.Coll.*
            kind: async-api
          - id: t:read
            match: db.Coll.find_one
            kind: state
            category: read
          - id: t:cas
            match: db.Coll.find_one_and_*
            kind: state
            category: conditional-write
        """);
    FactIndex idx = FactIndex.of(facts);
    assertThat(idx.lookup("db.Coll.find_one").id()).isEqualTo("t:io");
    assertThat(idx.state("db.Coll.find_one").category()).isEqualTo("read");
    assertThat(idx.state("db.Coll.find_one_and_update").id()).isEqualTo("t:cas");
    assertThat(idx.state("db.Coll.insert_one")).isNull();
    assertThat(FactIndex.of(List.of()).state("db.Coll.find_one")).isNull();
    assertThatThrownBy(() -> parse("""
        pack: t/bad
        facts:
          - id: t:bad
            match: db.Coll.update_one
            kind: state
            category: http
        """)).hasMessageContaining("a state fact needs a 'category'");
  }

  @Test
  void mostSpecificFactWinsAndNonBlockingBreaksTies() {
    List<Fact> facts = parse("""
        pack: t/boto
        facts:
          - id: t:all
            match: botocore.client.BaseClient.*
            kind: blocking
            category: sdk
          - id: t:paginator
            match: botocore.client.BaseClient.get_paginator
            kind: non-blocking
          - id: t:tie-block
            match: x.{a,b}
            kind: blocking
            category: other
          - id: t:tie-ok
            match: x.{a,c}
            kind: non-blocking
        """);
    FactIndex idx = FactIndex.of(facts);
    assertThat(idx.lookup("botocore.client.BaseClient.put_object").id()).isEqualTo("t:all");
    assertThat(idx.lookup("botocore.client.BaseClient.get_paginator").id()).isEqualTo("t:paginator");
    assertThat(idx.lookup("x.a").id()).isEqualTo("t:tie-ok");
    assertThat(idx.lookup("x.b").id()).isEqualTo("t:tie-block");
    assertThat(idx.lookup("nothing.here")).isNull();
  }

  @Test
  void disabledFactsAreDroppedAndLaterIdsOverride() {
    List<Fact> facts = parse("""
        pack: t/a
        facts:
          - id: t:sleep
            match: time.sleep
            kind: blocking
            category: sleep
        """);
    assertThat(new FactIndex(facts, Set.of("t:sleep")).lookup("time.sleep")).isNull();
    List<Fact> override = parse("""
        pack: user/x
        facts:
          - id: t:sleep
            match: time.sleep
            kind: non-blocking
        """);
    List<Fact> both = new java.util.ArrayList<>(facts);
    both.addAll(override);
    assertThat(FactIndex.of(both).lookup("time.sleep").kind()).isEqualTo(FactKind.NON_BLOCKING);
  }

  @Test
  void replacementFillsInTheMatchedName() {
    Fact f = parse("""
        pack: t/r
        facts:
          - id: t:r
            match: requests.{get,post}
            kind: blocking
            category: http
            replacement: httpx.AsyncClient.{name}
        """).get(0);
    assertThat(f.replacementFor("requests.post")).isEqualTo("httpx.AsyncClient.post");
  }

  @Test
  void validationNamesThePackAndTheFact() {
    assertThatThrownBy(() -> parse("pack: p\nfacts:\n  - id: a\n    match: x\n    kind: blocking\n"))
        .hasMessageContaining("test.yaml").hasMessageContaining("fact a").hasMessageContaining("category");
    assertThatThrownBy(() -> parse("pack: p\nfacts:\n  - id: a\n    match: x\n    kind: sometimes\n"))
        .hasMessageContaining("'kind'");
    assertThatThrownBy(() -> parse("pack: p\nfacts:\n  - id: a\n    match: x\n    kind: offloads\n"))
        .hasMessageContaining("callable-arg");
    assertThatThrownBy(() -> parse("pack: p\nfacts:\n  - id: a\n    match: x\n    kind: non-blocking\n    colour: red\n"))
        .hasMessageContaining("unknown key 'colour'");
    assertThatThrownBy(() -> parse("pack: p\nfacts:\n  - id: a\n    match: x\n    kind: blocking\n    category: weird\n"))
        .hasMessageContaining("unknown category");
    assertThatThrownBy(() -> parse("facts: []\n")).hasMessageContaining("missing 'pack'");
    assertThatThrownBy(() -> parse("pack: [unclosed\n")).hasMessageContaining("not valid YAML");
  }

  @Test
  void argumentConditionsAreReadAndValidated() {
    Fact f = parse("""
        pack: t/q
        facts:
          - id: t:get
            match: queue.Queue.get
            kind: blocking
            category: thread-wait
            non-blocking-if:
              - {arg: 0, keyword: block, equals: ["False"]}
              - {keyword: timeout, equals: 0}
        """).get(0);
    assertThat(f.nonBlockingIf()).hasSize(2);
    assertThat(f.nonBlockingIf().get(0).position()).isZero();
    assertThat(f.nonBlockingIf().get(1).values()).containsExactly("0");
    assertThatThrownBy(() -> parse("pack: p\nfacts:\n  - id: a\n    match: x\n    kind: blocking\n    category: other\n    non-blocking-if:\n      - {equals: [0]}\n"))
        .hasMessageContaining("needs arg or keyword");
  }

  @Test
  void argumentConditionsNameTypesAndEntryPointsNameTheSyncHandlerTheyImply() {
    List<Fact> facts = parse("""
        pack: p
        facts:
          - id: t:open
            match: img.open
            kind: blocking
            category: file
            non-blocking-if:
              - {arg: 0, keyword: fp, instance-of: [io.BytesIO]}
          - id: t:route
            match: web.get
            kind: entry-point
            entry: request
            sync-handler: loop
            sync-handler-if:
              - {keyword: sync_to_thread, equals: ["True"], sync-handler: threadpool}
        """);
    assertThat(facts.get(0).nonBlockingIf().get(0).types()).containsExactly("io.BytesIO");
    assertThat(facts.get(0).nonBlockingIf().get(0).values()).isEmpty();
    assertThat(facts.get(0).syncHandlerIf()).isEmpty();
    Fact.ArgCondition c = facts.get(1).syncHandlerIf().get(0);
    assertThat(c.keyword()).isEqualTo("sync_to_thread");
    assertThat(c.values()).containsExactly("True");
    assertThat(c.syncHandler()).isEqualTo("threadpool");
    String head = "pack: p\nfacts:\n  - id: a\n    match: x\n";
    assertThatThrownBy(() -> parse(head + "    kind: blocking\n    category: other\n"
        + "    non-blocking-if:\n      - {arg: 0}\n"))
        .hasMessageContaining("needs equals or instance-of");
    assertThatThrownBy(() -> parse(head + "    kind: blocking\n    category: other\n"
        + "    sync-handler-if:\n      - {arg: 0, equals: [x], sync-handler: loop}\n"))
        .hasMessageContaining("for entry-point facts");
    assertThatThrownBy(() -> parse(head + "    kind: entry-point\n    entry: request\n"
        + "    sync-handler-if:\n      - {arg: 0, equals: [x]}\n"))
        .hasMessageContaining("need sync-handler: threadpool or loop");
    assertThatThrownBy(() -> parse(head + "    kind: blocking\n    category: other\n"
        + "    non-blocking-if:\n      - {arg: 0, equals: [x], sync-handler: loop}\n"))
        .hasMessageContaining("unknown key 'sync-handler'");
  }

  @Test
  void bracesExpandIntoExactNames() {
    assertThat(NamePattern.expandBraces("a.{b,c.{d,e}}.f", 10)).containsExactly("a.b.f", "a.c.d.f", "a.c.e.f");
    assertThat(NamePattern.expandBraces("x.{a,b,c}", 2)).containsExactly("x.{a,b,c}");
  }
}
