package dev.kiln.operator.machineimage;

/** The next step of a MachineImage's lifecycle, as {@link ImagePlan} names it. */
enum ImageStep {
  /**
   * Wait until the source instance, created a moment ago and meant to run, has run on a node: its
   * platform is learnt from that node (unless spec.platform names it).
   */
  WAIT_FOR_SOURCE,
  /** Check the source, decide whether to hold it stopped, record template, platform and disk layout. */
  START,
  /** Two-phase capture: create the missing first snapshots while the instance runs. */
  PRE_SNAPSHOT,
  /** Two-phase capture: wait until every first snapshot is uploaded (Ready). */
  WAIT_FOR_PRE_SNAPSHOTS,
  /** Two-phase capture: the first snapshots are Ready; record their cut and hold the instance (Stop) now. */
  HOLD,
  /** Wait until the held instance's machine is gone. */
  WAIT_FOR_STOP,
  /** Record the decision to freeze (consistency Freeze); it must reach the API server before the freeze runs. */
  REQUEST_FREEZE,
  /**
   * Freeze the running instance's filesystems, thawing first if an earlier attempt may have frozen them;
   * the recorded freeze must reach the API server before any snapshot is cut.
   */
  FREEZE,
  /** Create the missing snapshots, one per persistent disk. */
  CREATE_SNAPSHOTS,
  /** Wait until every snapshot is cut. */
  WAIT_FOR_CUT,
  /** Every snapshot is cut: let the instance run again. */
  RELEASE_HOLD,
  /** Every snapshot is cut: thaw the frozen filesystems. */
  THAW,
  /** Wait until every snapshot is uploaded (Ready). */
  WAIT_FOR_READY,
  /** Record the disks from the image's own snapshots; start the boot check if one is asked for. */
  COMPLETE,
  /** Wait until every Snapshot named in source.snapshots is Ready. */
  WAIT_FOR_SNAPSHOTS,
  /** Record the disks from the registered Snapshots; start the boot check if one is asked for. */
  REGISTER,
  /** A copy (source.image): wait until the image to copy is Available and shared with this namespace. */
  WAIT_FOR_SOURCE_IMAGE,
  /** A copy: record the source image, its disk layout, template and platform. */
  START_COPY,
  /** A copy: create the missing Snapshots of the source image's snapshot data, one per persistent disk. */
  CREATE_COPIES,
  /** A copy: wait until every copied Snapshot is Ready. */
  WAIT_FOR_COPIES,
  /** A copy: every copied Snapshot is Ready; start the boot check if one is asked for. */
  FINISH_COPY,
  /** Launch the check Instance, which is not there (yet, or any more). */
  LAUNCH_CHECK,
  /** Wait until the check Instance is Ready, fails or runs out of time. */
  WAIT_FOR_CHECK,
  /** The check Instance became Ready: remove it, the image is Available. */
  PASS_CHECK,
  /** Nothing to create any more: keep deprecation and usage current. */
  KEEP,
  /** Give up: thaw what may be frozen, remove the check Instance, delete what was created, release the instance. */
  FAIL,
  /** A failed image stays failed: whatever it created goes, and it holds no instance. */
  STAY_FAILED
}
