package dev.kiln.operator.machineimage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Registering an image from existing Snapshots (RegisterImage). */
class MachineImageRegistrationTest {

  @RegisterExtension
  static final KilnTestCluster cluster = KilnTestCluster.withOperator();
  private final Fixtures fixtures = new Fixtures(cluster);

  private static final String TEMPLATE = """
        template: {spec: {containers: [{name: app, image: nginx:1.27, volumeMounts: [{name: root, mountPath: /srv}, {name: data, mountPath: /data}]}]}}
      """;

  @Test
  void registersSnapshotsOfDifferentInstances() {
    instanceWithDisk("vm-a", "2Gi");
    instanceWithDisk("vm-b", "3Gi");
    readySnapshotOf("snap-a", "vm-a");
    readySnapshotOf("snap-b", "vm-b");

    fixtures.image("""
        metadata: {name: img}
        spec:
          source:
            snapshots: [{name: data, snapshot: snap-b}, {name: root, snapshot: snap-a, boot: true}]
        """ + TEMPLATE);
    MachineImage available = awaitPhase("img", MachineImagePhase.AVAILABLE);

    var disks = available.getStatus().getDisks();
    ImageDisk root = disks.stream().filter(d -> d.getName().equals("root")).findFirst().orElseThrow();
    ImageDisk data = disks.stream().filter(d -> d.getName().equals("data")).findFirst().orElseThrow();
    assertTrue(root.getBoot());
    assertFalse(data.getBoot());
    assertEquals("snap-a", root.getSnapshot());
    assertEquals("5Gi", available.getStatus().getStorage());
    assertEquals("linux", available.getStatus().getPlatform().getOs(), "platform from the boot snapshot");
    assertEquals("nginx:1.27", available.getStatus().getTemplate().getSpec().getContainers().get(0).getImage());
    assertTrue(Conditions.isTrue(cluster.get(Snapshot.class, "snap-a").getStatus().getConditions(), ConditionTypes.IN_USE));
  }

  @Test
  void missingSnapshotFailsTheImage() {
    fixtures.image("""
        metadata: {name: img}
        spec:
          source: {snapshots: [{name: root, snapshot: nowhere}]}
          platform: {os: linux, architecture: amd64}
        """ + TEMPLATE);

    assertReason(awaitPhase("img", MachineImagePhase.FAILED), Reasons.SNAPSHOT_NOT_FOUND);
  }

  @Test
  void platformThatContradictsTheBootSnapshotFails() {
    instanceWithDisk("vm-a", "1Gi");
    readySnapshotOf("snap-a", "vm-a");

    fixtures.image("""
        metadata: {name: img}
        spec:
          source: {snapshots: [{name: root, snapshot: snap-a}]}
          platform: {os: linux, architecture: arm64}
        """ + TEMPLATE);

    assertReason(awaitPhase("img", MachineImagePhase.FAILED), Reasons.PLATFORM_MISMATCH);
  }

  @Test
  void unknownPlatformFailsAndASpecPlatformFixesIt() {
    cluster.client().persistentVolumeClaims().inNamespace(cluster.namespace()).resource(new PersistentVolumeClaimBuilder()
        .withNewMetadata().withName("data").endMetadata()
        .withNewSpec().withAccessModes("ReadWriteOnce").withNewResources()
        .withRequests(Map.of("storage", new Quantity("1Gi"))).endResources().endSpec().build()).create();
    fixtures.snapshot("""
        metadata: {name: snap-pvc}
        spec: {source: {persistentVolumeClaim: {name: data}}}
        """);
    cluster.await(Snapshot.class, "snap-pvc", s -> s.getStatus() != null && s.getStatus().getPhase() == SnapshotPhase.READY);

    fixtures.image("""
        metadata: {name: img}
        spec:
          source: {snapshots: [{name: root, snapshot: snap-pvc}]}
        """ + TEMPLATE);
    assertReason(awaitPhase("img", MachineImagePhase.FAILED), Reasons.PLATFORM_UNKNOWN);

    fixtures.image("""
        metadata: {name: img2}
        spec:
          source: {snapshots: [{name: root, snapshot: snap-pvc}]}
          platform: {os: linux, architecture: arm64}
        """ + TEMPLATE);
    assertEquals("arm64", awaitPhase("img2", MachineImagePhase.AVAILABLE).getStatus().getPlatform().getArchitecture());
  }

  private void instanceWithDisk(String name, String size) {
    fixtures.instance("""
        metadata: {name: %s}
        spec:
          template: {spec: {containers: [{name: app, image: nginx:1.27, volumeMounts: [{name: root, mountPath: /srv}]}]}}
          disks: [{name: root, size: %s}]
        """.formatted(name, size));
    cluster.await(Instance.class, name, i -> i.getStatus() != null && i.getStatus().getPhase() == InstancePhase.RUNNING
        && i.getStatus().getPlatform() != null);
  }

  private void readySnapshotOf(String snapshot, String instance) {
    fixtures.snapshotOfDisk(snapshot, instance, "root");
    cluster.await(Snapshot.class, snapshot, s -> s.getStatus() != null && s.getStatus().getPhase() == SnapshotPhase.READY);
  }

  private MachineImage awaitPhase(String name, MachineImagePhase phase) {
    return cluster.await(MachineImage.class, name, i -> i.getStatus() != null && i.getStatus().getPhase() == phase);
  }

  private static void assertReason(MachineImage image, String reason) {
    assertEquals(reason, Conditions.find(image.getStatus().getConditions(), ConditionTypes.AVAILABLE).get().getReason());
  }
}
