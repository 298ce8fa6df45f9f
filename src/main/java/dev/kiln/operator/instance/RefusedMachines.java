package dev.kiln.operator.instance;

import dev.kiln.api.v1alpha1.Instance;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The machines the API server refused, and when each may be tried again. Any pass can want the
 * machine, and passes come with every change of a claim or a Snapshot; without this, each of them
 * would ask the API server again and the backoff would hold only while nothing else happens. A new
 * generation (the user edited the instance) is tried at once. Kept in memory: after a restart the
 * machine is tried once more, which tells the user whether the refusal still stands.
 */
final class RefusedMachines {

  private record Refusal(long generation, Finding finding, Instant retryAt) {}

  private final Clock clock;
  private final Map<String, Refusal> refused = new ConcurrentHashMap<>();

  RefusedMachines(Clock clock) {
    this.clock = clock;
  }

  /** Records a refusal; the machine is not tried again for {@code backoff}. */
  void refused(Instance instance, Finding finding, Duration backoff) {
    Instant now = clock.instant();
    // Instances deleted while refused are forgotten here, not on every pass.
    refused.values().removeIf(r -> r.retryAt().plus(MachineRetry.LONGEST).isBefore(now));
    refused.put(instance.getMetadata().getUid(), new Refusal(generation(instance), finding, now.plus(backoff)));
  }

  /** The refusal that still stands for this generation of the instance, if one does. */
  Optional<Finding> standing(Instance instance) {
    Refusal refusal = refused.get(instance.getMetadata().getUid());
    if (refusal == null || refusal.generation() != generation(instance) || !clock.instant().isBefore(refusal.retryAt())) {
      return Optional.empty();
    }
    return Optional.of(refusal.finding());
  }

  /**
   * How long until the machine may be tried again, zero when it may be now; rounded up to the
   * millisecond, so that a timer set to it finds the refusal over, not a sliver short of it.
   */
  Duration untilRetry(Instance instance) {
    Refusal refusal = refused.get(instance.getMetadata().getUid());
    if (refusal == null) {
      return Duration.ZERO;
    }
    Duration left = Duration.between(clock.instant(), refusal.retryAt());
    if (left.isNegative()) {
      return Duration.ZERO;
    }
    Duration wholeMillis = Duration.ofMillis(left.toMillis());
    return wholeMillis.equals(left) ? left : wholeMillis.plusMillis(1);
  }

  void forget(Instance instance) {
    refused.remove(instance.getMetadata().getUid());
  }

  private static long generation(Instance instance) {
    Long generation = instance.getMetadata().getGeneration();
    return generation == null ? 0 : generation;
  }
}
