package dev.kiln.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** One disk of an image registered from existing Snapshots. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SnapshotDiskSource {

  @JsonPropertyDescription("Disk name in the image.")
  @Required
  @Size(min = 1, max = 63)
  @ValidationRule(value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')", message = "source.snapshots[].name must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters")
  private String name;

  @JsonPropertyDescription("A Ready Snapshot in the same namespace.")
  @Required
  @Size(min = 1, max = 253)
  @ValidationRule(value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')", message = "source.snapshots[].snapshot must be a lowercase DNS-1123 name (a-z, 0-9, '-' and '.')")
  private String snapshot;

  @JsonPropertyDescription("Marks the boot disk; defaults to the first disk.")
  private Boolean boot;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getSnapshot() {
    return snapshot;
  }

  public void setSnapshot(String snapshot) {
    this.snapshot = snapshot;
  }

  public Boolean getBoot() {
    return boot;
  }

  public void setBoot(Boolean boot) {
    this.boot = boot;
  }
}
