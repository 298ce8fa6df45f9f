package dev.kiln.operator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.InstancePhase;
import dev.kiln.api.v1alpha1.InstanceStatus;
import dev.kiln.testing.KilnTestCluster;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Status belongs to the operator and travels only through the status subresource. */
class StatusSubresourceTest {

  @RegisterExtension
  static final KilnTestCluster cluster = KilnTestCluster.withOperator();

  private static final String INSTANCE = """
      apiVersion: kiln.dev/v1alpha1
      kind: Instance
      metadata: {name: vm}
      spec:
        running: false
        template: {spec: {containers: [{name: app, image: nginx:1.27}]}}
      status:
        phase: Running
      """;

  @Test
  void statusSentWithTheObjectIsIgnored() {
    GenericKubernetesResource created = cluster.client().resource(
        cluster.client().getKubernetesSerialization().unmarshal(INSTANCE, GenericKubernetesResource.class))
        .inNamespace(cluster.namespace()).create();

    assertNull(created.getAdditionalProperties().get("status"));
  }

  @Test
  void reconcilerWritesStatusThroughTheStatusSubresource() {
    cluster.client().resource(cluster.client().getKubernetesSerialization().unmarshal(INSTANCE, Instance.class))
        .inNamespace(cluster.namespace()).create();

    Instance reconciled = awaitObservedGeneration(1L);

    assertEquals(1L, reconciled.getMetadata().getGeneration(), "a status write must not bump the generation");
    ManagedFieldsEntry statusWrite = reconciled.getMetadata().getManagedFields().stream()
        .filter(f -> "status".equals(f.getSubresource()))
        .findFirst().orElseThrow(() -> new AssertionError("no write through the status subresource"));
    assertTrue(statusWrite.getFieldsV1().getAdditionalProperties().containsKey("f:status"));
  }

  @Test
  void statusChangedThroughTheMainResourceIsIgnored() {
    cluster.client().resource(cluster.client().getKubernetesSerialization().unmarshal(INSTANCE, Instance.class))
        .inNamespace(cluster.namespace()).create();
    Instance reconciled = awaitObservedGeneration(1L);
    InstancePhase phase = reconciled.getStatus().getPhase();

    Instance updated = cluster.client().resources(Instance.class).inNamespace(cluster.namespace()).withName("vm")
        .edit(i -> {
          i.setStatus(new InstanceStatus());
          i.getStatus().setPhase(InstancePhase.FAILED);
          i.getSpec().setRunning(true);
          return i;
        });

    assertEquals(phase, updated.getStatus().getPhase());
    assertEquals(2L, updated.getMetadata().getGeneration());
    awaitObservedGeneration(2L);
  }

  private static Instance awaitObservedGeneration(long generation) {
    return await().atMost(Duration.ofSeconds(30)).until(
        () -> cluster.client().resources(Instance.class).inNamespace(cluster.namespace()).withName("vm").get(),
        i -> i.getStatus() != null && Long.valueOf(generation).equals(i.getStatus().getObservedGeneration()));
  }
}
