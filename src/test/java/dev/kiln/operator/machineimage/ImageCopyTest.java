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
import dev.kiln.operator.storage.SnapshotReferences;
import dev.kiln.operator.support.ConditionTypes;
import dev.kiln.operator.support.Conditions;
import dev.kiln.operator.support.Reasons;
import dev.kiln.testing.Fixtures;
import dev.kiln.testing.KilnTestCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshotContent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Copying an image into another namespace (source.image): the copy is an image of its own, and the
 * snapshot data that the image, its copy and launches from other namespaces reference stays until
 * the last of them lets go, whatever the order.
 */
class ImageCopyTest {

  @RegisterExtension
  static final KilnTestCluster cluster = KilnTestCluster.withOperator();
  private final Fixtures fixtures = new Fixtures(cluster);

  @Test
  void aCopyIsAnImageOfItsOwnThatLaunchesAndOutlivesItsSource() {
    String team = otherNamespace("b");
    availableImage("img", team);
    List<String> handles = handlesOf(cluster.namespace(), "img");

    copy(team, "copy", cluster.namespace(), "img");

    MachineImage copy = awaitImage(team, "copy", i -> i.getStatus().getPhase() == MachineImagePhase.AVAILABLE);
    assertEquals(cluster.namespace() + "/img", copy.getStatus().getSource().getImage());
    MachineImage original = cluster.get(MachineImage.class, "img");
    assertEquals(original.getMetadata().getUid(), copy.getStatus().getSource().getImageUid());
    assertEquals(original.getStatus().getTemplate(), copy.getStatus().getTemplate());
    assertEquals(json(original.getStatus().getPlatform()), json(copy.getStatus().getPlatform()));
    assertEquals(original.getStatus().getStorage(), copy.getStatus().getStorage());
    assertEquals(java.util.Arrays.asList("copy-root", "copy-data", null),
        copy.getStatus().getDisks().stream().map(ImageDisk::getSnapshot).toList(), "its own snapshots; the ephemeral disk has none");
    assertEquals(handles, handlesOf(team, "copy"), "the same data, not a copy of it");
    for (String handle : handles) {
      List<VolumeSnapshotContent> references = contentsOf(handle);
      assertEquals(2, references.size(), "the image's content and the copy's");
    }
    Awaitility.await("Available announced").atMost(KilnTestCluster.DEADLINE)
        .until(() -> !eventsWithReason(team, "copy", "Available").isEmpty());

    client().resources(MachineImage.class).inNamespace(cluster.namespace()).withName("img").delete();
    awaitGone(cluster.namespace(), MachineImage.class, "img");
    awaitGone(cluster.namespace(), Snapshot.class, "img-root");
    handles.forEach(h -> assertTrue(cluster.simulator().storedSnapshots().holds(h), "the copy still references " + h));
    assertEquals(MachineImagePhase.AVAILABLE, getIn(team, MachineImage.class, "copy").getStatus().getPhase());

    instanceIn(team, "from-copy", "name: copy", team);
    awaitIn(team, "from-copy", i -> i.getStatus() != null && i.getStatus().getPhase() == InstancePhase.RUNNING);
  }

  /** Who references the data: the image, its copy in another namespace, an Instance launched from it in a third. */
  enum Reference { IMAGE, COPY, LAUNCH }

  static Stream<List<Reference>> everyOrder() {
    List<List<Reference>> orders = new ArrayList<>();
    for (Reference first : Reference.values()) {
      for (Reference second : Reference.values()) {
        for (Reference third : Reference.values()) {
          if (first != second && second != third && first != third) {
            orders.add(List.of(first, second, third));
          }
        }
      }
    }
    return orders.stream();
  }

  @ParameterizedTest
  @MethodSource("everyOrder")
  void theDataGoesWithTheLastReferenceInEveryOrder(List<Reference> order) {
    String copies = otherNamespace("b");
    String launches = otherNamespace("c");
    availableImage("img", copies, launches);
    List<String> handles = handlesOf(cluster.namespace(), "img");
    copy(copies, "copy", cluster.namespace(), "img");
    awaitImage(copies, "copy", i -> i.getStatus().getPhase() == MachineImagePhase.AVAILABLE);
    // An Instance held stopped before it runs keeps needing its restore: its copy is a live reference.
    instanceIn(launches, "web", "name: img", cluster.namespace());
    awaitIn(launches, "web", i -> i.getStatus() != null && i.getStatus().getPhase() == InstancePhase.RUNNING);
    handles.forEach(h -> assertEquals(3, contentsOf(h).size(), "three references to " + h));

    for (int i = 0; i < order.size(); i++) {
      switch (order.get(i)) {
        case IMAGE -> {
          client().resources(MachineImage.class).inNamespace(cluster.namespace()).withName("img").delete();
          awaitGone(cluster.namespace(), MachineImage.class, "img");
        }
        case COPY -> {
          client().resources(MachineImage.class).inNamespace(copies).withName("copy").delete();
          awaitGone(copies, MachineImage.class, "copy");
        }
        case LAUNCH -> {
          client().resources(Instance.class).inNamespace(launches).withName("web").delete();
          awaitGone(launches, Instance.class, "web");
        }
      }
      int left = order.size() - i - 1;
      List<Reference> remaining = order.subList(i + 1, order.size());
      if (remaining.contains(Reference.IMAGE)) {
        assertEquals(MachineImagePhase.AVAILABLE, getIn(cluster.namespace(), MachineImage.class, "img").getStatus().getPhase());
      }
      if (remaining.contains(Reference.COPY)) {
        assertEquals(MachineImagePhase.AVAILABLE, getIn(copies, MachineImage.class, "copy").getStatus().getPhase());
      }
      if (remaining.contains(Reference.LAUNCH)) {
        assertEquals(InstancePhase.RUNNING, getIn(launches, Instance.class, "web").getStatus().getPhase());
      }
      for (String handle : handles) {
        Awaitility.await(order.get(i) + " let go of " + handle).atMost(KilnTestCluster.DEADLINE)
            .until(() -> contentsOf(handle).size() == left);
        if (left > 0) {
          assertTrue(cluster.simulator().storedSnapshots().holds(handle), "data kept for the " + left + " left");
          assertTrue(contentsOf(handle).stream().noneMatch(c -> c.getMetadata().getDeletionTimestamp() != null
              && "Delete".equals(c.getSpec().getDeletionPolicy())), "no content deletes data still referenced");
        } else {
          Awaitility.await("data of " + handle + " deleted").atMost(KilnTestCluster.DEADLINE)
              .until(() -> !cluster.simulator().storedSnapshots().holds(handle));
        }
      }
    }
  }

  @Test
  void aCopyWaitsForAnImageThatIsNotSharedYetThenCopiesIt() {
    String team = otherNamespace("b");
    availableImage("img", "someone-else");

    copy(team, "copy", cluster.namespace(), "img");

    MachineImage waiting = awaitImage(team, "copy", i -> i.getStatus() != null && i.getStatus().getPhase() == MachineImagePhase.PENDING
        && Conditions.find(i.getStatus().getConditions(), ConditionTypes.AVAILABLE).isPresent());
    String message = Conditions.find(waiting.getStatus().getConditions(), ConditionTypes.AVAILABLE).orElseThrow().getMessage();
    assertTrue(message.contains("does not exist or is not shared with namespace " + team), message);
    assertTrue(client().resources(Snapshot.class).inNamespace(team).list().getItems().isEmpty(), "nothing copied");

    cluster.edit(MachineImage.class, "img", i -> {
      i.getSpec().getLaunchPermission().setNamespaces(List.of(team));
      return i;
    });
    awaitImage(team, "copy", i -> i.getStatus().getPhase() == MachineImagePhase.AVAILABLE);
  }

  @Test
  void aCopyOfAFailedImageFailsWithAReason() {
    String team = otherNamespace("b");
    fixtures.image("""
        metadata: {name: broken}
        spec:
          source: {instance: {name: missing}}
          launchPermission: {namespaces: [%s]}
        """.formatted(team));
    cluster.await(MachineImage.class, "broken", i -> i.getStatus() != null && i.getStatus().getPhase() == MachineImagePhase.FAILED);

    copy(team, "copy", cluster.namespace(), "broken");

    MachineImage failed = awaitImage(team, "copy", i -> i.getStatus() != null && i.getStatus().getPhase() == MachineImagePhase.FAILED);
    var available = Conditions.find(failed.getStatus().getConditions(), ConditionTypes.AVAILABLE).orElseThrow();
    assertEquals(Reasons.SOURCE_IMAGE_FAILED, available.getReason());
    assertTrue(available.getMessage().contains("does not exist"), available.getMessage());
    assertTrue(client().resources(Snapshot.class).inNamespace(team).list().getItems().isEmpty(), "nothing copied");
    assertTrue(client().resources(io.fabric8.volumesnapshot.api.model.VolumeSnapshot.class).inNamespace(team).list()
        .getItems().isEmpty());
  }

  @Test
  void aCopyOfAnImageBeingDeregisteredFailsWithAReason() {
    String team = otherNamespace("b");
    availableImage("img", team);
    cluster.edit(MachineImage.class, "img", i -> {
      i.getMetadata().getFinalizers().add("example.com/audit");
      return i;
    });
    client().resources(MachineImage.class).inNamespace(cluster.namespace()).withName("img").delete();
    cluster.awaitGone(Snapshot.class, "img-root");

    copy(team, "copy", cluster.namespace(), "img");

    MachineImage failed = awaitImage(team, "copy", i -> i.getStatus() != null && i.getStatus().getPhase() == MachineImagePhase.FAILED);
    assertEquals(Reasons.SOURCE_IMAGE_DEREGISTERED,
        Conditions.find(failed.getStatus().getConditions(), ConditionTypes.AVAILABLE).orElseThrow().getReason());
    assertTrue(client().resources(Snapshot.class).inNamespace(team).list().getItems().isEmpty(), "nothing copied");
    cluster.edit(MachineImage.class, "img", i -> {
      i.getMetadata().getFinalizers().remove("example.com/audit");
      return i;
    });
  }

  @Test
  void aSnapshotMadeByHandFromAnotherNamespacesHandleIsRefused() {
    availableImage("img");
    String handle = handlesOf(cluster.namespace(), "img").get(0);
    String thief = otherNamespace("thief");

    createIn(thief, Snapshot.class, """
        kind: Snapshot
        metadata: {name: loot}
        spec:
          source: {handle: {driver: %s, snapshotHandle: %s}}
        """.formatted(dev.kiln.testing.sim.StorageFixtures.DRIVER, handle));

    Snapshot refused = Awaitility.await("loot refused").atMost(KilnTestCluster.DEADLINE).until(
        () -> getIn(thief, Snapshot.class, "loot"), s -> s.getStatus() != null && s.getStatus().getPhase() == SnapshotPhase.FAILED);
    assertEquals(Reasons.HANDLE_NOT_PERMITTED,
        Conditions.find(refused.getStatus().getConditions(), ConditionTypes.READY).orElseThrow().getReason());
    assertEquals(1, contentsOf(handle).size(), "no content made for another namespace's data");
    assertTrue(client().resources(io.fabric8.volumesnapshot.api.model.VolumeSnapshot.class).inNamespace(thief).list()
        .getItems().isEmpty());
  }

  @Test
  void aHandleWrittenIntoASharedSnapshotsStatusReachesNoOtherData() {
    String victim = otherNamespace("victim");
    createIn(victim, Instance.class, """
        kind: Instance
        metadata: {name: vault}
        spec:
          disks: [{name: secrets, size: 1Gi}]
          template: {spec: {containers: [{name: app, image: nginx:1.27, volumeMounts: [{name: secrets, mountPath: /s}]}]}}
        """);
    awaitIn(victim, "vault", i -> i.getStatus() != null && i.getStatus().getPhase() == InstancePhase.RUNNING);
    createIn(victim, Snapshot.class, """
        kind: Snapshot
        metadata: {name: secrets}
        spec:
          source: {instance: {name: vault, disk: secrets}}
        """);
    String secret = Awaitility.await("victim's snapshot").atMost(KilnTestCluster.DEADLINE).until(
        () -> getIn(victim, Snapshot.class, "secrets"), s -> s.getStatus() != null && s.getStatus().getPhase() == SnapshotPhase.READY)
        .getStatus().getSnapshotHandle();
    String team = otherNamespace("b");
    availableImage("img", team);
    // Whoever may write Snapshot statuses in the image's namespace points its snapshot at the victim's data.
    client().resources(Snapshot.class).inNamespace(cluster.namespace()).withName("img-root").editStatus(s -> {
      s.getStatus().setSnapshotHandle(secret);
      return s;
    });

    instanceIn(team, "web", "name: img", cluster.namespace());

    Awaitility.await("the launch waits for its root disk").atMost(KilnTestCluster.DEADLINE).until(() ->
        client().persistentVolumeClaims().inNamespace(team).withName("web-data").get() != null);
    assertEquals(1, contentsOf(secret).size(), "no copy of the victim's data");
    assertTrue(client().resources(io.fabric8.volumesnapshot.api.model.VolumeSnapshot.class).inNamespace(team)
        .withName("web-root-image").get() == null);
  }

  // --- helpers --------------------------------------------------------------------------------

  private void availableImage(String name, String... sharedWith) {
    fixtures.instance(MachineImageCaptureTest.WEB);
    cluster.await(Instance.class, "web", i -> i.getStatus() != null && i.getStatus().getPhase() == InstancePhase.RUNNING
        && i.getStatus().getPlatform() != null);
    fixtures.image("""
        metadata: {name: %s}
        spec:
          source: {instance: {name: web}}
          launchPermission: {namespaces: [%s]}
        """.formatted(name, String.join(", ", sharedWith)));
    cluster.await(MachineImage.class, name, i -> i.getStatus() != null && i.getStatus().getPhase() == MachineImagePhase.AVAILABLE);
  }

  private static void copy(String namespace, String name, String fromNamespace, String from) {
    createIn(namespace, MachineImage.class, """
        kind: MachineImage
        metadata: {name: %s}
        spec:
          source: {image: {namespace: %s, name: %s}}
        """.formatted(name, fromNamespace, from));
  }

  private static void instanceIn(String namespace, String name, String reference, String imageNamespace) {
    createIn(namespace, Instance.class, """
        kind: Instance
        metadata: {name: %s}
        spec:
          image: {%s, namespace: %s}
        """.formatted(name, reference, imageNamespace));
  }

  /** Creates a Kiln object from YAML without its apiVersion line. */
  private static <T extends HasMetadata> void createIn(String namespace, Class<T> type, String yaml) {
    client().resource(client().getKubernetesSerialization().unmarshal("apiVersion: kiln.dev/v1alpha1\n" + yaml, type))
        .inNamespace(namespace).create();
  }

  /** The snapshot handles of an image's persistent disks, in disk order. */
  private static List<String> handlesOf(String namespace, String image) {
    return getIn(namespace, MachineImage.class, image).getStatus().getDisks().stream()
        .filter(d -> d.getSnapshot() != null)
        .map(d -> getIn(namespace, Snapshot.class, d.getSnapshot()).getStatus().getSnapshotHandle())
        .toList();
  }

  /** The contents that reference a snapshot handle. */
  private static List<VolumeSnapshotContent> contentsOf(String handle) {
    return client().resources(VolumeSnapshotContent.class).list().getItems().stream()
        .filter(c -> handle.equals(SnapshotReferences.handleOf(c))).toList();
  }

  private static List<String> eventsWithReason(String namespace, String regarding, String reason) {
    return client().v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> regarding.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()))
        .map(e -> e.getMessage()).toList();
  }

  private static final java.util.concurrent.atomic.AtomicInteger NAMESPACES = new java.util.concurrent.atomic.AtomicInteger();

  private static String otherNamespace(String suffix) {
    String name = "image-copy-" + suffix + "-" + NAMESPACES.incrementAndGet();
    client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
    return name;
  }

  private static MachineImage awaitImage(String namespace, String name, Predicate<MachineImage> condition) {
    return Awaitility.await(name).atMost(KilnTestCluster.DEADLINE).until(
        () -> getIn(namespace, MachineImage.class, name), i -> i != null && i.getStatus() != null && condition.test(i));
  }

  private static Instance awaitIn(String namespace, String name, Predicate<Instance> condition) {
    return Awaitility.await(name).atMost(KilnTestCluster.DEADLINE).until(
        () -> getIn(namespace, Instance.class, name), i -> i != null && condition.test(i));
  }

  private static <T extends HasMetadata> T getIn(String namespace, Class<T> type, String name) {
    return client().resources(type).inNamespace(namespace).withName(name).get();
  }

  private static <T extends HasMetadata> void awaitGone(String namespace, Class<T> type, String name) {
    Awaitility.await(name + " gone").atMost(KilnTestCluster.DEADLINE).until(() -> getIn(namespace, type, name) == null);
  }

  private static String json(Object value) {
    return client().getKubernetesSerialization().asJson(value);
  }

  private static KubernetesClient client() {
    return cluster.client();
  }
}
