package dev.kiln.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonValue;

/** How an image captures a running instance's disks. */
public enum Consistency {
  /** Stop the instance, cut every snapshot, restart it: consistent across disks. */
  STOP("Stop"),

  /** Run freeze commands in the machine, cut, then thaw; no restart. */
  FREEZE("Freeze"),

  /** Cut while running: crash-consistent. */
  NONE("None");

  private final String value;

  Consistency(String value) {
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
