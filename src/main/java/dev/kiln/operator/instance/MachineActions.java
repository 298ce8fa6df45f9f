package dev.kiln.operator.instance;

import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.operator.runtime.PodRuntime;
import dev.kiln.operator.support.ApiErrors;
import dev.kiln.operator.support.Creation;
import dev.kiln.operator.support.EventRecorder;
import dev.kiln.operator.support.Reasons;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.Optional;

/** Carries out the {@link MachineAction} a reconcile decided on, with an Event where a user should know. */
final class MachineActions {

  private final KubernetesClient client;
  private final PodRuntime runtime;
  private final EventRecorder events;
  private final DeletedMachines deleted;

  MachineActions(KubernetesClient client, PodRuntime runtime, EventRecorder events, DeletedMachines deleted) {
    this.client = client;
    this.runtime = runtime;
    this.events = events;
    this.deleted = deleted;
  }

  /**
   * Carries the action out.
   *
   * @return why the API server refused the machine, when it did: admission (Pod Security, quota, a
   *     policy) or validation of the template. Other errors are thrown and retried.
   */
  Optional<Finding> apply(Instance instance, MachineAction action, Optional<Pod> pod, Pod desired) {
    switch (action) {
      case CREATE -> {
        try {
          Creation.ignoringConflict(() ->
              client.pods().inNamespace(desired.getMetadata().getNamespace()).resource(desired).create());
        } catch (KubernetesClientException e) {
          if (e.getCode() != HttpURLConnection.HTTP_FORBIDDEN && e.getCode() != 422) {
            throw e;
          }
          return Optional.of(new Finding(Reasons.MACHINE_REJECTED, "the API server refused Pod "
              + desired.getMetadata().getName() + ": " + ApiErrors.message(e)));
        }
      }
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
    return Optional.empty();
  }

  private void delete(Pod pod) {
    client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
    deleted.deleted(pod);
  }
}
