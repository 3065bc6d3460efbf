package dev.loopguard.python.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopguard.core.diff.review.ReviewResult;
import dev.loopguard.core.diff.review.ReviewResult.Verdict;
import dev.loopguard.core.model.Finding;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** conc-003 in reviews: a change that adds a loop nothing can stop fails; a stop event passes. */
class StopReviewTest {
  @TempDir Path dir;

  static final String BASE = """
      import asyncio


      async def heartbeat(client):
          await client.ping()


      def start(client):
          asyncio.create_task(heartbeat(client))
      """;

  static final String FOREVER = """
      import asyncio


      async def heartbeat(client):
          while True:
              await client.ping()
              await asyncio.sleep(30)


      def start(client):
          asyncio.create_task(heartbeat(client))
      """;

  static final String STOPPABLE = """
      import asyncio


      async def heartbeat(client, stop):
          while True:
              if stop.is_set():
                  break
              await client.ping()
              await asyncio.sleep(30)


      def start(client, stop):
          asyncio.create_task(heartbeat(client, stop))
      """;

  @Test
  void aHeartbeatLoopNothingCanStopFails() {
    try (GitRepo repo = new GitRepo(dir)) {
      repo.write("app/__init__.py", "").write("app/beat.py", BASE).commit("base");
      repo.branch("feature").write("app/beat.py", FOREVER).commit("beat forever");
      ReviewResult r = repo.review("main", "feature");
      assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
      assertThat(r.newFindings()).extracting(Finding::rule).containsExactly("conc-003");
      assertThat(r.paths()).anySatisfy(p -> {
        assertThat(p.function()).isEqualTo("app.beat.heartbeat");
        assertThat(p.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(p.reasons()).anySatisfy(m -> assertThat(m).contains("loops forever"));
      });
    }
  }

  @Test
  void aLoopThatBreaksOnItsStopEventPasses() {
    try (GitRepo repo = new GitRepo(dir)) {
      repo.write("app/__init__.py", "").write("app/beat.py", BASE).commit("base");
      repo.branch("feature").write("app/beat.py", STOPPABLE).commit("beat until stopped");
      ReviewResult r = repo.review("main", "feature");
      assertThat(r.newFindings()).isEmpty();
      assertThat(r.verdict()).isNotEqualTo(Verdict.FAIL);
      assertThat(r.paths()).anySatisfy(p -> {
        assertThat(p.function()).isEqualTo("app.beat.heartbeat");
        assertThat(p.verdict()).isEqualTo(Verdict.PASS);
      });
    }
  }
}
