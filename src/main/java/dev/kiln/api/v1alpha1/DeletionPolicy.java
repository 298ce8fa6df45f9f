package dev.kiln.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonValue;

/** What happens to an image's snapshots when the image is deleted. */
public enum DeletionPolicy {
  /** Delete the snapshots the image created. */
  DELETE("Delete"),

  /** Keep every snapshot. */
  RETAIN("Retain");

  private final String value;

  DeletionPolicy(String value) {
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
