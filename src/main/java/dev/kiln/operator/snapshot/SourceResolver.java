package dev.kiln.operator.snapshot;

import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.InstanceDiskReference;
import dev.kiln.api.v1alpha1.Platform;
import dev.kiln.api.v1alpha1.Snapshot;
import dev.kiln.api.v1alpha1.SnapshotHandleSource;
import dev.kiln.api.v1alpha1.VolumeMode;
import dev.kiln.operator.instance.DiskPlanner;
import dev.kiln.operator.instance.PlannedDisk;
import dev.kiln.operator.support.Reasons;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import java.util.function.Function;

/** Follows a Snapshot's source down to the bound claim and CSI driver it will snapshot. */
final class SourceResolver {

  private final Function<String, Instance> instances;
  private final Function<String, PersistentVolumeClaim> claims;
  private final Function<String, PersistentVolume> volumes;

  /** Lookups by name: instances and claims of the Snapshot's namespace, and volumes. */
  SourceResolver(Function<String, Instance> instances, Function<String, PersistentVolumeClaim> claims,
      Function<String, PersistentVolume> volumes) {
    this.instances = instances;
    this.claims = claims;
    this.volumes = volumes;
  }

  /** The claim a Snapshot copies; null for one made from a storage snapshot (source.handle). */
  static String claimOf(Snapshot snapshot) {
    InstanceDiskReference disk = snapshot.getSpec().getSource().getInstance();
    if (disk != null) {
      return disk.getName() + "-" + disk.getDisk();
    }
    var claim = snapshot.getSpec().getSource().getPersistentVolumeClaim();
    return claim == null ? null : claim.getName();
  }

  /** Resolves the source down to its CSI driver; needed only before the VolumeSnapshot exists. */
  SourceCheck resolve(Snapshot snapshot) {
    return resolve(snapshot, true);
  }

  /** Resolves the source; without {@code withDriver} the volume is not looked up and the driver stays unknown. */
  SourceCheck resolve(Snapshot snapshot, boolean withDriver) {
    SnapshotHandleSource handle = snapshot.getSpec().getSource().getHandle();
    if (handle != null) {
      return new SourceCheck(null, handle.getDriver(), null,
          handle.getVolumeMode() == null ? VolumeMode.FILESYSTEM : handle.getVolumeMode(), null, null, null, false);
    }
    InstanceDiskReference reference = snapshot.getSpec().getSource().getInstance();
    Platform platform = null;
    if (reference != null) {
      Instance instance = instances.apply(reference.getName());
      if (instance == null) {
        return SourceCheck.waiting(Reasons.SOURCE_NOT_FOUND, "Instance " + reference.getName() + " does not exist");
      }
      // The disks as planned: an Instance launched from an image has the image's disks besides its own.
      PlannedDisk disk = DiskPlanner.plan(instance).stream()
          .filter(d -> d.name().equals(reference.getDisk())).findFirst().orElse(null);
      if (disk == null) {
        return SourceCheck.failed(Reasons.DISK_NOT_FOUND,
            "Instance " + reference.getName() + " has no disk named " + reference.getDisk());
      }
      if (disk.ephemeral()) {
        return SourceCheck.failed(Reasons.EPHEMERAL_DISK, "disk " + reference.getDisk() + " of Instance "
            + reference.getName() + " is ephemeral (instance store): it is never snapshotted");
      }
      platform = instance.getStatus() == null ? null : instance.getStatus().getPlatform();
    }
    String claimName = claimOf(snapshot);
    PersistentVolumeClaim claim = claims.apply(claimName);
    if (claim == null) {
      return SourceCheck.waiting(Reasons.SOURCE_NOT_FOUND, "PersistentVolumeClaim " + claimName + " does not exist");
    }
    if (claim.getStatus() == null || !"Bound".equals(claim.getStatus().getPhase()) || claim.getSpec().getVolumeName() == null) {
      return SourceCheck.waiting(Reasons.SOURCE_NOT_BOUND, "PersistentVolumeClaim " + claimName + " is not bound yet");
    }
    VolumeMode mode = "Block".equals(claim.getSpec().getVolumeMode()) ? VolumeMode.BLOCK : VolumeMode.FILESYSTEM;
    if (!withDriver) {
      return new SourceCheck(claimName, null, claim.getSpec().getStorageClassName(), mode, platform, null, null, false);
    }
    PersistentVolume volume = volumes.apply(claim.getSpec().getVolumeName());
    if (volume == null) {
      return SourceCheck.waiting(Reasons.SOURCE_NOT_BOUND, "PersistentVolume " + claim.getSpec().getVolumeName() + " is missing");
    }
    if (volume.getSpec().getCsi() == null) {
      return SourceCheck.failed(Reasons.NOT_SNAPSHOTTABLE, "PersistentVolumeClaim " + claimName
          + " is not backed by a CSI driver, so it cannot be snapshotted");
    }
    return new SourceCheck(claimName, volume.getSpec().getCsi().getDriver(), claim.getSpec().getStorageClassName(),
        mode, platform, null, null, false);
  }
}
