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
    Instant now = clock.instant();
    // Pods that vanished before a pass looked again are forgotten here, once per deletion, not on every pass.
    deleted.values().removeIf(at -> expired(at, now));
    deleted.put(pod.getMetadata().getUid(), now);
  }

  /** The Pod as this operator knows it: terminating when it deleted it and the cache does not show that yet. */
  Pod asKnown(Pod cached) {
    Instant at = deleted.get(cached.getMetadata().getUid());
    if (at == null) {
      return cached;
    }
    if (cached.getMetadata().getDeletionTimestamp() != null || expired(at, clock.instant())) {
      deleted.remove(cached.getMetadata().getUid());
      return cached;
    }
    return new PodBuilder(cached).editMetadata().withDeletionTimestamp(at.toString()).endMetadata().build();
  }

  private static boolean expired(Instant deletedAt, Instant now) {
    return deletedAt.plus(REMEMBERED).isBefore(now);
  }
}
