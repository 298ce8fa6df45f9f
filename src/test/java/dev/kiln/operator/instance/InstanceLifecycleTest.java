package dev.kiln.operator.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.InstancePhase;
import dev.kiln.operator.support.ConditionTypes;
import dev.kiln.operator.support.Conditions;
import dev.kiln.operator.support.Labels;
import dev.kiln.operator.support.Reasons;
import dev.kiln.testing.Fixtures;
import dev.kiln.testing.KilnTestCluster;
import dev.kiln.testing.sim.StorageFixtures;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class InstanceLifecycleTest {

  @RegisterExtension
  static final KilnTestCluster cluster = KilnTestCluster.withOperator();
  private final Fixtures fixtures = new Fixtures(cluster);

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
        - {name: root, size: 1Gi}
        - {name: data, size: 2Gi, storageClassName: fixed-size, deleteOnTermination: false}
        - {name: scratch, ephemeral: true, size: 64Mi}
      """;

  @Test
  void runningInstanceGetsAClaimPerPersistentDiskAndAPodWiringThemByName() {
    fixtures.instance(WEB);

    Instance running = awaitPhase("web", InstancePhase.RUNNING);

    assertTrue(Conditions.isTrue(running.getStatus().getConditions(), ConditionTypes.READY));
    assertTrue(Conditions.isTrue(running.getStatus().getConditions(), ConditionTypes.DISKS_READY));
    PersistentVolumeClaim root = cluster.get(PersistentVolumeClaim.class, "web-root");
    PersistentVolumeClaim data = cluster.get(PersistentVolumeClaim.class, "web-data");
    assertEquals(new Quantity("1Gi"), root.getSpec().getResources().getRequests().get("storage"));
    assertEquals(StorageFixtures.STANDARD, root.getSpec().getStorageClassName());
    assertEquals(StorageFixtures.FIXED_SIZE, data.getSpec().getStorageClassName());
    assertEquals("web", root.getMetadata().getLabels().get(Labels.INSTANCE));
    assertEquals("kiln", root.getMetadata().getLabels().get(Labels.MANAGED_BY));
    assertEquals(running.getMetadata().getUid(), root.getMetadata().getOwnerReferences().get(0).getUid());
    assertNull(cluster.get(PersistentVolumeClaim.class, "web-scratch"), "ephemeral disks get no claim");

    Pod pod = cluster.get(Pod.class, "web");
    Map<String, Volume> volumes = pod.getSpec().getVolumes().stream().collect(Collectors.toMap(Volume::getName, Function.identity()));
    assertEquals("web-root", volumes.get("root").getPersistentVolumeClaim().getClaimName());
    assertEquals("web-data", volumes.get("data").getPersistentVolumeClaim().getClaimName());
    assertNotNull(volumes.get("scratch").getEmptyDir());
    assertEquals(running.getMetadata().getUid(), pod.getMetadata().getOwnerReferences().get(0).getUid());

    assertEquals("web", running.getStatus().getPodName());
    assertEquals(StorageFixtures.NODE, running.getStatus().getNodeName());
    assertEquals(StorageFixtures.NODE_ARCH, running.getStatus().getPlatform().getArchitecture());
    assertEquals(3, running.getStatus().getDisks().size());
    assertEquals("Bound", running.getStatus().getDisks().get(0).getPhase());
    assertEquals("Ephemeral", running.getStatus().getDisks().get(2).getPhase());
  }

  @Test
  void stopAndStartKeepTheSameClaims() {
    fixtures.instance(WEB);
    awaitPhase("web", InstancePhase.RUNNING);
    String rootUid = cluster.get(PersistentVolumeClaim.class, "web-root").getMetadata().getUid();
    String dataUid = cluster.get(PersistentVolumeClaim.class, "web-data").getMetadata().getUid();
    String firstPod = cluster.get(Pod.class, "web").getMetadata().getUid();

    setRunning("web", false);
    Instance stopped = awaitPhase("web", InstancePhase.STOPPED);
    assertNull(cluster.get(Pod.class, "web"));
    assertEquals(Reasons.STOPPED, Conditions.find(stopped.getStatus().getConditions(), ConditionTypes.READY).get().getReason());

    setRunning("web", true);
    awaitPhase("web", InstancePhase.RUNNING);

    assertEquals(rootUid, cluster.get(PersistentVolumeClaim.class, "web-root").getMetadata().getUid());
    assertEquals(dataUid, cluster.get(PersistentVolumeClaim.class, "web-data").getMetadata().getUid());
    assertNotEquals(firstPod, cluster.get(Pod.class, "web").getMetadata().getUid());
    List<String> reasons = cluster.awaitEventReasons("web", "Running", "Stopped");
    assertFalse(reasons.contains("Stopping") || reasons.contains("Pending"), "only settled phases are announced: " + reasons);
  }

  @Test
  void instanceCreatedStoppedGetsItsDisksButNoPod() {
    fixtures.instance(WEB.replaceFirst("spec:\n", "spec:\n  running: false\n"));

    awaitPhase("web", InstancePhase.STOPPED);
    cluster.await(PersistentVolumeClaim.class, "web-root", c -> true);

    assertNull(cluster.get(Pod.class, "web"));
  }

  @Test
  void containerMountingAnUndefinedDiskFailsWithAReasonAndStartsNothing() {
    fixtures.instance("""
        metadata: {name: web}
        spec:
          template:
            spec:
              containers: [{name: app, image: nginx:1.27, volumeMounts: [{name: logs, mountPath: /var/log}]}]
          disks: [{name: root, size: 1Gi}]
        """);

    Instance failed = awaitPhase("web", InstancePhase.FAILED);

    var ready = Conditions.find(failed.getStatus().getConditions(), ConditionTypes.READY).get();
    assertEquals(Reasons.UNKNOWN_DISK, ready.getReason());
    assertTrue(ready.getMessage().contains("container app mounts logs"), ready.getMessage());
    assertNull(cluster.get(Pod.class, "web"));
    assertNull(cluster.get(PersistentVolumeClaim.class, "web-root"));
    cluster.awaitEventReasons("web", Reasons.UNKNOWN_DISK);
  }

  @Test
  void kubevirtRuntimeIsReportedAsNotSupported() {
    fixtures.instance("""
        metadata: {name: vm}
        spec:
          runtime: kubevirt
          template: {spec: {containers: [{name: app, image: nginx:1.27}]}}
        """);

    Instance failed = awaitPhase("vm", InstancePhase.FAILED);

    assertEquals(Reasons.RUNTIME_NOT_SUPPORTED,
        Conditions.find(failed.getStatus().getConditions(), ConditionTypes.READY).get().getReason());
  }

  @Test
  void podThatNeverBecomesReadyLeavesTheInstanceRunningButNotReady() {
    cluster.simulator().settings().podsNeverReady(p -> true);
    fixtures.instance(WEB);

    Instance running = awaitPhase("web", InstancePhase.RUNNING);

    var ready = Conditions.find(running.getStatus().getConditions(), ConditionTypes.READY).get();
    assertEquals("False", ready.getStatus());
    assertEquals(Reasons.POD_NOT_READY, ready.getReason());
  }

  @Test
  void failedPodIsReplacedWithAnEvent() {
    var failures = new java.util.concurrent.atomic.AtomicInteger();
    cluster.simulator().settings().podsFail(p -> failures.getAndIncrement() == 0);
    fixtures.instance(WEB);

    cluster.await(Instance.class, "web", i -> cluster.eventReasons("web").contains(Reasons.MACHINE_FAILED));
    Instance running = awaitPhase("web", InstancePhase.RUNNING);

    assertTrue(Conditions.isTrue(running.getStatus().getConditions(), ConditionTypes.READY));
    assertEquals("Running", cluster.get(Pod.class, "web").getStatus().getPhase());
  }

  @Test
  void templateChangeReplacesThePodOnceAndNothingElseDoes() {
    fixtures.instance(WEB);
    awaitPhase("web", InstancePhase.RUNNING);
    String before = cluster.get(Pod.class, "web").getMetadata().getUid();

    cluster.edit(Instance.class, "web", i -> {
      i.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("nginx:1.28");
      return i;
    });
    Pod replaced = cluster.await(Pod.class, "web", p -> !p.getMetadata().getUid().equals(before)
        && p.getStatus() != null && "Running".equals(p.getStatus().getPhase()));
    assertEquals("nginx:1.28", replaced.getSpec().getContainers().get(0).getImage());
    awaitPhase("web", InstancePhase.RUNNING);

    // Growing a disk is not a template change: the pod stays.
    cluster.edit(Instance.class, "web", i -> {
      i.getSpec().getDisks().get(0).setSize("2Gi");
      return i;
    });
    cluster.await(PersistentVolumeClaim.class, "web-root", c -> new Quantity("2Gi").equals(c.getStatus().getCapacity().get("storage")));
    awaitObserved("web");

    assertEquals(replaced.getMetadata().getUid(), cluster.get(Pod.class, "web").getMetadata().getUid());
    assertEquals(1, cluster.awaitEventReasons("web", Reasons.TEMPLATE_CHANGED).stream().filter(Reasons.TEMPLATE_CHANGED::equals).count());
  }

  @Test
  void growingADiskWhoseClassForbidsExpansionIsReportedAndChangesNothing() {
    fixtures.instance(WEB);
    awaitPhase("web", InstancePhase.RUNNING);

    cluster.edit(Instance.class, "web", i -> {
      i.getSpec().getDisks().get(1).setSize("5Gi");
      return i;
    });

    Instance instance = cluster.await(Instance.class, "web", i -> Conditions.find(i.getStatus().getConditions(),
        ConditionTypes.DISKS_READY).map(c -> Reasons.EXPANSION_NOT_SUPPORTED.equals(c.getReason())).orElse(false));
    assertEquals(InstancePhase.RUNNING, instance.getStatus().getPhase());
    assertEquals(new Quantity("2Gi"),
        cluster.get(PersistentVolumeClaim.class, "web-data").getSpec().getResources().getRequests().get("storage"));
  }

  @Test
  void deletingTheInstanceDeletesItsPodAndClaimsButKeepsDisksAskedToSurvive() {
    fixtures.instance(WEB);
    awaitPhase("web", InstancePhase.RUNNING);

    cluster.client().resources(Instance.class).inNamespace(cluster.namespace()).withName("web").delete();

    cluster.awaitGone(Instance.class, "web");
    cluster.awaitGone(Pod.class, "web");
    cluster.awaitGone(PersistentVolumeClaim.class, "web-root");
    PersistentVolumeClaim kept = cluster.get(PersistentVolumeClaim.class, "web-data");
    assertNotNull(kept, "deleteOnTermination: false keeps the claim");
    assertTrue(kept.getMetadata().getOwnerReferences().isEmpty(), "a kept claim no longer belongs to the Instance");
    assertEquals("web", kept.getMetadata().getLabels().get(Labels.INSTANCE));
    cluster.awaitEventReasons("web", Reasons.DISK_DELETED, Reasons.DISK_RETAINED);
  }

  @Test
  void recreatedInstanceTakesBackTheDiskItKept() {
    fixtures.instance(WEB);
    awaitPhase("web", InstancePhase.RUNNING);
    String dataUid = cluster.get(PersistentVolumeClaim.class, "web-data").getMetadata().getUid();
    cluster.client().resources(Instance.class).inNamespace(cluster.namespace()).withName("web").delete();
    cluster.awaitGone(Instance.class, "web");

    Instance again = fixtures.instance(WEB);
    awaitPhase("web", InstancePhase.RUNNING);

    PersistentVolumeClaim data = cluster.get(PersistentVolumeClaim.class, "web-data");
    assertEquals(dataUid, data.getMetadata().getUid());
    assertEquals(again.getMetadata().getUid(), data.getMetadata().getOwnerReferences().get(0).getUid());
  }

  @Test
  void claimOfTheSameNameThatBelongsToSomeoneElseIsAConflict() {
    cluster.client().persistentVolumeClaims().inNamespace(cluster.namespace()).resource(
        new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder().withNewMetadata().withName("web-root").endMetadata()
            .withNewSpec().withAccessModes("ReadWriteOnce").withNewResources()
            .withRequests(Map.of("storage", new Quantity("1Gi"))).endResources().endSpec().build()).create();

    fixtures.instance(WEB);

    Instance pending = cluster.await(Instance.class, "web", i -> i.getStatus() != null && Conditions.find(
        i.getStatus().getConditions(), ConditionTypes.DISKS_READY).map(c -> Reasons.CLAIM_CONFLICT.equals(c.getReason())).orElse(false));
    assertEquals(InstancePhase.PENDING, pending.getStatus().getPhase());
    assertNull(cluster.get(Pod.class, "web"));
    assertTrue(cluster.get(PersistentVolumeClaim.class, "web-root").getMetadata().getOwnerReferences().isEmpty());
  }

  private Instance awaitPhase(String name, InstancePhase phase) {
    return cluster.await(Instance.class, name, i -> i.getStatus() != null && i.getStatus().getPhase() == phase
        && i.getMetadata().getGeneration().equals(i.getStatus().getObservedGeneration()));
  }

  private void awaitObserved(String name) {
    cluster.await(Instance.class, name, i -> i.getStatus() != null
        && i.getMetadata().getGeneration().equals(i.getStatus().getObservedGeneration()));
  }

  private void setRunning(String name, boolean running) {
    cluster.edit(Instance.class, name, i -> {
      i.getSpec().setRunning(running);
      return i;
    });
  }
}
