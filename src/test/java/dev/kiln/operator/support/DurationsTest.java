package dev.kiln.operator.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void parsesTheDurationsTheSchemaAccepts() {
    assertEquals(Duration.ofSeconds(90), Durations.parse("90s"));
    assertEquals(Duration.ofMinutes(90), Durations.parse("1h30m"));
    assertEquals(Duration.ofHours(24), Durations.parse("24h"));
    assertEquals(Duration.ofMillis(1500), Durations.parse("1.5s"));
    assertEquals(Duration.ofMillis(250), Durations.parse("250ms"));
  }

  @Test
  void rejectsAnythingElse() {
    assertThrows(IllegalArgumentException.class, () -> Durations.parse("tomorrow"));
    assertThrows(IllegalArgumentException.class, () -> Durations.parse("10"));
    assertThrows(IllegalArgumentException.class, () -> Durations.parse("10s later"));
  }
}
