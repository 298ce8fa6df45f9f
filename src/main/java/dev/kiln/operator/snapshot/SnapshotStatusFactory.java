package dev.kiln.operator.snapshot;

import dev.kiln.api.v1alpha1.Snapshot;
import dev.kiln.api.v1alpha1.SnapshotPhase;
import dev.kiln.api.v1alpha1.SnapshotStatus;
import dev.kiln.operator.support.ConditionTypes;
import dev.kiln.operator.support.Conditions;
import dev.kiln.operator.support.Reasons;
import dev.kiln.operator.support.Storage;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshot;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshotContent;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Builds a Snapshot's status. Facts learnt once (the source, the cut, the handle) are carried over
 * from the previous status; the rest is recomputed from what is observed now.
 */
final class SnapshotStatusFactory {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private final Clock clock;

  SnapshotStatusFactory(Clock clock) {
    this.clock = clock;
  }

  /** A copy of the previous status to build on. */
  SnapshotStatus start(Snapshot snapshot) {
    SnapshotStatus previous = snapshot.getStatus();
    SnapshotStatus status = previous == null ? new SnapshotStatus()
        : SERIALIZATION.convertValue(previous, SnapshotStatus.class);
    status.setObservedGeneration(snapshot.getMetadata().getGeneration());
    return status;
  }

  void recordSource(SnapshotStatus status, SourceCheck source) {
    status.setSourceClaimName(source.claimName());
    status.setSourceStorageClassName(source.storageClassName());
    status.setSourceVolumeMode(source.volumeMode());
    status.setSourcePlatform(source.platform());
    if (source.driver() != null) {
      status.setDriver(source.driver());
    }
  }

  void recordProgress(SnapshotStatus status, VolumeSnapshot volumeSnapshot, VolumeSnapshotContent content) {
    status.setVolumeSnapshot(volumeSnapshot.getMetadata().getName());
    if (volumeSnapshot.getStatus() == null) {
      return;
    }
    if (volumeSnapshot.getStatus().getCreationTime() != null) {
      status.setCutTime(volumeSnapshot.getStatus().getCreationTime());
    }
    if (Boolean.TRUE.equals(volumeSnapshot.getStatus().getReadyToUse())) {
      if (volumeSnapshot.getStatus().getRestoreSize() != null) {
        // Drivers report bytes; people read 10Gi.
        status.setRestoreSize(Storage.format(volumeSnapshot.getStatus().getRestoreSize().getNumericalAmount()));
      }
      if (content != null) {
        status.setDriver(content.getSpec().getDriver());
        if (content.getStatus() != null) {
          status.setSnapshotHandle(content.getStatus().getSnapshotHandle());
        }
      }
      if (status.getReadyTime() == null && status.getSnapshotHandle() != null) {
        status.setReadyTime(now());
      }
    }
  }

  void finish(SnapshotStatus status, Snapshot snapshot, SnapshotPhase phase, String reason, String message,
      List<String> usedBy) {
    status.setPhase(phase);
    status.setUsedBy(usedBy.isEmpty() ? null : usedBy);
    status.setConditions(Conditions.after(clock, snapshot.getStatus() == null ? null : snapshot.getStatus().getConditions(),
            snapshot.getMetadata().getGeneration())
        .set(ConditionTypes.READY, phase == SnapshotPhase.READY, reason, message)
        .progress(phase == SnapshotPhase.READY ? Conditions.Progress.SETTLED
            : phase == SnapshotPhase.FAILED ? Conditions.Progress.FAILED : Conditions.Progress.ON_ITS_WAY, reason, message)
        .set(ConditionTypes.IN_USE, !usedBy.isEmpty(), usedBy.isEmpty() ? Reasons.NOT_IN_USE : Reasons.USED_BY_IMAGES,
            usedBy.isEmpty() ? "no MachineImage uses this snapshot" : "used by MachineImages " + String.join(", ", usedBy))
        .build());
  }

  private String now() {
    return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
