package dev.kiln.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonValue;

/** The lifecycle phase of a Snapshot. */
public enum SnapshotPhase {
  /** Waiting for its source. */
  PENDING("Pending"),

  /** The VolumeSnapshot is being cut or uploaded. */
  CREATING("Creating"),

  /** The snapshot can be restored. */
  READY("Ready"),

  /** The snapshot failed; the conditions say why. */
  FAILED("Failed"),

  /** The snapshot is being deleted, or waits for the images that use it. */
  DELETING("Deleting");

  private final String value;

  SnapshotPhase(String value) {
    this.value = value;
  }

  /** The value as it is written in the API. */
  @JsonValue
  public String value() {
    return value;
  }

  @Override
  public String toString() {
    return value;
  }
}
