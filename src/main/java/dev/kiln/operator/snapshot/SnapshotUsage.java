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
        .filter(i -> i.getMetadata().getDeletionTimestamp() == null)
        .filter(i -> i.getStatus() == null || i.getStatus().getPhase() != MachineImagePhase.FAILED)
        .filter(i -> snapshotsOf(i).contains(snapshot))
        .map(i -> i.getMetadata().getName())
        .sorted()
        .toList();
  }
}
