package dev.kiln.operator.snapshot;

import dev.kiln.api.v1alpha1.ImageDisk;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.Snapshot;
import dev.kiln.api.v1alpha1.SnapshotHandleSource;
import dev.kiln.operator.machineimage.LaunchPermissions;
import dev.kiln.operator.storage.SnapshotReferences;
import dev.kiln.operator.support.Labels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshotContent;
import java.util.Collection;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Whether a Snapshot may be made from a snapshot handle. Making it creates a cluster-scoped
 * VolumeSnapshotContent with Kiln's permissions, which would let anyone who may create a Snapshot
 * read any data whose handle they know. So a handle is accepted only for a Snapshot of an image copy,
 * and only when it is the data of the copied image's Snapshot of the same disk, that image still
 * shares with this namespace, and a content bound to that Snapshot's VolumeSnapshot names the
 * handle. Everything is read from live objects; the statuses that name the handle are only a
 * pointer.
 */
final class HandleAuthority {

  private HandleAuthority() {}

  /**
   * Why the Snapshot is not made.
   *
   * @param permanent false while the copy that owns it has not been seen with what it copies yet
   */
  record Refusal(String message, boolean permanent) {}

  /**
   * @param images a MachineImage by namespace and name, null when there is none
   * @param contents the contents that name the handle
   * @return why the Snapshot must not be made, or empty when it may
   */
  static Optional<Refusal> refusal(Snapshot snapshot, SnapshotHandleSource handle,
      BiFunction<String, String, MachineImage> images, Collection<VolumeSnapshotContent> contents) {
    String namespace = snapshot.getMetadata().getNamespace();
    OwnerReference owner = snapshot.getMetadata().getOwnerReferences().stream()
        .filter(r -> Boolean.TRUE.equals(r.getController()) && HasMetadata.getKind(MachineImage.class).equals(r.getKind()))
        .findFirst().orElse(null);
    if (owner == null) {
      return Optional.of(new Refusal("source.handle is made by MachineImage copies (source.image) only: Kiln does not "
          + "bring in storage snapshots on its own, since it would reach data this namespace may not be allowed to read", true));
    }
    MachineImage copy = images.apply(namespace, owner.getName());
    if (copy != null && (!copy.getMetadata().getUid().equals(owner.getUid()) || copy.getSpec().getSource().getImage() == null)) {
      return Optional.of(new Refusal("MachineImage " + owner.getName() + " is not a copy of another image; only a copy's "
          + "Snapshots are made from a snapshot handle", true));
    }
    if (copy == null || copy.getStatus() == null || copy.getStatus().getSource() == null
        || copy.getStatus().getSource().getImageUid() == null) {
      // Made in the pass that records what the copy copies: that record may not have reached this cache yet.
      return Optional.of(new Refusal("waiting for MachineImage " + owner.getName() + " to record the image it copies", false));
    }
    var reference = copy.getSpec().getSource().getImage();
    String copiedName = reference.getNamespace() + "/" + reference.getName();
    MachineImage copied = images.apply(reference.getNamespace(), reference.getName());
    if (copied == null || !copied.getMetadata().getUid().equals(copy.getStatus().getSource().getImageUid())
        || !LaunchPermissions.permits(copied, namespace)) {
      return Optional.of(new Refusal("MachineImage " + copiedName + " no longer exists or no longer shares with namespace "
          + namespace + "; its snapshots are not copied", true));
    }
    String disk = snapshot.getMetadata().getLabels().get(Labels.DISK);
    String original = copied.getStatus() == null || copied.getStatus().getDisks() == null ? null
        : copied.getStatus().getDisks().stream().filter(d -> d.getName().equals(disk)).map(ImageDisk::getSnapshot)
            .findFirst().orElse(null);
    if (original == null || !SnapshotReferences.boundTo(contents, handle.getSnapshotHandle(), handle.getDriver(),
        reference.getNamespace(), original)) {
      return Optional.of(new Refusal("the snapshot handle is not the data of disk " + disk + " of MachineImage " + copiedName,
          true));
    }
    return Optional.empty();
  }
}
