package dev.kiln.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * A snapshot the storage system already holds, named by its CSI driver and handle: what an image
 * copy's Snapshots are made from, and how existing storage snapshots are brought in.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SnapshotHandleSource {

  @JsonPropertyDescription("The CSI driver that holds the snapshot.")
  @Required
  @Size(min = 1, max = 63)
  private String driver;

  @JsonPropertyDescription("The storage system's identifier of the snapshot. Data Kiln did not cut itself is never deleted by Kiln.")
  @Required
  @Size(min = 1, max = 1024)
  private String snapshotHandle;

  @JsonPropertyDescription("Volume mode of the disk the snapshot was cut from: Filesystem (the default) or Block.")
  private VolumeMode volumeMode;

  public String getDriver() {
    return driver;
  }

  public void setDriver(String driver) {
    this.driver = driver;
  }

  public String getSnapshotHandle() {
    return snapshotHandle;
  }

  public void setSnapshotHandle(String snapshotHandle) {
    this.snapshotHandle = snapshotHandle;
  }

  public VolumeMode getVolumeMode() {
    return volumeMode;
  }

  public void setVolumeMode(VolumeMode volumeMode) {
    this.volumeMode = volumeMode;
  }
}
