package dev.loopguard.core.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs independent analysis tasks on a few threads with deep stacks. */
final class Parallel {
  // Evaluation recurses through names, attributes and calls; deep but bounded.
  private static final long STACK = 64L * 1024 * 1024;

  private Parallel() {}

  /** Runs every task, in order when {@code threads <= 1}; rethrows the first failure. */
  static void run(Runnable[] tasks, int threads) {
    if (threads <= 1 || tasks.length < 2) {
      for (Runnable t : tasks) {
        t.run();
      }
      return;
    }
    AtomicInteger n = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, tasks.length), r -> {
      Thread t = new Thread(null, r, "loopguard-analysis-" + n.incrementAndGet(), STACK);
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> futures = new ArrayList<>(tasks.length);
      for (Runnable t : tasks) {
        futures.add(pool.submit(t));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("analysis interrupted", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException re) {
        throw re;
      }
      if (c instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(c);
    } finally {
      pool.shutdownNow();
    }
  }
}
