package dev.kiln.operator.snapshot;

import dev.kiln.api.v1alpha1.Platform;
import dev.kiln.api.v1alpha1.VolumeMode;

/**
 * What a Snapshot's source turned out to be: a bound claim of a CSI driver ready to be snapshotted,
 * or the reason it is not.
 *
 * @param claimName the claim to snapshot
 * @param driver the CSI driver of its volume
 * @param storageClassName its storage class
 * @param volumeMode its volume mode
 * @param platform the platform of the node the source instance ran on, when known
 * @param reason why the source cannot be snapshotted now, or null
 * @param message the same for people
 * @param permanent whether waiting cannot help
 */
record SourceCheck(String claimName, String driver, String storageClassName, VolumeMode volumeMode,
    Platform platform, String reason, String message, boolean permanent) {

  static SourceCheck waiting(String reason, String message) {
    return new SourceCheck(null, null, null, null, null, reason, message, false);
  }

  static SourceCheck failed(String reason, String message) {
    return new SourceCheck(null, null, null, null, null, reason, message, true);
  }

  boolean ok() {
    return reason == null;
  }
}
