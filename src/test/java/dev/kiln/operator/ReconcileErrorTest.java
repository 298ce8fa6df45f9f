package dev.kiln.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.InstancePhase;
import dev.kiln.api.v1alpha1.Snapshot;
import dev.kiln.api.v1alpha1.SnapshotPhase;
import dev.kiln.operator.support.ConditionTypes;
import dev.kiln.operator.support.Conditions;
import dev.kiln.operator.support.Reasons;
import dev.kiln.testing.Fixtures;
import dev.kiln.testing.KilnTestCluster;
import dev.kiln.testing.Manifests;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An unexpected error shows in the object's status, with the API server's words, until a pass succeeds. */
class ReconcileErrorTest {

  @RegisterExtension
  static final KilnTestCluster cluster = KilnTestCluster.withOperator();
  private final Fixtures fixtures = new Fixtures(cluster);

  @Test
  void aWriteTheApiServerRefusesIsAReconcileErrorConditionUntilItGoesThrough() {
    runningInstance();
    denyVolumeSnapshots();

    fixtures.snapshotOfDisk("snap", "web", "root");
    Snapshot stuck = cluster.await(Snapshot.class, "snap", s -> s.getStatus() != null
        && Conditions.find(s.getStatus().getConditions(), ConditionTypes.RECONCILE_ERROR).isPresent());
    var error = Conditions.find(stuck.getStatus().getConditions(), ConditionTypes.RECONCILE_ERROR).orElseThrow();
    assertEquals("True", error.getStatus());
    assertEquals("Invalid", error.getReason());
    assertTrue(error.getMessage().contains("volume snapshots are paused in this namespace"), error.getMessage());

    cluster.client().resource(binding()).delete();
    Snapshot ready = cluster.await(Snapshot.class, "snap", s -> s.getStatus().getPhase() == SnapshotPhase.READY);
    assertTrue(Conditions.find(ready.getStatus().getConditions(), ConditionTypes.RECONCILE_ERROR).isEmpty());
  }

  @Test
  void anErrorThatOutlastsTheQuickRetriesIsAnnouncedOnceWithAWarningEvent() {
    runningInstance();
    denyVolumeSnapshots();

    fixtures.snapshotOfDisk("snap", "web", "root");

    Awaitility.await("a ReconcileError Event").atMost(KilnTestCluster.DEADLINE)
        .until(() -> cluster.eventReasons("snap").contains(Reasons.RECONCILE_ERROR));
    assertEquals(1, cluster.eventReasons("snap").stream().filter(Reasons.RECONCILE_ERROR::equals).count());
  }

  private void runningInstance() {
    fixtures.instance("""
        metadata: {name: web}
        spec:
          template: {spec: {containers: [{name: app, image: nginx:1.27, volumeMounts: [{name: root, mountPath: /srv}]}]}}
          disks: [{name: root, size: 1Gi}]
        """);
    cluster.await(Instance.class, "web", i -> i.getStatus() != null && i.getStatus().getPhase() == InstancePhase.RUNNING);
  }

  private void denyVolumeSnapshots() {
    cluster.client().resource(Manifests.parse("""
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicy
        metadata: {name: pause-volume-snapshots}
        spec:
          failurePolicy: Fail
          matchConstraints:
            resourceRules:
            - {apiGroups: [snapshot.storage.k8s.io], apiVersions: ["*"], operations: [CREATE], resources: [volumesnapshots]}
          validations:
          - {expression: "false", message: "volume snapshots are paused in this namespace"}
        """)).serverSideApply();
    cluster.client().resource(binding()).serverSideApply();
    // The API server takes the policy in after a moment: wait until a dry run is refused.
    HasMetadata probe = Manifests.parse("""
        apiVersion: snapshot.storage.k8s.io/v1
        kind: VolumeSnapshot
        metadata: {name: probe}
        spec: {source: {persistentVolumeClaimName: web-root}}
        """);
    Awaitility.await("the policy is enforced").atMost(KilnTestCluster.DEADLINE).until(() -> {
      try {
        cluster.client().resource(probe).inNamespace(cluster.namespace()).dryRun().create();
        return false;
      } catch (KubernetesClientException refused) {
        return refused.getCode() == 422;
      }
    });
  }

  private HasMetadata binding() {
    return Manifests.parse("""
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicyBinding
        metadata: {name: pause-volume-snapshots}
        spec:
          policyName: pause-volume-snapshots
          validationActions: [Deny]
          matchResources:
            namespaceSelector:
              matchLabels: {kubernetes.io/metadata.name: %s}
        """.formatted(cluster.namespace()));
  }
}
