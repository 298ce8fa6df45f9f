package dev.kiln.operator.instance;

import dev.kiln.api.v1alpha1.ImageDisk;
import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.InstanceImageStatus;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.operator.machineimage.LaunchPermissions;
import dev.kiln.operator.support.Reasons;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a snapshot of another namespace may be copied into an Instance's namespace now. Decided
 * from the live image and the Instance's spec, never from the Instance's status alone: whoever may
 * write the status must not reach other namespaces' data through it, a revoked launch permission
 * stops new copies, and an image made later under the same name is not the image launched from.
 */
final class CopyPermission {

  private CopyPermission() {}

  /**
   * @param images the MachineImages of the namespace the Instance's image is in
   * @return why the snapshot must not be copied, or empty when it may
   */
  static Optional<Finding> check(Instance instance, String snapshot, Collection<MachineImage> images) {
    InstanceImageStatus launched = instance.getStatus() == null ? null : instance.getStatus().getImage();
    if (instance.getSpec().getImage() == null || launched == null) {
      return refused("the Instance was not launched from an image of another namespace");
    }
    String namespace = ImageResolver.namespaceOf(instance);
    String name = instance.getSpec().getImage().getName();
    if (!namespace.equals(launched.getNamespace()) || (name != null && !name.equals(launched.getName()))) {
      return refused("the image in the status (" + launched.getNamespace() + "/" + launched.getName()
          + ") is not the one spec.image names");
    }
    String image = launched.getNamespace() + "/" + launched.getName();
    Optional<MachineImage> live = images.stream().filter(i -> i.getMetadata().getName().equals(launched.getName()))
        .findFirst();
    if (live.isEmpty()) {
      return refused("MachineImage " + image + " no longer exists; no new copy of its snapshots is made");
    }
    if (launched.getUid() == null || !launched.getUid().equals(live.get().getMetadata().getUid())) {
      return refused("MachineImage " + image + " was replaced by another of the same name since this Instance "
          + "launched; no copy of the new image's snapshots is made for it");
    }
    if (!LaunchPermissions.permits(live.get(), instance.getMetadata().getNamespace())) {
      return refused("MachineImage " + image + " no longer grants launch permission to namespace "
          + instance.getMetadata().getNamespace());
    }
    boolean ofTheImage = live.get().getStatus() != null && live.get().getStatus().getDisks() != null
        && live.get().getStatus().getDisks().stream().map(ImageDisk::getSnapshot).anyMatch(s -> Objects.equals(s, snapshot));
    if (!ofTheImage) {
      return refused("Snapshot " + launched.getNamespace() + "/" + snapshot + " is not one of MachineImage " + image);
    }
    return Optional.empty();
  }

  private static Optional<Finding> refused(String message) {
    return Optional.of(new Finding(Reasons.LAUNCH_NOT_PERMITTED, message));
  }
}
