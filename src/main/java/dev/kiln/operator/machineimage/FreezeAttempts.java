package dev.kiln.operator.machineimage;

import dev.kiln.api.v1alpha1.MachineImage;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which recorded freeze decisions this process made itself and has not acted on yet. Only for those
 * is it certain that no freeze command ran; for any other recorded decision (made by an earlier
 * process, or already attempted by this one before a status write was lost) the filesystems may be
 * frozen, and they are thawed before being frozen again. Losing this memory costs one extra thaw.
 */
final class FreezeAttempts {

  private final Map<String, String> untouched = new ConcurrentHashMap<>();

  /** The decision to freeze, taken at {@code requestedAt}, is being recorded by this process. */
  void requested(MachineImage image, String requestedAt) {
    untouched.put(image.getMetadata().getUid(), requestedAt);
  }

  /**
   * Called right before the freeze command runs: whether an earlier attempt may have frozen the
   * filesystems already.
   */
  boolean mayAlreadyBeFrozen(MachineImage image, String requestedAt) {
    return !untouched.remove(image.getMetadata().getUid(), requestedAt);
  }

  void forget(MachineImage image) {
    untouched.remove(image.getMetadata().getUid());
  }
}
