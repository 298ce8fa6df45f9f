package dev.kiln.operator.snapshot;

import dev.kiln.api.v1alpha1.ImageDisk;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.MachineImagePhase;
import dev.kiln.api.v1alpha1.SnapshotDiskSource;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Which MachineImages use a Snapshot: those registered from it and those whose disks it holds. An
 * image being deleted, or that failed, no longer counts, so that its snapshots can go.
 */
final class SnapshotUsage {

  private SnapshotUsage() {}

  /** Names of the Snapshots an image uses, in its own namespace. */
  static List<String> snapshotsOf(MachineImage image) {
    Stream<String> registered = image.getSpec() == null || image.getSpec().getSource() == null
        || image.getSpec().getSource().getSnapshots() == null ? Stream.empty()
        : image.getSpec().getSource().getSnapshots().stream().map(SnapshotDiskSource::getSnapshot);
    Stream<String> captured = image.getStatus() == null || image.getStatus().getDisks() == null ? Stream.empty()
        : image.getStatus().getDisks().stream().map(ImageDisk::getSnapshot);
    return Stream.concat(registered, captured).filter(Objects::nonNull).distinct().toList();
  }

  static List<String> imagesUsing(String snapshot, Collection<MachineImage> images) {
    return images.stream()
        .filter(SnapshotUsage::counts)
        .filter(i -> snapshotsOf(i).contains(snapshot))
        .map(i -> i.getMetadata().getName())
        .sorted()
        .toList();
  }

  /**
   * Whether a change of an image can change what its Snapshots make of it: which Snapshots it uses,
   * whether it still counts, and what a copy records of the image it copies (which its Snapshots'
   * handles are checked against). Its other changes, several a bake, concern no Snapshot.
   */
  static boolean concernsSnapshots(MachineImage before, MachineImage after) {
    return counts(before) != counts(after)
        || !snapshotsOf(before).equals(snapshotsOf(after))
        || !Objects.equals(copiedUid(before), copiedUid(after));
  }

  private static boolean counts(MachineImage image) {
    return image.getMetadata().getDeletionTimestamp() == null
        && (image.getStatus() == null || image.getStatus().getPhase() != MachineImagePhase.FAILED);
  }

  private static String copiedUid(MachineImage image) {
    return image.getStatus() == null || image.getStatus().getSource() == null ? null
        : image.getStatus().getSource().getImageUid();
  }
}
