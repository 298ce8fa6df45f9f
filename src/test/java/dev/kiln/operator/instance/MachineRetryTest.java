package dev.kiln.operator.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Condition;
import dev.kiln.api.v1alpha1.InstanceStatus;
import dev.kiln.operator.support.ConditionTypes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MachineRetryTest {

  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

  @Test
  void aFreshRefusalIsTriedAgainAfterTenSeconds() {
    assertEquals(Duration.ofSeconds(10), MachineRetry.after(refusedSince(NOW), NOW));
    assertEquals(Duration.ofSeconds(10), MachineRetry.after(new InstanceStatus(), NOW));
  }

  @Test
  void aLastingRefusalIsTriedAgainAsLateAsItHasLastedUpToFiveMinutes() {
    assertEquals(Duration.ofSeconds(40), MachineRetry.after(refusedSince(NOW.minusSeconds(40)), NOW));
    assertEquals(Duration.ofMinutes(5), MachineRetry.after(refusedSince(NOW.minusSeconds(3600)), NOW));
  }

  private static InstanceStatus refusedSince(Instant since) {
    Condition ready = new Condition();
    ready.setType(ConditionTypes.READY);
    ready.setStatus("False");
    ready.setLastTransitionTime(since.toString());
    InstanceStatus status = new InstanceStatus();
    status.setConditions(List.of(ready));
    return status;
  }
}
