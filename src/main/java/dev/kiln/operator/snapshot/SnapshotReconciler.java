package dev.kiln.operator.snapshot;

import dev.kiln.api.v1alpha1.Snapshot;
import dev.kiln.api.v1alpha1.SnapshotPhase;
import dev.kiln.api.v1alpha1.SnapshotStatus;
import dev.kiln.operator.support.StatusPatch;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

/** Reconciles Snapshots. */
@ControllerConfiguration(name = "snapshot")
public class SnapshotReconciler implements Reconciler<Snapshot> {

  @Override
  public UpdateControl<Snapshot> reconcile(Snapshot resource, Context<Snapshot> context) {
    SnapshotStatus status = new SnapshotStatus();
    status.setObservedGeneration(resource.getMetadata().getGeneration());
    status.setPhase(SnapshotPhase.PENDING);
    return StatusPatch.ifChanged(resource, status, Snapshot::new);
  }
}
