package dev.kiln.operator.instance;

import dev.kiln.api.v1alpha1.VolumeMode;

/**
 * One disk as the Instance should have it, after defaults and the image's disks are applied.
 *
 * @param name disk name
 * @param claimName the PersistentVolumeClaim `<instance>-<disk>`, null for an ephemeral disk
 * @param boot whether it is the boot disk
 * @param size requested size, null when it comes from the snapshot
 * @param storageClassName storage class, null for the cluster default
 * @param volumeMode Filesystem or Block
 * @param snapshot the Kiln Snapshot the disk starts from, or null for a blank disk
 * @param ephemeral an emptyDir instead of a claim
 * @param deleteOnTermination whether the claim goes with the Instance
 * @param fromImage whether the disk is one of the launch image's disks
 * @param snapshotNamespace the namespace of {@code snapshot} when it is not the Instance's own (an
 *     image shared from another namespace), else null
 */
public record PlannedDisk(String name, String claimName, boolean boot, String size, String storageClassName,
    VolumeMode volumeMode, String snapshot, boolean ephemeral, boolean deleteOnTermination, boolean fromImage,
    String snapshotNamespace) {

  /** Whether the disk starts from a snapshot of another namespace, through a local copy. */
  public boolean sharedSnapshot() {
    return snapshotNamespace != null;
  }

  /**
   * The VolumeSnapshot the claim is restored from: the Snapshot's own in this namespace, else the
   * namespace-local copy `<claim>-image` of the shared one.
   */
  public String volumeSnapshot() {
    if (snapshot == null) {
      return null;
    }
    return sharedSnapshot() ? claimName + "-image" : snapshot;
  }

  /** What the disk was provisioned from, as the status shows it. */
  public String source(String imageRef) {
    if (fromImage) {
      return "image/" + imageRef;
    }
    return snapshot == null ? "" : "snapshot/" + snapshot;
  }

  PlannedDisk asBoot() {
    return new PlannedDisk(name, claimName, true, size, storageClassName, volumeMode, snapshot, ephemeral,
        deleteOnTermination, fromImage, snapshotNamespace);
  }
}
