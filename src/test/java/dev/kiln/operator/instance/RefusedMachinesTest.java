package dev.kiln.operator.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.operator.support.Reasons;
import dev.kiln.testing.HandClock;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RefusedMachinesTest {

  private static final Finding REFUSED = new Finding(Reasons.MACHINE_REJECTED, "the API server refused Pod web");

  private final HandClock clock = new HandClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final RefusedMachines machines = new RefusedMachines(clock);

  @Test
  void aRefusalStandsForItsBackoffWhateverWakesThePass() {
    Instance web = instance("u1", 1);
    machines.refused(web, REFUSED, Duration.ofSeconds(10));

    clock.advance(Duration.ofSeconds(9));
    assertEquals(Optional.of(REFUSED), machines.standing(web));
    assertEquals(Duration.ofSeconds(1), machines.untilRetry(web));

    clock.advance(Duration.ofSeconds(1));
    assertEquals(Optional.empty(), machines.standing(web), "due: the machine is tried again");
  }

  @Test
  void theWaitIsRoundedUpSoThatATimerSetToItFindsTheRefusalOver() {
    Instance web = instance("u1", 1);
    machines.refused(web, REFUSED, Duration.ofSeconds(10));
    clock.advance(Duration.ofNanos(500_000));
    assertEquals(Duration.ofMillis(10_000), machines.untilRetry(web));
  }

  @Test
  void anEditedInstanceIsTriedAtOnce() {
    machines.refused(instance("u1", 1), REFUSED, Duration.ofSeconds(10));
    assertEquals(Optional.empty(), machines.standing(instance("u1", 2)));
  }

  @Test
  void aForgottenOrUnknownInstanceHasNoRefusal() {
    Instance web = instance("u1", 1);
    assertTrue(machines.standing(web).isEmpty());
    machines.refused(web, REFUSED, Duration.ofSeconds(10));
    machines.forget(web);
    assertTrue(machines.standing(web).isEmpty());
    assertEquals(Duration.ZERO, machines.untilRetry(web));
  }

  @Test
  void anotherInstanceIsNotHeldBackByItsNeighboursRefusal() {
    machines.refused(instance("u1", 1), REFUSED, Duration.ofSeconds(10));
    assertTrue(machines.standing(instance("u2", 1)).isEmpty());
  }

  private static Instance instance(String uid, long generation) {
    Instance instance = new Instance();
    instance.setMetadata(new ObjectMetaBuilder().withName("web").withNamespace("apps").withUid(uid)
        .withGeneration(generation).build());
    return instance;
  }
}
