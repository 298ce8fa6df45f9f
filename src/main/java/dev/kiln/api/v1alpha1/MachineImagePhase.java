package dev.kiln.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonValue;

/** The lifecycle phase of a MachineImage. */
public enum MachineImagePhase {
  /** Waiting to start. */
  PENDING("Pending"),

  /** Capturing or copying the disks. */
  CREATING("Creating"),

  /** Booting a throwaway instance to check the image. */
  CHECKING("Checking"),

  /** Instances can launch from it. */
  AVAILABLE("Available"),

  /** Still launchable by name, skipped by family resolution. */
  DEPRECATED("Deprecated"),

  /** Disabled by its spec: no new Instance launches from it; clearing spec.disabled restores Available or Deprecated. */
  DISABLED("Disabled"),

  /** The image could not be created; the conditions say why. */
  FAILED("Failed");

  private final String value;

  MachineImagePhase(String value) {
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
