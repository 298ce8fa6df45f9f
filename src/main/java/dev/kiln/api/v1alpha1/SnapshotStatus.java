package dev.kiln.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** The observed state of a Snapshot. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("Where the copy stands: its phase, the VolumeSnapshot, when it was cut and became ready, its size, which images use it.")
public class SnapshotStatus extends KilnStatus {

  @JsonPropertyDescription("Pending, Creating, Ready, Failed or Deleting.")
  private SnapshotPhase phase;

  @JsonPropertyDescription("The VolumeSnapshot this Snapshot owns (same name).")
  private String volumeSnapshot;

  @JsonPropertyDescription("The storage system's identifier of the snapshot.")
  private String snapshotHandle;

  @JsonPropertyDescription("The CSI driver that holds the snapshot.")
  private String driver;

  @JsonPropertyDescription("The minimum size of a disk restored from this snapshot.")
  private String restoreSize;

  @JsonPropertyDescription("The PersistentVolumeClaim that was copied.")
  private String sourceClaimName;

  @JsonPropertyDescription("StorageClass of the copied disk.")
  private String sourceStorageClassName;

  @JsonPropertyDescription("Volume mode of the copied disk.")
  private VolumeMode sourceVolumeMode;

  @JsonPropertyDescription("The point in time the snapshot captures (VolumeSnapshot creationTime).")
  private String cutTime;

  @JsonPropertyDescription("Operating system and architecture of the node the instance ran on, when taken from an instance.")
  private Platform sourcePlatform;

  @JsonPropertyDescription("When the snapshot became Ready.")
  private String readyTime;

  @JsonPropertyDescription("MachineImages that use this snapshot; while any does, it cannot be deleted.")
  private List<String> usedBy;

  public SnapshotPhase getPhase() {
    return phase;
  }

  public void setPhase(SnapshotPhase phase) {
    this.phase = phase;
  }

  public String getVolumeSnapshot() {
    return volumeSnapshot;
  }

  public void setVolumeSnapshot(String volumeSnapshot) {
    this.volumeSnapshot = volumeSnapshot;
  }

  public String getSnapshotHandle() {
    return snapshotHandle;
  }

  public void setSnapshotHandle(String snapshotHandle) {
    this.snapshotHandle = snapshotHandle;
  }

  public String getDriver() {
    return driver;
  }

  public void setDriver(String driver) {
    this.driver = driver;
  }

  public String getRestoreSize() {
    return restoreSize;
  }

  public void setRestoreSize(String restoreSize) {
    this.restoreSize = restoreSize;
  }

  public String getSourceClaimName() {
    return sourceClaimName;
  }

  public void setSourceClaimName(String sourceClaimName) {
    this.sourceClaimName = sourceClaimName;
  }

  public String getSourceStorageClassName() {
    return sourceStorageClassName;
  }

  public void setSourceStorageClassName(String sourceStorageClassName) {
    this.sourceStorageClassName = sourceStorageClassName;
  }

  public VolumeMode getSourceVolumeMode() {
    return sourceVolumeMode;
  }

  public void setSourceVolumeMode(VolumeMode sourceVolumeMode) {
    this.sourceVolumeMode = sourceVolumeMode;
  }

  public String getCutTime() {
    return cutTime;
  }

  public void setCutTime(String cutTime) {
    this.cutTime = cutTime;
  }

  public Platform getSourcePlatform() {
    return sourcePlatform;
  }

  public void setSourcePlatform(Platform sourcePlatform) {
    this.sourcePlatform = sourcePlatform;
  }

  public String getReadyTime() {
    return readyTime;
  }

  public void setReadyTime(String readyTime) {
    this.readyTime = readyTime;
  }

  public List<String> getUsedBy() {
    return usedBy;
  }

  public void setUsedBy(List<String> usedBy) {
    this.usedBy = usedBy;
  }
}
