package dev.kiln.operator.snapshot;

import dev.kiln.api.v1alpha1.SnapshotPhase;
import dev.kiln.operator.support.Reasons;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Reads where a Snapshot stands from its VolumeSnapshot and its deadline: the pure part of the
 * Snapshot controller.
 *
 * @param phase the phase to report
 * @param reason why, for the Ready condition
 * @param message the same for people
 * @param deleteVolumeSnapshot whether the VolumeSnapshot must go (a timed-out upload is abandoned)
 */
record SnapshotProgress(SnapshotPhase phase, String reason, String message, boolean deleteVolumeSnapshot) {

  /**
   * How long after its cut a VolumeSnapshot that is ready may wait for its content to reach the cache.
   * A driver that answers ready at once has the snapshot controller write the content's status and
   * then the VolumeSnapshot's, a moment apart; the two watches may bring them the other way round.
   */
  static final Duration CONTENT_GRACE = Duration.ofSeconds(5);

  /**
   * Whether the VolumeSnapshot is ready, cut a moment ago, and its content is not yet in the cache:
   * the content follows at once, and the Snapshot goes Ready then rather than through a status of
   * its own for the moment between. Past the grace, the wait is recorded as any other.
   */
  static boolean contentDue(VolumeSnapshot volumeSnapshot, boolean handleKnown, Instant now) {
    var status = volumeSnapshot.getStatus();
    if (handleKnown || status == null || !Boolean.TRUE.equals(status.getReadyToUse()) || status.getCreationTime() == null) {
      return false;
    }
    try {
      return now.isBefore(Instant.parse(status.getCreationTime()).plus(CONTENT_GRACE));
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  /**
   * @param handleKnown whether the driver's handle for the snapshot is known: from the status, or from
   *     the bound content as the cache shows it. A Ready snapshot without it could not be copied into
   *     another namespace, so it stays Creating until the content's event brings it.
   */
  static SnapshotProgress of(VolumeSnapshot volumeSnapshot, boolean handleKnown, Instant now, Instant deadline) {
    var status = volumeSnapshot.getStatus();
    if (status != null && Boolean.TRUE.equals(status.getReadyToUse())) {
      if (handleKnown) {
        return new SnapshotProgress(SnapshotPhase.READY, Reasons.SNAPSHOT_READY, "the snapshot can be restored", false);
      }
      if (now.isBefore(deadline)) {
        return new SnapshotProgress(SnapshotPhase.CREATING, Reasons.CREATING,
            "the snapshot is ready; waiting for its VolumeSnapshotContent " + status.getBoundVolumeSnapshotContentName(), false);
      }
    }
    if (status != null && status.getError() != null) {
      // csi-snapshotter retries a failed CreateSnapshot and the snapshot-controller clears the error
      // once it succeeds: an error is final only when the deadline comes with it still there.
      String error = status.getError().getMessage() == null ? "unknown error" : status.getError().getMessage();
      if (!now.isBefore(deadline)) {
        return new SnapshotProgress(SnapshotPhase.FAILED, Reasons.SNAPSHOT_FAILED,
            "the CSI snapshot still failed at its deadline " + deadline + ": " + error, true);
      }
      return new SnapshotProgress(SnapshotPhase.CREATING, Reasons.SNAPSHOT_FAILED,
          "the CSI snapshot failed and is retried until the deadline " + deadline + ": " + error, false);
    }
    if (!now.isBefore(deadline)) {
      return timedOut(deadline, true);
    }
    boolean cut = status != null && status.getCreationTime() != null;
    return new SnapshotProgress(SnapshotPhase.CREATING, Reasons.CREATING,
        cut ? "the snapshot is cut and uploading" : "waiting for the snapshot to be cut", false);
  }

  static SnapshotProgress timedOut(Instant deadline, boolean abandon) {
    return new SnapshotProgress(SnapshotPhase.FAILED, Reasons.SNAPSHOT_TIMEOUT,
        "the snapshot was not Ready by its deadline " + deadline, abandon);
  }
}
