package dev.kiln.operator.support;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;

/**
 * Owner references: Kiln marks what it creates as controlled by the Kiln object it serves. They do
 * not block the owner's deletion: Kiln deletes what it owns itself (finalizers and cleanup), and
 * blocking would need rights on every owner kind's finalizers where owner references are enforced.
 */
public final class Owners {

  private Owners() {}

  public static OwnerReference controller(HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .build();
  }

  public static boolean isControlledBy(HasMetadata object, HasMetadata owner) {
    return object.getMetadata().getOwnerReferences().stream()
        .anyMatch(r -> owner.getMetadata().getUid().equals(r.getUid()));
  }
}
