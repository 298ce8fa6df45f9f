package dev.kiln.operator.machineimage;

import dev.kiln.api.v1alpha1.ImageDisk;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.MachineImagePhase;
import dev.kiln.api.v1alpha1.MachineImageStatus;
import dev.kiln.api.v1alpha1.SnapshotDiskSource;
import dev.kiln.operator.support.Storage;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Registering an image from existing Snapshots (RegisterImage), once {@link ImagePlan} found every
 * one Ready and the platform known: records the disks, template and platform. The Snapshots stay
 * the user's: the image only uses them.
 */
final class SnapshotRegistration {

  private SnapshotRegistration() {}

  static void register(ImagePlan plan, MachineImageStatus status) {
    MachineImage image = plan.image();
    SnapshotDiskSource boot = plan.bootEntry();
    List<ImageDisk> disks = new ArrayList<>();
    BigDecimal storage = BigDecimal.ZERO;
    for (SnapshotDiskSource entry : image.getSpec().getSource().getSnapshots()) {
      var snapshotStatus = plan.registered().get(entry.getSnapshot()).getStatus();
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
    String time = plan.now().truncatedTo(ChronoUnit.SECONDS).toString();
    status.setDisks(disks);
    status.setStorage(Storage.format(storage));
    status.setTemplate(image.getSpec().getTemplate());
    status.setPlatform(plan.registeredPlatform());
    status.setCreatedTime(status.getCreatedTime() == null ? time : status.getCreatedTime());
    status.setAvailableTime(time);
    status.setPhase(MachineImagePhase.AVAILABLE);
  }
}
