package dev.kiln.operator.machineimage;

import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.MachineImagePhase;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/**
 * Resolves an image family: the newest image of the family, by availableTime, that is Available
 * (so neither Deprecated nor still being made) and that the launching namespace may use.
 * Deprecating the newest image therefore rolls the family back to the one before.
 */
public final class FamilyResolver {

  private FamilyResolver() {}

  public static Optional<MachineImage> newest(Collection<MachineImage> candidates, String family,
      String launchingNamespace, Instant now) {
    return candidates.stream()
        .filter(i -> family.equals(i.getSpec().getFamily()))
        .filter(i -> i.getMetadata().getDeletionTimestamp() == null)
        .filter(i -> i.getStatus() != null && i.getStatus().getPhase() == MachineImagePhase.AVAILABLE)
        .filter(i -> !ImageLifecycle.disabled(i))
        .filter(i -> !ImageLifecycle.deprecated(i, now))
        .filter(i -> LaunchPermissions.permits(i, launchingNamespace))
        .max(Comparator.comparing((MachineImage i) -> availableTime(i))
            .thenComparing(i -> i.getMetadata().getCreationTimestamp())
            .thenComparing(i -> i.getMetadata().getName()));
  }

  private static Instant availableTime(MachineImage image) {
    String time = image.getStatus().getAvailableTime();
    return time == null ? Instant.EPOCH : Instant.parse(time);
  }
}
