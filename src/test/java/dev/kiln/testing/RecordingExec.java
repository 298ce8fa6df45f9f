package dev.kiln.testing;

import dev.kiln.operator.runtime.MachineExec;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Stands in for the exec transport only: the test API server has no kubelet, so a command cannot
 * reach a container there. It records what Kiln runs, in order, and fails the commands a test asks
 * it to fail. Everything around it (which Pod, which container, when) is the operator's own code.
 */
public final class RecordingExec implements MachineExec {

  /** One command run in a machine. */
  public record Run(String namespace, String pod, String container, List<String> command) {}

  private final List<Run> runs = new CopyOnWriteArrayList<>();
  private volatile Predicate<List<String>> failing = c -> false;

  @Override
  public Result run(Pod pod, String container, List<String> command, Duration timeout) {
    runs.add(new Run(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), container, List.copyOf(command)));
    return failing.test(command) ? new Result(false, "exit status 1: simulated failure") : new Result(true, null);
  }

  /** The commands run in the given namespace, in order. */
  public List<Run> runsIn(String namespace) {
    return runs.stream().filter(r -> r.namespace().equals(namespace)).toList();
  }

  /** Commands matching fail from now on. */
  public void fail(Predicate<List<String>> which) {
    failing = which;
  }

  void reset() {
    failing = c -> false;
  }
}
