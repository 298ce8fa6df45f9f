package dev.kiln.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.InstancePhase;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.MachineImagePhase;
import dev.kiln.api.v1alpha1.Snapshot;
import dev.kiln.api.v1alpha1.SnapshotPhase;
import dev.kiln.operator.support.ConditionTypes;
import dev.kiln.operator.support.Conditions;
import dev.kiln.testing.Fixtures;
import dev.kiln.testing.KilnTestCluster;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshot;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshotContent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Registration, families, the boot check, sharing and deregistration against the real snapshot machinery. */
@Tag("upstream")
class UpstreamCatalogueTest {

  @RegisterExtension
  static final KilnTestCluster cluster = KilnTestCluster.upstream();
  private final Fixtures fixtures = new Fixtures(cluster);
  private final UpstreamScenario scenario = new UpstreamScenario(cluster);

  @Test
  void familyResolvesToTheNewestImageAndDeprecationRollsItBack() {
    scenario.runningWeb();
    scenario.write("web-root", "v1");
    fixtures.image("""
        metadata: {name: web-v1}
        spec:
          source: {instance: {name: web, consistency: Stop}}
          family: web
        """);
    scenario.awaitImage("web-v1", MachineImagePhase.AVAILABLE);
    scenario.awaitInstance("web", InstancePhase.RUNNING);

    scenario.write("web-root", "v2");
    fixtures.snapshotOfDisk("root-v2", "web", "root");
    fixtures.snapshotOfDisk("data-v2", "web", "data");
    cluster.await(Snapshot.class, "root-v2", s -> s.getStatus() != null && s.getStatus().getPhase() == SnapshotPhase.READY);
    cluster.await(Snapshot.class, "data-v2", s -> s.getStatus() != null && s.getStatus().getPhase() == SnapshotPhase.READY);
    fixtures.image("""
        metadata: {name: web-v2}
        spec:
          source:
            snapshots:
            - {name: root, snapshot: root-v2, boot: true}
            - {name: data, snapshot: data-v2}
          template:
            spec:
              containers:
              - {name: app, image: nginx:1.27, volumeMounts: [{name: root, mountPath: /srv}, {name: data, mountPath: /data}]}
          platform: {os: linux, architecture: amd64}
          family: web
        """);
    scenario.awaitImage("web-v2", MachineImagePhase.AVAILABLE);

    launchFromFamily("newest");
    assertEquals("web-v2", scenario.awaitInstance("newest", InstancePhase.RUNNING).getStatus().getImage().getName());
    assertEquals("v2", scenario.read("newest-root"));

    cluster.edit(MachineImage.class, "web-v2", i -> {
      i.getSpec().setDeprecated(true);
      return i;
    });
    cluster.await(MachineImage.class, "web-v2", i -> Conditions.isTrue(i.getStatus().getConditions(), ConditionTypes.DEPRECATED));
    launchFromFamily("rolled-back");
    assertEquals("web-v1", scenario.awaitInstance("rolled-back", InstancePhase.RUNNING).getStatus().getImage().getName());
    assertEquals("v1", scenario.read("rolled-back-root"));
  }

  @Test
  void bootCheckLaunchesAThrowawayInstanceAndRemovesIt() {
    scenario.runningWeb();
    fixtures.image("""
        metadata: {name: checked}
        spec:
          source: {instance: {name: web}}
          check: {enabled: true, timeout: 60s}
        """);

    MachineImage image = scenario.awaitImage("checked", MachineImagePhase.AVAILABLE);
    assertTrue(Conditions.isTrue(image.getStatus().getConditions(), ConditionTypes.CHECKED));
    cluster.awaitGone(Instance.class, "checked-check");
    Awaitility.await("the check's volumes released").atMost(KilnTestCluster.DEADLINE).until(() ->
        cluster.client().persistentVolumeClaims().inNamespace(cluster.namespace()).list().getItems().stream()
            .noneMatch(c -> c.getMetadata().getName().startsWith("checked-check")));
  }

  @Test
  void permittedNamespaceLaunchesThroughPreProvisionedContents() {
    String team = "guests";
    imageSharedWith(team, "shared bytes");
    Set<String> imageSnapshots = scenario.driverSnapshots();

    client().resource(client().getKubernetesSerialization().unmarshal("""
        apiVersion: kiln.dev/v1alpha1
        kind: Instance
        metadata: {name: guest}
        spec:
          image: {name: img, namespace: %s}
        """.formatted(cluster.namespace()), Instance.class)).inNamespace(team).create();

    awaitRunningIn(team, "guest");
    VolumeSnapshot copy = client().resources(VolumeSnapshot.class).inNamespace(team).withName("guest-data-image").get();
    assertEquals(Boolean.TRUE, copy.getStatus().getReadyToUse(), "the snapshot-controller accepted the pre-provisioned content");
    assertEquals("shared bytes", contentOf(team, "guest-data"));

    client().resources(Instance.class).inNamespace(team).withName("guest").delete();
    Awaitility.await("copies gone").atMost(KilnTestCluster.DEADLINE).until(() ->
        client().resources(VolumeSnapshot.class).inNamespace(team).list().getItems().isEmpty());
    assertEquals(imageSnapshots, scenario.driverSnapshots(), "the image's snapshots stay in the driver");
  }

  @Test
  void aCopyOutlivesItsSourceAndTheDriverDeletesTheDataWithTheLastReference() {
    String copies = "copies";
    imageSharedWith(copies, "copied bytes");
    Set<String> handles = handlesOf("img-root", "img-data");

    client().resource(client().getKubernetesSerialization().unmarshal("""
        apiVersion: kiln.dev/v1alpha1
        kind: MachineImage
        metadata: {name: copy}
        spec:
          source: {image: {namespace: %s, name: img}}
        """.formatted(cluster.namespace()), MachineImage.class)).inNamespace(copies).create();
    Awaitility.await("copy available").atMost(KilnTestCluster.DEADLINE).until(() -> {
      MachineImage copy = client().resources(MachineImage.class).inNamespace(copies).withName("copy").get();
      return copy != null && copy.getStatus() != null && copy.getStatus().getPhase() == MachineImagePhase.AVAILABLE;
    });

    client().resources(MachineImage.class).inNamespace(cluster.namespace()).withName("img").delete();
    cluster.awaitGone(MachineImage.class, "img");
    cluster.awaitGone(VolumeSnapshot.class, "img-data");
    assertTrue(scenario.driverSnapshots().containsAll(handles), "the copy still references the data");

    client().resource(client().getKubernetesSerialization().unmarshal("""
        apiVersion: kiln.dev/v1alpha1
        kind: Instance
        metadata: {name: from-copy}
        spec:
          image: {name: copy}
        """, Instance.class)).inNamespace(copies).create();
    awaitRunningIn(copies, "from-copy");
    assertEquals("copied bytes", contentOf(copies, "from-copy-data"));

    client().resources(Instance.class).inNamespace(copies).withName("from-copy").delete();
    client().resources(MachineImage.class).inNamespace(copies).withName("copy").delete();
    Awaitility.await("the driver's snapshots deleted with the last reference").atMost(KilnTestCluster.DEADLINE).until(() ->
        handles.stream().noneMatch(scenario.driverSnapshots()::contains));
    Awaitility.await("no content left").atMost(KilnTestCluster.DEADLINE).until(() ->
        client().resources(VolumeSnapshotContent.class).list().getItems().stream()
            .noneMatch(c -> handles.contains(dev.kiln.operator.storage.SnapshotReferences.handleOf(c))));
  }

  @Test
  void deregisteringWithDeleteDeletesTheDriversSnapshots() {
    scenario.runningWeb();
    fixtures.image("""
        metadata: {name: img}
        spec:
          source: {instance: {name: web}}
        """);
    scenario.awaitImage("img", MachineImagePhase.AVAILABLE);
    Set<String> handles = handlesOf("img-root", "img-data");
    assertTrue(scenario.driverSnapshots().containsAll(handles));

    client().resources(MachineImage.class).inNamespace(cluster.namespace()).withName("img").delete();

    cluster.awaitGone(MachineImage.class, "img");
    Awaitility.await("the driver's snapshots deleted").atMost(KilnTestCluster.DEADLINE).until(() ->
        handles.stream().noneMatch(scenario.driverSnapshots()::contains));
    cluster.awaitGone(VolumeSnapshot.class, "img-root");
  }

  @Test
  void deregisteringWithRetainKeepsTheDriversSnapshots() {
    scenario.runningWeb();
    fixtures.image("""
        metadata: {name: img}
        spec:
          source: {instance: {name: web}}
          deletionPolicy: Retain
        """);
    scenario.awaitImage("img", MachineImagePhase.AVAILABLE);
    Set<String> handles = handlesOf("img-root", "img-data");

    client().resources(MachineImage.class).inNamespace(cluster.namespace()).withName("img").delete();

    cluster.awaitGone(MachineImage.class, "img");
    assertNotNull(cluster.get(Snapshot.class, "img-root"));
    assertTrue(scenario.driverSnapshots().containsAll(handles));
  }

  @Test
  void snapshotInUseIsKeptUntilItsImageIsGone() {
    scenario.runningWeb();
    fixtures.snapshotOfDisk("snap", "web", "root");
    cluster.await(Snapshot.class, "snap", s -> s.getStatus() != null && s.getStatus().getPhase() == SnapshotPhase.READY);
    fixtures.image("""
        metadata: {name: img}
        spec:
          source: {snapshots: [{name: root, snapshot: snap, boot: true}]}
          template: {spec: {containers: [{name: app, image: nginx:1.27}]}}
          platform: {os: linux, architecture: amd64}
        """);
    scenario.awaitImage("img", MachineImagePhase.AVAILABLE);
    String handle = handlesOf("snap").iterator().next();

    client().resources(Snapshot.class).inNamespace(cluster.namespace()).withName("snap").delete();
    cluster.await(Snapshot.class, "snap", s -> s.getStatus().getPhase() == SnapshotPhase.DELETING);
    assertTrue(scenario.driverSnapshots().contains(handle));

    client().resources(MachineImage.class).inNamespace(cluster.namespace()).withName("img").delete();
    cluster.awaitGone(Snapshot.class, "snap");
    Awaitility.await("the driver's snapshot deleted").atMost(KilnTestCluster.DEADLINE)
        .until(() -> !scenario.driverSnapshots().contains(handle));
  }

  @Test
  void deletingAnInstanceDeletesOnlyTheDisksMarkedForIt() {
    fixtures.instance("""
        metadata: {name: vm}
        spec:
          template: {spec: {containers: [{name: app, image: nginx:1.27}]}}
          disks:
          - {name: root, size: 1Gi, deleteOnTermination: true}
          - {name: data, size: 1Gi, deleteOnTermination: false}
        """);
    scenario.awaitInstance("vm", InstancePhase.RUNNING);
    Path root = scenario.volumeOf("vm-root");
    Path data = scenario.volumeOf("vm-data");

    client().resources(Instance.class).inNamespace(cluster.namespace()).withName("vm").delete();

    cluster.awaitGone(Instance.class, "vm");
    cluster.awaitGone(PersistentVolumeClaim.class, "vm-root");
    Awaitility.await("the driver's volume deleted").atMost(KilnTestCluster.DEADLINE).until(() -> !Files.exists(root));
    PersistentVolumeClaim kept = cluster.get(PersistentVolumeClaim.class, "vm-data");
    assertNotNull(kept);
    assertNull(kept.getMetadata().getDeletionTimestamp());
    assertTrue(Files.exists(data));
  }


  private void launchFromFamily(String name) {
    fixtures.instance("""
        metadata: {name: %s}
        spec:
          image: {family: web}
        """.formatted(name));
  }

  /** The web Instance running with {@code bytes} on its data disk, baked into image img shared with {@code namespace}. */
  private void imageSharedWith(String namespace, String bytes) {
    scenario.runningWeb();
    scenario.write("web-data", bytes);
    client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
    fixtures.image("""
        metadata: {name: img}
        spec:
          source: {instance: {name: web}}
          launchPermission: {namespaces: [%s]}
        """.formatted(namespace));
    scenario.awaitImage("img", MachineImagePhase.AVAILABLE);
  }

  private static void awaitRunningIn(String namespace, String name) {
    Awaitility.await(name + " running").atMost(KilnTestCluster.DEADLINE).until(() -> {
      Instance instance = client().resources(Instance.class).inNamespace(namespace).withName(name).get();
      return instance != null && instance.getStatus() != null && instance.getStatus().getPhase() == InstancePhase.RUNNING;
    });
  }

  /** What the driver holds in the volume bound to a claim. */
  private String contentOf(String namespace, String claimName) {
    PersistentVolumeClaim claim = client().persistentVolumeClaims().inNamespace(namespace).withName(claimName).get();
    String volume = client().persistentVolumes().withName(claim.getSpec().getVolumeName()).get().getSpec().getCsi().getVolumeHandle();
    return scenario.readDriverFile("volumes", volume);
  }

  private Set<String> handlesOf(String... volumeSnapshots) {
    java.util.Set<String> handles = new java.util.HashSet<>();
    for (String name : volumeSnapshots) {
      VolumeSnapshot snapshot = cluster.await(VolumeSnapshot.class, name,
          s -> s.getStatus() != null && s.getStatus().getBoundVolumeSnapshotContentName() != null);
      VolumeSnapshotContent content = client().resources(VolumeSnapshotContent.class)
          .withName(snapshot.getStatus().getBoundVolumeSnapshotContentName()).get();
      handles.add(content.getStatus().getSnapshotHandle());
    }
    return handles;
  }


  private static KubernetesClient client() {
    return cluster.client();
  }
}
