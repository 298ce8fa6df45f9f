package dev.kiln.operator.instance;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Pods this operator deleted a moment ago. A pass that runs before the Pod cache shows the
 * deletion would see the Pod as running and delete it again: a wasted write. Such a Pod is seen as
 * terminating instead, until the cache catches up or a minute has passed.
 */
final class DeletedMachines {

  private static final Duration REMEMBERED = Duration.ofMinutes(1);

  private final Clock clock;
  private final Map<String, Instant> deleted = new ConcurrentHashMap<>();

  DeletedMachines(Clock clock) {
    this.clock = clock;
  }

  void deleted(Pod pod) {
    deleted.put(pod.getMetadata().getUid(), clock.instant());
  }

  /** The Pod as this operator knows it: terminating when it deleted it and the cache does not show that yet. */
  Pod asKnown(Pod cached) {
    Instant now = clock.instant();
    deleted.values().removeIf(at -> at.plus(REMEMBERED).isBefore(now));
    Instant at = deleted.get(cached.getMetadata().getUid());
    if (at == null) {
      return cached;
    }
    if (cached.getMetadata().getDeletionTimestamp() != null) {
      deleted.remove(cached.getMetadata().getUid());
      return cached;
    }
    return new PodBuilder(cached).editMetadata().withDeletionTimestamp(at.toString()).endMetadata().build();
  }
}
