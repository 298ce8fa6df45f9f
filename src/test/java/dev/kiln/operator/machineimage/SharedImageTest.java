package dev.kiln.operator.machineimage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.InstancePhase;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.MachineImagePhase;
import dev.kiln.api.v1alpha1.Snapshot;
import dev.kiln.operator.storage.SnapshotCopies;
import dev.kiln.operator.support.ConditionTypes;
import dev.kiln.operator.support.Conditions;
import dev.kiln.operator.support.Reasons;
import dev.kiln.testing.Fixtures;
import dev.kiln.testing.KilnTestCluster;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshot;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshotContent;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Launching from an image of another namespace: launch permission and namespace-local snapshot copies. */
class SharedImageTest {

  @RegisterExtension
  static final KilnTestCluster cluster = KilnTestCluster.withOperator();
  private final Fixtures fixtures = new Fixtures(cluster);

  @Test
  void permittedNamespaceLaunchesFromLocalCopiesOfTheImageSnapshots() {
    availableImage("team-b-1");
    String team = otherNamespace("team-b-1");

    instanceIn(team, "web", "name: img");

    Instance running = awaitIn(team, "web", i -> i.getStatus() != null && i.getStatus().getPhase() == InstancePhase.RUNNING);
    assertEquals(cluster.namespace(), running.getStatus().getImage().getNamespace());
    PersistentVolumeClaim root = client().persistentVolumeClaims().inNamespace(team).withName("web-root").get();
    assertEquals("web-root-image", root.getSpec().getDataSource().getName());
    VolumeSnapshot copy = client().resources(VolumeSnapshot.class).inNamespace(team).withName("web-root-image").get();
    VolumeSnapshotContent content = client().resources(VolumeSnapshotContent.class)
        .withName(copy.getSpec().getSource().getVolumeSnapshotContentName()).get();
    assertEquals("Retain", content.getSpec().getDeletionPolicy());
    Snapshot original = cluster.get(Snapshot.class, "img-root");
    assertEquals(original.getStatus().getSnapshotHandle(), content.getSpec().getSource().getSnapshotHandle());
    assertEquals(1, cluster.await(MachineImage.class, "img",
        i -> i.getStatus().getUsage() != null && i.getStatus().getUsage().getInstances() == 1).getStatus().getUsage().getInstances());

    client().resources(Instance.class).inNamespace(team).withName("web").delete();
    Awaitility.await("copies gone").atMost(KilnTestCluster.DEADLINE).until(() ->
        client().resources(Instance.class).inNamespace(team).withName("web").get() == null
            && client().resources(VolumeSnapshot.class).inNamespace(team).list().getItems().isEmpty()
            && client().resources(VolumeSnapshotContent.class).withLabel(SnapshotCopies.INSTANCE_NAMESPACE, team)
                .list().getItems().isEmpty());
    assertTrue(cluster.get(Snapshot.class, "img-root") != null, "the image's own snapshots stay");
  }

  @Test
  void namespaceWithoutLaunchPermissionWaitsWithLaunchNotPermitted() {
    availableImage("team-b-2");
    String stranger = otherNamespace("team-c-2");

    instanceIn(stranger, "web", "name: img");

    Instance waiting = awaitIn(stranger, "web", i -> i.getStatus() != null && Conditions.find(i.getStatus().getConditions(),
        ConditionTypes.IMAGE_RESOLVED).map(c -> Reasons.LAUNCH_NOT_PERMITTED.equals(c.getReason())).orElse(false));
    assertEquals(InstancePhase.PENDING, waiting.getStatus().getPhase());
    assertNull(client().persistentVolumeClaims().inNamespace(stranger).withName("web-root").get());
  }

  @Test
  void familyResolvesAcrossNamespacesOnlyToPermittedImages() {
    availableImage("team-b-3");
    String team = otherNamespace("team-b-3");

    instanceIn(team, "web", "family: web");

    Instance running = awaitIn(team, "web", i -> i.getStatus() != null && i.getStatus().getPhase() == InstancePhase.RUNNING);
    assertEquals("img", running.getStatus().getImage().getName());
    assertEquals("web", running.getStatus().getImage().getResolvedFromFamily());
  }

  @Test
  void aStatusWrittenByAUserReachesNoOtherNamespacesSnapshots() {
    availableImage("someone-else-4");
    String forger = otherNamespace("forger-4");
    instanceIn(forger, "web", "name: img");
    awaitIn(forger, "web", i -> i.getStatus() != null && Reasons.LAUNCH_NOT_PERMITTED.equals(Conditions.find(
        i.getStatus().getConditions(), ConditionTypes.IMAGE_RESOLVED).map(c -> c.getReason()).orElse(null)));

    MachineImage img = cluster.get(MachineImage.class, "img");
    for (int attempt = 1; ; attempt++) {
      try {
        client().resources(Instance.class).inNamespace(forger).withName("web").editStatus(i -> {
          var forged = new dev.kiln.api.v1alpha1.InstanceImageStatus();
          forged.setNamespace(cluster.namespace());
          forged.setName("img");
          forged.setUid(img.getMetadata().getUid());
          forged.setDisks(img.getStatus().getDisks());
          forged.setTemplate(img.getStatus().getTemplate());
          i.getStatus().setImage(forged);
          return i;
        });
        break;
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 10) {
          throw e;
        }
      }
    }

    awaitIn(forger, "web", i -> Reasons.LAUNCH_NOT_PERMITTED.equals(Conditions.find(i.getStatus().getConditions(),
        ConditionTypes.DISKS_READY).map(c -> c.getReason()).orElse(null)));
    assertTrue(client().resources(VolumeSnapshot.class).inNamespace(forger).list().getItems().isEmpty());
    assertTrue(client().resources(VolumeSnapshotContent.class).withLabel(SnapshotCopies.INSTANCE_NAMESPACE, forger)
        .list().getItems().isEmpty(), "no copy of another namespace's snapshot");
  }

  @Test
  void revokingLaunchPermissionStopsNewCopies() {
    availableImage("team-b-5");
    String team = otherNamespace("team-b-5");
    instanceIn(team, "web", "name: img");
    awaitIn(team, "web", i -> i.getStatus() != null && i.getStatus().getPhase() == InstancePhase.RUNNING);

    cluster.edit(MachineImage.class, "img", i -> {
      i.getSpec().setLaunchPermission(null);
      return i;
    });
    client().resources(Instance.class).inNamespace(team).withName("web").edit(i -> {
      i.getSpec().setRunning(false);
      return i;
    });
    awaitIn(team, "web", i -> i.getStatus().getPhase() == InstancePhase.STOPPED);
    // The claim and its copy are gone (an administrator cleaned up, a disk was lost): a new copy is needed.
    client().persistentVolumeClaims().inNamespace(team).withName("web-root").delete();
    client().resources(VolumeSnapshot.class).inNamespace(team).withName("web-root-image").delete();

    awaitIn(team, "web", i -> Reasons.LAUNCH_NOT_PERMITTED.equals(Conditions.find(i.getStatus().getConditions(),
        ConditionTypes.DISKS_READY).map(c -> c.getReason()).orElse(null)));
    assertNull(client().resources(VolumeSnapshot.class).inNamespace(team).withName("web-root-image").get());
    assertNull(client().persistentVolumeClaims().inNamespace(team).withName("web-root").get());
  }

  @Test
  void aDisabledImageLaunchesNothingNewAnywhereKeepsWhatItHasAndComesBackWhenEnabled() {
    availableImage("team-b-6");
    String team = otherNamespace("team-b-6");
    instanceIn(team, "launched", "name: img");
    String launchedPod = awaitIn(team, "launched", i -> i.getStatus() != null && i.getStatus().getPhase() == InstancePhase.RUNNING)
        .getStatus().getPodName();
    String podUid = client().pods().inNamespace(team).withName(launchedPod).get().getMetadata().getUid();

    cluster.edit(MachineImage.class, "img", i -> {
      i.getSpec().setDisabled(true);
      return i;
    });
    MachineImage disabled = cluster.await(MachineImage.class, "img", i -> i.getStatus().getPhase() == MachineImagePhase.DISABLED);
    assertEquals(Reasons.DISABLED, Conditions.find(disabled.getStatus().getConditions(), ConditionTypes.AVAILABLE).orElseThrow().getReason());
    assertEquals("Suspended", dev.kiln.testing.ArgoHealth.of(disabled).status());
    cluster.awaitEventReasons("img", "Disabled");

    instanceIn(cluster.namespace(), "here", "name: img");
    instanceIn(team, "by-name", "name: img");
    instanceIn(team, "by-family", "family: web");
    assertEquals(Reasons.IMAGE_DISABLED, resolution(cluster.namespace(), "here"));
    assertEquals(Reasons.IMAGE_NOT_FOUND, resolution(team, "by-name"), "a disabled image is not shared");
    assertEquals(Reasons.NO_IMAGE_IN_FAMILY, resolution(team, "by-family"));
    assertTrue(client().resources(Instance.class).inNamespace(cluster.namespace()).withName("here").get().getStatus().getConditions()
        .stream().anyMatch(c -> c.getMessage().contains("set its spec.disabled to false")));
    assertEquals(podUid, client().pods().inNamespace(team).withName(launchedPod).get().getMetadata().getUid(),
        "an Instance launched before is untouched");
    assertEquals(MachineImagePhase.DISABLED, cluster.get(MachineImage.class, "img").getStatus().getPhase());
    assertTrue(cluster.get(Snapshot.class, "img-root") != null && cluster.get(Snapshot.class, "img-data") != null,
        "its snapshots stay");

    cluster.edit(MachineImage.class, "img", i -> {
      i.getSpec().setDisabled(false);
      return i;
    });
    cluster.await(MachineImage.class, "img", i -> i.getStatus().getPhase() == MachineImagePhase.AVAILABLE);
    for (String[] waiting : new String[][] {{cluster.namespace(), "here"}, {team, "by-name"}, {team, "by-family"}}) {
      awaitIn(waiting[0], waiting[1], i -> i.getStatus().getPhase() == InstancePhase.RUNNING);
    }
  }

  /** The reason the Instance's image resolution gives, once it gave one. */
  private static String resolution(String namespace, String name) {
    return Conditions.find(awaitIn(namespace, name, i -> i.getStatus() != null
        && Conditions.find(i.getStatus().getConditions(), ConditionTypes.IMAGE_RESOLVED).isPresent()).getStatus().getConditions(),
        ConditionTypes.IMAGE_RESOLVED).orElseThrow().getReason();
  }

  private void availableImage(String permittedNamespace) {
    fixtures.instance(MachineImageCaptureTest.WEB);
    cluster.await(Instance.class, "web", i -> i.getStatus() != null && i.getStatus().getPhase() == InstancePhase.RUNNING
        && i.getStatus().getPlatform() != null);
    fixtures.image("""
        metadata: {name: img}
        spec:
          source: {instance: {name: web}}
          family: web
          launchPermission: {namespaces: [%s]}
        """.formatted(permittedNamespace));
    cluster.await(MachineImage.class, "img", i -> i.getStatus() != null && i.getStatus().getPhase() == MachineImagePhase.AVAILABLE);
  }

  private static String otherNamespace(String name) {
    client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
    return name;
  }

  private void instanceIn(String namespace, String name, String reference) {
    client().resource(client().getKubernetesSerialization().unmarshal("""
        apiVersion: kiln.dev/v1alpha1
        kind: Instance
        metadata: {name: %s}
        spec:
          image: {%s, namespace: %s}
        """.formatted(name, reference, cluster.namespace()), Instance.class)).inNamespace(namespace).create();
  }

  private static Instance awaitIn(String namespace, String name, java.util.function.Predicate<Instance> condition) {
    return Awaitility.await(name).atMost(KilnTestCluster.DEADLINE).until(
        () -> client().resources(Instance.class).inNamespace(namespace).withName(name).get(), i -> i != null && condition.test(i));
  }

  private static KubernetesClient client() {
    return cluster.client();
  }

}
