package dev.loopguard.python.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopguard.core.diff.review.Review;
import dev.loopguard.core.diff.review.ReviewResult;
import dev.loopguard.core.diff.review.ReviewSources;
import dev.loopguard.core.engine.ModuleCache;
import dev.loopguard.core.config.ScanOptions;
import dev.loopguard.core.result.ScanResult;
import dev.loopguard.core.engine.Scanner;
import dev.loopguard.core.rules.Rules;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reviews a one-file change in a generated 100,000-line tree, and prints the time next to a
 * full scan and a review that lowers every file twice. Not a timed test: it runs only with
 * {@code -Dlg.bench=true}:
 *
 * <pre>
 * mvn -q -o -Dlg.build=target-review -pl core,lang-python -am test -Dtest=ReviewBenchmark \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dlg.bench=true
 * </pre>
 */
@EnabledIfSystemProperty(named = "lg.bench", matches = "true")
class ReviewBenchmark {
  private static final int MODULES = 1000;
  private static final int HELPERS = 6;
  private static final int HANDLERS = 4;

  @TempDir Path dir;

  /** About 100 lines: sync helpers calling each other and other modules, async handlers, a class. */
  static String module(int i) {
    int other = (i * 7 + 3) % MODULES;
    StringBuilder sb = new StringBuilder();
    sb.append("import asyncio\nimport json\nimport logging\n\n");
    sb.append("from fastapi import APIRouter\n");
    sb.append("from svc.p").append(other / 50).append(".m").append(other)
        .append(" import helper_").append(other).append("_0\n\n");
    sb.append("log = logging.getLogger(__name__)\nrouter = APIRouter()\n\n\n");
    for (int j = 0; j < HELPERS; j++) {
      sb.append("def helper_").append(i).append('_').append(j).append("(value):\n");
      sb.append("    total = value + ").append(j).append("\n");
      sb.append("    for step in range(3):\n");
      sb.append("        total += step * 2\n");
      sb.append("    if total > 100:\n");
      sb.append("        log.info(\"big %s\", total)\n");
      sb.append(j == 0 ? "    return total\n" : "    return helper_" + i + "_" + (j - 1) + "(total)\n");
      sb.append("\n\n");
    }
    for (int k = 0; k < HANDLERS; k++) {
      sb.append("@router.get(\"/r").append(i).append('/').append(k).append("\")\n");
      sb.append("async def handler_").append(i).append('_').append(k).append("(value: int):\n");
      sb.append("    await asyncio.sleep(0)\n");
      sb.append("    result = helper_").append(i).append('_').append(k + 1).append("(value)\n");
      sb.append("    extra = helper_").append(other).append("_0(value)\n");
      sb.append("    return json.dumps({\"result\": result, \"extra\": extra})\n");
      sb.append("\n\n");
    }
    sb.append("class Service").append(i).append(":\n");
    sb.append("    def __init__(self, name):\n        self.name = name\n        self.count = 0\n\n");
    sb.append("    def bump(self):\n        self.count += 1\n        return self.count\n\n");
    sb.append("    async def run(self, value):\n        self.bump()\n");
    sb.append("        return helper_").append(i).append("_2(value)\n");
    return sb.toString();
  }

  @Test
  void reviewOfAOneFileChangeInA100kLineTree() {
    try (GitRepo repo = new GitRepo(dir)) {
      repo.write("svc/__init__.py", "");
      for (int p = 0; p < MODULES / 50; p++) {
        repo.write("svc/p" + p + "/__init__.py", "");
      }
      long lines = 0;
      for (int i = 0; i < MODULES; i++) {
        String text = module(i);
        lines += text.lines().count();
        repo.write("svc/p" + (i / 50) + "/m" + i + ".py", text);
      }
      repo.commit("base");
      // The change: a shared helper starts to sleep, so every handler that reaches it fails.
      String changed = module(500).replace("def helper_500_0(value):\n",
          "def helper_500_0(value):\n    import time\n    time.sleep(0.1)\n");
      repo.write("svc/p10/m500.py", changed).commit("sleep");

      Review review = GitRepo.review();
      ScanOptions o = GitRepo.options(dir).withThreads(0);
      Scanner scanner = new Scanner(GitRepo.FRONTENDS, GitRepo.FACTS, Rules.all());
      // Best of three runs each (the first one also warms up the JIT).
      ReviewResult r = null;
      double reviewSeconds = Double.MAX_VALUE;
      double scanSeconds = Double.MAX_VALUE;
      double uncachedSeconds = Double.MAX_VALUE;
      double analysisSeconds = Double.MAX_VALUE;
      ScanResult full = null;
      for (int run = 0; run < 3; run++) {
        long t0 = System.nanoTime();
        try (ReviewSources.Sides sides = ReviewSources.fromGit(dir, "HEAD~1", "HEAD", true, review.walker(o))) {
          r = review.run(sides, o);
        }
        reviewSeconds = Math.min(reviewSeconds, (System.nanoTime() - t0) / 1e9);

        long t1 = System.nanoTime();
        full = scanner.scan(o);
        scanSeconds = Math.min(scanSeconds, (System.nanoTime() - t1) / 1e9);

        try (ReviewSources.Sides sides = ReviewSources.fromGit(dir, "HEAD~1", "HEAD", true, review.walker(o))) {
          ModuleCache warm = new ModuleCache();
          scanner.scan(sides.head().files(), o, warm);
          long ta = System.nanoTime();
          scanner.scan(sides.head().files(), o, warm);
          analysisSeconds = Math.min(analysisSeconds, (System.nanoTime() - ta) / 1e9);
        }

        long t2 = System.nanoTime();
        try (ReviewSources.Sides sides = ReviewSources.fromGit(dir, "HEAD~1", "HEAD", true, review.walker(o))) {
          scanner.scan(sides.base().files(), o, null);
          scanner.scan(sides.head().files(), o, null);
        }
        uncachedSeconds = Math.min(uncachedSeconds, (System.nanoTime() - t2) / 1e9);
      }

      System.out.printf(Locale.ROOT, "%n[review-benchmark] tree: %d files, %d lines, %d cores%n",
          full.stats().files(), lines, Runtime.getRuntime().availableProcessors());
      System.out.printf(Locale.ROOT, "[review-benchmark] full scan of one side: %.2fs%n", scanSeconds);
      System.out.printf(Locale.ROOT, "[review-benchmark] review, lowering shared (%d parsed, %d reused): %.2fs%n",
          r.stats().lowered(), r.stats().reused(), reviewSeconds);
      System.out.printf(Locale.ROOT, "[review-benchmark] one side with every file already parsed "
          + "(read, analyse, rules): %.2fs%n", analysisSeconds);
      System.out.printf(Locale.ROOT, "[review-benchmark] both sides scanned one after the other, nothing shared: %.2fs%n", uncachedSeconds);
      System.out.printf(Locale.ROOT, "[review-benchmark] verdict %s, %d paths, %d new findings%n",
          r.verdict().label(), r.paths().size(), r.newFindings().size());

      assertThat(lines).isGreaterThanOrEqualTo(100_000);
      assertThat(r.stats().lowered()).isEqualTo(full.stats().files() + 1);
      assertThat(r.verdict()).isEqualTo(ReviewResult.Verdict.FAIL);
    }
  }
}
