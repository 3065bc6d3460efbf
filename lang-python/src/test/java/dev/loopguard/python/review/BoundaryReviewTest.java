package dev.loopguard.python.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopguard.core.diff.review.ReviewResult;
import dev.loopguard.core.diff.review.ReviewResult.Verdict;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** conc-001's review judgement: functions switched between sync and async, and their callers. */
class BoundaryReviewTest {
  @TempDir Path dir;

  static final String STORE_SYNC = """
      def save(record):
          print(record)
      """;

  static final String STORE_ASYNC = """
      import asyncio


      async def save(record):
          await asyncio.sleep(0)
          return record
      """;

  @Test
  void aFunctionMadeAsyncWhoseCallerStaysSyncFails() {
    try (GitRepo repo = new GitRepo(dir)) {
      repo.write("app/__init__.py", "").write("app/store.py", STORE_SYNC).write("app/jobs.py", """
          from app.store import save


          def nightly(records):
              for r in records:
                  save(r)
          """).commit("base");
      repo.write("app/store.py", STORE_ASYNC).commit("make save async");
      ReviewResult r = repo.review("HEAD~1", "HEAD");
      assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
      assertThat(String.join("\n", r.paths().get(0).reasons()))
          .contains("app.store.save is made async", "app.jobs.nightly");
    }
  }

  @Test
  void aFunctionMadeAsyncWhoseCallersAwaitItPasses() {
    try (GitRepo repo = new GitRepo(dir)) {
      repo.write("app/__init__.py", "").write("app/store.py", STORE_SYNC).write("app/jobs.py", """
          from app.store import save


          async def nightly(records):
              for r in records:
                  save(r)
          """).commit("base");
      repo.write("app/store.py", STORE_ASYNC).write("app/jobs.py", """
          from app.store import save


          async def nightly(records):
              for r in records:
                  await save(r)
          """).commit("make save async and await it");
      ReviewResult r = repo.review("HEAD~1", "HEAD");
      assertThat(r.verdict()).isEqualTo(Verdict.PASS);
      assertThat(r.paths()).anySatisfy(p -> assertThat(String.join("\n", p.reasons()))
          .contains("app.store.save is made async and its 1 caller follows"));
    }
  }

  @Test
  void aFunctionMadeSyncThatCallersStillAwaitFails() {
    try (GitRepo repo = new GitRepo(dir)) {
      repo.write("app/__init__.py", "").write("app/store.py", STORE_ASYNC).write("app/api.py", """
          from app.store import save


          async def handler(record):
              return await save(record)
          """).commit("base");
      repo.write("app/store.py", STORE_SYNC).commit("make save sync");
      ReviewResult r = repo.review("HEAD~1", "HEAD");
      assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
      assertThat(r.paths()).anySatisfy(p -> assertThat(String.join("\n", p.reasons()))
          .contains("app.store.save is a plain function", "TypeError"));
    }
  }
}
