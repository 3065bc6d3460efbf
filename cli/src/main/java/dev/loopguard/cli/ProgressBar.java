package dev.loopguard.cli;

import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A progress bar on standard error for scans that take longer than a second: files read, then
 * the analysis. Shown only on a terminal; cleared when the scan ends.
 */
final class ProgressBar implements AutoCloseable {
  private static final long DELAY_MS = 1000;
  private static final int WIDTH = 30;

  private final PrintStream err;
  private final ScheduledExecutorService ticker;
  private final long start = System.nanoTime();
  private final AtomicInteger total = new AtomicInteger(-1);
  private final AtomicInteger done = new AtomicInteger();
  private boolean drawn;
  private String last;

  ProgressBar(PrintStream err, boolean enabled) {
    this.err = err;
    if (enabled) {
      ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "loopguard-progress");
        t.setDaemon(true);
        return t;
      });
      ticker.scheduleAtFixedRate(this::draw, DELAY_MS, 100, TimeUnit.MILLISECONDS);
    } else {
      ticker = null;
    }
  }

  /** Shown on a terminal only: nothing extra when the output is piped or redirected. */
  static boolean wanted(Io io, boolean disabled) {
    return !disabled && io.terminal() && !"dumb".equals(io.env().get("TERM"));
  }

  void total(int n) {
    total.set(n);
  }

  void done(int n) {
    done.accumulateAndGet(n, Math::max);
  }

  private synchronized void draw() {
    if ((System.nanoTime() - start) / 1_000_000 < DELAY_MS) {
      return;
    }
    int t = total.get();
    int d = done.get();
    String line;
    if (t < 0) {
      line = "loopguard: finding files...";
    } else if (d < t) {
      int filled = t == 0 ? WIDTH : (int) ((long) d * WIDTH / t);
      line = "loopguard: [" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] " + d + "/" + t + " files";
    } else {
      line = "loopguard: analysing " + t + (t == 1 ? " file..." : " files...");
    }
    if (line.equals(last)) {
      return;
    }
    last = line;
    err.print("\r\u001b[K" + line);
    err.flush();
    drawn = true;
  }

  @Override
  public synchronized void close() {
    if (ticker != null) {
      ticker.shutdownNow();
      try {
        ticker.awaitTermination(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (drawn) {
      err.print("\r\u001b[K");
      err.flush();
      drawn = false;
    }
  }
}
