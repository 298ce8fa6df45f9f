package dev.kiln.operator.support;

/**
 * Every reason Kiln writes into a condition or an Event: CamelCase words, stable, since users alert
 * on them.
 */
public final class Reasons {

  // Instance: power state and machine
  public static final String RUNNING = "Running";
  public static final String STARTING = "Starting";
  public static final String STOPPING = "Stopping";
  public static final String STOPPED = "Stopped";
  public static final String TERMINATING = "Terminating";
  public static final String POD_NOT_READY = "PodNotReady";
  public static final String MACHINE_FAILED = "MachineFailed";
  public static final String MACHINE_REJECTED = "MachineRejected";
  public static final String RECONCILE_ERROR = "ReconcileError";
  public static final String SNAPSHOT_NAME_TOO_LONG = "SnapshotNameTooLong";
  public static final String SNAPSHOT_NAME_TAKEN = "SnapshotNameTaken";
  public static final String TEMPLATE_CHANGED = "TemplateChanged";
  public static final String RUNTIME_NOT_SUPPORTED = "RuntimeNotSupported";
  public static final String UNKNOWN_DISK = "UnknownDisk";
  public static final String DISK_NAME_CONFLICT = "DiskNameConflict";
  public static final String INVALID_TEMPLATE = "InvalidTemplate";

  // Instance: disks
  public static final String DISKS_BOUND = "DisksBound";
  public static final String DISKS_NOT_READY = "DisksNotReady";
  public static final String CLAIM_PENDING = "ClaimPending";
  public static final String CLAIM_CONFLICT = "ClaimConflict";
  public static final String SNAPSHOT_NOT_FOUND = "SnapshotNotFound";
  public static final String SNAPSHOT_NOT_READY = "SnapshotNotReady";
  public static final String DISK_TOO_SMALL = "DiskTooSmall";
  public static final String DISK_SIZE_MISSING = "DiskSizeMissing";
  public static final String EXPANSION_NOT_SUPPORTED = "ExpansionNotSupported";
  public static final String SHRINK_NOT_SUPPORTED = "ShrinkNotSupported";
  public static final String DISK_RETAINED = "DiskRetained";
  public static final String DISK_DELETED = "DiskDeleted";

  // Snapshot
  public static final String CREATING = "Creating";
  public static final String SNAPSHOT_READY = "SnapshotReady";
  public static final String SOURCE_NOT_FOUND = "SourceNotFound";
  public static final String SNAPSHOT_DATA_DELETED = "SnapshotDataDeleted";
  public static final String HANDLE_NOT_PERMITTED = "HandleNotPermitted";
  public static final String SOURCE_IMAGE_FAILED = "SourceImageFailed";
  public static final String SOURCE_IMAGE_DEREGISTERED = "SourceImageDeregistered";
  public static final String SOURCE_NOT_BOUND = "SourceNotBound";
  public static final String DISK_NOT_FOUND = "DiskNotFound";
  public static final String EPHEMERAL_DISK = "EphemeralDisk";
  public static final String NOT_SNAPSHOTTABLE = "NotSnapshottable";
  public static final String SNAPSHOT_FAILED = "SnapshotFailed";
  public static final String SNAPSHOT_TIMEOUT = "SnapshotTimeout";
  public static final String USED_BY_IMAGES = "UsedByImages";
  public static final String NOT_IN_USE = "NotInUse";
  public static final String DELETING = "Deleting";

  // MachineImage
  public static final String NO_PERSISTENT_DISKS = "NoPersistentDisks";
  public static final String CREATION_TIMEOUT = "CreationTimeout";
  public static final String PLATFORM_UNKNOWN = "PlatformUnknown";
  public static final String PLATFORM_MISMATCH = "PlatformMismatch";
  public static final String FREEZE_FAILED = "FreezeFailed";
  public static final String FREEZE_TIMEOUT = "FreezeTimeout";
  public static final String THAW_FAILED = "ThawFailed";
  public static final String FILESYSTEMS_FROZEN = "FilesystemsFrozen";
  public static final String FREEZE_CONTAINER_NOT_FOUND = "FreezeContainerNotFound";
  public static final String STOPPING_SOURCE = "StoppingSource";
  public static final String SNAPSHOTS_CUT = "SnapshotsCut";
  public static final String CRASH_CONSISTENT = "CrashConsistent";
  public static final String WAITING_FOR_CUT = "WaitingForCut";
  public static final String SNAPSHOTS_PENDING = "SnapshotsPending";
  public static final String ALL_SNAPSHOTS_READY = "AllSnapshotsReady";
  public static final String AVAILABLE = "Available";
  public static final String NOT_AVAILABLE = "NotAvailable";
  /** Reconciling False: the object is where its spec asks. */
  public static final String SETTLED = "Settled";
  /** Stalled False. */
  public static final String NOT_STALLED = "NotStalled";
  public static final String DEPRECATED = "Deprecated";
  public static final String NOT_DEPRECATED = "NotDeprecated";
  public static final String DISABLED = "Disabled";
  public static final String IMAGE_DISABLED = "ImageDisabled";
  public static final String INVALID_SCHEDULE = "InvalidSchedule";
  public static final String SUSPENDED = "Suspended";
  public static final String SCHEDULED = "Scheduled";
  public static final String RUN_SKIPPED = "RunSkipped";
  public static final String IMAGE_BAKED = "ImageBaked";
  public static final String IMAGE_RETIRED = "ImageRetired";
  public static final String CHECK_SKIPPED = "CheckSkipped";
  public static final String CHECKING = "Checking";
  public static final String CHECK_PASSED = "CheckPassed";
  public static final String CHECK_FAILED = "CheckFailed";
  public static final String FAILED = "Failed";

  // Instance: image resolution and holds
  public static final String IMAGE_RESOLVED = "ImageResolved";
  public static final String IMAGE_NOT_FOUND = "ImageNotFound";
  public static final String IMAGE_NOT_AVAILABLE = "ImageNotAvailable";
  public static final String IMAGE_FAILED = "ImageFailed";
  public static final String NO_IMAGE_IN_FAMILY = "NoImageInFamily";
  public static final String LAUNCH_NOT_PERMITTED = "LaunchNotPermitted";
  public static final String HELD_FOR_IMAGE = "HeldForImage";
  public static final String NOT_HELD = "NotHeld";

  private Reasons() {}
}
