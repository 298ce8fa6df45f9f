package dev.kiln.operator.machineimage;

/**
 * What a creation pass led to: the step it took or waits at, or a failure.
 *
 * @param step the capture step taken, null when registering from snapshots
 * @param reason why the image waits or failed, or null
 * @param message the same for people
 * @param failed whether the image failed
 */
record ImageOutcome(CaptureStep step, String reason, String message, boolean failed) {

  static ImageOutcome of(CaptureStep step) {
    return new ImageOutcome(step, null, null, false);
  }

  static ImageOutcome waiting(String reason, String message) {
    return new ImageOutcome(null, reason, message, false);
  }

  static ImageOutcome failed(String reason, String message) {
    return new ImageOutcome(CaptureStep.FAIL, reason, message, true);
  }

  static ImageOutcome done() {
    return new ImageOutcome(CaptureStep.COMPLETE, null, null, false);
  }
}
