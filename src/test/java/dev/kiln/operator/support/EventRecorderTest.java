package dev.kiln.operator.support;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.testing.HandClock;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventRecorderTest {

  private final HandClock clock = new HandClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final EventRecorder recorder = new EventRecorder(null, clock);

  @Test
  void theSameEventAboutTheSameObjectIsPublishedOnceWithinTenMinutes() {
    Instance web = instance("uid-1");
    assertFalse(recorder.repeats(web, "Warning", "MachineRejected", "refused"));
    assertTrue(recorder.repeats(web, "Warning", "MachineRejected", "refused"));
    clock.advance(Duration.ofMinutes(10));
    assertFalse(recorder.repeats(web, "Warning", "MachineRejected", "refused"), "a lasting condition is told again");
  }

  @Test
  void aChangeInBetweenOrAnotherObjectIsNoRepeat() {
    Instance web = instance("uid-1");
    assertFalse(recorder.repeats(web, "Normal", "Running", "ready"));
    assertFalse(recorder.repeats(web, "Normal", "Stopped", "stopped"));
    assertFalse(recorder.repeats(web, "Normal", "Running", "ready"), "a second transition to Running is news");
    assertFalse(recorder.repeats(instance("uid-2"), "Normal", "Running", "ready"));
    assertFalse(recorder.repeats(web, "Normal", "Running", "ready again"));
  }

  private static Instance instance(String uid) {
    Instance instance = new Instance();
    instance.setMetadata(new ObjectMetaBuilder().withName("web").withNamespace("ns").withUid(uid).build());
    return instance;
  }
}
