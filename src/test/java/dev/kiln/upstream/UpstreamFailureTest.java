package dev.kiln.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.InstancePhase;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.MachineImagePhase;
import dev.kiln.api.v1alpha1.Snapshot;
import dev.kiln.api.v1alpha1.SnapshotPhase;
import dev.kiln.operator.support.ConditionTypes;
import dev.kiln.operator.support.Conditions;
import dev.kiln.operator.support.Reasons;
import dev.kiln.testing.Fixtures;
import dev.kiln.testing.KilnTestCluster;
import io.fabric8.kubernetes.api.model.Condition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Driver errors, storage without snapshots and an operator killed mid-capture, with the real components. */
@Tag("upstream")
class UpstreamFailureTest {

  @RegisterExtension
  static final KilnTestCluster cluster = KilnTestCluster.upstream();
  private final Fixtures fixtures = new Fixtures(cluster);
  private final UpstreamScenario scenario = new UpstreamScenario(cluster);

  @Test
  void driverErrorOnCreateSnapshotFailsTheSnapshotWithTheDriversMessage() {
    scenario.runningWeb();
    failCreateSnapshot("quota of snapshots exceeded in pool gold");

    fixtures.snapshot("""
        metadata: {name: snap}
        spec:
          source: {instance: {name: web, disk: root}}
          deadline: 10s
        """);

    Snapshot retrying = cluster.await(Snapshot.class, "snap", s -> s.getStatus() != null
        && Conditions.find(s.getStatus().getConditions(), ConditionTypes.READY)
            .map(c -> Reasons.SNAPSHOT_FAILED.equals(c.getReason())).orElse(false));
    assertEquals(SnapshotPhase.CREATING, retrying.getStatus().getPhase(), "csi-snapshotter retries the call");
    Snapshot failed = cluster.await(Snapshot.class, "snap",
        s -> s.getStatus() != null && s.getStatus().getPhase() == SnapshotPhase.FAILED);
    Condition ready = Conditions.find(failed.getStatus().getConditions(), ConditionTypes.READY).orElseThrow();
    assertEquals(Reasons.SNAPSHOT_FAILED, ready.getReason());
    assertTrue(ready.getMessage().contains("quota of snapshots exceeded in pool gold"), ready.getMessage());
    cluster.awaitGone(io.fabric8.volumesnapshot.api.model.VolumeSnapshot.class, "snap");
  }

  @Test
  void driverErrorThatClearsIsRetriedUntilTheSnapshotIsReady() {
    scenario.runningWeb();
    failCreateSnapshot("throttled: too many requests");

    fixtures.snapshotOfDisk("snap", "web", "root");
    cluster.await(io.fabric8.volumesnapshot.api.model.VolumeSnapshot.class, "snap",
        s -> s.getStatus() != null && s.getStatus().getError() != null);
    clearFaults();

    cluster.await(io.fabric8.volumesnapshot.api.model.VolumeSnapshot.class, "snap",
        s -> Boolean.TRUE.equals(s.getStatus().getReadyToUse()));
    cluster.await(Snapshot.class, "snap", s -> s.getStatus().getPhase() == SnapshotPhase.READY);
  }

  @Test
  void driverErrorWhileTheInstanceIsHeldFailsTheImageAndRestartsTheInstance() {
    scenario.runningWeb();
    failCreateSnapshot("volume busy");

    fixtures.image("""
        metadata: {name: img}
        spec:
          source: {instance: {name: web, consistency: Stop}}
        """);

    MachineImage failed = scenario.awaitImage("img", MachineImagePhase.FAILED);
    String message = Conditions.find(failed.getStatus().getConditions(), ConditionTypes.AVAILABLE).orElseThrow().getMessage();
    assertTrue(message.contains("volume busy"), message);
    cluster.await(Instance.class, "web", i -> i.getStatus().getPhase() == InstancePhase.RUNNING
        && !Conditions.isTrue(i.getStatus().getConditions(), ConditionTypes.HELD));
    org.awaitility.Awaitility.await("no snapshot left").atMost(KilnTestCluster.DEADLINE).until(() ->
        cluster.client().resources(io.fabric8.volumesnapshot.api.model.VolumeSnapshot.class)
            .inNamespace(cluster.namespace()).list().getItems().isEmpty());
  }

  @Test
  void diskOfADriverWithoutSnapshotClassFailsFast() {
    fixtures.instance("""
        metadata: {name: web}
        spec:
          template: {spec: {containers: [{name: app, image: nginx:1.27}]}}
          disks:
          - {name: root, size: 1Gi, storageClassName: no-snapshots}
        """);
    scenario.awaitInstance("web", InstancePhase.RUNNING);

    fixtures.snapshotOfDisk("snap", "web", "root");

    Snapshot failed = cluster.await(Snapshot.class, "snap",
        s -> s.getStatus() != null && s.getStatus().getPhase() == SnapshotPhase.FAILED);
    assertEquals(Reasons.NOT_SNAPSHOTTABLE,
        Conditions.find(failed.getStatus().getConditions(), ConditionTypes.READY).orElseThrow().getReason());
  }

  @Test
  void operatorKilledWhileTheInstanceIsHeldConvergesOnceANewOneHoldsTheLease() {
    scenario.runningWeb();
    scenario.write("web-root", "before the kill");

    fixtures.image("""
        metadata: {name: img}
        spec:
          source: {instance: {name: web, consistency: Stop}}
        """);
    cluster.await(MachineImage.class, "img", i -> i.getStatus() != null && i.getStatus().getSource() != null
        && Boolean.TRUE.equals(i.getStatus().getSource().getHeld()));
    cluster.operator().kill();
    cluster.operator().start();

    scenario.awaitImage("img", MachineImagePhase.AVAILABLE);
    Instance web = scenario.awaitInstance("web", InstancePhase.RUNNING);
    assertTrue(Conditions.find(web.getStatus().getConditions(), ConditionTypes.HELD)
        .map(c -> "False".equals(c.getStatus())).orElse(true), "no longer held");
    fixtures.instance("""
        metadata: {name: copy}
        spec:
          image: {name: img}
        """);
    scenario.awaitInstance("copy", InstancePhase.RUNNING);
    assertEquals("before the kill", scenario.read("copy-root"));
  }


  private void clearFaults() {
    try {
      Files.deleteIfExists(cluster.upstreamPlatform().driverState().resolve("faults").resolve("CreateSnapshot")
          .resolve(cluster.namespace()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The driver fails every CreateSnapshot for a VolumeSnapshot of the test namespace. */
  private void failCreateSnapshot(String message) {
    Path fault = cluster.upstreamPlatform().driverState().resolve("faults").resolve("CreateSnapshot")
        .resolve(cluster.namespace());
    try {
      Files.createDirectories(fault.getParent());
      Files.writeString(fault, message);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
