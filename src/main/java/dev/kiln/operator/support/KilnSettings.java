package dev.kiln.operator.support;

import java.time.Duration;

/**
 * Operator-wide defaults, from configuration (application.properties or environment).
 *
 * @param snapshotDeadline how long a Snapshot may take to become Ready when its spec sets no deadline
 * @param imageFailureDeadline how long a MachineImage may take to become Available when its spec sets none
 */
public record KilnSettings(Duration snapshotDeadline, Duration imageFailureDeadline) {

  public static KilnSettings defaults() {
    return new KilnSettings(Duration.ofHours(24), Duration.ofHours(24));
  }
}
