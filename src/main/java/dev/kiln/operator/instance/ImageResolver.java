package dev.kiln.operator.instance;

import dev.kiln.api.v1alpha1.ImageReference;
import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.InstanceImageStatus;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.MachineImagePhase;
import dev.kiln.operator.machineimage.FamilyResolver;
import dev.kiln.operator.machineimage.ImageLifecycle;
import dev.kiln.operator.machineimage.LaunchPermissions;
import dev.kiln.operator.support.Owners;
import dev.kiln.operator.support.Reasons;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Optional;

/**
 * Resolves an Instance's image reference, once, at launch: by name, or the newest Available image of
 * a family. The result is frozen into the Instance's status, so a newer image in the family or the
 * image's later deregistration does not change an Instance that was launched.
 */
final class ImageResolver {

  private ImageResolver() {}

  /**
   * @param images the MachineImages of the image's namespace
   * @return the image to freeze, or why the Instance has to wait
   */
  static Resolution resolve(Instance instance, Collection<MachineImage> images, Instant now) {
    ImageReference reference = instance.getSpec().getImage();
    String namespace = namespaceOf(instance);
    String launching = instance.getMetadata().getNamespace();
    MachineImage image;
    if (reference.getName() != null) {
      image = images.stream().filter(i -> reference.getName().equals(i.getMetadata().getName())).findFirst().orElse(null);
      if (image == null) {
        return Resolution.waiting(Reasons.IMAGE_NOT_FOUND, "MachineImage " + namespace + "/" + reference.getName() + " does not exist");
      }
      if (ImageLifecycle.disabled(image) && !namespace.equals(launching)) {
        // A disabled image is not shared: other namespaces see it as they see an image they may not know of.
        return Resolution.waiting(Reasons.IMAGE_NOT_FOUND, "MachineImage " + namespace + "/" + reference.getName()
            + " does not exist or is not shared with namespace " + launching);
      }
      if (ImageLifecycle.disabled(image)) {
        return Resolution.waiting(Reasons.IMAGE_DISABLED, "MachineImage " + namespace + "/" + reference.getName()
            + " is disabled; set its spec.disabled to false, or launch from another image");
      }
      if (!LaunchPermissions.permits(image, launching)) {
        return notPermitted(namespace, reference.getName(), launching);
      }
      if (image.getStatus() != null && image.getStatus().getPhase() == MachineImagePhase.FAILED) {
        return Resolution.waiting(Reasons.IMAGE_FAILED, "MachineImage " + namespace + "/" + reference.getName()
            + " failed; launch from another image");
      }
      if (!ImageLifecycle.launchable(image) && !checking(image, instance)) {
        String phase = image.getStatus() == null || image.getStatus().getPhase() == null ? "Pending"
            : image.getStatus().getPhase().value();
        return Resolution.waiting(Reasons.IMAGE_NOT_AVAILABLE, "MachineImage " + namespace + "/" + reference.getName()
            + " is " + phase + ", not Available yet");
      }
    } else {
      Optional<MachineImage> newest = FamilyResolver.newest(images, reference.getFamily(), launching, now);
      if (newest.isEmpty()) {
        boolean anyInFamily = images.stream().anyMatch(i -> reference.getFamily().equals(i.getSpec().getFamily())
            && ImageLifecycle.launchable(i));
        boolean anyPermitted = images.stream().anyMatch(i -> reference.getFamily().equals(i.getSpec().getFamily())
            && LaunchPermissions.permits(i, launching));
        if (anyInFamily && !anyPermitted) {
          return Resolution.waiting(Reasons.LAUNCH_NOT_PERMITTED, "no image of family " + reference.getFamily()
              + " in namespace " + namespace + " grants launch permission to namespace " + launching);
        }
        return Resolution.waiting(Reasons.NO_IMAGE_IN_FAMILY, "family " + reference.getFamily() + " in namespace "
            + namespace + " has no Available, non-deprecated image");
      }
      image = newest.get();
    }
    InstanceImageStatus frozen = new InstanceImageStatus();
    frozen.setNamespace(namespace);
    frozen.setName(image.getMetadata().getName());
    frozen.setUid(image.getMetadata().getUid());
    frozen.setResolvedFromFamily(reference.getFamily());
    frozen.setLaunchTime(now.truncatedTo(ChronoUnit.SECONDS).toString());
    frozen.setDisks(image.getStatus().getDisks());
    frozen.setTemplate(image.getStatus().getTemplate());
    return new Resolution(frozen, null);
  }

  /** An image's own boot-check Instance launches from it before it is Available. */
  private static boolean checking(MachineImage image, Instance instance) {
    return image.getStatus() != null && image.getStatus().getPhase() == MachineImagePhase.CHECKING
        && Owners.isControlledBy(instance, image);
  }

  static String namespaceOf(Instance instance) {
    String namespace = instance.getSpec().getImage().getNamespace();
    return namespace != null ? namespace : instance.getMetadata().getNamespace();
  }

  private static Resolution notPermitted(String namespace, String name, String launching) {
    return Resolution.waiting(Reasons.LAUNCH_NOT_PERMITTED, "MachineImage " + namespace + "/" + name
        + " does not grant launch permission to namespace " + launching);
  }

  /** The image to freeze into the status, or why not. */
  record Resolution(InstanceImageStatus image, Finding waiting) {
    static Resolution waiting(String reason, String message) {
      return new Resolution(null, new Finding(reason, message));
    }
  }
}
