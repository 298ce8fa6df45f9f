package dev.kiln.operator.instance;

import dev.kiln.api.v1alpha1.InstanceStatus;
import dev.kiln.operator.support.ConditionTypes;
import dev.kiln.operator.support.Conditions;
import java.time.Duration;
import java.time.Instant;

/**
 * When to try again a machine the API server refused. A fix of the template retries at once (a new
 * generation); a change of the namespace's policy or quota wakes nobody, so Kiln looks again, less
 * often the longer the refusal lasts: as long again as it has lasted, between 10 seconds and 5 minutes.
 */
final class MachineRetry {

  static final Duration FIRST = Duration.ofSeconds(10);
  static final Duration LONGEST = Duration.ofMinutes(5);

  private MachineRetry() {}

  static Duration after(InstanceStatus status, Instant now) {
    Duration refusedFor = Conditions.find(status.getConditions(), ConditionTypes.READY)
        .map(c -> c.getLastTransitionTime() == null ? Duration.ZERO : Duration.between(Instant.parse(c.getLastTransitionTime()), now))
        .orElse(Duration.ZERO);
    if (refusedFor.compareTo(FIRST) < 0) {
      return FIRST;
    }
    return refusedFor.compareTo(LONGEST) > 0 ? LONGEST : refusedFor;
  }
}
