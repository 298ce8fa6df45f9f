package dev.kiln.operator.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.InstancePhase;
import dev.kiln.api.v1alpha1.Snapshot;
import dev.kiln.api.v1alpha1.SnapshotPhase;
import dev.kiln.operator.support.ConditionTypes;
import dev.kiln.operator.support.Conditions;
import dev.kiln.operator.support.Reasons;
import dev.kiln.testing.Fixtures;
import dev.kiln.testing.KilnTestCluster;
import dev.kiln.testing.sim.StorageFixtures;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Disks that start from a Snapshot. */
class InstanceFromSnapshotTest {

  @RegisterExtension
  static final KilnTestCluster cluster = KilnTestCluster.withOperator();
  private final Fixtures fixtures = new Fixtures(cluster);

  private static final String SOURCE = """
      metadata: {name: source}
      spec:
        template: {spec: {containers: [{name: app, image: nginx:1.27, volumeMounts: [{name: root, mountPath: /srv}]}]}}
        disks: [{name: root, size: 4Gi}]
      """;

  private static final String RESTORED = """
      metadata: {name: restored}
      spec:
        template: {spec: {containers: [{name: app, image: nginx:1.27, volumeMounts: [{name: root, mountPath: /srv}]}]}}
        disks: [{name: root, snapshot: snap}]
      """;

  @Test
  void diskFromASnapshotIsProvisionedFromItsVolumeSnapshotAtItsRestoreSize() {
    fixtures.instance(SOURCE);
    fixtures.snapshotOfDisk("snap", "source", "root");
    cluster.await(Snapshot.class, "snap", s -> s.getStatus() != null && s.getStatus().getPhase() == SnapshotPhase.READY);

    fixtures.instance(RESTORED);
    Instance running = cluster.await(Instance.class, "restored",
        i -> i.getStatus() != null && i.getStatus().getPhase() == InstancePhase.RUNNING);

    PersistentVolumeClaim claim = cluster.get(PersistentVolumeClaim.class, "restored-root");
    assertEquals("VolumeSnapshot", claim.getSpec().getDataSource().getKind());
    assertEquals("snapshot.storage.k8s.io", claim.getSpec().getDataSource().getApiGroup());
    assertEquals("snap", claim.getSpec().getDataSource().getName());
    assertEquals(new Quantity("4Gi").getNumericalAmount(),
        claim.getSpec().getResources().getRequests().get("storage").getNumericalAmount());
    PersistentVolume volume = cluster.client().persistentVolumes().withName(claim.getSpec().getVolumeName()).get();
    assertEquals(cluster.namespace() + "/snap", volume.getMetadata().getAnnotations().get(StorageFixtures.RESTORED_FROM));
    assertEquals("snapshot/snap", running.getStatus().getDisks().get(0).getSource());
  }

  @Test
  void diskWaitsWithAConditionUntilItsSnapshotExistsAndIsReady() {
    cluster.simulator().settings().holdUploads(true);
    fixtures.instance(RESTORED);

    Instance waiting = cluster.await(Instance.class, "restored", i -> hasDiskReason(i, Reasons.SNAPSHOT_NOT_FOUND));
    assertEquals(InstancePhase.PENDING, waiting.getStatus().getPhase());

    fixtures.instance(SOURCE);
    fixtures.snapshotOfDisk("snap", "source", "root");
    cluster.await(Instance.class, "restored", i -> hasDiskReason(i, Reasons.SNAPSHOT_NOT_READY));
    assertNull(cluster.get(PersistentVolumeClaim.class, "restored-root"), "no claim before the snapshot is Ready");
    assertNull(cluster.get(Pod.class, "restored"));

    cluster.simulator().releaseUploads();
    cluster.await(Instance.class, "restored", i -> i.getStatus().getPhase() == InstancePhase.RUNNING);
  }

  @Test
  void diskSmallerThanItsSnapshotIsRejected() {
    fixtures.instance(SOURCE);
    fixtures.snapshotOfDisk("snap", "source", "root");
    cluster.await(Snapshot.class, "snap", s -> s.getStatus() != null && s.getStatus().getPhase() == SnapshotPhase.READY);

    fixtures.instance(RESTORED.replace("snapshot: snap}", "snapshot: snap, size: 1Gi}"));

    Instance failed = cluster.await(Instance.class, "restored",
        i -> i.getStatus() != null && i.getStatus().getPhase() == InstancePhase.FAILED);
    assertEquals(Reasons.DISK_TOO_SMALL,
        Conditions.find(failed.getStatus().getConditions(), ConditionTypes.READY).get().getReason());
    assertNull(cluster.get(PersistentVolumeClaim.class, "restored-root"));
  }

  private static boolean hasDiskReason(Instance instance, String reason) {
    return instance.getStatus() != null && Conditions.find(instance.getStatus().getConditions(), ConditionTypes.DISKS_READY)
        .map(c -> reason.equals(c.getReason())).orElse(false);
  }
}
