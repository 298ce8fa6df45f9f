package dev.kiln.operator.machineimage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.api.v1alpha1.Consistency;
import dev.kiln.api.v1alpha1.ImageDisk;
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
import dev.kiln.testing.sim.SimulatorSettings;
import dev.kiln.testing.sim.StorageFixtures;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Creating an image from an instance (CreateImage). */
class MachineImageCaptureTest {

  @RegisterExtension
  static final KilnTestCluster cluster = KilnTestCluster.withOperator();
  private final Fixtures fixtures = new Fixtures(cluster);
  private final CaptureScenario scenario = new CaptureScenario(cluster);

  static final String WEB = """
      metadata: {name: web}
      spec:
        template:
          spec:
            containers:
            - name: app
              image: nginx:1.27
              volumeMounts: [{name: root, mountPath: /srv}, {name: data, mountPath: /data}, {name: scratch, mountPath: /tmp}]
        disks:
        - {name: root, size: 2Gi}
        - {name: data, size: 3Gi}
        - {name: scratch, ephemeral: true}
      """;

  static String image(String name, String consistency) {
    return """
        metadata: {name: %s}
        spec:
          source: {instance: {name: web, consistency: %s}}
          family: web
        """.formatted(name, consistency);
  }

  @Test
  void stopConsistencyRestartsInstanceOnceSnapshotsAreCutBeforeUploadsFinish() {
    runningInstance();
    // The cut takes a moment, as a real one does: with an instant cut, the instance can be stopped,
    // held and released between two looks at it.
    cluster.simulator().settings().holdUploads(true).snapshotCutDelay(Duration.ofSeconds(1));

    fixtures.image(image("img", "Stop"));

    Instance held = cluster.await(Instance.class, "web", i -> i.getStatus().getPhase() == InstancePhase.STOPPED
        && Conditions.isTrue(i.getStatus().getConditions(), ConditionTypes.HELD));
    assertEquals(Reasons.HELD_FOR_IMAGE, Conditions.find(held.getStatus().getConditions(), ConditionTypes.HELD).get().getReason());
    Instant stoppedAt = Instant.parse(Conditions.find(held.getStatus().getConditions(), ConditionTypes.HELD).get().getLastTransitionTime());

    Instance restarted = cluster.await(Instance.class, "web", i -> i.getStatus().getPhase() == InstancePhase.RUNNING);
    List<Snapshot> children = childrenOf("img");
    assertEquals(2, children.size());
    for (Snapshot child : children) {
      assertTrue(child.getStatus().getCutTime() != null, "restarted only after every snapshot is cut");
      assertTrue(child.getStatus().getPhase() != SnapshotPhase.READY, "restarted before the uploads finished");
      assertFalse(Instant.parse(child.getMetadata().getCreationTimestamp()).isBefore(stoppedAt),
          "snapshots are created only once the instance is stopped");
    }
    assertFalse(Conditions.isTrue(restarted.getStatus().getConditions(), ConditionTypes.HELD));
    assertEquals(MachineImagePhase.CREATING, cluster.get(MachineImage.class, "img").getStatus().getPhase());

    cluster.simulator().releaseUploads();
    MachineImage available = awaitPhase("img", MachineImagePhase.AVAILABLE);

    var status = available.getStatus();
    Map<String, ImageDisk> disks = status.getDisks().stream().collect(Collectors.toMap(ImageDisk::getName, Function.identity()));
    assertEquals("img-root", disks.get("root").getSnapshot());
    assertTrue(disks.get("root").getBoot());
    assertEquals("img-data", disks.get("data").getSnapshot());
    assertEquals(StorageFixtures.STANDARD, disks.get("data").getStorageClassName());
    assertTrue(disks.get("scratch").getEphemeral());
    assertNull(disks.get("scratch").getSnapshot());
    assertEquals("5Gi", status.getStorage());
    assertEquals(Consistency.STOP, status.getSource().getConsistencyAchieved());
    assertEquals("web", status.getSource().getInstance());
    assertEquals(StorageFixtures.NODE_OS, status.getPlatform().getOs());
    assertEquals(StorageFixtures.NODE_ARCH, status.getPlatform().getArchitecture());
    String pinned = status.getTemplate().getSpec().getContainers().get(0).getImage();
    assertTrue(pinned.startsWith("nginx@sha256:"), pinned);
    assertTrue(Conditions.isTrue(status.getConditions(), ConditionTypes.QUIESCED));
    assertTrue(Conditions.isTrue(status.getConditions(), ConditionTypes.SNAPSHOTS_READY));
    assertTrue(Conditions.isTrue(status.getConditions(), ConditionTypes.AVAILABLE));
    // Settled phases are announced, the way there is not: the image Available, the Instance stopped (and why) and running again.
    assertEquals(List.of("Available"), cluster.awaitEventReasons("img", "Available"));
    assertTrue(cluster.awaitEventReasons("web", "Stopped", "Running").stream().noneMatch(r -> r.equals("Stopping") || r.equals("Pending")));
    assertTrue(cluster.eventMessage("web", "Stopped").contains("MachineImage img"), cluster.eventMessage("web", "Stopped"));
    assertEquals(List.of(), cluster.eventReasons("img-root"), "an image's own Snapshots are announced by the image");
    assertEquals(InstancePhase.RUNNING, cluster.get(Instance.class, "web").getStatus().getPhase());
  }

  @Test
  void noneConsistencyNeverStopsTheInstance() {
    runningInstance();
    String pod = cluster.get(Pod.class, "web").getMetadata().getUid();

    fixtures.image(image("img", "None"));
    MachineImage available = awaitPhase("img", MachineImagePhase.AVAILABLE);

    assertEquals(pod, cluster.get(Pod.class, "web").getMetadata().getUid());
    assertEquals(Consistency.NONE, available.getStatus().getSource().getConsistencyAchieved());
    assertEquals(Reasons.CRASH_CONSISTENT,
        Conditions.find(available.getStatus().getConditions(), ConditionTypes.QUIESCED).get().getReason());
    assertFalse(cluster.eventReasons("web").contains("Stopped"));
  }

  @Test
  void stoppedInstanceNeedsNoHoldAndStaysStopped() {
    fixtures.instance(WEB);
    cluster.await(Instance.class, "web", i -> i.getStatus() != null && i.getStatus().getPhase() == InstancePhase.RUNNING);
    setRunning(false);
    cluster.await(Instance.class, "web", i -> i.getStatus().getPhase() == InstancePhase.STOPPED);

    fixtures.image(image("img", "Stop"));
    MachineImage available = awaitPhase("img", MachineImagePhase.AVAILABLE);

    assertEquals(Consistency.STOP, available.getStatus().getSource().getConsistencyAchieved());
    assertEquals(InstancePhase.STOPPED, cluster.get(Instance.class, "web").getStatus().getPhase());
    assertNull(cluster.get(Pod.class, "web"));
  }

  @Test
  void runningChangedDuringTheHoldIsHonouredAfterIt() {
    runningInstance();
    cluster.simulator().settings().snapshotCutDelay(Duration.ofSeconds(2));
    fixtures.image(image("img", "Stop"));
    cluster.await(Instance.class, "web", i -> Conditions.isTrue(i.getStatus().getConditions(), ConditionTypes.HELD));

    setRunning(false);
    awaitPhase("img", MachineImagePhase.AVAILABLE);

    Instance instance = cluster.await(Instance.class, "web", i -> !Conditions.isTrue(i.getStatus().getConditions(), ConditionTypes.HELD));
    assertEquals(InstancePhase.STOPPED, instance.getStatus().getPhase());
    assertNull(cluster.get(Pod.class, "web"));
  }

  @Test
  void csiFailureMidCaptureFailsTheImageLeaksNothingAndRestartsTheInstance() {
    runningInstance();
    cluster.simulator().settings().snapshotsFail(SimulatorSettings.named("img-data"), "rpc error: volume busy");

    fixtures.image(image("img", "Stop"));
    MachineImage failed = awaitPhase("img", MachineImagePhase.FAILED);

    var available = Conditions.find(failed.getStatus().getConditions(), ConditionTypes.AVAILABLE).get();
    assertEquals(Reasons.SNAPSHOT_FAILED, available.getReason());
    assertTrue(available.getMessage().contains("rpc error: volume busy"), available.getMessage());
    awaitNoChildren();
    cluster.await(Instance.class, "web", i -> i.getStatus().getPhase() == InstancePhase.RUNNING
        && !Conditions.isTrue(i.getStatus().getConditions(), ConditionTypes.HELD));
    cluster.awaitEventReasons("img", Reasons.SNAPSHOT_FAILED);
  }

  @Test
  void sourceInstanceDeletedAfterTheCutStillGivesAnImageOfEveryDisk() {
    runningInstance();
    cluster.simulator().settings().holdUploads(true);
    fixtures.image(image("img", "Stop"));
    org.awaitility.Awaitility.await("every snapshot cut").atMost(KilnTestCluster.DEADLINE).until(() -> {
      List<Snapshot> children = childrenOf("img");
      return children.size() == 2 && children.stream().allMatch(s -> s.getStatus() != null && s.getStatus().getCutTime() != null);
    });

    cluster.client().resources(Instance.class).inNamespace(cluster.namespace()).withName("web").delete();
    cluster.awaitGone(Instance.class, "web");
    cluster.simulator().releaseUploads();

    MachineImage available = awaitPhase("img", MachineImagePhase.AVAILABLE);
    assertEquals(List.of("root", "data", "scratch"), available.getStatus().getDisks().stream().map(d -> d.getName()).toList());
    assertEquals("img-root", available.getStatus().getDisks().get(0).getSnapshot());
    assertEquals("img-data", available.getStatus().getDisks().get(1).getSnapshot());
    assertEquals(Boolean.TRUE, available.getStatus().getDisks().get(2).getEphemeral());
  }

  @Test
  void notSnapshottableDiskFailsBeforeTheInstanceIsStopped() {
    fixtures.instance(WEB.replace("{name: data, size: 3Gi}", "{name: data, size: 3Gi, storageClassName: no-snapshots}"));
    cluster.await(Instance.class, "web", i -> i.getStatus() != null && i.getStatus().getPhase() == InstancePhase.RUNNING);
    String pod = cluster.get(Pod.class, "web").getMetadata().getUid();

    fixtures.image(image("img", "Stop"));
    MachineImage failed = awaitPhase("img", MachineImagePhase.FAILED);

    assertEquals(Reasons.NOT_SNAPSHOTTABLE,
        Conditions.find(failed.getStatus().getConditions(), ConditionTypes.AVAILABLE).get().getReason());
    assertEquals(pod, cluster.get(Pod.class, "web").getMetadata().getUid(), "the instance was never stopped");
    assertTrue(childrenOf("img").isEmpty());
  }

  @Test
  void aSnapshotNameTooLongFailsTheImageBeforeTheInstanceIsStopped() {
    runningInstance();
    String pod = cluster.get(Pod.class, "web").getMetadata().getUid();
    String name = "a".repeat(60);

    fixtures.image(image(name, "Stop"));
    MachineImage failed = awaitPhase(name, MachineImagePhase.FAILED);

    assertEquals(Reasons.SNAPSHOT_NAME_TOO_LONG, CaptureScenario.availableReason(failed));
    assertEquals(pod, cluster.get(Pod.class, "web").getMetadata().getUid(), "the instance was never stopped");
    assertTrue(childrenOf(name).isEmpty());
  }

  @Test
  void aSnapshotOfTheSameNameThatIsNotTheImagesFailsItAndIsLeftAlone() {
    runningInstance();
    fixtures.snapshotOfDisk("img-root", "web", "root");
    String pod = cluster.get(Pod.class, "web").getMetadata().getUid();

    fixtures.image(image("img", "Stop"));
    MachineImage failed = awaitPhase("img", MachineImagePhase.FAILED);

    assertEquals(Reasons.SNAPSHOT_NAME_TAKEN, CaptureScenario.availableReason(failed));
    assertEquals(pod, cluster.get(Pod.class, "web").getMetadata().getUid(), "the instance was never stopped");
    Snapshot users = cluster.get(Snapshot.class, "img-root");
    assertNotNullAndKept(users);
  }

  private static void assertNotNullAndKept(Snapshot snapshot) {
    assertTrue(snapshot != null && snapshot.getMetadata().getDeletionTimestamp() == null, "the user's Snapshot is kept");
  }

  @Test
  void missingInstanceFails() {
    fixtures.image(image("img", "Stop"));

    MachineImage failed = awaitPhase("img", MachineImagePhase.FAILED);

    assertEquals(Reasons.SOURCE_NOT_FOUND,
        Conditions.find(failed.getStatus().getConditions(), ConditionTypes.AVAILABLE).get().getReason());
  }

  @Test
  void instanceWithoutPersistentDisksFails() {
    fixtures.instance("""
        metadata: {name: web}
        spec:
          template: {spec: {containers: [{name: app, image: nginx:1.27}]}}
          disks: [{name: scratch, ephemeral: true}]
        """);
    cluster.await(Instance.class, "web", i -> i.getStatus() != null && i.getStatus().getPhase() == InstancePhase.RUNNING);

    fixtures.image(image("img", "Stop"));

    assertEquals(Reasons.NO_PERSISTENT_DISKS, Conditions.find(awaitPhase("img", MachineImagePhase.FAILED).getStatus()
        .getConditions(), ConditionTypes.AVAILABLE).get().getReason());
  }

  @Test
  void imageNotAvailableByItsDeadlineFailsCleanly() {
    runningInstance();
    cluster.simulator().settings().holdUploads(true);

    fixtures.image("""
        metadata: {name: img}
        spec:
          source: {instance: {name: web}}
          failureDeadline: 4s
        """);
    MachineImage failed = awaitPhase("img", MachineImagePhase.FAILED);

    assertEquals(Reasons.CREATION_TIMEOUT,
        Conditions.find(failed.getStatus().getConditions(), ConditionTypes.AVAILABLE).get().getReason());
    awaitNoChildren();
    cluster.await(Instance.class, "web", i -> i.getStatus().getPhase() == InstancePhase.RUNNING);
  }

  @Test
  void deletingAnImageMidCaptureReleasesTheInstanceAndDeletesItsSnapshots() {
    runningInstance();
    cluster.simulator().settings().holdUploads(true);
    fixtures.image(image("img", "Stop"));
    cluster.await(Snapshot.class, "img-root", s -> s.getStatus() != null && s.getStatus().getCutTime() != null);

    cluster.client().resources(MachineImage.class).inNamespace(cluster.namespace()).withName("img").delete();

    cluster.awaitGone(MachineImage.class, "img");
    awaitNoChildren();
    cluster.await(Instance.class, "web", i -> i.getStatus().getPhase() == InstancePhase.RUNNING
        && !Conditions.isTrue(i.getStatus().getConditions(), ConditionTypes.HELD));
  }

  @Test
  void operatorRestartedAtEachStepOfACaptureConvergesToAvailable() {
    runningInstance();
    cluster.simulator().settings().podStopDelay(Duration.ofSeconds(1)).snapshotCutDelay(Duration.ofSeconds(1)).holdUploads(true);
    fixtures.image(image("img", "Stop"));

    cluster.await(MachineImage.class, "img", i -> i.getStatus() != null && i.getStatus().getSource() != null);
    cluster.operator().restart();
    cluster.await(Instance.class, "web", i -> i.getStatus().getPhase() == InstancePhase.STOPPED);
    cluster.operator().restart();
    cluster.await(Snapshot.class, "img-root", s -> true);
    cluster.operator().restart();
    cluster.await(Instance.class, "web", i -> i.getStatus().getPhase() == InstancePhase.RUNNING);
    cluster.operator().stop();
    cluster.simulator().releaseUploads();
    cluster.await(VolumeSnapshot.class, "img-data", v -> Boolean.TRUE.equals(v.getStatus().getReadyToUse()));
    cluster.operator().start();

    MachineImage available = awaitPhase("img", MachineImagePhase.AVAILABLE);
    assertEquals(Consistency.STOP, available.getStatus().getSource().getConsistencyAchieved());
    assertEquals(2, childrenOf("img").size());
    assertEquals(1, cluster.client().pods().inNamespace(cluster.namespace()).list().getItems().size());
  }

  private void runningInstance() {
    scenario.runningInstance(WEB);
  }

  private void setRunning(boolean running) {
    cluster.edit(Instance.class, "web", i -> {
      i.getSpec().setRunning(running);
      return i;
    });
  }

  private MachineImage awaitPhase(String name, MachineImagePhase phase) {
    return scenario.awaitPhase(name, phase);
  }

  private List<Snapshot> childrenOf(String image) {
    return scenario.childrenOf(image);
  }

  private void awaitNoChildren() {
    scenario.awaitNoChildren();
  }
}
