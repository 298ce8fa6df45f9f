package dev.kiln.api.v1alpha1;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.testing.KilnTestCluster;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The API server, with Kiln's generated CRDs, accepts the documented examples and rejects bad input with a clear message. */
class SchemaValidationTest {

  @RegisterExtension
  static final KilnTestCluster cluster = KilnTestCluster.withoutOperator();

  private static final String INSTANCE = """
      apiVersion: kiln.dev/v1alpha1
      kind: Instance
      metadata: {name: vm}
      spec:
        template: {spec: {containers: [{name: app, image: nginx:1.27}]}}
      """;

  static Stream<Path> examples() throws IOException {
    return Files.list(Path.of("examples")).filter(p -> p.toString().endsWith(".yaml")).sorted();
  }

  @ParameterizedTest
  @MethodSource("examples")
  void acceptsEveryDocumentedExample(Path example) throws IOException {
    GenericKubernetesResource resource = parse(Files.readString(example));

    assertDoesNotThrow(() -> create(resource));
  }

  @Test
  void rejectsObjectsWithoutSpec() {
    for (String kind : List.of("Instance", "Snapshot", "MachineImage")) {
      assertRejected("apiVersion: kiln.dev/v1alpha1\nkind: " + kind + "\nmetadata: {name: empty}\n", "spec is required");
    }
  }

  @Test
  void rejectsNamesTooLongToLabelWhatKilnCreates() {
    String longName = "a".repeat(64);
    assertRejected(INSTANCE.replace("name: vm", "name: " + longName), "an Instance name is at most 63 characters");
    assertRejected("""
        apiVersion: kiln.dev/v1alpha1
        kind: MachineImage
        metadata: {name: %s}
        spec:
          source: {instance: {name: web-1}}
          check: {enabled: true}
        """.formatted("b".repeat(60)), "with check.enabled a MachineImage name is at most 57 characters");
  }

  @Test
  void rejectsAPolicyScheduleThatIsNotCronAndAPolicyWithoutRetentionCount() {
    String policy = """
        apiVersion: kiln.dev/v1alpha1
        kind: ImagePolicy
        metadata: {name: nightly}
        spec:
          schedule: "%s"
          image: {instance: {name: web-1}}
          retention: {count: %d}
        """;
    assertRejected(policy.formatted("every night", 1), "schedule must be a cron expression of five fields");
    assertRejected(policy.formatted("0 3 * * *", 0), "spec.retention.count");
    assertRejected(policy.formatted("0 3 * * *", 1).replace("name: nightly", "name: " + "p".repeat(48)),
        "an ImagePolicy name is at most 47 characters");
  }

  @Test
  void rejectsADiskNameThatIsNotADnsLabel() {
    assertRejected(INSTANCE + "  disks: [{name: Root_Disk, size: 1Gi}]\n",
        "disk name must be a DNS-1123 label");
  }

  @Test
  void rejectsDuplicateDiskNames() {
    assertRejected(INSTANCE + "  disks: [{name: root, size: 1Gi}, {name: root, size: 2Gi}]\n",
        "disk names must be unique");
  }

  @Test
  void rejectsASizeThatIsNotAQuantity() {
    assertRejected(INSTANCE + "  disks: [{name: root, size: ten-gigs}]\n",
        "disk size must be a positive Kubernetes quantity such as 10Gi or 500Mi");
  }

  @Test
  void rejectsAZeroSize() {
    assertRejected(INSTANCE + "  disks: [{name: root, size: \"0\"}]\n",
        "disk size must be a positive Kubernetes quantity");
  }

  @Test
  void rejectsAnImageReferenceByBothNameAndFamily() {
    assertRejected(INSTANCE + "  image: {name: web-1, family: web}\n", "image: set exactly one of name or family");
  }

  @Test
  void rejectsAnImageReferenceWithNeitherNameNorFamily() {
    assertRejected(INSTANCE + "  image: {namespace: images}\n", "image: set exactly one of name or family");
  }

  @Test
  void rejectsAnInstanceWithoutTemplateOrImage() {
    assertRejected("""
        apiVersion: kiln.dev/v1alpha1
        kind: Instance
        metadata: {name: vm}
        spec:
          disks: [{name: root, size: 1Gi}]
        """, "spec.template is required unless the instance launches from spec.image");
  }

  @Test
  void rejectsAnEphemeralDiskWithASnapshotOrStorageClass() {
    assertRejected(INSTANCE + "  disks: [{name: scratch, ephemeral: true, snapshot: snap-a}]\n",
        "an ephemeral disk cannot have snapshot, storageClassName or volumeMode");
    assertRejected(INSTANCE + "  disks: [{name: scratch, ephemeral: true, storageClassName: standard}]\n",
        "an ephemeral disk cannot have snapshot, storageClassName or volumeMode");
  }

  @Test
  void rejectsAnEphemeralBootDisk() {
    assertRejected(INSTANCE + "  disks: [{name: root, ephemeral: true, boot: true}]\n",
        "the boot disk must be persistent, not ephemeral");
  }

  @Test
  void rejectsTwoBootDisks() {
    assertRejected(INSTANCE + "  disks: [{name: a, size: 1Gi, boot: true}, {name: b, size: 1Gi, boot: true}]\n",
        "at most one disk can be the boot disk");
  }

  @Test
  void rejectsAPersistentDiskWithoutSizeOrSource() {
    assertRejected(INSTANCE + "  disks: [{name: root}]\n",
        "a persistent disk needs a size unless it starts from a snapshot or an image");
  }

  @Test
  void rejectsAnUnknownRuntimeAndVolumeMode() {
    assertRejected(INSTANCE + "  runtime: vmware\n", "Unsupported value: \"vmware\": supported values: \"kubevirt\", \"pod\"");
    assertRejected(INSTANCE + "  disks: [{name: root, size: 1Gi, volumeMode: Raw}]\n",
        "Unsupported value: \"Raw\": supported values: \"Block\", \"Filesystem\"");
  }

  @Test
  void rejectsShrinkingADiskButAcceptsGrowingIt() {
    create(parse(INSTANCE + "  disks: [{name: root, size: 10Gi}]\n"));

    assertUpdateRejected("Instance", "vm", i -> withDiskSize(i, "5Gi"), "a disk can grow but never shrink");
    assertDoesNotThrow(() -> update("Instance", "vm", i -> withDiskSize(i, "20Gi")));
  }

  @Test
  void rejectsASnapshotWithTwoSourcesOrNone() {
    assertRejected("""
        apiVersion: kiln.dev/v1alpha1
        kind: Snapshot
        metadata: {name: snap}
        spec:
          source: {instance: {name: web-1, disk: root}, persistentVolumeClaim: {name: data}}
        """, "source: set exactly one of instance, persistentVolumeClaim or handle");
    assertRejected("""
        apiVersion: kiln.dev/v1alpha1
        kind: Snapshot
        metadata: {name: snap}
        spec: {description: nothing to copy}
        """, "spec.source: Required value");
  }

  @Test
  void rejectsASnapshotOfAnInstanceWithoutDisk() {
    assertRejected("""
        apiVersion: kiln.dev/v1alpha1
        kind: Snapshot
        metadata: {name: snap}
        spec:
          source: {instance: {name: web-1}}
        """, "spec.source.instance.disk: Required value");
  }

  @Test
  void rejectsADeadlineThatIsNotADuration() {
    assertRejected("""
        apiVersion: kiln.dev/v1alpha1
        kind: Snapshot
        metadata: {name: snap}
        spec:
          source: {persistentVolumeClaim: {name: data}}
          deadline: tomorrow
        """, "deadline must be a duration such as 90s, 30m or 24h");
  }

  @Test
  void rejectsChangingASnapshotsSource() {
    create(parse("""
        apiVersion: kiln.dev/v1alpha1
        kind: Snapshot
        metadata: {name: snap}
        spec:
          source: {persistentVolumeClaim: {name: data}}
        """));

    assertUpdateRejected("Snapshot", "snap", s -> {
      spec(s).put("source", java.util.Map.of("persistentVolumeClaim", java.util.Map.of("name", "other")));
      return s;
    }, "spec.source is immutable");
  }

  @Test
  void rejectsAnImageWithMoreThanOneSource() {
    assertRejected("""
        apiVersion: kiln.dev/v1alpha1
        kind: MachineImage
        metadata: {name: img}
        spec:
          source:
            instance: {name: web-1}
            image: {namespace: images, name: web}
        """, "exactly one of source.instance, source.snapshots, source.image");
  }

  @Test
  void rejectsRegisteringFromSnapshotsWithoutTemplate() {
    assertRejected("""
        apiVersion: kiln.dev/v1alpha1
        kind: MachineImage
        metadata: {name: img}
        spec:
          source:
            snapshots: [{name: root, snapshot: snap-a}]
        """, "spec.template is required when the image is registered from source.snapshots");
  }

  @Test
  void rejectsTwoBootSnapshotsAndDuplicateDiskNames() {
    String image = """
        apiVersion: kiln.dev/v1alpha1
        kind: MachineImage
        metadata: {name: img}
        spec:
          template: {spec: {containers: [{name: app, image: nginx:1.27}]}}
          source:
            snapshots: %s
        """;
    assertRejected(image.formatted("[{name: a, snapshot: s1, boot: true}, {name: b, snapshot: s2, boot: true}]"),
        "at most one of source.snapshots can be the boot disk");
    assertRejected(image.formatted("[{name: a, snapshot: s1}, {name: a, snapshot: s2}]"),
        "source.snapshots names must be unique");
  }

  @Test
  void rejectsFreezeConsistencyWithoutFreezeCommands() {
    assertRejected("""
        apiVersion: kiln.dev/v1alpha1
        kind: MachineImage
        metadata: {name: img}
        spec:
          source: {instance: {name: web-1, consistency: Freeze}}
        """, "source.instance.freeze is required when consistency is Freeze");
  }

  @Test
  void rejectsAFreezeTimeoutAboveTenMinutesOrBelowASecond() {
    String image = """
        apiVersion: kiln.dev/v1alpha1
        kind: MachineImage
        metadata: {name: img}
        spec:
          source:
            instance:
              name: web-1
              consistency: Freeze
              freeze: {freezeCommand: [fsfreeze, -f, /data], thawCommand: [fsfreeze, -u, /data], timeout: %s}
        """;
    assertRejected(image.formatted("11m"), "freeze.timeout must be between 1s and 10m");
    assertRejected(image.formatted("1h"), "freeze.timeout must be between 1s and 10m");
    assertRejected(image.formatted("500ms"), "freeze.timeout must be between 1s and 10m");
    assertRejected(image.formatted("soon"), "freeze.timeout must be a duration such as 30s or 2m");
    create(parse(image.formatted("10m")));
  }

  @Test
  void rejectsAnUnknownConsistencyOrDeletionPolicy() {
    assertRejected("""
        apiVersion: kiln.dev/v1alpha1
        kind: MachineImage
        metadata: {name: img}
        spec:
          source: {instance: {name: web-1, consistency: Reboot}}
        """, "Unsupported value: \"Reboot\": supported values: \"Freeze\", \"None\", \"Stop\"");
    assertRejected("""
        apiVersion: kiln.dev/v1alpha1
        kind: MachineImage
        metadata: {name: img}
        spec:
          source: {instance: {name: web-1}}
          deletionPolicy: Keep
        """, "Unsupported value: \"Keep\": supported values: \"Delete\", \"Retain\"");
  }

  @Test
  void rejectsADeprecationTimeThatIsNotRfc3339() {
    assertRejected("""
        apiVersion: kiln.dev/v1alpha1
        kind: MachineImage
        metadata: {name: img}
        spec:
          source: {instance: {name: web-1}}
          deprecateAt: next june
        """, "deprecateAt must be an RFC 3339 time such as 2027-06-01T00:00:00Z");
  }

  @Test
  void imageSpecIsImmutableExceptItsDocumentedFields() {
    create(parse("""
        apiVersion: kiln.dev/v1alpha1
        kind: MachineImage
        metadata: {name: img}
        spec:
          source: {instance: {name: web-1}}
          family: web
        """));

    assertUpdateRejected("MachineImage", "img", i -> {
      spec(i).put("source", java.util.Map.of("instance", java.util.Map.of("name", "web-2")));
      return i;
    }, "spec.source is immutable: create a new MachineImage instead");
    assertUpdateRejected("MachineImage", "img", i -> {
      spec(i).put("template", java.util.Map.of("spec", java.util.Map.of("containers", List.of())));
      return i;
    }, "spec.template is immutable: create a new MachineImage instead");
    assertUpdateRejected("MachineImage", "img", i -> {
      spec(i).put("platform", java.util.Map.of("os", "linux", "architecture", "arm64"));
      return i;
    }, "spec.platform is immutable");
    assertDoesNotThrow(() -> update("MachineImage", "img", i -> {
      spec(i).put("family", "web-next");
      spec(i).put("description", "renamed family");
      spec(i).put("deprecated", true);
      spec(i).put("deprecateAt", "2027-01-01T00:00:00Z");
      spec(i).put("deletionPolicy", "Retain");
      spec(i).put("launchPermission", java.util.Map.of("namespaces", List.of("team-b")));
      return i;
    }));
  }

  @Test
  void schemaDefaultsAreAppliedByTheServer() {
    GenericKubernetesResource created = create(parse(INSTANCE + "  disks: [{name: root, size: 1Gi}]\n"));

    assertEquals(true, spec(created).get("running"));
    assertEquals("pod", spec(created).get("runtime"));
    @SuppressWarnings("unchecked")
    java.util.Map<String, Object> disk = ((List<java.util.Map<String, Object>>) spec(created).get("disks")).get(0);
    assertEquals(true, disk.get("deleteOnTermination"));
  }

  // ---------------------------------------------------------------------------------------------

  private static KubernetesClient client() {
    return cluster.client();
  }

  private static GenericKubernetesResource parse(String yaml) {
    return client().getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class);
  }

  private static GenericKubernetesResource create(GenericKubernetesResource resource) {
    return client().resource(resource).inNamespace(cluster.namespace()).create();
  }

  private static GenericKubernetesResource update(String kind, String name, UnaryOperator<GenericKubernetesResource> change) {
    GenericKubernetesResource current = client().genericKubernetesResources("kiln.dev/v1alpha1", kind)
        .inNamespace(cluster.namespace()).withName(name).get();
    return client().resource(change.apply(current)).inNamespace(cluster.namespace()).update();
  }

  @SuppressWarnings("unchecked")
  private static java.util.Map<String, Object> spec(GenericKubernetesResource resource) {
    return (java.util.Map<String, Object>) resource.getAdditionalProperties().get("spec");
  }

  @SuppressWarnings("unchecked")
  private static GenericKubernetesResource withDiskSize(GenericKubernetesResource instance, String size) {
    ((List<java.util.Map<String, Object>>) spec(instance).get("disks")).get(0).put("size", size);
    return instance;
  }

  private static void assertRejected(String yaml, String expectedMessage) {
    KubernetesClientException rejected = assertThrows(KubernetesClientException.class, () -> create(parse(yaml)));
    assertEquals(422, rejected.getCode(), rejected.getMessage());
    assertTrue(rejected.getMessage().contains(expectedMessage),
        () -> "expected \"" + expectedMessage + "\" in: " + rejected.getMessage());
  }

  private static void assertUpdateRejected(String kind, String name, UnaryOperator<GenericKubernetesResource> change,
      String expectedMessage) {
    KubernetesClientException rejected = assertThrows(KubernetesClientException.class, () -> update(kind, name, change));
    assertEquals(422, rejected.getCode(), rejected.getMessage());
    assertTrue(rejected.getMessage().contains(expectedMessage),
        () -> "expected \"" + expectedMessage + "\" in: " + rejected.getMessage());
  }
}
