package dev.kiln.operator.machineimage;

import dev.kiln.api.v1alpha1.UnreadableTemplate;
import dev.kiln.api.v1alpha1.ImageDisk;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.MachineImagePhase;
import dev.kiln.api.v1alpha1.MachineImageStatus;
import dev.kiln.api.v1alpha1.Platform;
import dev.kiln.api.v1alpha1.Snapshot;
import dev.kiln.api.v1alpha1.SnapshotDiskSource;
import dev.kiln.api.v1alpha1.SnapshotPhase;
import dev.kiln.operator.support.Reasons;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Registering an image from existing Snapshots (RegisterImage): every Snapshot must exist and be
 * Ready; the platform comes from the spec, else from the boot snapshot, and the two must agree.
 * The Snapshots stay the user's: the image only uses them.
 */
final class SnapshotRegistration {

  private SnapshotRegistration() {}

  static ImageOutcome register(MachineImage image, Map<String, Snapshot> snapshots, MachineImageStatus status,
      Instant now, Instant deadline) {
    if (image.getSpec().getTemplate() instanceof UnreadableTemplate unreadable) {
      return ImageOutcome.failed(Reasons.INVALID_TEMPLATE, "spec.template is not a Pod template: " + unreadable.problem());
    }
    List<SnapshotDiskSource> entries = image.getSpec().getSource().getSnapshots();
    for (SnapshotDiskSource entry : entries) {
      Snapshot snapshot = snapshots.get(entry.getSnapshot());
      if (snapshot == null) {
        return ImageOutcome.failed(Reasons.SNAPSHOT_NOT_FOUND, "Snapshot " + entry.getSnapshot() + " of disk "
            + entry.getName() + " does not exist in namespace " + image.getMetadata().getNamespace());
      }
      SnapshotPhase phase = snapshot.getStatus() == null ? null : snapshot.getStatus().getPhase();
      if (phase == SnapshotPhase.FAILED || phase == SnapshotPhase.DELETING) {
        return ImageOutcome.failed(Reasons.SNAPSHOT_FAILED, "Snapshot " + entry.getSnapshot() + " of disk "
            + entry.getName() + " is " + phase.value() + " and cannot back an image");
      }
      if (phase != SnapshotPhase.READY) {
        if (!now.isBefore(deadline)) {
          return ImageOutcome.failed(Reasons.CREATION_TIMEOUT, "Snapshot " + entry.getSnapshot()
              + " was not Ready by the image's deadline " + deadline);
        }
        status.setPhase(MachineImagePhase.CREATING);
        return ImageOutcome.waiting(Reasons.SNAPSHOTS_PENDING, "waiting for Snapshot " + entry.getSnapshot() + " to be Ready");
      }
    }
    SnapshotDiskSource boot = entries.stream().filter(e -> Boolean.TRUE.equals(e.getBoot())).findFirst()
        .orElse(entries.get(0));
    Platform fromSnapshot = snapshots.get(boot.getSnapshot()).getStatus().getSourcePlatform();
    Platform declared = image.getSpec().getPlatform();
    if (declared == null && fromSnapshot == null) {
      return ImageOutcome.failed(Reasons.PLATFORM_UNKNOWN, "the platform is unknown: set spec.platform (the boot "
          + "Snapshot " + boot.getSnapshot() + " was not taken from an instance, so it does not record one)");
    }
    if (declared != null && fromSnapshot != null && (!Objects.equals(declared.getOs(), fromSnapshot.getOs())
        || !Objects.equals(declared.getArchitecture(), fromSnapshot.getArchitecture()))) {
      return ImageOutcome.failed(Reasons.PLATFORM_MISMATCH, "spec.platform says " + declared.getOs() + "/"
          + declared.getArchitecture() + " but the boot Snapshot " + boot.getSnapshot() + " was taken on "
          + fromSnapshot.getOs() + "/" + fromSnapshot.getArchitecture());
    }
    List<ImageDisk> disks = new ArrayList<>();
    BigDecimal storage = BigDecimal.ZERO;
    for (SnapshotDiskSource entry : entries) {
      var snapshotStatus = snapshots.get(entry.getSnapshot()).getStatus();
      ImageDisk disk = new ImageDisk();
      disk.setName(entry.getName());
      disk.setSnapshot(entry.getSnapshot());
      disk.setBoot(entry == boot);
      disk.setSize(snapshotStatus.getRestoreSize());
      disk.setStorageClassName(snapshotStatus.getSourceStorageClassName());
      disk.setVolumeMode(snapshotStatus.getSourceVolumeMode());
      if (snapshotStatus.getRestoreSize() != null) {
        storage = storage.add(new Quantity(snapshotStatus.getRestoreSize()).getNumericalAmount());
      }
      disks.add(disk);
    }
    String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
    status.setDisks(disks);
    status.setStorage(Storage.format(storage));
    status.setTemplate(image.getSpec().getTemplate());
    status.setPlatform(declared != null ? declared : fromSnapshot);
    status.setCreatedTime(status.getCreatedTime() == null ? time : status.getCreatedTime());
    status.setAvailableTime(time);
    status.setPhase(MachineImagePhase.AVAILABLE);
    return ImageOutcome.done();
  }
}
