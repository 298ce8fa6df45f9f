package dev.kiln.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.testing.KilnTestCluster;
import dev.kiln.testing.Manifests;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The roles the chart adds for people, held by users of a namespace: an editor runs Instances and
 * bakes images, a viewer only reads. The built-in view, edit and admin roles take them in through
 * their aggregation labels (folded in by kube-controller-manager, which this tier does not run, so
 * the users here are bound to Kiln's roles directly).
 */
class UserRolesTest {

  @RegisterExtension
  static final KilnTestCluster cluster = KilnTestCluster.withoutOperator();

  private static final String INSTANCE = """
      apiVersion: kiln.dev/v1alpha1
      kind: Instance
      metadata: {name: web}
      spec:
        template: {spec: {containers: [{name: app, image: nginx:1.27}]}}
        disks: [{name: root, size: 1Gi}]
      """;

  private static final String IMAGE = """
      apiVersion: kiln.dev/v1alpha1
      kind: MachineImage
      metadata: {name: web-1}
      spec:
        source: {instance: {name: web}}
      """;

  @Test
  void kilnsRolesJoinTheBuiltInViewEditAndAdminRoles() {
    for (String level : new String[] {"view", "edit", "admin"}) {
      ClusterRole role = cluster.client().rbac().clusterRoles().withName("kiln-" + level).get();
      assertEquals("true", role.getMetadata().getLabels().get("rbac.authorization.k8s.io/aggregate-to-" + level), level);
    }
  }

  @Test
  void anEditorOfANamespaceRunsInstancesAndBakesImagesThereOnly() {
    bind("alice", "kiln-edit");
    try (KubernetesClient alice = as("alice")) {
      Manifests.create(alice, cluster.namespace(), INSTANCE);
      Manifests.create(alice, cluster.namespace(), IMAGE);
      alice.resources(Instance.class).inNamespace(cluster.namespace()).withName("web").delete();

      var refused = assertThrows(KubernetesClientException.class, () -> Manifests.create(alice, "default", INSTANCE));
      assertEquals(403, refused.getCode());
    }
  }

  @Test
  void aViewerReadsButDoesNotCreate() {
    bind("bob", "kiln-view");
    Manifests.create(cluster.client(), cluster.namespace(), INSTANCE);
    try (KubernetesClient bob = as("bob")) {
      assertEquals(1, bob.resources(Instance.class).inNamespace(cluster.namespace()).list().getItems().size());
      var refused = assertThrows(KubernetesClientException.class, () -> Manifests.create(bob, cluster.namespace(), IMAGE));
      assertEquals(403, refused.getCode());
      assertThrows(KubernetesClientException.class, () -> bob.resources(MachineImage.class).inNamespace(cluster.namespace())
          .withName("web-1").delete());
    }
  }

  private static void bind(String user, String role) {
    cluster.client().rbac().roleBindings().inNamespace(cluster.namespace()).resource(new RoleBindingBuilder()
        .withNewMetadata().withName(user).endMetadata()
        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName(role).endRoleRef()
        .addNewSubject().withKind("User").withApiGroup("rbac.authorization.k8s.io").withName(user).endSubject()
        .build()).create();
  }

  private static KubernetesClient as(String user) {
    Config config = new ConfigBuilder(cluster.client().getConfiguration()).withImpersonateUsername(user)
        .withImpersonateGroups("system:authenticated").build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }
}
