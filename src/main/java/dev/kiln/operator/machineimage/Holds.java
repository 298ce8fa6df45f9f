package dev.kiln.operator.machineimage;

import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.MachineImagePhase;
import java.util.Collection;
import java.util.Optional;

/**
 * Which image, if any, holds an Instance stopped: one being created from it with consistency Stop
 * whose status says it holds the instance (until every snapshot is cut). A failed, finished or
 * deleted image holds nothing, so an Instance is never left stopped by an image.
 */
public final class Holds {

  private Holds() {}

  public static Optional<MachineImage> holder(Instance instance, Collection<MachineImage> images) {
    return images.stream()
        .filter(i -> i.getMetadata().getDeletionTimestamp() == null)
        .filter(i -> i.getSpec() != null && i.getSpec().getSource().getInstance() != null
            && instance.getMetadata().getName().equals(i.getSpec().getSource().getInstance().getName()))
        .filter(i -> i.getStatus() != null && i.getStatus().getSource() != null
            && Boolean.TRUE.equals(i.getStatus().getSource().getHeld()))
        .filter(i -> i.getStatus().getPhase() == MachineImagePhase.CREATING || i.getStatus().getPhase() == MachineImagePhase.PENDING)
        .min((a, b) -> a.getMetadata().getName().compareTo(b.getMetadata().getName()));
  }
}
