package dev.kiln.testing;

import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.Snapshot;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshot;
import java.io.PrintStream;
import java.util.List;

/** Prints what a user would look at when a test fails: the objects' metadata and status, and events. */
final class FailureDump {

  private static final List<Class<? extends HasMetadata>> KINDS = List.of(
      Instance.class, Snapshot.class, MachineImage.class, Pod.class, PersistentVolumeClaim.class,
      VolumeSnapshot.class);

  private final KubernetesClient client;
  private final String namespace;

  FailureDump(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  void print(PrintStream out) {
    out.println("===== objects in namespace " + namespace + " at failure =====");
    for (Class<? extends HasMetadata> kind : KINDS) {
      try {
        for (HasMetadata item : client.resources(kind).inNamespace(namespace).list().getItems()) {
          out.println("--- " + item.getKind() + " " + item.getMetadata().getName());
          out.println(client.getKubernetesSerialization().asYaml(item));
        }
      } catch (RuntimeException e) {
        out.println("--- cannot list " + kind.getSimpleName() + ": " + e.getMessage());
      }
    }
    out.println("--- events");
    for (Event event : client.events().v1().events().inNamespace(namespace).list().getItems()) {
      out.printf("%s %s/%s %s: %s%n", event.getType(), event.getRegarding().getKind(),
          event.getRegarding().getName(), event.getReason(), event.getNote());
    }
  }
}
