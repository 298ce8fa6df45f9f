package dev.kiln.operator;

import static org.junit.jupiter.api.Assertions.assertNull;

import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.InstancePhase;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.MachineImagePhase;
import dev.kiln.testing.KilnTestCluster;
import dev.kiln.testing.Manifests;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The chart installed with watchNamespaces: the operator holds a Role in each watched namespace and
 * only cluster-scoped rights cluster-wide, and works there as everywhere.
 */
class WatchedNamespacesTest {

  @RegisterExtension
  static final KilnTestCluster cluster = KilnTestCluster.watching("team-a", "team-b");

  private static final String WEB = """
      apiVersion: kiln.dev/v1alpha1
      kind: Instance
      metadata: {name: web}
      spec:
        template: {spec: {containers: [{name: app, image: nginx:1.27, volumeMounts: [{name: root, mountPath: /srv}]}]}}
        disks: [{name: root, size: 1Gi}]
      """;

  @Test
  void anOperatorHoldingRolesInTheWatchedNamespacesRunsInstancesAndBakesImagesThere() {
    Manifests.create(cluster.client(), "team-a", WEB);
    await(Instance.class, "team-a", "web", i -> i.getStatus() != null && i.getStatus().getPhase() == InstancePhase.RUNNING);

    Manifests.create(cluster.client(), "team-a", """
        apiVersion: kiln.dev/v1alpha1
        kind: MachineImage
        metadata: {name: web-1}
        spec:
          source: {instance: {name: web}}
        """);
    await(MachineImage.class, "team-a", "web-1", i -> i.getStatus() != null && i.getStatus().getPhase() == MachineImagePhase.AVAILABLE);
    await(Instance.class, "team-a", "web", i -> i.getStatus().getPhase() == InstancePhase.RUNNING);
  }

  /** Each watched namespace has an informer of its own; a restart lists them all again, and none may lose the others' objects. */
  @Test
  void objectsOfEveryWatchedNamespaceAreStillSeenAfterARestart() {
    for (String namespace : java.util.List.of("team-a", "team-b")) {
      Manifests.create(cluster.client(), namespace, WEB.replace("name: web}", "name: web-r}"));
      await(Instance.class, namespace, "web-r", i -> i.getStatus() != null && i.getStatus().getPhase() == InstancePhase.RUNNING);
    }
    cluster.operator().stop();
    cluster.operator().start();

    for (String namespace : java.util.List.of("team-a", "team-b")) {
      Manifests.create(cluster.client(), namespace, """
          apiVersion: kiln.dev/v1alpha1
          kind: MachineImage
          metadata: {name: web-r-1}
          spec:
            source: {instance: {name: web-r}}
          """);
    }
    for (String namespace : java.util.List.of("team-a", "team-b")) {
      await(MachineImage.class, namespace, "web-r-1",
          i -> i.getStatus() != null && i.getStatus().getPhase() == MachineImagePhase.AVAILABLE);
    }
  }

  @Test
  void instancesOfOtherNamespacesAreLeftAlone() {
    Manifests.create(cluster.client(), cluster.namespace(), WEB);
    Manifests.create(cluster.client(), "team-b", WEB.replace("name: web}", "name: web-b}"));
    await(Instance.class, "team-b", "web-b", i -> i.getStatus() != null && i.getStatus().getPhase() == InstancePhase.RUNNING);

    assertNull(cluster.client().resources(Instance.class).inNamespace(cluster.namespace()).withName("web").get().getStatus());
  }

  private static <T extends HasMetadata> void await(Class<T> type, String namespace, String name, Predicate<T> condition) {
    Awaitility.await(type.getSimpleName() + " " + namespace + "/" + name).atMost(KilnTestCluster.DEADLINE)
        .until(() -> cluster.client().resources(type).inNamespace(namespace).withName(name).get(),
            o -> o != null && condition.test(o));
  }
}
