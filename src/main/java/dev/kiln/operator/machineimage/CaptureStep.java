package dev.kiln.operator.machineimage;

/** The next step of capturing an image from an instance. */
enum CaptureStep {
  /** Check the source, decide whether to hold it stopped, capture template and platform. */
  START,
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
  /** Record the disks and become Available. */
  COMPLETE,
  /** Give up: thaw what may be frozen, delete what was created, release the instance. */
  FAIL
}
