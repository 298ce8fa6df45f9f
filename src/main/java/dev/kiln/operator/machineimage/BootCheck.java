package dev.kiln.operator.machineimage;

import dev.kiln.api.v1alpha1.CheckResult;
import dev.kiln.api.v1alpha1.CheckStatus;
import dev.kiln.api.v1alpha1.ImageReference;
import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.InstanceSpec;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.MachineImagePhase;
import dev.kiln.api.v1alpha1.MachineImageStatus;
import dev.kiln.operator.support.Creation;
import dev.kiln.operator.support.Labels;
import dev.kiln.operator.support.Owners;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The boot check: before an image becomes Available, a throwaway Instance `<image>-check` is launched
 * from it; the image passes when that Instance becomes Ready within the check's timeout, and fails
 * otherwise. The throwaway Instance, its Pod and its disks are removed either way.
 */
final class BootCheck {

  static final String ROLE = "kiln.dev/role";
  static final String ROLE_CHECK = "boot-check";

  private final KubernetesClient client;

  BootCheck(KubernetesClient client) {
    this.client = client;
  }

  static boolean enabled(MachineImage image) {
    return image.getSpec().getCheck() != null && Boolean.TRUE.equals(image.getSpec().getCheck().getEnabled());
  }

  static String instanceName(MachineImage image) {
    return image.getMetadata().getName() + "-check";
  }

  /** The image's own check Instance, which may launch from it while it is still Checking. */
  static boolean isCheckOf(Instance instance, MachineImage image) {
    return ROLE_CHECK.equals(instance.getMetadata().getLabels().get(ROLE)) && Owners.isControlledBy(instance, image);
  }

  /** Starts the check: the image is complete but not yet Available. */
  void start(MachineImage image, MachineImageStatus status, Instant now) {
    CheckStatus check = new CheckStatus();
    check.setInstance(instanceName(image));
    check.setStartTime(now.truncatedTo(ChronoUnit.SECONDS).toString());
    check.setMessage("booting Instance " + check.getInstance() + " from the image");
    status.setCheck(check);
    status.setAvailableTime(null);
    status.setPhase(MachineImagePhase.CHECKING);
    launch(image);
  }

  /** The check Instance became Ready: it goes, and the image is Available. */
  void pass(MachineImageStatus status, Instance instance, Instant now) {
    finish(status, CheckResult.PASSED, "Instance " + instance.getMetadata().getName() + " launched from the image became ready");
    remove(instance);
    status.setAvailableTime(now.truncatedTo(ChronoUnit.SECONDS).toString());
  }

  /** The check failed: the result is recorded and the check Instance, if any, goes. */
  void fail(MachineImageStatus status, Instance instance, String message) {
    finish(status, CheckResult.FAILED, message);
    if (instance != null) {
      remove(instance);
    }
  }

  /**
   * Deletes the image's check Instance, if one of {@code instances} is it: owned by this very image
   * (its uid), not merely named `<image>-check`, which a user's Instance may be.
   */
  void cleanUp(MachineImage image, java.util.Collection<Instance> instances) {
    instances.stream().filter(i -> isCheckOf(i, image)).forEach(i -> client.resources(Instance.class)
        .inNamespace(i.getMetadata().getNamespace()).withName(i.getMetadata().getName()).delete());
  }

  private static void finish(MachineImageStatus status, CheckResult result, String message) {
    status.getCheck().setResult(result);
    status.getCheck().setMessage(message);
  }

  void launch(MachineImage image) {
    ImageReference reference = new ImageReference();
    reference.setName(image.getMetadata().getName());
    InstanceSpec spec = new InstanceSpec();
    spec.setImage(reference);
    spec.setRunning(true);
    Instance instance = new Instance();
    instance.setMetadata(new ObjectMetaBuilder()
        .withName(instanceName(image))
        .withNamespace(image.getMetadata().getNamespace())
        .withLabels(Labels.ownedBy(Labels.IMAGE, image.getMetadata().getName()))
        .addToLabels(ROLE, ROLE_CHECK)
        .withOwnerReferences(Owners.controller(image))
        .build());
    instance.setSpec(spec);
    Creation.ignoringConflict(() ->
        client.resources(Instance.class).inNamespace(image.getMetadata().getNamespace()).resource(instance).create());
  }

  private void remove(Instance instance) {
    client.resources(Instance.class).inNamespace(instance.getMetadata().getNamespace())
        .withName(instance.getMetadata().getName()).delete();
  }
}
