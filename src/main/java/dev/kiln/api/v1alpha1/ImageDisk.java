package dev.kiln.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One disk of an image. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImageDisk {

  @JsonPropertyDescription("Disk name.")
  private String name;

  @JsonPropertyDescription("The Snapshot holding the disk's data (none for ephemeral disks).")
  private String snapshot;

  @JsonPropertyDescription("Disk size.")
  private String size;

  @JsonPropertyDescription("StorageClass of the captured disk.")
  private String storageClassName;

  @JsonPropertyDescription("Volume mode of the captured disk.")
  private VolumeMode volumeMode;

  @JsonPropertyDescription("Whether this is the boot disk.")
  private Boolean boot;

  @JsonPropertyDescription("An instance-store disk: launched instances get it new and empty.")
  private Boolean ephemeral;

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

  public Boolean getBoot() {
    return boot;
  }

  public void setBoot(Boolean boot) {
    this.boot = boot;
  }

  public Boolean getEphemeral() {
    return ephemeral;
  }

  public void setEphemeral(Boolean ephemeral) {
    this.ephemeral = ephemeral;
  }
}
