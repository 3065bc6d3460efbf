package dev.loopguard.core.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs independent tasks on a few daemon threads with deep stacks (parsing and evaluation recurse). */
public final class Parallel {
  // Evaluation recurses through names, attributes and calls; deep but bounded.
  private static final long ANALYSIS_STACK = 64L * 1024 * 1024;

  private Parallel() {}

  /**
   * Runs the tasks on {@code threads} threads named {@code name}N with {@code stackBytes} of
   * stack; returns their results in task order (a task that threw gives its Throwable).
   */
  public static List<Object> runAll(List<? extends Callable<?>> tasks, int threads, String name,
      long stackBytes) {
    AtomicInteger n = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, tasks.size())), r -> {
      Thread t = new Thread(null, r, name + n.incrementAndGet(), stackBytes);
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> futures = new ArrayList<>(tasks.size());
      for (Callable<?> t : tasks) {
        futures.add(pool.submit(t));
      }
      List<Object> out = new ArrayList<>(tasks.size());
      for (Future<?> f : futures) {
        try {
          out.add(f.get());
        } catch (ExecutionException e) {
          out.add(e.getCause());
        }
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Runs every analysis task; rethrows the first failure. */
  public static void run(Runnable[] tasks, int threads) {
    List<Callable<Object>> calls = new ArrayList<>(tasks.length);
    for (Runnable t : tasks) {
      calls.add(() -> {
        t.run();
        return null;
      });
    }
    for (Object r : runAll(calls, threads, "loopguard-analysis-", ANALYSIS_STACK)) {
      if (r instanceof RuntimeException re) {
        throw re;
      }
      if (r instanceof Error err) {
        throw err;
      }
      if (r instanceof Throwable other) {
        throw new IllegalStateException(other);
      }
    }
  }
}
