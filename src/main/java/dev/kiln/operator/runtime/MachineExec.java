package dev.kiln.operator.runtime;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;

/** Runs a command inside a running machine: how filesystems are frozen and thawed around a snapshot cut. */
public interface MachineExec {

  /**
   * Runs {@code command} in {@code container} of {@code pod} and waits at most {@code timeout}.
   *
   * @return the outcome; a command that does not finish in time counts as failed
   */
  Result run(Pod pod, String container, List<String> command, Duration timeout);

  /**
   * @param succeeded whether the command exited with status 0 in time
   * @param detail what went wrong, for a condition message, when it did not
   */
  record Result(boolean succeeded, String detail) {}
}
