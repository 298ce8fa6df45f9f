package dev.kiln.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonValue;

/** How a persistent disk is presented to the machine. */
public enum VolumeMode {
  /** A formatted filesystem, mounted by path. */
  FILESYSTEM("Filesystem"),

  /** A raw block device. */
  BLOCK("Block");

  private final String value;

  VolumeMode(String value) {
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
