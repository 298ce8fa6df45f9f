package dev.kiln.operator.instance;

import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.Snapshot;
import dev.kiln.api.v1alpha1.SnapshotPhase;
import dev.kiln.operator.support.Labels;
import dev.kiln.operator.support.Mapping;
import dev.kiln.operator.support.Owners;
import dev.kiln.operator.support.Reasons;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshot;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Decides, from observed facts only, what each persistent disk needs: a claim created, adopted or
 * expanded, or nothing; and whether it holds the machine back.
 */
final class DiskAssessor {

  private final Instance instance;
  private final Map<String, PersistentVolumeClaim> claims;
  private final Map<String, Snapshot> snapshots;
  private final Map<String, VolumeSnapshot> copies;
  private final Predicate<String> expandable;
  private final Function<String, Optional<Finding>> copyPermission;

  /**
   * @param claims the instance's claims by name
   * @param snapshots the Snapshots the disks start from, by namespace/name
   * @param copies this namespace's copies of Snapshots of other namespaces, by name
   * @param expandable whether a storage class allows volume expansion
   * @param copyPermission why a snapshot of another namespace must not be copied here now, by its name
   */
  DiskAssessor(Instance instance, Map<String, PersistentVolumeClaim> claims, Map<String, Snapshot> snapshots,
      Map<String, VolumeSnapshot> copies, Predicate<String> expandable,
      Function<String, Optional<Finding>> copyPermission) {
    this.instance = instance;
    this.claims = claims;
    this.snapshots = snapshots;
    this.copies = copies;
    this.expandable = expandable;
    this.copyPermission = copyPermission;
  }

  List<DiskCheck> assess(List<PlannedDisk> disks) {
    return disks.stream().filter(d -> !d.ephemeral()).map(this::assess).toList();
  }

  private DiskCheck assess(PlannedDisk disk) {
    PersistentVolumeClaim claim = claims.get(disk.claimName());
    return claim == null ? toCreate(disk) : existing(disk, claim);
  }

  private DiskCheck toCreate(PlannedDisk disk) {
    if (disk.snapshot() == null) {
      return disk.size() == null
          ? DiskCheck.invalid(disk, Reasons.DISK_SIZE_MISSING, "disk " + disk.name() + " has no size")
          : DiskCheck.act(disk, DiskCheck.Action.CREATE, disk.size());
    }
    String namespace = disk.sharedSnapshot() ? disk.snapshotNamespace() : instance.getMetadata().getNamespace();
    Snapshot snapshot = snapshots.get(Mapping.key(namespace, disk.snapshot()));
    if (snapshot == null) {
      return DiskCheck.waiting(disk, Reasons.SNAPSHOT_NOT_FOUND,
          "disk " + disk.name() + " starts from Snapshot " + namespace + "/" + disk.snapshot() + ", which does not exist");
    }
    if (snapshot.getStatus() == null || snapshot.getStatus().getPhase() != SnapshotPhase.READY) {
      String phase = snapshot.getStatus() == null || snapshot.getStatus().getPhase() == null
          ? "Pending" : snapshot.getStatus().getPhase().value();
      return DiskCheck.waiting(disk, Reasons.SNAPSHOT_NOT_READY,
          "disk " + disk.name() + " waits for Snapshot " + disk.snapshot() + " to be Ready (it is " + phase + ")");
    }
    String restoreSize = snapshot.getStatus().getRestoreSize();
    if (disk.size() != null && restoreSize != null && compare(disk.size(), restoreSize) < 0) {
      return DiskCheck.invalid(disk, Reasons.DISK_TOO_SMALL, "disk " + disk.name() + " asks for " + disk.size()
          + " but Snapshot " + disk.snapshot() + " needs at least " + restoreSize);
    }
    String size = disk.size() == null ? restoreSize : disk.size();
    if (disk.sharedSnapshot()) {
      VolumeSnapshot copy = copies.get(disk.volumeSnapshot());
      if (copy == null) {
        Optional<Finding> refused = copyPermission.apply(disk.snapshot());
        return refused.map(r -> DiskCheck.waiting(disk, r.reason(), "disk " + disk.name() + ": " + r.message()))
            .orElseGet(() -> DiskCheck.act(disk, DiskCheck.Action.COPY_SNAPSHOT, size));
      }
      if (copy.getStatus() == null || !Boolean.TRUE.equals(copy.getStatus().getReadyToUse())) {
        return DiskCheck.waiting(disk, Reasons.SNAPSHOT_NOT_READY, "disk " + disk.name() + " waits for VolumeSnapshot "
            + copy.getMetadata().getName() + ", the local copy of Snapshot " + namespace + "/" + disk.snapshot());
      }
    }
    return DiskCheck.act(disk, DiskCheck.Action.CREATE, size);
  }

  private DiskCheck existing(PlannedDisk disk, PersistentVolumeClaim claim) {
    if (claim.getMetadata().getDeletionTimestamp() != null) {
      return DiskCheck.waiting(disk, Reasons.CLAIM_PENDING, "PersistentVolumeClaim " + disk.claimName()
          + " is being deleted; a new one is made once it is gone");
    }
    if (!Owners.isControlledBy(claim, instance)) {
      String labelled = claim.getMetadata().getLabels().get(Labels.INSTANCE);
      if (!instance.getMetadata().getName().equals(labelled)) {
        return DiskCheck.waiting(disk, Reasons.CLAIM_CONFLICT, "PersistentVolumeClaim " + disk.claimName()
            + " already exists and does not belong to this Instance; delete or rename it");
      }
      // A claim this instance's namesake kept (deleteOnTermination: false): take it back.
      return DiskCheck.act(disk, DiskCheck.Action.ADOPT, null);
    }
    DiskCheck check = bound(claim) ? DiskCheck.fine(disk)
        : DiskCheck.notice(disk, Reasons.CLAIM_PENDING, "PersistentVolumeClaim " + disk.claimName() + " is not bound yet");
    Quantity requested = claim.getSpec().getResources().getRequests().get("storage");
    if (disk.size() == null || requested == null) {
      return check;
    }
    int growth = compare(disk.size(), requested.toString());
    if (growth > 0) {
      String storageClass = claim.getSpec().getStorageClassName();
      if (storageClass != null && expandable.test(storageClass)) {
        return DiskCheck.act(disk, DiskCheck.Action.EXPAND, disk.size());
      }
      return check.withNotice(Reasons.EXPANSION_NOT_SUPPORTED, "disk " + disk.name() + " asks for " + disk.size()
          + " but StorageClass " + storageClass + " does not allow volume expansion; it stays " + requested);
    }
    if (growth < 0) {
      return check.withNotice(Reasons.SHRINK_NOT_SUPPORTED, "disk " + disk.name() + " asks for " + disk.size()
          + " but is already " + requested + "; disks cannot shrink");
    }
    return check;
  }

  static boolean bound(PersistentVolumeClaim claim) {
    return claim.getStatus() != null && "Bound".equals(claim.getStatus().getPhase());
  }

  private static int compare(String a, String b) {
    return new Quantity(a).getNumericalAmount().compareTo(new Quantity(b).getNumericalAmount());
  }
}
