package dev.kiln.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonValue;

/** The outcome of an image's boot check. */
public enum CheckResult {
  /** A throwaway instance booted from the image became ready. */
  PASSED("Passed"),

  /** A throwaway instance booted from the image did not become ready. */
  FAILED("Failed"),

  /** No check was asked for. */
  SKIPPED("Skipped");

  private final String value;

  CheckResult(String value) {
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
