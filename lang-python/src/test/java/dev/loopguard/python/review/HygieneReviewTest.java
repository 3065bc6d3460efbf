package dev.loopguard.python.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopguard.core.diff.review.ReviewResult;
import dev.loopguard.core.diff.review.ReviewResult.PathVerdict;
import dev.loopguard.core.diff.review.ReviewResult.Verdict;
import dev.loopguard.core.model.Finding;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How perf-005 (timeouts) and perf-006 (per-call clients) judge a change. */
class HygieneReviewTest {
  @TempDir Path dir;

  @BeforeAll
  static void parser() {
    ReviewTest.parser();
  }

  private static String api(String fetchBody, String handlerBody) {
    return """
        import asyncio

        import httpx
        import requests
        from fastapi import FastAPI

        app = FastAPI()
        client = httpx.AsyncClient(timeout=10)


        def fetch(url):
        %s


        @app.get("/proxy")
        async def proxy(url: str):
        %s
        """.formatted(fetchBody.indent(4).stripTrailing(), handlerBody.indent(4).stripTrailing());
  }

  private static final String BASE = api("return requests.get(url, timeout=5).text",
      "return await asyncio.to_thread(fetch, url)");

  @Test
  void droppingTheTimeoutOfAnOffloadedCallFails() {
    try (GitRepo repo = new GitRepo(dir)) {
      repo.write("app/__init__.py", "").write("app/api.py", BASE).commit("base");
      repo.branch("feature").write("app/api.py", api("return requests.get(url).text",
          "return await asyncio.to_thread(fetch, url)")).commit("no timeout");
      ReviewResult r = repo.review("main", "feature");
      assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
      assertThat(r.newFindings()).extracting(Finding::rule).containsExactly("perf-005");
      assertThat(r.paths()).filteredOn(p -> p.verdict() == Verdict.FAIL)
          .extracting(PathVerdict::function).contains("app.api.fetch");
    }
  }

  @Test
  void aNewClientPerRequestFailsAndASharedOnePasses() {
    try (GitRepo repo = new GitRepo(dir)) {
      repo.write("app/__init__.py", "").write("app/api.py", BASE).commit("base");
      repo.branch("feature").write("app/api.py", api("return requests.get(url, timeout=5).text",
          "async with httpx.AsyncClient(timeout=10) as c:\n    return (await c.get(url)).text"))
          .commit("per-request client");
      ReviewResult r = repo.review("main", "feature");
      assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
      assertThat(r.newFindings()).extracting(Finding::rule).containsExactly("perf-006");
      assertThat(r.paths()).singleElement().satisfies(p -> {
        assertThat(p.function()).isEqualTo("app.api.proxy");
        assertThat(p.findings()).extracting(Finding::rule).containsExactly("perf-006");
      });

      repo.branch("shared").write("app/api.py", api("return requests.get(url, timeout=5).text",
          "return (await client.get(url)).text")).commit("shared client");
      ReviewResult shared = repo.review("main", "shared");
      assertThat(shared.verdict()).isEqualTo(Verdict.PASS);
      assertThat(shared.newFindings()).isEmpty();
    }
  }
}
