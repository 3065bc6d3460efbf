package dev.loopguard.python.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopguard.core.diff.review.FunctionChange;
import dev.loopguard.core.diff.review.ReviewResult;
import dev.loopguard.core.diff.review.ReviewResult.PathVerdict;
import dev.loopguard.core.diff.review.ReviewResult.Verdict;
import dev.loopguard.core.model.Confidence;
import dev.loopguard.core.model.Finding;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reviews of real commits in small git repositories. */
class ReviewTest {
  @TempDir Path dir;

  @BeforeAll
  static void parser() {
    boolean available;
    try {
      Class.forName("dev.loopguard.python.parse.PythonParser");
      available = true;
    } catch (ClassNotFoundException e) {
      available = false;
    }
    Assumptions.assumeTrue(available, "the Python parser is not available yet");
  }

  static final String API_BASE = """
      from fastapi import FastAPI

      app = FastAPI()


      @app.post("/notify")
      async def notify(url: str):
          payload = {"ok": True}
          return payload
      """;

  static final String API_HEAD = """
      import requests
      from fastapi import FastAPI

      app = FastAPI()


      @app.post("/notify")
      async def notify(url: str):
          payload = {"ok": True}
          requests.post(url, json=payload, timeout=5)
          return payload
      """;

  @Test
  void addingRequestsPostToAnAsyncHandlerFailsWithHighConfidence() {
    try (GitRepo repo = new GitRepo(dir)) {
      repo.write("app/__init__.py", "").write("app/api.py", API_BASE).commit("base");
      repo.branch("feature").write("app/api.py", API_HEAD).commit("notify over HTTP");
      ReviewResult r = repo.review("main", "feature");
      assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
      assertThat(r.confidence()).isEqualTo(Confidence.HIGH);
      assertThat(r.paths()).singleElement().satisfies(p -> {
        assertThat(p.function()).isEqualTo("app.api.notify");
        assertThat(p.change()).isEqualTo("modified");
        assertThat(p.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(p.confidence()).isEqualTo(Confidence.HIGH);
        assertThat(p.findings()).singleElement().satisfies(f -> {
          assertThat(f.subject()).isEqualTo("requests.post");
          assertThat(f.line()).isEqualTo(10);
          assertThat(f.attribute("replacement")).contains("httpx.AsyncClient.post");
        });
      });
      assertThat(r.newFindings()).extracting(Finding::subject).containsExactly("requests.post");
      assertThat(r.fixed()).isEmpty();
      assertThat(r.remediation()).anySatisfy(m -> assertThat(m).contains("to_thread"));
      assertThat(r.changes()).extracting(FunctionChange::function, FunctionChange::kind)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("app.api.notify", FunctionChange.Kind.MODIFIED));
      assertThat(r.base()).startsWith("main (");
    }
  }

  static final String UTIL_BASE = """
      def backoff(attempt):
          return 2 ** attempt
      """;

  static final String UTIL_HEAD = """
      import time


      def backoff(attempt):
          time.sleep(2 ** attempt)
          return 2 ** attempt
      """;

  static final String CALLERS = """
      from app.util import backoff


      async def fetch(call):
          for attempt in range(3):
              backoff(attempt)
              await call()


      def schedule(attempt):
          return backoff(attempt)


      async def retry(call):
          schedule(1)
          await call()


      async def unrelated():
          return 1
      """;

  @Test
  void aSyncHelperThatStartsToSleepFailsEveryAsyncCallerWithMediumConfidence() {
    try (GitRepo repo = new GitRepo(dir)) {
      repo.write("app/__init__.py", "").write("app/util.py", UTIL_BASE).write("app/jobs.py", CALLERS)
          .write("app/other.py", "from app.util import backoff\n\nasync def tick():\n    backoff(0)\n")
          .commit("base");
      // Review the working tree against the default branch.
      repo.write("app/util.py", UTIL_HEAD);
      ReviewResult r = repo.review(null, null);
      assertThat(r.head()).isEqualTo("working tree");
      assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
      assertThat(r.confidence()).isEqualTo(Confidence.MEDIUM);
      assertThat(r.paths()).extracting(PathVerdict::function)
          .containsExactly("app.jobs.fetch", "app.jobs.retry", "app.other.tick");
      for (PathVerdict p : r.paths()) {
        assertThat(p.verdict()).as(p.function()).isEqualTo(Verdict.FAIL);
        assertThat(p.confidence()).as(p.function()).isEqualTo(Confidence.MEDIUM);
        assertThat(p.change()).isEqualTo("calls-changed-helper");
        assertThat(p.via()).containsExactly("app.util.backoff");
        assertThat(p.findings()).allSatisfy(f -> assertThat(f.subject()).isEqualTo("time.sleep"));
      }
      assertThat(r.paths().get(1).findings().get(0).chain()).hasSize(3);
      assertThat(r.newFindings()).hasSize(3);
      assertThat(r.changes()).extracting(FunctionChange::function).containsExactly("app.util.backoff");
    }
  }

  static final String CLIENT_BASE = """
      import requests


      async def notify(url, payload):
          requests.post(url, json=payload, timeout=10)
      """;

  static final String CLIENT_HEAD = """
      import httpx


      async def notify(url, payload):
          async with httpx.AsyncClient(timeout=10) as client:
              await client.post(url, json=payload)
      """;

  @Test
  void awaitingAnAsyncClientPassesAndListsTheOldFindingAsFixed() {
    try (GitRepo repo = new GitRepo(dir)) {
      repo.write("app/__init__.py", "").write("app/notify.py", CLIENT_BASE).commit("base");
      repo.branch("fix").write("app/notify.py", CLIENT_HEAD).commit("use httpx");
      ReviewResult r = repo.review("main", "fix");
      assertThat(r.verdict()).isEqualTo(Verdict.PASS);
      assertThat(r.confidence()).isEqualTo(Confidence.HIGH);
      assertThat(r.fixed()).extracting(Finding::subject).containsExactly("requests.post");
      assertThat(r.newFindings()).isEmpty();
      assertThat(r.paths()).singleElement().satisfies(p -> {
        assertThat(p.verdict()).isEqualTo(Verdict.PASS);
        assertThat(p.evidence()).anySatisfy(e -> {
          assertThat(e.kind()).isEqualTo("async-api");
          assertThat(e.api()).isEqualTo("httpx.AsyncClient.post");
        });
        assertThat(p.evidence()).anySatisfy(e -> assertThat(e.kind()).isEqualTo("fixed"));
      });
      assertThat(r.evidence()).anySatisfy(e -> assertThat(e.text()).isEqualTo("awaits httpx.AsyncClient.post"));
    }
  }

  @Test
  void offloadingToAThreadPasses() {
    try (GitRepo repo = new GitRepo(dir)) {
      repo.write("app/__init__.py", "")
          .write("app/fetch.py", """
              import requests


              async def handler(url):
                  return requests.get(url, timeout=10).text
              """).commit("base");
      repo.branch("offload").write("app/fetch.py", """
          import asyncio

          import requests


          async def handler(url):
              response = await asyncio.to_thread(requests.get, url, timeout=10)
              return response.text
          """).commit("offload");
      ReviewResult r = repo.review("main", "offload");
      assertThat(r.verdict()).isEqualTo(Verdict.PASS);
      assertThat(r.confidence()).isEqualTo(Confidence.HIGH);
      assertThat(r.evidence()).anySatisfy(e -> {
        assertThat(e.kind()).isEqualTo("offload");
        assertThat(e.api()).isEqualTo("asyncio.to_thread");
        assertThat(e.function()).isEqualTo("app.fetch.handler");
      });
      assertThat(r.fixed()).extracting(Finding::subject).containsExactly("requests.get");
    }
  }

  @Test
  void touchingOnlyTestsIsUnknown() {
    try (GitRepo repo = new GitRepo(dir)) {
      repo.write("app/__init__.py", "").write("app/api.py", API_BASE)
          .write("tests/test_api.py", "async def test_notify():\n    assert True\n").commit("base");
      repo.write("tests/test_api.py", """
          import requests


          async def test_notify():
              requests.get("http://localhost:8000/health", timeout=1)
          """).commit("test over HTTP");
      ReviewResult r = repo.review("HEAD~1", "HEAD");
      assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
      assertThat(r.confidence()).isNull();
      assertThat(r.paths()).singleElement().satisfies(p -> {
        assertThat(p.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(p.context()).isEqualTo("test code");
      });
      assertThat(String.join("\n", r.reasons())).contains("test");
      assertThat(r.newFindings()).isEmpty();
    }
  }

  @Test
  void touchingOnlyACommandLineScriptIsUnknown() {
    try (GitRepo repo = new GitRepo(dir)) {
      repo.write("app/__init__.py", "").write("app/api.py", API_BASE)
          .write("scripts/sync_data.py", """
              import asyncio


              async def main():
                  print("syncing")


              if __name__ == "__main__":
                  asyncio.run(main())
              """).commit("base");
      repo.write("scripts/sync_data.py", """
          import asyncio
          import time


          async def main():
              print("syncing")
              time.sleep(1)


          if __name__ == "__main__":
              asyncio.run(main())
          """).commit("wait a bit");
      ReviewResult r = repo.review("HEAD~1", "HEAD");
      assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
      assertThat(r.paths()).singleElement().satisfies(p -> {
        assertThat(p.function()).isEqualTo("scripts.sync_data.main");
        assertThat(p.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(p.reasons().get(0)).contains("script");
      });
    }
  }

  @Test
  void aRepositoryWithoutAsyncCodeIsUnknown() {
    try (GitRepo repo = new GitRepo(dir)) {
      repo.write("tool/__init__.py", "").write("tool/fetch.py", """
          def fetch(url):
              return url
          """).commit("base");
      repo.write("tool/fetch.py", """
          import requests


          def fetch(url):
              return requests.get(url, timeout=5).text
          """).commit("fetch for real");
      ReviewResult r = repo.review("HEAD~1", "HEAD");
      assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
      assertThat(r.paths()).isEmpty();
      assertThat(r.reasons()).singleElement().asString().contains("does not use async concurrency");
      assertThat(r.changes()).extracting(FunctionChange::function).containsExactly("tool.fetch.fetch");
    }
  }

  @Test
  void changedSyncCodeThatNoAsyncFunctionReachesIsUnknown() {
    try (GitRepo repo = new GitRepo(dir)) {
      repo.write("app/__init__.py", "").write("app/api.py", API_BASE)
          .write("app/report.py", "def build():\n    return 1\n").commit("base");
      repo.write("app/report.py", "import time\n\ndef build():\n    time.sleep(1)\n    return 1\n").commit("slow");
      ReviewResult r = repo.review("HEAD~1", "HEAD");
      assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
      assertThat(r.reasons()).singleElement().asString()
          .contains("does not use async concurrency on the changed path").contains("app.report.build");
    }
  }

  @Test
  void removedFunctionsAreListedAndTheirFindingsFixed() {
    try (GitRepo repo = new GitRepo(dir)) {
      repo.write("app/__init__.py", "").write("app/api.py", """
          import requests


          async def legacy(url):
              requests.get(url)


          async def current():
              return 1
          """).commit("base");
      repo.write("app/api.py", """
          async def current():
              return 1
          """).commit("drop legacy");
      ReviewResult r = repo.review("HEAD~1", "HEAD");
      assertThat(r.changes()).extracting(c -> c.kind() + " " + c.function())
          .containsExactly("REMOVED app.api.legacy");
      assertThat(r.fixed()).extracting(Finding::function).containsOnly("app.api.legacy");
      assertThat(r.paths()).isEmpty();
      assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
    }
  }

  @Test
  void removingABlockingHelperCallPassesTheCaller() {
    try (GitRepo repo = new GitRepo(dir)) {
      repo.write("app/__init__.py", "").write("app/util.py", UTIL_HEAD).write("app/jobs.py", CALLERS)
          .commit("base");
      repo.write("app/util.py", UTIL_BASE).commit("no more sleeping");
      ReviewResult r = repo.review("HEAD~1", "HEAD");
      assertThat(r.verdict()).isEqualTo(Verdict.PASS);
      assertThat(r.paths()).extracting(PathVerdict::function).containsExactly("app.jobs.fetch", "app.jobs.retry");
      assertThat(r.fixed()).hasSize(2);
    }
  }

  @Test
  void aBaseWithSyntaxErrorsStillReviews() {
    try (GitRepo repo = new GitRepo(dir)) {
      repo.write("app/__init__.py", "").write("app/api.py", "async def notify(url:\n    return (\n")
          .commit("broken");
      repo.write("app/api.py", """
          import requests


          async def notify(url):
              requests.post(url, timeout=5)
          """).commit("fixed and calling");
      ReviewResult r = repo.review("HEAD~1", "HEAD");
      assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
      assertThat(r.confidence()).isEqualTo(Confidence.HIGH);
      assertThat(r.diagnostics()).anySatisfy(d -> {
        assertThat(d.side()).isEqualTo("base");
        assertThat(d.diagnostic().kind()).isEqualTo("syntax-error");
      });
    }
  }

  @Test
  void aHeadWithSyntaxErrorsIsUnknown() {
    try (GitRepo repo = new GitRepo(dir)) {
      repo.write("app/__init__.py", "").write("app/api.py", API_BASE).commit("base");
      repo.write("app/api.py", API_BASE + "\nasync def broken(:\n").commit("oops");
      ReviewResult r = repo.review("HEAD~1", "HEAD");
      assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
      assertThat(String.join("\n", r.reasons())).contains("cannot be fully read at head");
      assertThat(r.changes()).noneMatch(c -> c.kind() == FunctionChange.Kind.REMOVED);
    }
  }

  @Test
  void noChangeIsUnknown() {
    try (GitRepo repo = new GitRepo(dir)) {
      repo.write("app/__init__.py", "").write("app/api.py", API_HEAD).write("README.md", "x\n").commit("base");
      repo.write("README.md", "y\n");
      ReviewResult r = repo.review(null, null);
      assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
      assertThat(r.reasons()).containsExactly("No analysed source file changed.");
      assertThat(r.newFindings()).isEmpty();
      assertThat(r.fixed()).isEmpty();
    }
  }

  @Test
  void unchangedFilesAreParsedOnce() {
    try (GitRepo repo = new GitRepo(dir)) {
      repo.write("app/__init__.py", "");
      for (int i = 0; i < 20; i++) {
        repo.write("app/m" + i + ".py", "async def f" + i + "():\n    return " + i + "\n");
      }
      repo.write("app/api.py", API_BASE).commit("base");
      repo.write("app/api.py", API_HEAD).commit("change");
      repo.gc();
      ReviewResult r = repo.review("HEAD~1", "HEAD");
      assertThat(r.stats().baseFiles()).isEqualTo(22);
      assertThat(r.stats().headFiles()).isEqualTo(22);
      assertThat(r.stats().lowered()).isEqualTo(23);
      assertThat(r.stats().reused()).isEqualTo(21);
      assertThat(r.changedFiles()).containsExactly("app/api.py");
    }
  }
}
