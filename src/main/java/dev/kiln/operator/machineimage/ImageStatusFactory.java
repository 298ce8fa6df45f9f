package dev.kiln.operator.machineimage;

import dev.kiln.api.v1alpha1.CheckResult;
import dev.kiln.api.v1alpha1.CheckStatus;
import dev.kiln.api.v1alpha1.ImageUsage;
import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.MachineImagePhase;
import dev.kiln.api.v1alpha1.MachineImageStatus;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Collection;
import java.util.Objects;

/** Builds a MachineImage's status: a copy of the previous one, to which the pass's step adds its changes. */
final class ImageStatusFactory {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  MachineImageStatus start(MachineImage image) {
    MachineImageStatus status = image.getStatus() == null ? new MachineImageStatus()
        : SERIALIZATION.convertValue(image.getStatus(), MachineImageStatus.class);
    status.setObservedGeneration(image.getMetadata().getGeneration());
    if (status.getPhase() == null) {
      status.setPhase(MachineImagePhase.PENDING);
    }
    return status;
  }

  /** Counts the Instances launched from the image that still exist, and when the last one launched. */
  void recordUsage(MachineImage image, MachineImageStatus status, Collection<Instance> instances) {
    var launched = instances.stream().filter(i -> i.getStatus() != null && i.getStatus().getImage() != null
        && image.getMetadata().getName().equals(i.getStatus().getImage().getName())
        && image.getMetadata().getNamespace().equals(i.getStatus().getImage().getNamespace())).toList();
    String last = launched.stream().map(i -> i.getStatus().getImage().getLaunchTime()).filter(Objects::nonNull)
        .max(String::compareTo).orElse(null);
    String previousLast = status.getUsage() == null ? null : status.getUsage().getLastLaunchTime();
    if (previousLast != null && (last == null || previousLast.compareTo(last) > 0)) {
      last = previousLast;
    }
    if (launched.isEmpty() && last == null) {
      status.setUsage(null);
      return;
    }
    ImageUsage usage = new ImageUsage();
    usage.setInstances(launched.size());
    usage.setLastLaunchTime(last);
    status.setUsage(usage);
  }

  /** An image that became launchable without a boot check says so in its check status. */
  void recordSkippedCheck(MachineImage image, MachineImageStatus status) {
    if (ImageLifecycle.made(status.getPhase()) && status.getCheck() == null) {
      CheckStatus skipped = new CheckStatus();
      skipped.setResult(CheckResult.SKIPPED);
      skipped.setMessage("no boot check was asked for");
      status.setCheck(skipped);
    }
  }
}
