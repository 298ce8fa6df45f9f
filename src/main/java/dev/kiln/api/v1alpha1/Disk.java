package dev.kiln.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * A disk of an Instance: a persistent disk (a PersistentVolumeClaim) or an ephemeral one (an
 * emptyDir).
 */
@ValidationRule(value = "!has(self.ephemeral) || !self.ephemeral || (!has(self.snapshot) && !has(self.storageClassName) && !has(self.volumeMode))", message = "an ephemeral disk cannot have snapshot, storageClassName or volumeMode: it is an empty emptyDir")
@ValidationRule(value = "!has(self.ephemeral) || !self.ephemeral || !has(self.boot) || !self.boot", message = "the boot disk must be persistent, not ephemeral")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Disk {

  @JsonPropertyDescription("Disk name, unique in the Instance; containers mount the disk by this name.")
  @Required
  @Size(min = 1, max = 63)
  @ValidationRule(value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')", message = "disk name must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters")
  private String name;

  @JsonPropertyDescription("Marks the boot (system) disk; defaults to the first persistent disk.")
  private Boolean boot;

  @JsonPropertyDescription("Capacity, a Kubernetes quantity such as 10Gi. Required unless the disk comes from a snapshot or an image; it may grow, never shrink.")
  @Size(max = 32)
  @ValidationRule(value = "isQuantity(self) && quantity(self).isGreaterThan(quantity('0'))", message = "disk size must be a positive Kubernetes quantity such as 10Gi or 500Mi")
  private String size;

  @JsonPropertyDescription("StorageClass of the disk's PersistentVolumeClaim; the cluster default when omitted.")
  @Size(min = 1, max = 253)
  @ValidationRule(value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')", message = "storageClassName must be a lowercase DNS-1123 name (a-z, 0-9, '-' and '.')")
  private String storageClassName;

  @JsonPropertyDescription("Filesystem (default) or Block.")
  private VolumeMode volumeMode;

  @JsonPropertyDescription("Name of a Snapshot in the same namespace to start this disk from.")
  @Size(min = 1, max = 253)
  @ValidationRule(value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')", message = "disk snapshot must be a lowercase DNS-1123 name (a-z, 0-9, '-' and '.')")
  private String snapshot;

  @JsonPropertyDescription("Whether the disk's PersistentVolumeClaim is deleted with the Instance (default true); false keeps it.")
  @Default("true")
  private Boolean deleteOnTermination;

  @JsonPropertyDescription("An instance-store disk: an emptyDir, empty at every start, never snapshotted.")
  @Default("false")
  private Boolean ephemeral;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public Boolean getBoot() {
    return boot;
  }

  public void setBoot(Boolean boot) {
    this.boot = boot;
  }

  public String getSize() {
    return size;
  }

  public void setSize(String size) {
    this.size = size;
  }

  public String getStorageClassName() {
    return storageClassName;
  }

  public void setStorageClassName(String storageClassName) {
    this.storageClassName = storageClassName;
  }

  public VolumeMode getVolumeMode() {
    return volumeMode;
  }

  public void setVolumeMode(VolumeMode volumeMode) {
    this.volumeMode = volumeMode;
  }

  public String getSnapshot() {
    return snapshot;
  }

  public void setSnapshot(String snapshot) {
    this.snapshot = snapshot;
  }

  public Boolean getDeleteOnTermination() {
    return deleteOnTermination;
  }

  public void setDeleteOnTermination(Boolean deleteOnTermination) {
    this.deleteOnTermination = deleteOnTermination;
  }

  public Boolean getEphemeral() {
    return ephemeral;
  }

  public void setEphemeral(Boolean ephemeral) {
    this.ephemeral = ephemeral;
  }
}
