package dev.kiln.operator.machineimage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.InstancePhase;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.MachineImagePhase;
import dev.kiln.api.v1alpha1.Snapshot;
import dev.kiln.operator.support.ConditionTypes;
import dev.kiln.operator.support.Conditions;
import dev.kiln.operator.support.Reasons;
import dev.kiln.testing.Fixtures;
import dev.kiln.testing.KilnTestCluster;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshot;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Launching Instances from an image, by name and by family; deprecation; deregistration. */
class LaunchFromImageTest {

  @RegisterExtension
  static final KilnTestCluster cluster = KilnTestCluster.withOperator();
  private final Fixtures fixtures = new Fixtures(cluster);

  @Test
  void threeInstancesLaunchedFromAnImageGetClaimsFromItsSnapshots() {
    availableImage("img", "web");

    for (String name : List.of("a", "b", "c")) {
      fixtures.instance("""
          metadata: {name: %s}
          spec:
            image: {name: img}
          """.formatted(name));
    }

    for (String name : List.of("a", "b", "c")) {
      Instance running = awaitPhase(name, InstancePhase.RUNNING);
      assertEquals("img", running.getStatus().getImage().getName());
      assertEquals(cluster.namespace(), running.getStatus().getImage().getNamespace());
      assertTrue(Conditions.isTrue(running.getStatus().getConditions(), ConditionTypes.IMAGE_RESOLVED));
      assertEquals("image/" + cluster.namespace() + "/img", running.getStatus().getDisks().get(0).getSource());
      PersistentVolumeClaim root = cluster.get(PersistentVolumeClaim.class, name + "-root");
      assertEquals("img-root", root.getSpec().getDataSource().getName());
      assertEquals("VolumeSnapshot", root.getSpec().getDataSource().getKind());
      assertEquals("img-data", cluster.get(PersistentVolumeClaim.class, name + "-data").getSpec().getDataSource().getName());
      Pod pod = cluster.get(Pod.class, name);
      assertTrue(pod.getSpec().getContainers().get(0).getImage().startsWith("nginx@sha256:"), "the image's pinned template");
      assertTrue(pod.getSpec().getVolumes().stream().anyMatch(v -> v.getName().equals("scratch") && v.getEmptyDir() != null));
    }
    MachineImage used = cluster.await(MachineImage.class, "img",
        i -> i.getStatus().getUsage() != null && i.getStatus().getUsage().getInstances() == 3);
    assertNotNull(used.getStatus().getUsage().getLastLaunchTime());
  }

  @Test
  void instanceMayGrowAnImageDiskAndAddItsOwnButNotShrinkOne() {
    availableImage("img", "web");

    fixtures.instance("""
        metadata: {name: big}
        spec:
          image: {name: img}
          disks: [{name: root, size: 8Gi}, {name: logs, size: 1Gi}]
          template:
            spec:
              containers: [{name: app, image: nginx:1.29, volumeMounts: [{name: root, mountPath: /srv}, {name: logs, mountPath: /logs}]}]
        """);
    awaitPhase("big", InstancePhase.RUNNING);
    assertEquals(new Quantity("8Gi"), cluster.get(PersistentVolumeClaim.class, "big-root").getSpec().getResources().getRequests().get("storage"));
    assertNull(cluster.get(PersistentVolumeClaim.class, "big-logs").getSpec().getDataSource());
    assertEquals("nginx:1.29", cluster.get(Pod.class, "big").getSpec().getContainers().get(0).getImage(), "its own template wins");

    fixtures.instance("""
        metadata: {name: small}
        spec:
          image: {name: img}
          disks: [{name: root, size: 1Gi}]
        """);
    Instance failed = awaitPhase("small", InstancePhase.FAILED);
    assertEquals(Reasons.DISK_TOO_SMALL, Conditions.find(failed.getStatus().getConditions(), ConditionTypes.READY).get().getReason());
    assertNull(cluster.get(PersistentVolumeClaim.class, "small-root"));
  }

  @Test
  void instanceWaitsForAnImageThatIsNotAvailableAndSaysWhy() {
    fixtures.instance("""
        metadata: {name: early}
        spec:
          image: {name: img}
        """);
    assertEquals(InstancePhase.PENDING, awaitImageReason("early", Reasons.IMAGE_NOT_FOUND).getStatus().getPhase());

    cluster.simulator().settings().holdUploads(true);
    source();
    fixtures.image(image("img", "web"));
    awaitImageReason("early", Reasons.IMAGE_NOT_AVAILABLE);

    cluster.simulator().releaseUploads();
    awaitPhase("early", InstancePhase.RUNNING);
  }

  @Test
  void failedImageIsReportedToTheInstance() {
    fixtures.image(image("img", "web")); // no source instance: the image fails
    cluster.await(MachineImage.class, "img", i -> i.getStatus() != null && i.getStatus().getPhase() == MachineImagePhase.FAILED);

    fixtures.instance("""
        metadata: {name: late}
        spec:
          image: {name: img}
        """);

    awaitImageReason("late", Reasons.IMAGE_FAILED);
    assertNull(cluster.get(Pod.class, "late"));
  }

  @Test
  void familyResolvesToTheNewestImageAndDeprecationRollsItBack() {
    availableImage("web-1", "web");
    availableImage("web-2", "web");

    fixtures.instance(familyInstance("first"));
    Instance first = awaitPhase("first", InstancePhase.RUNNING);
    assertEquals("web-2", first.getStatus().getImage().getName());
    assertEquals("web", first.getStatus().getImage().getResolvedFromFamily());

    cluster.edit(MachineImage.class, "web-2", i -> {
      i.getSpec().setDeprecated(true);
      return i;
    });
    MachineImage deprecated = cluster.await(MachineImage.class, "web-2", i -> i.getStatus().getPhase() == MachineImagePhase.DEPRECATED);
    assertTrue(Conditions.isTrue(deprecated.getStatus().getConditions(), ConditionTypes.DEPRECATED));

    fixtures.instance(familyInstance("second"));
    assertEquals("web-1", awaitPhase("second", InstancePhase.RUNNING).getStatus().getImage().getName());
    assertEquals("web-2", cluster.get(Instance.class, "first").getStatus().getImage().getName(), "resolved once, at launch");

    fixtures.instance("""
        metadata: {name: by-name}
        spec:
          image: {name: web-2}
        """);
    assertEquals("web-2", awaitPhase("by-name", InstancePhase.RUNNING).getStatus().getImage().getName(),
        "a deprecated image is still launchable by name");
  }

  @Test
  void deprecateAtInThePastDeprecatesAndAFamilyWithoutImagesWaits() {
    availableImage("web-1", "web");
    cluster.edit(MachineImage.class, "web-1", i -> {
      i.getSpec().setDeprecateAt("2020-01-01T00:00:00Z");
      return i;
    });
    cluster.await(MachineImage.class, "web-1", i -> i.getStatus().getPhase() == MachineImagePhase.DEPRECATED);

    fixtures.instance(familyInstance("orphan"));

    awaitImageReason("orphan", Reasons.NO_IMAGE_IN_FAMILY);
  }

  @Test
  void deregisteringWithDeleteDeletesItsSnapshotsAndLaunchedInstancesKeepRunning() {
    childOfAnAvailableImage();

    cluster.client().resources(MachineImage.class).inNamespace(cluster.namespace()).withName("img").delete();

    cluster.awaitGone(MachineImage.class, "img");
    cluster.awaitGone(Snapshot.class, "img-root");
    cluster.awaitGone(Snapshot.class, "img-data");
    cluster.awaitGone(VolumeSnapshot.class, "img-root");
    Instance child = cluster.get(Instance.class, "child");
    assertEquals(InstancePhase.RUNNING, child.getStatus().getPhase());

    cluster.edit(Instance.class, "child", i -> {
      i.getSpec().setRunning(false);
      return i;
    });
    awaitPhase("child", InstancePhase.STOPPED);
    cluster.edit(Instance.class, "child", i -> {
      i.getSpec().setRunning(true);
      return i;
    });
    awaitPhase("child", InstancePhase.RUNNING);
  }

  @Test
  void deregisteringWithRetainKeepsItsSnapshots() {
    availableImage("img", "web");
    cluster.edit(MachineImage.class, "img", i -> {
      i.getSpec().setDeletionPolicy(dev.kiln.api.v1alpha1.DeletionPolicy.RETAIN);
      return i;
    });
    cluster.await(MachineImage.class, "img", i -> i.getMetadata().getGeneration().equals(i.getStatus().getObservedGeneration()));

    cluster.client().resources(MachineImage.class).inNamespace(cluster.namespace()).withName("img").delete();

    cluster.awaitGone(MachineImage.class, "img");
    Snapshot kept = cluster.get(Snapshot.class, "img-root");
    assertNotNull(kept);
    assertTrue(kept.getMetadata().getOwnerReferences().isEmpty(), "kept snapshots no longer belong to the image");
    assertNotNull(cluster.get(VolumeSnapshot.class, "img-root"));
    cluster.await(Snapshot.class, "img-root", s -> !Conditions.isTrue(s.getStatus().getConditions(), ConditionTypes.IN_USE));
  }

  @Test
  void deregisteringARegisteredImageOnlyReleasesItsSnapshots() {
    availableImage("img", "web");
    fixtures.image("""
        metadata: {name: registered}
        spec:
          source: {snapshots: [{name: root, snapshot: img-root}]}
          template: {spec: {containers: [{name: app, image: nginx:1.27}]}}
        """);
    cluster.await(MachineImage.class, "registered", i -> i.getStatus() != null && i.getStatus().getPhase() == MachineImagePhase.AVAILABLE);

    cluster.client().resources(MachineImage.class).inNamespace(cluster.namespace()).withName("registered").delete();
    cluster.awaitGone(MachineImage.class, "registered");

    Snapshot snapshot = cluster.await(Snapshot.class, "img-root", s -> List.of("img").equals(s.getStatus().getUsedBy()));
    assertNull(snapshot.getMetadata().getDeletionTimestamp());
  }

  @Test
  void snapshotOfAnImageCannotBeRemovedWhileTheImageExists() {
    availableImage("img", "web");

    cluster.client().resources(Snapshot.class).inNamespace(cluster.namespace()).withName("img-root").delete();

    Snapshot kept = cluster.await(Snapshot.class, "img-root", s -> s.getStatus().getPhase() == dev.kiln.api.v1alpha1.SnapshotPhase.DELETING);
    assertEquals(List.of("img"), kept.getStatus().getUsedBy());
    assertEquals(MachineImagePhase.AVAILABLE, cluster.get(MachineImage.class, "img").getStatus().getPhase());

    cluster.client().resources(MachineImage.class).inNamespace(cluster.namespace()).withName("img").delete();
    cluster.awaitGone(Snapshot.class, "img-root");
  }

  @Test
  void anInstanceLaunchedFromAnImageIsBakedIntoAnImageOfItsOwnWithTheImagesDisks() {
    childOfAnAvailableImage();

    fixtures.image("""
        metadata: {name: child-img}
        spec:
          source: {instance: {name: child, consistency: Stop}}
        """);
    MachineImage baked = cluster.await(MachineImage.class, "child-img",
        i -> i.getStatus() != null && i.getStatus().getPhase() == MachineImagePhase.AVAILABLE);

    assertEquals(List.of("root", "data", "scratch"), baked.getStatus().getDisks().stream().map(d -> d.getName()).toList());
    assertEquals("child-img-root", baked.getStatus().getDisks().get(0).getSnapshot());
    awaitPhase("child", InstancePhase.RUNNING);
  }

  // ---------------------------------------------------------------------------------------------

  private void source() {
    if (cluster.get(Instance.class, "web") == null) {
      fixtures.instance(MachineImageCaptureTest.WEB);
      cluster.await(Instance.class, "web", i -> i.getStatus() != null && i.getStatus().getPhase() == InstancePhase.RUNNING
          && i.getStatus().getPlatform() != null);
    }
  }

  /** Instance `child` running, launched from the Available image `img` of family web. */
  private void childOfAnAvailableImage() {
    availableImage("img", "web");
    fixtures.instance("""
        metadata: {name: child}
        spec:
          image: {name: img}
        """);
    awaitPhase("child", InstancePhase.RUNNING);
  }

  private void availableImage(String name, String family) {
    source();
    fixtures.image(image(name, family));
    cluster.await(MachineImage.class, name, i -> i.getStatus() != null && i.getStatus().getPhase() == MachineImagePhase.AVAILABLE);
    awaitPhase("web", InstancePhase.RUNNING);
  }

  private static String image(String name, String family) {
    return """
        metadata: {name: %s}
        spec:
          source: {instance: {name: web}}
          family: %s
        """.formatted(name, family);
  }

  private static String familyInstance(String name) {
    return """
        metadata: {name: %s}
        spec:
          image: {family: web}
        """.formatted(name);
  }

  private Instance awaitPhase(String name, InstancePhase phase) {
    return cluster.await(Instance.class, name, i -> i.getStatus() != null && i.getStatus().getPhase() == phase);
  }

  private Instance awaitImageReason(String name, String reason) {
    return cluster.await(Instance.class, name, i -> i.getStatus() != null && Conditions.find(i.getStatus().getConditions(),
        ConditionTypes.IMAGE_RESOLVED).map(c -> reason.equals(c.getReason()) && "False".equals(c.getStatus())).orElse(false));
  }
}
