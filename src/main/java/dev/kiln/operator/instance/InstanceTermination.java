package dev.kiln.operator.instance;

import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.InstancePhase;
import dev.kiln.api.v1alpha1.InstanceStatus;
import dev.kiln.operator.storage.DiskClaims;
import dev.kiln.operator.storage.SnapshotCopies;
import dev.kiln.operator.storage.SnapshotReferences;
import dev.kiln.operator.support.EventRecorder;
import dev.kiln.operator.support.Labels;
import dev.kiln.operator.support.Owners;
import dev.kiln.operator.support.Reasons;
import dev.kiln.operator.support.StatusPatch;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Deleting an Instance: stop the machine, then delete the claims of disks with deleteOnTermination
 * and release the others, so that they outlive the Instance. Done explicitly, not left to the
 * garbage collector, which would delete every owned claim.
 */
final class InstanceTermination {

  private final KubernetesClient client;
  private final DiskClaims claims;
  private final SnapshotCopies copies;
  private final SnapshotReferences references;
  private final EventRecorder events;
  private final Context<Instance> context;

  InstanceTermination(KubernetesClient client, DiskClaims claims, SnapshotCopies copies, SnapshotReferences references,
      EventRecorder events, Context<Instance> context) {
    this.client = client;
    this.claims = claims;
    this.copies = copies;
    this.references = references;
    this.events = events;
    this.context = context;
  }

  DeleteControl terminate(Instance instance, Set<Pod> pods, Set<PersistentVolumeClaim> owned) {
    markTerminating(instance);
    Set<Pod> machines = pods.stream().filter(p -> Owners.isControlledBy(p, instance)).collect(Collectors.toSet());
    if (!machines.isEmpty()) {
      machines.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null)
          .forEach(p -> client.pods().inNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName()).delete());
      return DeleteControl.noFinalizerRemoval(); // the Pod's deletion brings us back
    }
    Map<String, PlannedDisk> disks = DiskPlanner.plan(instance).stream()
        .collect(Collectors.toMap(PlannedDisk::name, Function.identity()));
    for (PersistentVolumeClaim claim : owned) {
      if (!Owners.isControlledBy(claim, instance)) {
        continue;
      }
      PlannedDisk disk = disks.get(claim.getMetadata().getLabels().get(Labels.DISK));
      String name = claim.getMetadata().getName();
      if (disk != null && disk.deleteOnTermination()) {
        claims.delete(claim);
        events.normal(instance, Reasons.DISK_DELETED, "deleted PersistentVolumeClaim " + name
            + " of disk " + disk.name() + " (deleteOnTermination: true)");
      } else {
        // A disk the spec no longer names is kept too: Kiln never deletes data it was not told to.
        claims.release(claim, instance);
        events.normal(instance, Reasons.DISK_RETAINED, "kept PersistentVolumeClaim " + name
            + (disk == null ? " (its disk is no longer in the spec)" : " (deleteOnTermination: false)")
            + "; it no longer belongs to the Instance");
      }
    }
    boolean released = copies.delete(instance, disks.values().stream().filter(PlannedDisk::sharedSnapshot)
            .map(PlannedDisk::volumeSnapshot).toList(),
        references::content, references::contentsOf);
    return released ? DeleteControl.defaultDelete() : DeleteControl.noFinalizerRemoval().rescheduleAfter(1000);
  }

  private void markTerminating(Instance instance) {
    if (instance.getStatus() != null && instance.getStatus().getPhase() == InstancePhase.TERMINATING) {
      return;
    }
    InstanceStatus status = instance.getStatus() == null ? new InstanceStatus() : instance.getStatus();
    status.setPhase(InstancePhase.TERMINATING);
    StatusPatch.writeNow(client, instance, status, Instance::new);
  }
}
