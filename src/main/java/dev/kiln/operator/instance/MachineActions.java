package dev.kiln.operator.instance;

import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.operator.runtime.PodRuntime;
import dev.kiln.operator.support.Creation;
import dev.kiln.operator.support.EventRecorder;
import dev.kiln.operator.support.Reasons;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;

/** Carries out the {@link MachineAction} a reconcile decided on, with an Event where a user should know. */
final class MachineActions {

  private final KubernetesClient client;
  private final PodRuntime runtime;
  private final EventRecorder events;

  MachineActions(KubernetesClient client, PodRuntime runtime, EventRecorder events) {
    this.client = client;
    this.runtime = runtime;
    this.events = events;
  }

  void apply(Instance instance, MachineAction action, Optional<Pod> pod, Pod desired) {
    switch (action) {
      case CREATE -> Creation.ignoringConflict(() ->
          client.pods().inNamespace(desired.getMetadata().getNamespace()).resource(desired).create());
      case DELETE_TO_STOP -> delete(pod.get());
      case DELETE_FAILED -> {
        events.warning(instance, Reasons.MACHINE_FAILED, "Pod " + pod.get().getMetadata().getName()
            + " failed (" + runtime.state(pod.get()).message() + "); starting a new one");
        delete(pod.get());
      }
      case DELETE_CHANGED -> {
        events.normal(instance, Reasons.TEMPLATE_CHANGED, "the template or disks changed; replacing Pod "
            + pod.get().getMetadata().getName());
        delete(pod.get());
      }
      case NONE -> { }
    }
  }

  private void delete(Pod pod) {
    client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
  }
}
