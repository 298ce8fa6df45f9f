package dev.kiln.operator.instance;

import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.InstancePhase;
import dev.kiln.api.v1alpha1.InstanceStatus;
import dev.kiln.operator.support.StatusPatch;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

/** Reconciles Instances. */
@ControllerConfiguration(name = "instance")
public class InstanceReconciler implements Reconciler<Instance> {

  @Override
  public UpdateControl<Instance> reconcile(Instance resource, Context<Instance> context) {
    InstanceStatus status = new InstanceStatus();
    status.setObservedGeneration(resource.getMetadata().getGeneration());
    status.setPhase(InstancePhase.PENDING);
    return StatusPatch.ifChanged(resource, status, Instance::new);
  }
}
