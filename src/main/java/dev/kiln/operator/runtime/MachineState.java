package dev.kiln.operator.runtime;

import java.util.Map;

/**
 * What the runtime reports about a machine, in runtime-neutral terms.
 *
 * @param phase where the machine is in its life
 * @param ready whether the machine passes its readiness checks
 * @param nodeName the node it runs on, once scheduled
 * @param message why it is not running, when it is not
 * @param imageDigests container name to the image reference pinned by digest, where reported
 */
public record MachineState(Phase phase, boolean ready, String nodeName, String message,
    Map<String, String> imageDigests) {

  public enum Phase {
    /** Created, not running yet. */
    STARTING,
    /** Running. */
    RUNNING,
    /** Stopped on its own (crashed or exited): it must be replaced to run again. */
    FAILED,
    /** Being deleted. */
    TERMINATING
  }
}
