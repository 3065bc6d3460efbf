package dev.loopguard.python.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopguard.core.diff.review.ReviewResult;
import dev.loopguard.core.diff.review.ReviewResult.Verdict;
import dev.loopguard.core.model.Finding;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** perf-007's review judgement: a change that fans out over request data without a bound. */
class FanOutReviewTest {
  @TempDir Path dir;

  static final String BASE = """
      import asyncio
      from fastapi import FastAPI

      app = FastAPI()
      limit = asyncio.Semaphore(10)


      async def fetch(url):
          async with limit:
              await asyncio.sleep(0)
              return url


      @app.post("/crawl")
      async def crawl(urls: list[str]):
          out = []
          for u in urls:
              out.append(await fetch(u))
          return out
      """;

  static final String UNBOUNDED = BASE.replace("""
          async with limit:
              await asyncio.sleep(0)
              return url
      """, """
          await asyncio.sleep(0)
          return url
      """).replace("""
          out = []
          for u in urls:
              out.append(await fetch(u))
          return out
      """, """
          return await asyncio.gather(*[fetch(u) for u in urls])
      """);

  static final String BOUNDED = BASE.replace("""
          out = []
          for u in urls:
              out.append(await fetch(u))
          return out
      """, """
          return await asyncio.gather(*[fetch(u) for u in urls])
      """);

  @Test
  void aGatherOverARequestListWithoutASemaphoreFails() {
    try (GitRepo repo = new GitRepo(dir)) {
      repo.write("app/__init__.py", "").write("app/api.py", BASE).commit("base");
      repo.branch("feature").write("app/api.py", UNBOUNDED).commit("crawl concurrently");
      ReviewResult r = repo.review("main", "feature");
      assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
      assertThat(r.newFindings()).extracting(Finding::rule).containsExactly("perf-007");
      assertThat(r.paths()).anySatisfy(p -> {
        assertThat(p.function()).isEqualTo("app.api.crawl");
        assertThat(p.verdict()).isEqualTo(Verdict.FAIL);
      });
    }
  }

  @Test
  void theSameGatherWithASemaphorePasses() {
    try (GitRepo repo = new GitRepo(dir)) {
      repo.write("app/__init__.py", "").write("app/api.py", BASE).commit("base");
      repo.branch("feature").write("app/api.py", BOUNDED).commit("crawl concurrently, bounded");
      ReviewResult r = repo.review("main", "feature");
      assertThat(r.newFindings()).isEmpty();
      assertThat(r.verdict()).isEqualTo(Verdict.PASS);
    }
  }
}
