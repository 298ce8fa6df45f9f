package dev.kiln.operator.instance;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.kiln.testing.HandClock;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class DeletedMachinesTest {

  private static final Pod RUNNING = new PodBuilder().withNewMetadata().withName("web").withUid("u1").endMetadata().build();

  @Test
  void aPodDeletedAMomentAgoIsTerminatingEvenWhileTheCacheStillShowsItRunning() {
    DeletedMachines machines = new DeletedMachines(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
    assertSame(RUNNING, machines.asKnown(RUNNING), "a Pod it did not delete is as cached");
    machines.deleted(RUNNING);
    assertNotNull(machines.asKnown(RUNNING).getMetadata().getDeletionTimestamp());
    assertNull(RUNNING.getMetadata().getDeletionTimestamp(), "the cached object is not changed");
  }

  @Test
  void itIsForgottenOnceTheCacheShowsTheDeletionOrAfterAMinute() {
    HandClock clock = new HandClock(Instant.parse("2026-01-01T00:00:00Z"));
    DeletedMachines machines = new DeletedMachines(clock);
    machines.deleted(RUNNING);
    Pod terminating = new PodBuilder(RUNNING).editMetadata().withDeletionTimestamp("2026-01-01T00:00:01Z").endMetadata().build();
    assertSame(terminating, machines.asKnown(terminating));
    assertSame(RUNNING, machines.asKnown(RUNNING), "forgotten once the cache showed it");

    machines.deleted(RUNNING);
    clock.advance(Duration.ofSeconds(61));
    assertSame(RUNNING, machines.asKnown(RUNNING));
  }
}
