package dev.loopguard.python.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopguard.core.diff.review.ReviewResult;
import dev.loopguard.core.diff.review.ReviewResult.Verdict;
import dev.loopguard.core.model.Confidence;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A review judges what the change introduces (issue 16 item 6): blocking already there on a
 * changed path, one-time initialisation reached from a new handler, and a renamed function do
 * not fail it; a new root cause behind an old call does.
 */
class RootCauseReviewTest {
  @TempDir Path dir;

  static final String STORE = """
      import requests


      def save(order):
          requests.post("https://example.com/orders", json=order, timeout=5)
      """;

  static final String API = """
      from fastapi import FastAPI

      from app.store import save

      app = FastAPI()


      @app.post("/orders")
      async def create(order: dict):
          save(order)
          return order
      """;

  /** Every reason of every judged path. */
  private static String reasons(ReviewResult r) {
    return String.join("\n", r.paths().stream().flatMap(p -> p.reasons().stream()).toList());
  }

  private GitRepo base(String name) {
    GitRepo repo = new GitRepo(dir.resolve(name)).write("app/__init__.py", "")
        .write("app/store.py", STORE).write("app/api.py", API);
    repo.commit("base");
    return repo;
  }

  @Test
  void blockingAlreadyThereOnAChangedPathDoesNotFailIt() {
    try (GitRepo repo = base("already")) {
      repo.branch("log").write("app/api.py", API.replace("    save(order)\n",
          "    print('saving', order)\n    save(order)\n")).commit("log");
      ReviewResult r = repo.review("main", "log");
      assertThat(r.verdict()).isEqualTo(Verdict.PASS);
      assertThat(r.confidence()).isEqualTo(Confidence.MEDIUM);
      assertThat(reasons(r)).contains("already there").contains("requests.post");
    }
  }

  @Test
  void aNewRootCauseBehindAnOldCallFailsIt() {
    try (GitRepo repo = base("newcause")) {
      repo.branch("sleep").write("app/store.py", STORE.replace("import requests\n",
          "import time\n\nimport requests\n") + "    time.sleep(1)\n").commit("sleep");
      ReviewResult r = repo.review("main", "sleep");
      assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
      assertThat(String.join("\n", r.reasons())).contains("newly reached: time.sleep")
          .doesNotContain("newly reached: requests.post");
    }
  }

  @Test
  void aNewHandlerReachingOneTimeInitialisationDoesNotFailIt() {
    try (GitRepo repo = new GitRepo(dir.resolve("once"))) {
      String data = """
          import functools

          import boto3


          @functools.lru_cache(maxsize=None)
          def table():
              return boto3.resource("dynamodb").Table("orders")
          """;
      String api = """
          from fastapi import FastAPI

          from app.data import table

          app = FastAPI()


          @app.get("/orders")
          async def list_orders():
              return table().name
          """;
      repo.write("app/__init__.py", "").write("app/data.py", data).write("app/api.py", api)
          .commit("base");
      repo.branch("count").write("app/api.py", api + """


          @app.get("/count")
          async def count_orders():
              return len(table().name)
          """).commit("count");
      ReviewResult r = repo.review("main", "count");
      assertThat(r.verdict()).isNotEqualTo(Verdict.FAIL);
      assertThat(reasons(r)).contains("one-time initialisation");
    }
  }

  @Test
  void aRenamedHandlerKeepsItsFindingsNeitherNewNorFixed() {
    try (GitRepo repo = base("rename")) {
      repo.branch("rename").write("app/api.py", API.replace("async def create(", "async def create_order("))
          .commit("rename");
      ReviewResult r = repo.review("main", "rename");
      assertThat(r.newFindings()).isEmpty();
      assertThat(r.fixed()).isEmpty();
      assertThat(r.verdict()).isNotEqualTo(Verdict.FAIL);
    }
  }
}
