package dev.kiln.testing.sim;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs every simulator step on one thread, so the simulated kubelet and CSI driver never race each
 * other. A step already waiting under the same key is not scheduled twice.
 */
final class StepScheduler implements AutoCloseable {

  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "cluster-simulator");
    thread.setDaemon(true);
    return thread;
  });
  private final Set<String> waiting = new HashSet<>();

  /** Runs {@code step} after {@code delay}, unless a step with the same key is already waiting. */
  void after(Duration delay, String key, Runnable step) {
    executor.execute(() -> {
      if (waiting.add(key)) {
        executor.schedule(() -> {
          waiting.remove(key);
          safely(step);
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
      }
    });
  }

  void now(Runnable step) {
    executor.execute(() -> safely(step));
  }

  private static void safely(Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      // A conflict or a vanished object: the next event for the object runs the step again.
      System.err.println("[simulator] step failed: " + e.getMessage());
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
