package dev.kiln.testing.sim;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.testing.KilnTestCluster;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshot;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshotBuilder;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshotContent;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ClusterSimulatorTest {

  @RegisterExtension
  static final KilnTestCluster cluster = KilnTestCluster.withoutOperator();

  private static final Duration DEADLINE = Duration.ofSeconds(30);

  @Test
  void podWithBoundClaimRunsReadyOnTheNodeWithImageDigests() {
    claim("data", StorageFixtures.STANDARD, "1Gi", null);
    pod("web", "data");

    Pod running = awaitPod("web", p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()));

    assertEquals(StorageFixtures.NODE, running.getSpec().getNodeName());
    assertTrue(ready(running));
    String imageId = running.getStatus().getContainerStatuses().get(0).getImageID();
    assertTrue(imageId.startsWith("nginx@sha256:"), imageId);
  }

  @Test
  void podWaitsForItsClaimToBind() {
    cluster.simulator().settings().volumeBindDelay(Duration.ofSeconds(2));
    claim("data", StorageFixtures.STANDARD, "1Gi", null);
    pod("web", "data");

    Pod running = awaitPod("web", p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()));
    PersistentVolumeClaim claim = client().persistentVolumeClaims().inNamespace(ns()).withName("data").get();
    assertEquals("Bound", claim.getStatus().getPhase());
    assertNotNull(running.getStatus().getStartTime());
  }

  @Test
  void podThatNeverBecomesReadyRunsButStaysUnready() {
    cluster.simulator().settings().podsNeverReady(SimulatorSettings.named("web"));
    pod("web", null);

    Pod running = awaitPod("web", p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()));

    assertFalse(ready(running));
  }

  @Test
  void failingPodEndsInPhaseFailed() {
    cluster.simulator().settings().podsFail(SimulatorSettings.named("web"));
    pod("web", null);

    awaitPod("web", p -> p.getStatus() != null && "Failed".equals(p.getStatus().getPhase()));
  }

  @Test
  void deletingARunningPodCompletesWithoutAKubelet() {
    pod("web", null);
    awaitPod("web", p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()));

    client().pods().inNamespace(ns()).withName("web").delete();

    await().atMost(DEADLINE).until(() -> client().pods().inNamespace(ns()).withName("web").get() == null);
  }

  @Test
  void claimBindsToAVolumeOfItsClassDriverAndIsReleasedOnDeletion() {
    claim("data", StorageFixtures.NOT_SNAPSHOTTABLE, "2Gi", null);
    PersistentVolumeClaim bound = awaitClaimBound("data");
    PersistentVolume volume = client().persistentVolumes().withName(bound.getSpec().getVolumeName()).get();
    assertEquals(StorageFixtures.DRIVER_WITHOUT_SNAPSHOTS, volume.getSpec().getCsi().getDriver());
    assertEquals(new Quantity("2Gi"), bound.getStatus().getCapacity().get("storage"));

    client().persistentVolumeClaims().inNamespace(ns()).withName("data").delete();

    await().atMost(DEADLINE).until(() -> client().persistentVolumeClaims().inNamespace(ns()).withName("data").get() == null
        && client().persistentVolumes().withName(volume.getMetadata().getName()).get() == null);
  }

  @Test
  void claimExpandsWhenItsClassAllowsIt() {
    claim("data", StorageFixtures.STANDARD, "1Gi", null);
    awaitClaimBound("data");

    client().persistentVolumeClaims().inNamespace(ns()).withName("data").edit(c -> {
      c.getSpec().getResources().getRequests().put("storage", new Quantity("3Gi"));
      return c;
    });

    await().atMost(DEADLINE).until(() -> new Quantity("3Gi").equals(
        client().persistentVolumeClaims().inNamespace(ns()).withName("data").get().getStatus().getCapacity().get("storage")));
  }

  @Test
  void apiServerRefusesToGrowAClaimWhoseClassForbidsExpansion() {
    claim("data", StorageFixtures.FIXED_SIZE, "1Gi", null);
    awaitClaimBound("data");

    KubernetesClientException refused = org.junit.jupiter.api.Assertions.assertThrows(KubernetesClientException.class,
        () -> client().persistentVolumeClaims().inNamespace(ns()).withName("data").edit(c -> {
          c.getSpec().getResources().getRequests().put("storage", new Quantity("3Gi"));
          return c;
        }));
    assertTrue(refused.getMessage().contains("only dynamically provisioned pvc can be resized"), refused.getMessage());
  }

  @Test
  void snapshotIsCutThenUploadedAndRestoresIntoANewClaim() {
    claim("data", StorageFixtures.STANDARD, "5Gi", null);
    awaitClaimBound("data");
    snapshot("snap", "data");

    VolumeSnapshot ready = awaitSnapshot("snap", s -> s.getStatus() != null && Boolean.TRUE.equals(s.getStatus().getReadyToUse()));
    assertNotNull(ready.getStatus().getCreationTime());
    assertEquals(new Quantity("5Gi").getNumericalAmount(), ready.getStatus().getRestoreSize().getNumericalAmount());
    VolumeSnapshotContent content = client().resources(VolumeSnapshotContent.class)
        .withName(ready.getStatus().getBoundVolumeSnapshotContentName()).get();
    assertEquals(StorageFixtures.DRIVER, content.getSpec().getDriver());
    assertEquals(ready.getMetadata().getUid(), content.getSpec().getVolumeSnapshotRef().getUid());
    assertNotNull(content.getStatus().getSnapshotHandle());

    claim("restored", StorageFixtures.STANDARD, "5Gi", "snap");
    PersistentVolumeClaim restored = awaitClaimBound("restored");
    PersistentVolume volume = client().persistentVolumes().withName(restored.getSpec().getVolumeName()).get();
    assertEquals(ns() + "/snap", volume.getMetadata().getAnnotations().get(StorageFixtures.RESTORED_FROM));
  }

  @Test
  void heldUploadLeavesSnapshotCutButNotReadyUntilReleased() {
    cluster.simulator().settings().holdUploads(true);
    claim("data", StorageFixtures.STANDARD, "1Gi", null);
    awaitClaimBound("data");
    snapshot("snap", "data");

    VolumeSnapshot cut = awaitSnapshot("snap", s -> s.getStatus() != null && s.getStatus().getCreationTime() != null);
    assertFalse(cut.getStatus().getReadyToUse());

    cluster.simulator().releaseUploads();

    awaitSnapshot("snap", s -> Boolean.TRUE.equals(s.getStatus().getReadyToUse()));
  }

  @Test
  void failingSnapshotReportsTheCsiErrorAsTheSnapshotControllerDoesAndIsRetried() {
    cluster.simulator().settings().snapshotsFail(SimulatorSettings.named("snap"), "disk quota exceeded");
    claim("data", StorageFixtures.STANDARD, "1Gi", null);
    awaitClaimBound("data");
    snapshot("snap", "data");

    VolumeSnapshot failed = awaitSnapshot("snap", s -> s.getStatus() != null && s.getStatus().getError() != null);

    assertTrue(failed.getStatus().getError().getMessage().matches(
        "Failed to check and update snapshot content: failed to take snapshot of the volume .*: \"disk quota exceeded\""),
        failed.getStatus().getError().getMessage());
    assertNull(failed.getStatus().getCreationTime());

    cluster.simulator().settings().snapshotsFail(o -> false, "");
    VolumeSnapshot ready = awaitSnapshot("snap", s -> Boolean.TRUE.equals(s.getStatus().getReadyToUse()));
    assertNull(ready.getStatus().getError(), "the error goes once the snapshot is made");
  }

  @Test
  void snapshotOfAVolumeWhoseDriverHasNoSnapshotClassFails() {
    claim("data", StorageFixtures.NOT_SNAPSHOTTABLE, "1Gi", null);
    awaitClaimBound("data");
    snapshot("snap", "data");

    VolumeSnapshot failed = awaitSnapshot("snap", s -> s.getStatus() != null && s.getStatus().getError() != null);

    assertTrue(failed.getStatus().getError().getMessage().contains("cannot find default snapshot class"));
  }

  @Test
  void deletingASnapshotDeletesItsContent() {
    claim("data", StorageFixtures.STANDARD, "1Gi", null);
    awaitClaimBound("data");
    snapshot("snap", "data");
    VolumeSnapshot ready = awaitSnapshot("snap", s -> s.getStatus() != null && Boolean.TRUE.equals(s.getStatus().getReadyToUse()));
    String content = ready.getStatus().getBoundVolumeSnapshotContentName();

    client().resources(VolumeSnapshot.class).inNamespace(ns()).withName("snap").delete();

    await().atMost(DEADLINE).until(() -> client().resources(VolumeSnapshotContent.class).withName(content).get() == null);
  }

  private static KubernetesClient client() {
    return cluster.client();
  }

  private static String ns() {
    return cluster.namespace();
  }

  private static void pod(String name, String claim) {
    PodBuilder pod = new PodBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("nginx:1.27").endContainer().endSpec();
    if (claim != null) {
      pod.editSpec().addNewVolume().withName("disk").withNewPersistentVolumeClaim().withClaimName(claim)
          .endPersistentVolumeClaim().endVolume().endSpec();
    }
    client().pods().inNamespace(ns()).resource(pod.build()).create();
  }

  private static void claim(String name, String storageClass, String size, String fromSnapshot) {
    PersistentVolumeClaimBuilder claim = new PersistentVolumeClaimBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withStorageClassName(storageClass).withAccessModes("ReadWriteOnce")
        .withNewResources().withRequests(Map.of("storage", new Quantity(size))).endResources()
        .endSpec();
    if (fromSnapshot != null) {
      claim.editSpec().withNewDataSource().withApiGroup("snapshot.storage.k8s.io").withKind("VolumeSnapshot")
          .withName(fromSnapshot).endDataSource().endSpec();
    }
    client().persistentVolumeClaims().inNamespace(ns()).resource(claim.build()).create();
  }

  private static void snapshot(String name, String claim) {
    client().resources(VolumeSnapshot.class).inNamespace(ns()).resource(new VolumeSnapshotBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withNewSource().withPersistentVolumeClaimName(claim).endSource().endSpec()
        .build()).create();
  }

  private static Pod awaitPod(String name, java.util.function.Predicate<Pod> condition) {
    return await().atMost(DEADLINE).until(() -> client().pods().inNamespace(ns()).withName(name).get(),
        p -> p != null && condition.test(p));
  }

  private static PersistentVolumeClaim awaitClaimBound(String name) {
    return await().atMost(DEADLINE).until(() -> client().persistentVolumeClaims().inNamespace(ns()).withName(name).get(),
        c -> c != null && c.getStatus() != null && "Bound".equals(c.getStatus().getPhase()));
  }

  private static VolumeSnapshot awaitSnapshot(String name, java.util.function.Predicate<VolumeSnapshot> condition) {
    return await().atMost(DEADLINE).until(() -> client().resources(VolumeSnapshot.class).inNamespace(ns()).withName(name).get(),
        s -> s != null && condition.test(s));
  }

  private static boolean ready(Pod pod) {
    return pod.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
