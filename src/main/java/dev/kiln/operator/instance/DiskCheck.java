package dev.kiln.operator.instance;

import dev.kiln.operator.support.Reasons;

/**
 * The verdict on one persistent disk: what to do with its claim and, if it is not fine, why.
 *
 * @param disk the disk
 * @param action the claim change to make now
 * @param size the size to create or expand the claim to
 * @param reason why the disk is not ready as asked, or null when it is
 * @param message the same for people
 * @param blocksMachine whether the machine must wait for this disk before it can be created
 * @param permanent whether only a change of the spec can resolve it
 */
record DiskCheck(PlannedDisk disk, Action action, String size, String reason, String message,
    boolean blocksMachine, boolean permanent) {

  enum Action { NONE, CREATE, ADOPT, EXPAND, COPY_SNAPSHOT }

  static DiskCheck fine(PlannedDisk disk) {
    return new DiskCheck(disk, Action.NONE, null, null, null, false, false);
  }

  static DiskCheck act(PlannedDisk disk, Action action, String size) {
    return switch (action) {
      case CREATE -> new DiskCheck(disk, action, size, Reasons.CLAIM_PENDING,
          "PersistentVolumeClaim " + disk.claimName() + " is being created", true, false);
      case COPY_SNAPSHOT -> new DiskCheck(disk, action, size, Reasons.SNAPSHOT_NOT_READY, "Snapshot "
          + disk.snapshotNamespace() + "/" + disk.snapshot() + " is being copied into this namespace", true, false);
      default -> new DiskCheck(disk, action, size, null, null, false, false);
    };
  }

  static DiskCheck waiting(PlannedDisk disk, String reason, String message) {
    return new DiskCheck(disk, Action.NONE, null, reason, message, true, false);
  }

  static DiskCheck notice(PlannedDisk disk, String reason, String message) {
    return new DiskCheck(disk, Action.NONE, null, reason, message, false, false);
  }

  static DiskCheck invalid(PlannedDisk disk, String reason, String message) {
    return new DiskCheck(disk, Action.NONE, null, reason, message, true, true);
  }

  DiskCheck withNotice(String reason, String message) {
    return new DiskCheck(disk, action, size, reason, message, blocksMachine, permanent);
  }

  boolean ok() {
    return reason == null;
  }
}
