package dev.kiln.testing.sim;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the simulator's steps in lanes: every step about one object (namespace/name) runs on that
 * object's lane, one at a time and in order. With one lane (the tests' default) the simulated kubelet
 * and CSI driver never race each other; with more, different objects progress side by side, as the
 * real kubelets and CSI controllers do, which a benchmark at scale needs. A step already waiting
 * under the same key is not scheduled twice.
 */
final class StepScheduler implements AutoCloseable {

  private static final Duration RETRY = Duration.ofMillis(500);
  private static final Duration MAX_PAUSE = Duration.ofSeconds(5);
  private static final int RETRIES = 120;

  private final List<ScheduledExecutorService> lanes = new ArrayList<>();
  private final Set<String> waiting = ConcurrentHashMap.newKeySet();

  StepScheduler(int laneCount) {
    for (int i = 0; i < laneCount; i++) {
      String name = "cluster-simulator-" + i;
      lanes.add(Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, name);
        thread.setDaemon(true);
        return thread;
      }));
    }
  }

  /**
   * Runs {@code step} after {@code delay}, unless a step with the same key is already waiting.
   *
   * @param key what the step does to which object: {@code <step>/<namespace>/<name>}
   */
  void after(Duration delay, String key, Runnable step) {
    if (waiting.add(key)) {
      ScheduledExecutorService lane = laneOf(key.substring(key.indexOf('/') + 1));
      lane.schedule(() -> {
        waiting.remove(key);
        safely(lane, step, 0);
      }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Runs {@code step} about {@code object} (namespace/name) as soon as its lane is free. */
  void now(String object, Runnable step) {
    ScheduledExecutorService lane = laneOf(object);
    lane.execute(() -> safely(lane, step, 0));
  }

  private ScheduledExecutorService laneOf(String object) {
    return lanes.get(Math.floorMod(object.hashCode(), lanes.size()));
  }

  private static void safely(ScheduledExecutorService lane, Runnable step, int attempt) {
    try {
      step.run();
    } catch (RuntimeException e) {
      if (lane.isShutdown()) {
        return; // the simulator is closing: its steps in flight are cut off, as a stopping kubelet's are
      }
      // As the work queues of kubelets and CSI sidecars do, a failed step is tried again after a
      // growing pause: an event missed while it failed (the API server restarting, a conflict) must
      // not leave the object waiting for one that never comes.
      if (attempt < RETRIES) {
        long pause = Math.min(RETRY.toMillis() << Math.min(attempt, 4), MAX_PAUSE.toMillis());
        if (!(e instanceof KubernetesClientException k && unreachable(k))) {
          System.err.println("[simulator] step failed, tried again in " + pause + " ms: " + describe(e));
        }
        lane.schedule(() -> safely(lane, step, attempt + 1), pause, TimeUnit.MILLISECONDS);
      } else {
        System.err.println("[simulator] step failed for good: " + describe(e));
      }
    }
  }

  /** The message, with the HTTP code and the cause a client exception keeps apart from it. */
  private static String describe(RuntimeException e) {
    if (!(e instanceof KubernetesClientException k)) {
      return e.toString();
    }
    return e.getMessage() + " (HTTP " + k.getCode() + (e.getCause() == null ? "" : ", " + e.getCause()) + ")";
  }

  /** No answer (the connection failed or was cut) or the API server said it cannot serve now. */
  private static boolean unreachable(KubernetesClientException e) {
    return e.getCode() == 0 || e.getCode() >= 500;
  }

  @Override
  public void close() {
    lanes.forEach(ScheduledExecutorService::shutdownNow);
  }
}
