package dev.loopguard.core.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The last-segment pre-check of {@link NamePattern#matches} changes no answer. */
class NamePatternLastSegmentTest {
  @Test
  void literalLastSegments() {
    NamePattern p = NamePattern.compile("**.{close,aclose,__aexit__}");
    assertThat(p.matches("close")).isTrue();
    assertThat(p.matches("a.b.close")).isTrue();
    assertThat(p.matches("pkg.C.__aexit__")).isTrue();
    assertThat(p.matches("a.closer")).isFalse();
    assertThat(p.matches("a.close.x")).isFalse();
    assertThat(p.matches("a.reclose")).isFalse();
  }

  @Test
  void dottedAlternativesAndWildcards() {
    NamePattern p = NamePattern.compile("**.{a.b,c}");
    assertThat(p.matches("x.a.b")).isTrue();
    assertThat(p.matches("x.c")).isTrue();
    assertThat(p.matches("x.b")).isFalse();
    NamePattern w = NamePattern.compile("x.{y,z*}");
    assertThat(w.matches("x.zed")).isTrue();
    assertThat(w.matches("x.y")).isTrue();
    assertThat(w.matches("x.w")).isFalse();
    NamePattern s = NamePattern.compile("app.*.on_*");
    assertThat(s.matches("app.m.on_event")).isTrue();
    assertThat(s.matches("app.m.n.on_event")).isFalse();
    NamePattern t = NamePattern.compile("requests.**");
    assertThat(t.matches("requests.api.get")).isTrue();
    NamePattern u = NamePattern.compile("*.get");
    assertThat(u.matches("requests.get")).isTrue();
    assertThat(u.matches("a.requests.get")).isFalse();
    assertThat(u.matches("requests.gets")).isFalse();
  }
}
