package dev.kiln.operator.machineimage;

import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.MachineImagePhase;
import java.time.Instant;
import java.util.Optional;

/** Deprecation and launchability of images, from their spec and status alone. */
public final class ImageLifecycle {

  private ImageLifecycle() {}

  /** Deprecated now: `deprecated: true`, or `deprecateAt` reached. */
  public static boolean deprecated(MachineImage image, Instant now) {
    return Boolean.TRUE.equals(image.getSpec().getDeprecated())
        || deprecateAt(image).map(at -> !now.isBefore(at)).orElse(false);
  }

  public static Optional<Instant> deprecateAt(MachineImage image) {
    return Optional.ofNullable(image.getSpec().getDeprecateAt()).map(Instant::parse);
  }

  /** Disabled by its spec (the status may not say so yet: the spec is what the user decided). */
  public static boolean disabled(MachineImage image) {
    return Boolean.TRUE.equals(image.getSpec().getDisabled());
  }

  /** Instances can launch from it by name: Available or Deprecated, and not disabled. */
  public static boolean launchable(MachineImage image) {
    MachineImagePhase phase = image.getStatus() == null ? null : image.getStatus().getPhase();
    return image.getMetadata().getDeletionTimestamp() == null && !disabled(image)
        && (phase == MachineImagePhase.AVAILABLE || phase == MachineImagePhase.DEPRECATED);
  }

  /** Made and settled: Available, Deprecated or Disabled, phases that only the spec or the clock change. */
  public static boolean made(MachineImagePhase phase) {
    return phase == MachineImagePhase.AVAILABLE || phase == MachineImagePhase.DEPRECATED
        || phase == MachineImagePhase.DISABLED;
  }
}
