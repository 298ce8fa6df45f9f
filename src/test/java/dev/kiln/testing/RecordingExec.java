package dev.kiln.testing;

import dev.kiln.operator.runtime.MachineExec;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Stands in for the exec transport only: the test API server has no kubelet, so a command cannot
 * reach a container there. It records what Kiln runs, in order, and fails the commands a test asks
 * it to fail. Everything around it (which Pod, which container, when) is the operator's own code.
 *
 * <p>Commands with {@code --freeze} and {@code --unfreeze} behave as fsfreeze does: freezing a
 * frozen machine fails (EBUSY), thawing a thawed one fails (EINVAL), so a test can tell whether a
 * machine was left frozen.
 */
public final class RecordingExec implements MachineExec {

  /** One command run in a machine. */
  public record Run(String namespace, String pod, String container, List<String> command) {
    public boolean freezes() {
      return command.contains("--freeze");
    }

    public boolean thaws() {
      return command.contains("--unfreeze");
    }
  }

  private final List<Run> runs = new CopyOnWriteArrayList<>();
  private final Map<String, Boolean> frozen = new ConcurrentHashMap<>();
  private volatile Predicate<List<String>> failing = c -> false;
  private volatile Consumer<Run> afterRun = r -> {};

  @Override
  public Result run(Pod pod, String container, List<String> command, Duration timeout) {
    Run run = new Run(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), container, List.copyOf(command));
    runs.add(run);
    if (failing.test(command)) {
      return new Result(false, "exit status 1: simulated failure");
    }
    String machine = run.namespace() + "/" + run.pod();
    boolean wasFrozen = frozen.getOrDefault(machine, false);
    if (run.freezes() && wasFrozen) {
      return new Result(false, "exit status 1: fsfreeze: /srv: freeze failed: Device or resource busy");
    }
    if (run.thaws() && !wasFrozen) {
      return new Result(false, "exit status 1: fsfreeze: /srv: unfreeze failed: Invalid argument");
    }
    if (run.freezes() || run.thaws()) {
      frozen.put(machine, run.freezes());
    }
    afterRun.accept(run);
    return new Result(true, null);
  }

  /** The commands run in the given namespace, in order. */
  public List<Run> runsIn(String namespace) {
    return runs.stream().filter(r -> r.namespace().equals(namespace)).toList();
  }

  /** Whether the machine (Pod) was left frozen by the commands run in it. */
  public boolean frozen(String namespace, String pod) {
    return frozen.getOrDefault(namespace + "/" + pod, false);
  }

  /** Commands matching fail from now on. */
  public void fail(Predicate<List<String>> which) {
    failing = which;
  }

  /**
   * Runs {@code action} after each command that succeeded, on the operator's thread, before the
   * operator learns the outcome: an exception it throws is what the operator sees instead, as if the
   * connection dropped once the command had run.
   */
  public void afterRun(Consumer<Run> action) {
    afterRun = action;
  }

  void reset() {
    failing = c -> false;
    afterRun = r -> {};
  }
}
