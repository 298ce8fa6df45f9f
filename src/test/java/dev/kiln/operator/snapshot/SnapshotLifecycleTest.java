package dev.kiln.operator.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.InstancePhase;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.Snapshot;
import dev.kiln.api.v1alpha1.SnapshotPhase;
import dev.kiln.api.v1alpha1.SnapshotStatus;
import dev.kiln.api.v1alpha1.VolumeMode;
import dev.kiln.operator.support.ConditionTypes;
import dev.kiln.operator.support.Conditions;
import dev.kiln.operator.support.Labels;
import dev.kiln.operator.support.Reasons;
import dev.kiln.testing.Fixtures;
import dev.kiln.testing.KilnTestCluster;
import dev.kiln.testing.sim.SimulatorSettings;
import dev.kiln.testing.sim.StorageFixtures;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SnapshotLifecycleTest {

  @RegisterExtension
  static final KilnTestCluster cluster = KilnTestCluster.withOperator();
  private final Fixtures fixtures = new Fixtures(cluster);

  private static final String WEB = """
      metadata: {name: web}
      spec:
        template:
          spec:
            containers: [{name: app, image: nginx:1.27, volumeMounts: [{name: root, mountPath: /srv}, {name: scratch, mountPath: /tmp}]}]
        disks:
        - {name: root, size: 3Gi}
        - {name: scratch, ephemeral: true}
      """;

  @Test
  void snapshotOfAnInstanceDiskBecomesReadyWithWhatItCaptured() {
    runningInstance();

    fixtures.snapshotOfDisk("snap", "web", "root");
    Snapshot ready = awaitPhase("snap", SnapshotPhase.READY);

    var status = ready.getStatus();
    assertEquals("snap", status.getVolumeSnapshot());
    assertNotNull(status.getCutTime());
    assertNotNull(status.getReadyTime());
    assertEquals(new Quantity("3Gi").getNumericalAmount(), new Quantity(status.getRestoreSize()).getNumericalAmount());
    assertNotNull(status.getSnapshotHandle());
    assertEquals(StorageFixtures.DRIVER, status.getDriver());
    assertEquals("web-root", status.getSourceClaimName());
    assertEquals(List.of("Ready"), cluster.awaitEventReasons("snap", "Ready"), "a Snapshot a user asked for announces that it is Ready");
    assertEquals(StorageFixtures.STANDARD, status.getSourceStorageClassName());
    assertEquals(VolumeMode.FILESYSTEM, status.getSourceVolumeMode());
    assertEquals(StorageFixtures.NODE_OS, status.getSourcePlatform().getOs());
    assertEquals(StorageFixtures.NODE_ARCH, status.getSourcePlatform().getArchitecture());
    assertTrue(Conditions.isTrue(status.getConditions(), ConditionTypes.READY));

    VolumeSnapshot volumeSnapshot = cluster.get(VolumeSnapshot.class, "snap");
    assertEquals("web-root", volumeSnapshot.getSpec().getSource().getPersistentVolumeClaimName());
    assertEquals(StorageFixtures.SNAPSHOT_CLASS, volumeSnapshot.getSpec().getVolumeSnapshotClassName());
    assertEquals("snap", volumeSnapshot.getMetadata().getLabels().get(Labels.SNAPSHOT));
    assertEquals(ready.getMetadata().getUid(), volumeSnapshot.getMetadata().getOwnerReferences().get(0).getUid());
  }

  @Test
  void snapshotIsCreatingOnceCutAndReadyOnlyWhenUploaded() {
    fixtures.boundClaim("data", StorageFixtures.STANDARD);
    cluster.simulator().settings().holdUploads(true);
    fixtures.snapshot("""
        metadata: {name: snap}
        spec: {source: {persistentVolumeClaim: {name: data}}, description: before upgrade}
        """);

    Snapshot cut = cluster.await(Snapshot.class, "snap", s -> s.getStatus() != null && s.getStatus().getCutTime() != null);
    assertEquals(SnapshotPhase.CREATING, cut.getStatus().getPhase());
    assertNull(cut.getStatus().getReadyTime());

    cluster.simulator().releaseUploads();
    Snapshot ready = awaitPhase("snap", SnapshotPhase.READY);
    assertEquals(cut.getStatus().getCutTime(), ready.getStatus().getCutTime());
  }

  @Test
  void snapshotAUserAskedForShowsCreatingBeforeItIsCut() {
    fixtures.boundClaim("data", StorageFixtures.STANDARD);
    cluster.simulator().settings().snapshotCutDelay(Duration.ofSeconds(2));
    List<SnapshotStatus> written = statusesWhile("snap", () -> {
      fixtures.snapshot("""
          metadata: {name: snap}
          spec: {source: {persistentVolumeClaim: {name: data}}}
          """);
      awaitPhase("snap", SnapshotPhase.READY);
    });

    SnapshotStatus first = written.get(0);
    assertEquals(SnapshotPhase.CREATING, first.getPhase());
    assertNull(first.getCutTime(), "GitOps tools see it on its way while the VolumeSnapshot is being cut");
    assertTrue(Conditions.isTrue(first.getConditions(), ConditionTypes.RECONCILING));
  }

  @Test
  void firstStatusOfAnImagesSnapshotIsItsCut() {
    runningInstance();
    cluster.simulator().settings().snapshotCutDelay(Duration.ofSeconds(2)).holdUploads(true);
    List<SnapshotStatus> written = statusesWhile("img-root", () -> {
      fixtures.image("""
          metadata: {name: img}
          spec: {source: {instance: {name: web, consistency: None}}}
          """);
      cluster.await(VolumeSnapshot.class, "img-root", v -> v.getStatus() == null || v.getStatus().getCreationTime() == null);
      Snapshot cut = cluster.await(Snapshot.class, "img-root", s -> s.getStatus() != null && s.getStatus().getCutTime() != null);
      assertEquals(StorageFixtures.DRIVER, cut.getStatus().getDriver(), "the driver is recorded with the first status");
      cluster.simulator().releaseUploads();
      awaitPhase("img-root", SnapshotPhase.READY);
    });

    assertNotNull(written.get(0).getCutTime(), "a status before the cut: " + written.get(0).getPhase());
    assertEquals(List.of(SnapshotPhase.CREATING, SnapshotPhase.READY), written.stream().map(SnapshotStatus::getPhase).distinct().toList());
  }

  /** Every status the Snapshot was stored with while the action ran, in order (a version without one left out). */
  private List<SnapshotStatus> statusesWhile(String name, Runnable action) {
    List<SnapshotStatus> seen = new CopyOnWriteArrayList<>();
    try (Watch watch = cluster.client().resources(Snapshot.class).inNamespace(cluster.namespace()).withName(name)
        .watch(new Watcher<>() {
          @Override
          public void eventReceived(Action event, Snapshot snapshot) {
            if (snapshot.getStatus() != null && snapshot.getStatus().getPhase() != null) {
              seen.add(snapshot.getStatus());
            }
          }

          @Override
          public void onClose(WatcherException cause) { }
        })) {
      action.run();
      Awaitility.await().atMost(KilnTestCluster.DEADLINE)
          .until(() -> seen.stream().anyMatch(s -> s.getPhase() == SnapshotPhase.READY));
    }
    return List.copyOf(seen);
  }

  @Test
  void diskWhoseDriverCannotSnapshotFailsAtOnceWithNotSnapshottable() {
    fixtures.boundClaim("data", StorageFixtures.NOT_SNAPSHOTTABLE);
    fixtures.snapshot("""
        metadata: {name: snap}
        spec: {source: {persistentVolumeClaim: {name: data}}}
        """);

    Snapshot failed = awaitPhase("snap", SnapshotPhase.FAILED);

    Condition ready = readyCondition(failed);
    assertEquals(Reasons.NOT_SNAPSHOTTABLE, ready.getReason());
    assertTrue(ready.getMessage().contains(StorageFixtures.DRIVER_WITHOUT_SNAPSHOTS), ready.getMessage());
    assertNull(cluster.get(VolumeSnapshot.class, "snap"), "no VolumeSnapshot for a disk that cannot be snapshotted");
    cluster.awaitEventReasons("snap", Reasons.NOT_SNAPSHOTTABLE);
  }

  @Test
  void namedSnapshotClassOfAnotherDriverIsNotSnapshottable() {
    fixtures.boundClaim("data", StorageFixtures.STANDARD);
    fixtures.snapshot("""
        metadata: {name: snap}
        spec: {source: {persistentVolumeClaim: {name: data}}, volumeSnapshotClassName: no-such-class}
        """);

    Snapshot failed = awaitPhase("snap", SnapshotPhase.FAILED);

    assertEquals(Reasons.NOT_SNAPSHOTTABLE, readyCondition(failed).getReason());
    assertTrue(readyCondition(failed).getMessage().contains("no-such-class"));
  }

  @Test
  void csiErrorIsRetriedUntilTheDeadlineThenFailsWithItsMessage() {
    fixtures.boundClaim("data", StorageFixtures.STANDARD);
    cluster.simulator().settings().snapshotsFail(SimulatorSettings.named("snap"), "rpc error: quota exceeded for snapshots");
    fixtures.snapshot("""
        metadata: {name: snap}
        spec: {source: {persistentVolumeClaim: {name: data}}, deadline: 6s}
        """);

    Snapshot retrying = cluster.await(Snapshot.class, "snap", s -> s.getStatus() != null
        && Conditions.find(s.getStatus().getConditions(), ConditionTypes.READY)
            .map(c -> Reasons.SNAPSHOT_FAILED.equals(c.getReason())).orElse(false));
    assertEquals(SnapshotPhase.CREATING, retrying.getStatus().getPhase());
    assertTrue(readyCondition(retrying).getMessage().contains("rpc error: quota exceeded for snapshots"));
    cluster.awaitEventReasons("snap", Reasons.SNAPSHOT_FAILED); // a Warning while it retries

    Snapshot failed = awaitPhase("snap", SnapshotPhase.FAILED);
    assertEquals(Reasons.SNAPSHOT_FAILED, readyCondition(failed).getReason());
    assertTrue(readyCondition(failed).getMessage().contains("rpc error: quota exceeded for snapshots"));
    cluster.awaitGone(VolumeSnapshot.class, "snap");
  }

  @Test
  void csiErrorThatClearsLetsTheSnapshotBecomeReady() {
    fixtures.boundClaim("data", StorageFixtures.STANDARD);
    cluster.simulator().settings().snapshotsFail(SimulatorSettings.named("snap"), "rpc error: throttled");
    fixtures.snapshot("""
        metadata: {name: snap}
        spec: {source: {persistentVolumeClaim: {name: data}}}
        """);
    cluster.await(Snapshot.class, "snap", s -> s.getStatus() != null
        && Conditions.find(s.getStatus().getConditions(), ConditionTypes.READY)
            .map(c -> Reasons.SNAPSHOT_FAILED.equals(c.getReason())).orElse(false));

    cluster.simulator().settings().snapshotsFail(o -> false, "");

    Snapshot ready = awaitPhase("snap", SnapshotPhase.READY);
    assertEquals(Reasons.SNAPSHOT_READY, readyCondition(ready).getReason());
  }

  @Test
  void snapshotNotReadyByItsDeadlineTimesOutAndAbandonsTheUpload() {
    fixtures.boundClaim("data", StorageFixtures.STANDARD);
    cluster.simulator().settings().holdUploads(true);
    fixtures.snapshot("""
        metadata: {name: snap}
        spec: {source: {persistentVolumeClaim: {name: data}}, deadline: 3s}
        """);

    Snapshot failed = awaitPhase("snap", SnapshotPhase.FAILED);

    assertEquals(Reasons.SNAPSHOT_TIMEOUT, readyCondition(failed).getReason());
    cluster.awaitGone(VolumeSnapshot.class, "snap");
  }

  @Test
  void ephemeralDiskIsRejected() {
    runningInstance();

    fixtures.snapshotOfDisk("snap", "web", "scratch");
    Snapshot failed = awaitPhase("snap", SnapshotPhase.FAILED);

    assertEquals(Reasons.EPHEMERAL_DISK, readyCondition(failed).getReason());
    assertNull(cluster.get(VolumeSnapshot.class, "snap"));
  }

  @Test
  void unknownDiskIsRejected() {
    runningInstance();

    fixtures.snapshotOfDisk("snap", "web", "data");

    assertEquals(Reasons.DISK_NOT_FOUND, readyCondition(awaitPhase("snap", SnapshotPhase.FAILED)).getReason());
  }

  @Test
  void snapshotOfAMissingInstanceWaitsForIt() {
    fixtures.snapshotOfDisk("snap", "web", "root");

    Snapshot pending = awaitPhase("snap", SnapshotPhase.PENDING);
    assertEquals(Reasons.SOURCE_NOT_FOUND, readyCondition(pending).getReason());

    runningInstance();
    awaitPhase("snap", SnapshotPhase.READY);
  }

  @Test
  void deletingASnapshotDeletesItsVolumeSnapshot() {
    fixtures.boundClaim("data", StorageFixtures.STANDARD);
    fixtures.snapshot("""
        metadata: {name: snap}
        spec: {source: {persistentVolumeClaim: {name: data}}}
        """);
    awaitPhase("snap", SnapshotPhase.READY);

    cluster.client().resources(Snapshot.class).inNamespace(cluster.namespace()).withName("snap").delete();

    cluster.awaitGone(Snapshot.class, "snap");
    cluster.awaitGone(VolumeSnapshot.class, "snap");
  }

  @Test
  void snapshotUsedByAnImageIsKeptUntilTheImageIsGone() {
    fixtures.boundClaim("data", StorageFixtures.STANDARD);
    fixtures.snapshot("""
        metadata: {name: snap}
        spec: {source: {persistentVolumeClaim: {name: data}}}
        """);
    awaitPhase("snap", SnapshotPhase.READY);
    fixtures.image("""
        metadata: {name: img}
        spec:
          source: {snapshots: [{name: root, snapshot: snap}]}
          template: {spec: {containers: [{name: app, image: nginx:1.27}]}}
          platform: {os: linux, architecture: amd64}
        """);
    cluster.await(MachineImage.class, "img", i -> i.getStatus() != null
        && i.getStatus().getPhase() == dev.kiln.api.v1alpha1.MachineImagePhase.AVAILABLE);
    cluster.await(Snapshot.class, "snap", s -> Conditions.isTrue(s.getStatus().getConditions(), ConditionTypes.IN_USE));

    cluster.client().resources(Snapshot.class).inNamespace(cluster.namespace()).withName("snap").delete();

    Snapshot kept = awaitPhase("snap", SnapshotPhase.DELETING);
    assertEquals(List.of("img"), kept.getStatus().getUsedBy());
    Condition inUse = Conditions.find(kept.getStatus().getConditions(), ConditionTypes.IN_USE).get();
    assertEquals(Reasons.USED_BY_IMAGES, inUse.getReason());
    assertTrue(inUse.getMessage().contains("img"));
    assertNotNull(cluster.get(VolumeSnapshot.class, "snap"));

    cluster.client().resources(MachineImage.class).inNamespace(cluster.namespace()).withName("img").delete();

    cluster.awaitGone(Snapshot.class, "snap");
    cluster.awaitGone(VolumeSnapshot.class, "snap");
  }

  @Test
  void operatorRestartedDuringTheUploadConvergesToReady() {
    fixtures.boundClaim("data", StorageFixtures.STANDARD);
    cluster.simulator().settings().holdUploads(true);
    fixtures.snapshot("""
        metadata: {name: snap}
        spec: {source: {persistentVolumeClaim: {name: data}}}
        """);
    cluster.await(Snapshot.class, "snap", s -> s.getStatus() != null && s.getStatus().getCutTime() != null);

    cluster.operator().stop();
    cluster.simulator().releaseUploads();
    cluster.await(VolumeSnapshot.class, "snap", v -> Boolean.TRUE.equals(v.getStatus().getReadyToUse()));
    cluster.operator().start();

    Snapshot ready = awaitPhase("snap", SnapshotPhase.READY);
    assertNotNull(ready.getStatus().getSnapshotHandle());
    assertEquals(1, cluster.client().resources(VolumeSnapshot.class).inNamespace(cluster.namespace()).list().getItems().size());
  }

  private void runningInstance() {
    fixtures.instance(WEB);
    cluster.await(Instance.class, "web", i -> i.getStatus() != null && i.getStatus().getPhase() == InstancePhase.RUNNING);
  }

  private Snapshot awaitPhase(String name, SnapshotPhase phase) {
    return cluster.await(Snapshot.class, name, s -> s.getStatus() != null && s.getStatus().getPhase() == phase);
  }

  private static Condition readyCondition(Snapshot snapshot) {
    return Conditions.find(snapshot.getStatus().getConditions(), ConditionTypes.READY).orElseThrow();
  }
}
