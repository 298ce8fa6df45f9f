package dev.kiln.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonValue;

/** What runs an Instance's machine. */
public enum RuntimeType {
  /** A Pod, with each persistent disk as a PersistentVolumeClaim. */
  POD("pod"),

  /** A KubeVirt VirtualMachine (not supported yet). */
  KUBEVIRT("kubevirt");

  private final String value;

  RuntimeType(String value) {
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
