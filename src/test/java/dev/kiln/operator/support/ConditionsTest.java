package dev.kiln.operator.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {

  private static final Clock T1 = Clock.fixed(Instant.parse("2026-01-01T10:00:00Z"), ZoneOffset.UTC);
  private static final Clock T2 = Clock.fixed(Instant.parse("2026-01-01T11:00:00Z"), ZoneOffset.UTC);

  @Test
  void transitionTimeChangesOnlyWhenTheStatusFlips() {
    List<Condition> first = Conditions.after(T1, null, 1L).set("Ready", false, "Starting", "starting").build();

    List<Condition> sameStatus = Conditions.after(T2, first, 2L).set("Ready", false, "PodNotReady", "not ready").build();
    List<Condition> flipped = Conditions.after(T2, sameStatus, 2L).set("Ready", true, "Running", "running").build();

    assertEquals("2026-01-01T10:00:00Z", sameStatus.get(0).getLastTransitionTime());
    assertEquals("PodNotReady", sameStatus.get(0).getReason());
    assertEquals(2L, sameStatus.get(0).getObservedGeneration());
    assertEquals("2026-01-01T11:00:00Z", flipped.get(0).getLastTransitionTime());
  }
}
