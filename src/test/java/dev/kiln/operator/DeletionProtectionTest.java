package dev.kiln.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.InstancePhase;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.MachineImagePhase;
import dev.kiln.testing.Fixtures;
import dev.kiln.testing.KilnTestCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * spec.deletionProtection: the chart's ValidatingAdmissionPolicy makes the API server refuse the
 * DELETE, with a message saying what to do, and the object stays untouched until the flag is cleared.
 */
class DeletionProtectionTest {

  @RegisterExtension
  static final KilnTestCluster cluster = KilnTestCluster.withOperator();
  private final Fixtures fixtures = new Fixtures(cluster);

  @Test
  void aProtectedInstanceIsNotDeletedUntilItsProtectionIsCleared() {
    fixtures.instance("""
        metadata: {name: web}
        spec:
          deletionProtection: true
          template: {spec: {containers: [{name: app, image: nginx:1.27, volumeMounts: [{name: root, mountPath: /srv}]}]}}
          disks: [{name: root, size: 1Gi}]
        """);
    cluster.await(Instance.class, "web", i -> i.getStatus() != null && i.getStatus().getPhase() == InstancePhase.RUNNING);
    awaitPolicyEnforced(cluster.get(Instance.class, "web"));

    KubernetesClientException refused = assertThrows(KubernetesClientException.class,
        () -> cluster.client().resources(Instance.class).inNamespace(cluster.namespace()).withName("web").delete());
    assertEquals(403, refused.getCode());
    assertTrue(refused.getMessage().contains("Instance " + cluster.namespace() + "/web has spec.deletionProtection: true;"
        + " set it to false to delete it"), refused.getMessage());
    Instance kept = cluster.get(Instance.class, "web");
    assertEquals(null, kept.getMetadata().getDeletionTimestamp());
    assertEquals(InstancePhase.RUNNING, kept.getStatus().getPhase());

    cluster.edit(Instance.class, "web", i -> {
      i.getSpec().setDeletionProtection(false);
      return i;
    });
    cluster.client().resources(Instance.class).inNamespace(cluster.namespace()).withName("web").delete();
    cluster.awaitGone(Instance.class, "web");
  }

  @Test
  void aProtectedImageIsNotDeletedAndDeletingEverythingSparesOnlyIt() {
    registeredImage("kept", true);
    registeredImage("gone", false);
    MachineImage kept = cluster.get(MachineImage.class, "kept");
    awaitPolicyEnforced(kept);

    assertThrows(KubernetesClientException.class,
        () -> cluster.client().resources(MachineImage.class).inNamespace(cluster.namespace()).withName("kept").delete());
    // A delete of the whole collection removes what is not protected and refuses the rest.
    try {
      cluster.client().resources(MachineImage.class).inNamespace(cluster.namespace()).delete();
    } catch (KubernetesClientException expected) {
      assertTrue(expected.getMessage().contains("deletionProtection"), expected.getMessage());
    }
    cluster.awaitGone(MachineImage.class, "gone");
    assertNotNull(cluster.get(MachineImage.class, "kept"));
    assertEquals(null, cluster.get(MachineImage.class, "kept").getMetadata().getDeletionTimestamp());

    cluster.edit(MachineImage.class, "kept", i -> {
      i.getSpec().setDeletionProtection(null);
      return i;
    });
    cluster.client().resources(MachineImage.class).inNamespace(cluster.namespace()).withName("kept").delete();
    cluster.awaitGone(MachineImage.class, "kept");
  }

  /** An image registered from a Snapshot of a pre-provisioned content: no instance needed. */
  private void registeredImage(String name, boolean protectedImage) {
    fixtures.image("""
        metadata: {name: %s}
        spec:
          deletionProtection: %s
          source: {snapshots: [{name: root, snapshot: missing, boot: true}]}
          template: {spec: {containers: [{name: app, image: nginx:1.27}]}}
          platform: {os: linux, architecture: amd64}
        """.formatted(name, protectedImage));
    cluster.await(MachineImage.class, name, i -> i.getStatus() != null && i.getStatus().getPhase() == MachineImagePhase.FAILED);
  }

  /** The API server takes a new policy in after a moment: wait until a dry-run delete is refused. */
  private static void awaitPolicyEnforced(HasMetadata protectedObject) {
    Awaitility.await("the deletion-protection policy is enforced").atMost(KilnTestCluster.DEADLINE).until(() -> {
      try {
        cluster.client().resource(protectedObject).dryRun().delete();
        return false;
      } catch (KubernetesClientException refused) {
        return refused.getCode() == 403;
      }
    });
  }
}
