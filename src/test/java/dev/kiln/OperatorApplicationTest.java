package dev.kiln;

import static org.awaitility.Awaitility.await;

import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.InstancePhase;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.MachineImagePhase;
import dev.kiln.testing.KilnClusterResource;
import dev.kiln.testing.KilnTestCluster;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** The packaged application, wired by Quarkus as it runs in production, bakes an image end to end. */
@QuarkusTest
@QuarkusTestResource(value = KilnClusterResource.class, restrictToAnnotatedClass = true)
class OperatorApplicationTest {

  @Inject
  KubernetesClient client;

  @Test
  void applicationRunsAnInstanceAndBakesAnImageOfIt() {
    String namespace = "smoke";
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
    client.resource(client.getKubernetesSerialization().unmarshal("""
        apiVersion: kiln.dev/v1alpha1
        kind: Instance
        metadata: {name: web}
        spec:
          template: {spec: {containers: [{name: app, image: nginx:1.27, volumeMounts: [{name: root, mountPath: /srv}]}]}}
          disks: [{name: root, size: 1Gi}]
        """, Instance.class)).inNamespace(namespace).create();
    await().atMost(KilnTestCluster.DEADLINE).until(() -> phase(client.resources(Instance.class).inNamespace(namespace)
        .withName("web").get()) == InstancePhase.RUNNING);

    client.resource(client.getKubernetesSerialization().unmarshal("""
        apiVersion: kiln.dev/v1alpha1
        kind: MachineImage
        metadata: {name: web-1}
        spec:
          source: {instance: {name: web}}
        """, MachineImage.class)).inNamespace(namespace).create();

    await().atMost(KilnTestCluster.DEADLINE).until(() -> {
      MachineImage image = client.resources(MachineImage.class).inNamespace(namespace).withName("web-1").get();
      return image.getStatus() != null && image.getStatus().getPhase() == MachineImagePhase.AVAILABLE;
    });
    await().atMost(KilnTestCluster.DEADLINE).until(() -> phase(client.resources(Instance.class).inNamespace(namespace)
        .withName("web").get()) == InstancePhase.RUNNING);
  }

  private static InstancePhase phase(Instance instance) {
    return instance == null || instance.getStatus() == null ? null : instance.getStatus().getPhase();
  }
}
