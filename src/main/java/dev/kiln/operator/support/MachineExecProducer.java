package dev.kiln.operator.support;

import dev.kiln.operator.runtime.MachineExec;
import dev.kiln.operator.runtime.PodExec;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Commands in machines run through the Pod exec subresource. */
public class MachineExecProducer {

  @Produces
  @Singleton
  MachineExec machineExec(KubernetesClient client) {
    return new PodExec(client);
  }
}
