package dev.kiln.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The desired state of a Snapshot. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("What to copy: an Instance's disk or a PersistentVolumeClaim, and how long the copy may take.")
public class SnapshotSpec {

  @JsonPropertyDescription("The disk to copy.")
  @Required
  @ValidationRule(value = "self == oldSelf", message = "spec.source is immutable")
  private SnapshotSource source;

  @JsonPropertyDescription("VolumeSnapshotClass to use; defaults to the default class of the disk's CSI driver.")
  @Size(min = 1, max = 253)
  @ValidationRule(value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')", message = "volumeSnapshotClassName must be a lowercase DNS-1123 name (a-z, 0-9, '-' and '.')")
  @ValidationRule(value = "self == oldSelf", message = "spec.volumeSnapshotClassName is immutable")
  private String volumeSnapshotClassName;

  @JsonPropertyDescription("Free text for people.")
  @Size(max = 1024)
  private String description;

  @JsonPropertyDescription("How long the snapshot may take to become Ready before it fails with reason SnapshotTimeout, such as 30m or 24h; the operator's default when omitted.")
  @ValidationRule(value = "self.matches('^([0-9]+(\\\\.[0-9]+)?(ms|s|m|h))+$')", message = "deadline must be a duration such as 90s, 30m or 24h")
  private String deadline;

  public SnapshotSource getSource() {
    return source;
  }

  public void setSource(SnapshotSource source) {
    this.source = source;
  }

  public String getVolumeSnapshotClassName() {
    return volumeSnapshotClassName;
  }

  public void setVolumeSnapshotClassName(String volumeSnapshotClassName) {
    this.volumeSnapshotClassName = volumeSnapshotClassName;
  }

  public String getDescription() {
    return description;
  }

  public void setDescription(String description) {
    this.description = description;
  }

  public String getDeadline() {
    return deadline;
  }

  public void setDeadline(String deadline) {
    this.deadline = deadline;
  }
}
