package dev.kiln.operator.instance;

import dev.kiln.api.v1alpha1.DiskStatus;
import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.InstanceImageStatus;
import dev.kiln.api.v1alpha1.InstancePhase;
import dev.kiln.api.v1alpha1.InstanceStatus;
import dev.kiln.api.v1alpha1.Platform;
import dev.kiln.operator.runtime.MachineState;
import dev.kiln.operator.support.ConditionTypes;
import dev.kiln.operator.support.Conditions;
import dev.kiln.operator.support.Reasons;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Builds an Instance's whole status from one reconcile's observations and decisions. */
final class InstanceStatusFactory {

  private final Clock clock;

  InstanceStatusFactory(Clock clock) {
    this.clock = clock;
  }

  InstanceStatus build(Instance instance, PowerPlan plan, List<PlannedDisk> disks, List<DiskCheck> checks,
      Map<String, PersistentVolumeClaim> claims, Optional<String> podName, Optional<String> heldBy,
      Function<String, Platform> platformOfNode) {
    InstanceStatus previous = instance.getStatus() == null ? new InstanceStatus() : instance.getStatus();
    InstanceStatus status = new InstanceStatus();
    status.setObservedGeneration(instance.getMetadata().getGeneration());
    status.setPhase(plan.phase());
    status.setImage(previous.getImage());
    status.setPodName(podName.orElse(null));
    String node = plan.machine().map(MachineState::nodeName).orElse(previous.getNodeName());
    status.setNodeName(node);
    status.setPlatform(node == null ? null
        : node.equals(previous.getNodeName()) && previous.getPlatform() != null
            ? previous.getPlatform() : platformOfNode.apply(node));
    String imageRef = previous.getImage() == null ? null
        : previous.getImage().getNamespace() + "/" + previous.getImage().getName();
    status.setDisks(disks.stream().map(d -> diskStatus(d, claims.get(d.claimName()), imageRef)).toList());

    Finding readiness = plan.readiness();
    Optional<DiskCheck> diskIssue = checks.stream().filter(c -> !c.ok()).findFirst();
    Conditions conditions = Conditions.after(clock, previous.getConditions(), instance.getMetadata().getGeneration())
        .set(ConditionTypes.READY, plan.ready(), readiness.reason(), readiness.message())
        .progress(plan.progress(heldBy.isPresent()), readiness.reason(), readiness.message())
        .set(ConditionTypes.DISKS_READY, diskIssue.isEmpty(),
            diskIssue.map(DiskCheck::reason).orElse(Reasons.DISKS_BOUND),
            diskIssue.map(DiskCheck::message).orElse("every persistent disk is bound"))
        .set(ConditionTypes.HELD, heldBy.isPresent(), heldBy.isPresent() ? Reasons.HELD_FOR_IMAGE : Reasons.NOT_HELD,
            heldBy.map(image -> "held stopped while MachineImage " + image + " cuts its snapshots; it starts again"
                + " as soon as they are cut if spec.running is true").orElse("no MachineImage holds this instance"));
    if (status.getImage() != null) {
      conditions.set(ConditionTypes.IMAGE_RESOLVED, true, Reasons.IMAGE_RESOLVED, resolvedMessage(status.getImage()));
    }
    status.setConditions(conditions.build());
    return status;
  }

  /** The status that freezes the resolved image; nothing else is done on this pass. */
  InstanceStatus launchingFrom(Instance instance, InstanceImageStatus image) {
    InstanceStatus status = pending(instance);
    status.setImage(image);
    status.setConditions(Conditions.after(clock, conditionsOf(instance), instance.getMetadata().getGeneration())
        .set(ConditionTypes.READY, false, Reasons.STARTING, "launching from MachineImage " + image.getNamespace() + "/" + image.getName())
        .progress(Conditions.Progress.ON_ITS_WAY, Reasons.STARTING,
            "launching from MachineImage " + image.getNamespace() + "/" + image.getName())
        .set(ConditionTypes.IMAGE_RESOLVED, true, Reasons.IMAGE_RESOLVED, resolvedMessage(image))
        .build());
    return status;
  }

  /** The status of an Instance that waits for its image. */
  InstanceStatus waitingForImage(Instance instance, Finding why) {
    InstanceStatus status = pending(instance);
    status.setConditions(Conditions.after(clock, conditionsOf(instance), instance.getMetadata().getGeneration())
        .set(ConditionTypes.READY, false, why.reason(), why.message())
        .progress(Conditions.Progress.ON_ITS_WAY, why.reason(), why.message())
        .set(ConditionTypes.IMAGE_RESOLVED, false, why.reason(), why.message())
        .build());
    return status;
  }

  private static InstanceStatus pending(Instance instance) {
    InstanceStatus status = new InstanceStatus();
    status.setObservedGeneration(instance.getMetadata().getGeneration());
    status.setPhase(InstancePhase.PENDING);
    return status;
  }

  private static java.util.List<io.fabric8.kubernetes.api.model.Condition> conditionsOf(Instance instance) {
    return instance.getStatus() == null ? null : instance.getStatus().getConditions();
  }

  private static String resolvedMessage(InstanceImageStatus image) {
    return "launched from MachineImage " + image.getNamespace() + "/" + image.getName()
        + (image.getResolvedFromFamily() == null ? "" : " (newest of family " + image.getResolvedFromFamily() + ")");
  }

  private static DiskStatus diskStatus(PlannedDisk disk, PersistentVolumeClaim claim, String imageRef) {
    DiskStatus status = new DiskStatus();
    status.setName(disk.name());
    status.setClaimName(disk.claimName());
    status.setSource(disk.source(imageRef));
    if (disk.ephemeral()) {
      status.setPhase("Ephemeral");
      status.setSize(disk.size());
    } else if (claim == null) {
      status.setPhase("Pending");
      status.setSize(disk.size());
    } else {
      status.setPhase(claim.getStatus() == null || claim.getStatus().getPhase() == null
          ? "Pending" : claim.getStatus().getPhase());
      Quantity capacity = claim.getStatus() == null ? null : claim.getStatus().getCapacity().get("storage");
      status.setSize(capacity != null ? capacity.toString()
          : claim.getSpec().getResources().getRequests().get("storage").toString());
    }
    return status;
  }
}
