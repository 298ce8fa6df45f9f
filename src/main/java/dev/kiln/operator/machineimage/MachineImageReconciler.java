package dev.kiln.operator.machineimage;

import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.MachineImagePhase;
import dev.kiln.api.v1alpha1.MachineImageStatus;
import dev.kiln.operator.support.StatusPatch;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

/** Reconciles MachineImages. */
@ControllerConfiguration(name = "machineimage")
public class MachineImageReconciler implements Reconciler<MachineImage> {

  @Override
  public UpdateControl<MachineImage> reconcile(MachineImage resource, Context<MachineImage> context) {
    MachineImageStatus status = new MachineImageStatus();
    status.setObservedGeneration(resource.getMetadata().getGeneration());
    status.setPhase(MachineImagePhase.PENDING);
    return StatusPatch.ifChanged(resource, status, MachineImage::new);
  }
}
