package dev.kiln.operator;

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
import dev.kiln.testing.ArgoHealth;
import dev.kiln.testing.Fixtures;
import dev.kiln.testing.KilnTestCluster;
import dev.kiln.testing.sim.StorageFixtures;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What GitOps tools make of Kiln objects, on real statuses: the Ready, Reconciling and Stalled
 * conditions Flux's kstatus reads, and the Argo CD health check Kiln ships (docs/argocd/health.lua).
 */
class GitOpsHealthTest {

  @RegisterExtension
  static final KilnTestCluster cluster = KilnTestCluster.withOperator();
  private final Fixtures fixtures = new Fixtures(cluster);

  private static final String WEB = """
      metadata: {name: web}
      spec:
        template:
          spec:
            containers: [{name: app, image: nginx:1.27, volumeMounts: [{name: root, mountPath: /srv}]}]
        disks: [{name: root, size: 1Gi}]
      """;

  @Test
  void aBakeIsProgressingUntilEverythingIsHealthyAndAStoppedInstanceIsSuspended() {
    cluster.simulator().settings().holdUploads(true);
    fixtures.instance(WEB);
    Instance running = cluster.await(Instance.class, "web", i -> phase(i) == InstancePhase.RUNNING);
    assertSettled(running);
    assertEquals("Healthy", ArgoHealth.of(running).status());

    fixtures.image("""
        metadata: {name: img}
        spec: {source: {instance: {name: web, consistency: Stop}}}
        """);
    Snapshot uploading = cluster.await(Snapshot.class, "img-root", s -> s.getStatus() != null
        && s.getStatus().getPhase() == SnapshotPhase.CREATING && s.getStatus().getCutTime() != null);
    MachineImage creating = cluster.await(MachineImage.class, "img", i -> i.getStatus() != null
        && i.getStatus().getPhase() == MachineImagePhase.CREATING);
    assertOnItsWay(uploading);
    assertOnItsWay(creating);
    assertEquals("Progressing", ArgoHealth.of(uploading).status());
    ArgoHealth.Verdict imageHealth = ArgoHealth.of(creating);
    assertEquals("Progressing", imageHealth.status());
    assertTrue(imageHealth.message().startsWith("Creating: "), imageHealth.message());

    cluster.simulator().releaseUploads();
    MachineImage available = cluster.await(MachineImage.class, "img",
        i -> i.getStatus().getPhase() == MachineImagePhase.AVAILABLE);
    assertSettled(available);
    assertEquals(new ArgoHealth.Verdict("Healthy", "Instances can launch from this image"), ArgoHealth.of(available));
    Snapshot ready = cluster.await(Snapshot.class, "img-root", s -> s.getStatus().getPhase() == SnapshotPhase.READY);
    assertSettled(ready);
    assertEquals("Healthy", ArgoHealth.of(ready).status());

    cluster.client().resources(Instance.class).inNamespace(cluster.namespace()).withName("web")
        .edit(i -> {
          i.getSpec().setRunning(false);
          return i;
        });
    Instance stopped = cluster.await(Instance.class, "web", i -> phase(i) == InstancePhase.STOPPED
        && i.getStatus().getObservedGeneration().equals(i.getMetadata().getGeneration()));
    assertEquals("False", condition(stopped, ConditionTypes.READY).getStatus());
    assertEquals("False", condition(stopped, ConditionTypes.RECONCILING).getStatus(), "stopped as its spec asks");
    assertEquals("Suspended", ArgoHealth.of(stopped).status());
  }

  @Test
  void failuresAreStalledAndDegradedWithTheirReason() {
    fixtures.instance("""
        metadata: {name: broken}
        spec:
          template:
            spec:
              containers: [{name: app, image: nginx:1.27, volumeMounts: [{name: logs, mountPath: /var/log}]}]
          disks: [{name: root, size: 1Gi}]
        """);
    Instance failed = cluster.await(Instance.class, "broken", i -> phase(i) == InstancePhase.FAILED);
    assertStalled(failed, Reasons.UNKNOWN_DISK);

    fixtures.boundClaim("plain", StorageFixtures.NOT_SNAPSHOTTABLE);
    fixtures.snapshot("""
        metadata: {name: snap}
        spec: {source: {persistentVolumeClaim: {name: plain}}}
        """);
    Snapshot failedSnapshot = cluster.await(Snapshot.class, "snap", s -> s.getStatus() != null
        && s.getStatus().getPhase() == SnapshotPhase.FAILED);
    assertStalled(failedSnapshot, Reasons.NOT_SNAPSHOTTABLE);

    fixtures.image("""
        metadata: {name: unregistrable}
        spec:
          source: {snapshots: [{name: root, snapshot: nowhere}]}
          platform: {os: linux, architecture: amd64}
          template: {spec: {containers: [{name: app, image: nginx:1.27, volumeMounts: [{name: root, mountPath: /srv}]}]}}
        """);
    MachineImage failedImage = cluster.await(MachineImage.class, "unregistrable", i -> i.getStatus() != null
        && i.getStatus().getPhase() == MachineImagePhase.FAILED);
    assertStalled(failedImage, Reasons.SNAPSHOT_NOT_FOUND);

    cluster.client().resource(dev.kiln.testing.Manifests.parse("""
        apiVersion: kiln.dev/v1alpha1
        kind: ImagePolicy
        metadata: {name: unreadable}
        spec: {schedule: "0 25 * * *", image: {instance: {name: web}}}
        """)).inNamespace(cluster.namespace()).create();
    assertStalled(cluster.await(dev.kiln.api.v1alpha1.ImagePolicy.class, "unreadable", p -> p.getStatus() != null),
        Reasons.INVALID_SCHEDULE);
  }

  @Test
  void aScheduledPolicyIsHealthyAndASuspendedOneSuspended() {
    cluster.client().resource(dev.kiln.testing.Manifests.parse("""
        apiVersion: kiln.dev/v1alpha1
        kind: ImagePolicy
        metadata: {name: nightly}
        spec: {schedule: "30 2 * * *", image: {instance: {name: web}}}
        """)).inNamespace(cluster.namespace()).create();
    var scheduled = cluster.await(dev.kiln.api.v1alpha1.ImagePolicy.class, "nightly", p -> p.getStatus() != null);
    assertSettled(scheduled);
    assertEquals("Healthy", ArgoHealth.of(scheduled).status());

    cluster.edit(dev.kiln.api.v1alpha1.ImagePolicy.class, "nightly", p -> {
      p.getSpec().setSuspend(true);
      return p;
    });
    var suspended = cluster.await(dev.kiln.api.v1alpha1.ImagePolicy.class, "nightly",
        p -> Reasons.SUSPENDED.equals(condition(p, ConditionTypes.READY).getReason()));
    assertEquals("Suspended", ArgoHealth.of(suspended).status());
  }

  private static void assertSettled(HasMetadata object) {
    assertEquals(List.of("True", "False", "False"), kstatus(object), object.getKind() + " Ready, Reconciling, Stalled");
  }

  private static void assertOnItsWay(HasMetadata object) {
    assertEquals(List.of("False", "True", "False"), kstatus(object), object.getKind() + " Ready, Reconciling, Stalled");
  }

  private static void assertStalled(HasMetadata object, String reason) {
    assertEquals(List.of("False", "False", "True"), kstatus(object), object.getKind() + " Ready, Reconciling, Stalled");
    Condition stalled = condition(object, ConditionTypes.STALLED);
    assertEquals(reason, stalled.getReason());
    ArgoHealth.Verdict health = ArgoHealth.of(object);
    assertEquals("Degraded", health.status());
    assertEquals(reason + ": " + stalled.getMessage(), health.message());
  }

  private static List<String> kstatus(HasMetadata object) {
    return List.of(condition(object, ConditionTypes.READY).getStatus(),
        condition(object, ConditionTypes.RECONCILING).getStatus(), condition(object, ConditionTypes.STALLED).getStatus());
  }

  private static Condition condition(HasMetadata object, String type) {
    List<Condition> conditions;
    if (object instanceof Instance i) {
      conditions = i.getStatus().getConditions();
    } else if (object instanceof Snapshot s) {
      conditions = s.getStatus().getConditions();
    } else if (object instanceof MachineImage m) {
      conditions = m.getStatus().getConditions();
    } else if (object instanceof dev.kiln.api.v1alpha1.ImagePolicy p) {
      conditions = p.getStatus().getConditions();
    } else {
      throw new IllegalArgumentException(object.getKind());
    }
    return Conditions.find(conditions, type).orElseThrow(() -> new AssertionError(object.getKind() + " has no " + type));
  }

  private static InstancePhase phase(Instance instance) {
    return instance.getStatus() == null ? null : instance.getStatus().getPhase();
  }
}
