package dev.kiln.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonValue;

/** The lifecycle phase of an Instance. */
public enum InstancePhase {
  /** Disks or the machine are being prepared. */
  PENDING("Pending"),

  /** The machine is running. */
  RUNNING("Running"),

  /** The machine is being stopped; its disks stay. */
  STOPPING("Stopping"),

  /** The machine is stopped; its disks are kept. */
  STOPPED("Stopped"),

  /** The Instance is being deleted. */
  TERMINATING("Terminating"),

  /** The Instance cannot run; the conditions say why. */
  FAILED("Failed");

  private final String value;

  InstancePhase(String value) {
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
