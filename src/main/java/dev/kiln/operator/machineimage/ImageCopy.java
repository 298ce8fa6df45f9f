package dev.kiln.operator.machineimage;

import dev.kiln.api.v1alpha1.ImageDisk;
import dev.kiln.api.v1alpha1.ImageSourceStatus;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.MachineImagePhase;
import dev.kiln.api.v1alpha1.MachineImageStatus;
import dev.kiln.api.v1alpha1.Snapshot;
import dev.kiln.api.v1alpha1.SnapshotStatus;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Copying an image (CopyImage), once {@link ImagePlan} found it Available and shared with the
 * copy's namespace: the copy records the image's disk layout, template and platform, then makes a
 * Snapshot of its own for each persistent disk from the same snapshot data. The copy is an image
 * of its own from then on: deregistering either never touches the other, and the data stays while
 * either references it.
 */
final class ImageCopy {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private final ImageChildren children;

  ImageCopy(ImageChildren children) {
    this.children = children;
  }

  /** Records what is copied: the image (by uid), its disks as the copy's own, its template and platform. */
  static void start(ImagePlan plan, MachineImageStatus status) {
    MachineImage copied = plan.copied().image();
    MachineImageStatus from = copied.getStatus();
    ImageSourceStatus source = new ImageSourceStatus();
    source.setImage(plan.copiedName());
    source.setImageUid(copied.getMetadata().getUid());
    List<ImageDisk> disks = new ArrayList<>();
    for (ImageDisk disk : from.getDisks()) {
      ImageDisk own = SERIALIZATION.convertValue(disk, ImageDisk.class);
      if (!Boolean.TRUE.equals(disk.getEphemeral())) {
        own.setSnapshot(ImageChildren.name(plan.image(), disk.getName()));
      }
      disks.add(own);
    }
    status.setSource(source);
    status.setDisks(disks);
    status.setStorage(from.getStorage());
    status.setTemplate(from.getTemplate());
    status.setPlatform(from.getPlatform());
    status.setCreatedTime(plan.now().truncatedTo(ChronoUnit.SECONDS).toString());
    status.setPhase(MachineImagePhase.CREATING);
  }

  /** Makes the copy's missing Snapshots from the data of the copied image's. */
  void createMissing(ImagePlan plan, Context<MachineImage> context) {
    for (ImageDisk disk : plan.copiedDisks()) {
      if (!plan.missingCopies().contains(disk.getName())) {
        continue;
      }
      Snapshot original = plan.copiedSnapshot(disk.getSnapshot());
      SnapshotStatus data = original.getStatus();
      children.createCopy(plan.image(), disk.getName(), plan.copiedName() + "/" + original.getMetadata().getName(),
          data.getDriver(), data.getSnapshotHandle(), data.getSourceVolumeMode(), context);
    }
  }

  /** Every copied Snapshot is Ready: the copy can be launched from. */
  static void finish(ImagePlan plan, MachineImageStatus status) {
    status.setAvailableTime(plan.now().truncatedTo(ChronoUnit.SECONDS).toString());
    status.setPhase(MachineImagePhase.AVAILABLE);
  }
}
