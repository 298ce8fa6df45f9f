package dev.kiln.operator.machineimage;

import dev.kiln.api.v1alpha1.Consistency;
import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.Platform;
import dev.kiln.api.v1alpha1.Snapshot;
import dev.kiln.api.v1alpha1.UnreadableTemplate;
import dev.kiln.operator.instance.PlannedDisk;
import dev.kiln.operator.storage.SnapshotClasses;
import dev.kiln.operator.support.Caches;
import dev.kiln.operator.support.Reasons;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshotClass;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks, before the instance is stopped or anything is created, that every persistent disk can be
 * snapshotted and that the image's platform is known: an image that cannot succeed fails at once
 * instead of stopping a machine for nothing or leaving a partial image.
 */
final class SourcePreflight {

  /** Kiln names are label values and Pod names: at most 63 characters. */
  private static final int MAX_NAME = 63;

  private final KubernetesClient client;
  private final SnapshotClasses snapshotClasses;

  SourcePreflight(KubernetesClient client) {
    this.client = client;
    this.snapshotClasses = new SnapshotClasses(client);
  }

  /**
   * Why the image cannot be captured from the instance, if anything.
   *
   * @param namespaceSnapshots the Snapshot of the image's namespace with a name, null when there is none
   */
  Optional<Finding> check(MachineImage image, Instance instance, List<PlannedDisk> persistentDisks,
      java.util.function.Function<String, Snapshot> namespaceSnapshots, Context<MachineImage> context) {
    Optional<Finding> names = childNameProblem(image, persistentDisks, namespaceSnapshots);
    if (names.isPresent()) {
      return names;
    }
    if (dev.kiln.operator.instance.InstanceTemplate.effective(instance) instanceof UnreadableTemplate unreadable) {
      return Optional.of(new Finding(Reasons.INVALID_TEMPLATE, "the instance's template is not a Pod "
          + "template: " + unreadable.problem()));
    }
    if (image.getSpec().getSource().getInstance().getConsistency() == Consistency.FREEZE && running(instance)
        && freezeContainer(image, instance) == null) {
      return Optional.of(new Finding(Reasons.FREEZE_CONTAINER_NOT_FOUND, "the instance's template has no container "
          + image.getSpec().getSource().getInstance().getFreeze().getContainer() + " to run the freeze commands in"));
    }
    Optional<Finding> platform = platformProblem(image, instance);
    if (platform.isPresent()) {
      return platform;
    }
    String namespace = instance.getMetadata().getNamespace();
    for (PlannedDisk disk : persistentDisks) {
      PersistentVolumeClaim claim = Caches.cachedOrFetched(context, PersistentVolumeClaim.class, namespace, disk.claimName(),
          () -> client.persistentVolumeClaims().inNamespace(namespace).withName(disk.claimName()).get());
      if (claim == null || claim.getSpec().getVolumeName() == null) {
        continue; // not provisioned yet: the snapshot waits for it, within the image's deadline
      }
      String volumeName = claim.getSpec().getVolumeName();
      PersistentVolume volume = Caches.cachedOrFetched(context, PersistentVolume.class, null, volumeName,
          () -> client.persistentVolumes().withName(volumeName).get());
      if (volume == null) {
        continue;
      }
      if (volume.getSpec().getCsi() == null) {
        return Optional.of(new Finding(Reasons.NOT_SNAPSHOTTABLE, "disk " + disk.name()
            + " is not backed by a CSI driver, so it cannot be snapshotted"));
      }
      SnapshotClasses.Choice choice = snapshotClasses.choose(null, volume.getSpec().getCsi().getDriver(),
          Caches.everywhere(context, VolumeSnapshotClass.class));
      if (!choice.found()) {
        return Optional.of(new Finding(Reasons.NOT_SNAPSHOTTABLE, "disk " + disk.name() + ": " + choice.whyNone()));
      }
    }
    return Optional.empty();
  }

  /** The container freeze commands run in: the one named, else the template's first; null if absent. */
  static String freezeContainer(MachineImage image, Instance instance) {
    var template = dev.kiln.operator.instance.InstanceTemplate.effective(instance);
    if (template == null || template.getSpec() == null || template.getSpec().getContainers().isEmpty()) {
      return null;
    }
    String named = image.getSpec().getSource().getInstance().getFreeze().getContainer();
    if (named == null) {
      return template.getSpec().getContainers().get(0).getName();
    }
    return template.getSpec().getContainers().stream().anyMatch(c -> named.equals(c.getName())) ? named : null;
  }

  /** The platform of the node the instance runs on, else the spec's. */
  static Platform platform(MachineImage image, Instance instance) {
    Platform node = instance.getStatus() == null ? null : instance.getStatus().getPlatform();
    return node != null && node.getOs() != null ? node : image.getSpec().getPlatform();
  }

  static boolean running(Instance instance) {
    return Boolean.TRUE.equals(instance.getSpec().getRunning())
        || (instance.getStatus() != null && instance.getStatus().getPodName() != null);
  }

  /** Meant to run, but not placed on a node yet: its platform is still to be learnt. */
  static boolean yetToRun(Instance instance) {
    return Boolean.TRUE.equals(instance.getSpec().getRunning())
        && (instance.getStatus() == null || instance.getStatus().getPlatform() == null);
  }

  private static Optional<Finding> platformProblem(MachineImage image, Instance instance) {
    if (image.getSpec().getPlatform() == null && yetToRun(instance)) {
      return Optional.empty(); // the plan waits for the instance to run
    }
    Platform captured = platform(image, instance);
    Platform declared = image.getSpec().getPlatform();
    if (captured == null || captured.getOs() == null || captured.getArchitecture() == null) {
      return Optional.of(new Finding(Reasons.PLATFORM_UNKNOWN, "the platform is unknown: Instance "
          + instance.getMetadata().getName() + " has not run on a node yet and spec.platform is not set"));
    }
    if (declared != null && captured != declared && (!Objects.equals(declared.getOs(), captured.getOs())
        || !Objects.equals(declared.getArchitecture(), captured.getArchitecture()))) {
      return Optional.of(new Finding(Reasons.PLATFORM_MISMATCH, "spec.platform says "
          + declared.getOs() + "/" + declared.getArchitecture() + " but the instance runs on "
          + captured.getOs() + "/" + captured.getArchitecture()));
    }
    return Optional.empty();
  }

  /**
   * Each disk's Snapshot `<image>-<disk>` (and `<image>-<disk>-pre` for a two-phase capture) must make
   * a valid name that nobody else's object holds.
   */
  private static Optional<Finding> childNameProblem(MachineImage image, List<PlannedDisk> persistentDisks,
      java.util.function.Function<String, Snapshot> namespaceSnapshots) {
    boolean twoPhase = Boolean.TRUE.equals(image.getSpec().getSource().getInstance().getPreSnapshot());
    for (PlannedDisk disk : persistentDisks) {
      List<String> names = twoPhase ? List.of(ImageChildren.name(image, disk.name()), ImageChildren.preName(image, disk.name()))
          : List.of(ImageChildren.name(image, disk.name()));
      Optional<Finding> problem = names.stream().map(name -> nameProblem(image, disk.name(), name, namespaceSnapshots))
          .flatMap(Optional::stream).findFirst();
      if (problem.isPresent()) {
        return problem;
      }
    }
    return Optional.empty();
  }

  /** Why a copy's Snapshots of these disks cannot be made under their names, if anything. */
  static Optional<Finding> copyNameProblem(MachineImage image, List<String> disks,
      java.util.function.Function<String, Snapshot> namespaceSnapshots) {
    return disks.stream().map(disk -> nameProblem(image, disk, ImageChildren.name(image, disk), namespaceSnapshots))
        .flatMap(Optional::stream).findFirst();
  }

  private static Optional<Finding> nameProblem(MachineImage image, String disk, String name,
      java.util.function.Function<String, Snapshot> namespaceSnapshots) {
    if (name.length() > MAX_NAME) {
      return Optional.of(new Finding(Reasons.SNAPSHOT_NAME_TOO_LONG, "the Snapshot of disk " + disk
          + " would be named " + name + ", longer than " + MAX_NAME + " characters; use a shorter image name"));
    }
    var existing = namespaceSnapshots.apply(name);
    if (existing != null && !ImageChildren.isChild(existing, image)) {
      return Optional.of(new Finding(Reasons.SNAPSHOT_NAME_TAKEN, "Snapshot " + name + " exists and does not "
          + "belong to this image; rename the image or remove that Snapshot"));
    }
    return Optional.empty();
  }
}
