package dev.kiln.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.InstancePhase;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.MachineImagePhase;
import dev.kiln.api.v1alpha1.Snapshot;
import dev.kiln.operator.support.ConditionTypes;
import dev.kiln.operator.support.Conditions;
import dev.kiln.testing.KillSwitch;
import dev.kiln.testing.KilnTestCluster;
import dev.kiln.testing.Manifests;
import dev.kiln.testing.OperatorRunner;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshot;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshotContent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operator dies after each of its writes in turn, in the middle of a capture, a registration with
 * its boot check, a launch, a stop and start, a deletion; a new one takes over. Whatever the crash point, the end state is the one without
 * a crash: nothing leaked, no instance held or frozen.
 */
class CrashPointTest {

  @RegisterExtension
  static final KilnTestCluster cluster = KilnTestCluster.withoutOperator();
  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  /** A running Instance with two persistent disks, as the crash and restart scenarios capture it. */
  static final String WEB = Manifests.twoDiskInstance("web", "2Gi", "3Gi");

  @TestFactory
  Stream<DynamicTest> stopCapture() {
    return crashPoints("stop", namespace -> running(namespace), (scenario, namespace) -> {
      Manifests.create(client(), namespace, image("Stop"));
      scenario.await(() -> captured(namespace));
    }, this::assertCaptured);
  }

  @TestFactory
  Stream<DynamicTest> freezeCapture() {
    return crashPoints("freeze", namespace -> running(namespace), (scenario, namespace) -> {
      Manifests.create(client(), namespace, image("Freeze"));
      scenario.await(() -> captured(namespace));
    }, namespace -> {
      assertCaptured(namespace);
      assertFalse(cluster.operator().exec().frozen(namespace, "web"), "thawed");
    });
  }

  @TestFactory
  Stream<DynamicTest> launchStopStartAndDelete() {
    return crashPoints("launch", namespace -> {
      running(namespace);
      Manifests.create(client(), namespace, image("Stop"));
      awaitPlain(() -> captured(namespace));
    }, (scenario, namespace) -> {
      Manifests.create(client(), namespace, """
          apiVersion: kiln.dev/v1alpha1
          kind: Instance
          metadata: {name: copy}
          spec:
            image: {name: img}
            disks: [{name: root, deleteOnTermination: true}, {name: data, deleteOnTermination: false}]
          """);
      scenario.await(() -> phase(namespace, "copy") == InstancePhase.RUNNING);
      edit(namespace, "copy", false);
      scenario.await(() -> phase(namespace, "copy") == InstancePhase.STOPPED);
      edit(namespace, "copy", true);
      scenario.await(() -> phase(namespace, "copy") == InstancePhase.RUNNING);
      client().resources(Instance.class).inNamespace(namespace).withName("copy").delete();
      scenario.await(() -> client().resources(Instance.class).inNamespace(namespace).withName("copy").get() == null
          && client().persistentVolumeClaims().inNamespace(namespace).withName("copy-root").get() == null);
    }, namespace -> {
      assertEquals(Set.of("web-root", "web-data", "copy-data"), names(PersistentVolumeClaim.class, namespace),
          "the kept disk stays, the other goes");
      assertEquals(Set.of("web"), names(Pod.class, namespace));
      assertEquals(Set.of("img-root", "img-data"), names(Snapshot.class, namespace));
      assertNoStrayContents(namespace);
    });
  }

  @TestFactory
  Stream<DynamicTest> registrationWithBootCheck() {
    return crashPoints("register", namespace -> {
      running(namespace);
      for (String[] disk : new String[][] {{"snap-a", "root"}, {"snap-b", "data"}}) {
        Manifests.create(client(), namespace, """
            apiVersion: kiln.dev/v1alpha1
            kind: Snapshot
            metadata: {name: %s}
            spec: {source: {instance: {name: web, disk: %s}}}
            """.formatted(disk[0], disk[1]));
      }
      awaitPlain(() -> names(Snapshot.class, namespace).size() == 2 && client().resources(Snapshot.class)
          .inNamespace(namespace).list().getItems().stream().allMatch(s -> s.getStatus() != null
              && s.getStatus().getPhase() == dev.kiln.api.v1alpha1.SnapshotPhase.READY));
    }, (scenario, namespace) -> {
      Manifests.create(client(), namespace, """
          apiVersion: kiln.dev/v1alpha1
          kind: MachineImage
          metadata: {name: reg}
          spec:
            source: {snapshots: [{name: root, snapshot: snap-a, boot: true}, {name: data, snapshot: snap-b}]}
            template:
              spec:
                containers:
                - {name: app, image: nginx:1.27, volumeMounts: [{name: root, mountPath: /srv}, {name: data, mountPath: /data}]}
            platform: {os: linux, architecture: amd64}
            check: {enabled: true, timeout: 30s}
          """);
      scenario.await(() -> {
        MachineImage image = client().resources(MachineImage.class).inNamespace(namespace).withName("reg").get();
        return image != null && image.getStatus() != null && image.getStatus().getPhase() == MachineImagePhase.AVAILABLE
            && names(Instance.class, namespace).equals(Set.of("web"))
            && names(PersistentVolumeClaim.class, namespace).equals(Set.of("web-root", "web-data"));
      });
    }, namespace -> {
      assertEquals(Set.of("web"), names(Pod.class, namespace), "the check's machine is gone");
      assertEquals(Set.of("snap-a", "snap-b"), names(Snapshot.class, namespace));
      assertEquals(Set.of("snap-a", "snap-b"), names(VolumeSnapshot.class, namespace));
      assertNoStrayContents(namespace);
      assertAnnouncedOnce(namespace);
    });
  }

  /** One scenario run once to count its writes, then once per write with the operator dying right after it. */
  private Stream<DynamicTest> crashPoints(String name, Consumer<String> setUp, Scenario act, Consumer<String> end) {
    OperatorRunner operator = (OperatorRunner) cluster.operator();
    operator.stop(); // whatever an earlier scenario left running, dead or alive
    operator.start();
    String counted = namespace(name);
    setUp.accept(counted);
    operator.stop();
    KillSwitch counter = new KillSwitch(Integer.MAX_VALUE, counted);
    operator.startDying(counter);
    act.run(new Run(counter, counted), counted);
    end.accept(counted);
    int writes = counter.writes();
    operator.stop();
    operator.start();
    return IntStream.rangeClosed(1, writes).mapToObj(crash -> DynamicTest.dynamicTest(
        name + ": the operator dies after write " + crash + " of " + writes, () -> {
          String namespace = namespace(name);
          operator.stop(); // a scenario that failed half-way may have left its dying operator behind
          operator.start();
          setUp.accept(namespace);
          operator.stop();
          KillSwitch killSwitch = new KillSwitch(crash, namespace);
          operator.startDying(killSwitch);
          act.run(new Run(killSwitch, namespace), namespace);
          end.accept(namespace);
          // A run may need a write or two fewer than the counted one (a conflict it did not meet).
          org.junit.jupiter.api.Assumptions.assumeTrue(killSwitch.tripped(), "write " + crash + " never came");
          operator.stop();
          operator.start();
        }));
  }

  private interface Scenario {
    void run(Run run, String namespace);
  }

  /** Waits for a state while the dying operator is replaced by a healthy one once it has died. */
  private static final class Run {
    private final KillSwitch killSwitch;
    private final String namespace;
    private boolean replaced;

    Run(KillSwitch killSwitch, String namespace) {
      this.killSwitch = killSwitch;
      this.namespace = namespace;
    }

    void await(Callable<Boolean> state) {
      try {
        // A killed operator's threads fail on purpose (a reconcile that ends after its stop, say): not the test's concern.
        Awaitility.await().dontCatchUncaughtExceptions().atMost(KilnTestCluster.DEADLINE).pollInterval(Duration.ofMillis(100))
            .until(() -> {
              if (killSwitch.tripped() && !replaced) {
                cluster.operator().stop();
                cluster.operator().start();
                replaced = true;
              }
              return state.call();
            });
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        System.out.println("operator died after write " + killSwitch.writes() + ", replaced: " + replaced);
        cluster.printObjects(namespace);
        throw e;
      }
    }
  }

  private void assertCaptured(String namespace) {
    MachineImage image = client().resources(MachineImage.class).inNamespace(namespace).withName("img").get();
    assertEquals(List.of("img-root", "img-data"), image.getStatus().getDisks().stream().map(d -> d.getSnapshot()).toList());
    Instance web = client().resources(Instance.class).inNamespace(namespace).withName("web").get();
    assertFalse(Conditions.isTrue(web.getStatus().getConditions(), ConditionTypes.HELD), "released");
    assertEquals(Set.of("img-root", "img-data"), names(Snapshot.class, namespace));
    assertEquals(Set.of("img-root", "img-data"), names(VolumeSnapshot.class, namespace));
    assertEquals(Set.of("web-root", "web-data"), names(PersistentVolumeClaim.class, namespace));
    assertEquals(Set.of("web"), names(Pod.class, namespace));
    assertNoStrayContents(namespace);
    assertAnnouncedOnce(namespace);
  }

  /** Images and Snapshots go through each of their phases once: so are they announced, crash or not. */
  private static void assertAnnouncedOnce(String namespace) {
    List<String> reasons = client().events().v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> Set.of("MachineImage", "Snapshot").contains(e.getRegarding().getKind()))
        .map(e -> e.getRegarding().getKind() + "/" + e.getRegarding().getName() + " " + e.getReason()).sorted().toList();
    assertEquals(reasons.stream().distinct().toList().size(), reasons.size(), "announced twice: " + reasons);
  }

  /** Every VolumeSnapshotContent made for the namespace is bound to a VolumeSnapshot that exists. */
  private void assertNoStrayContents(String namespace) {
    Set<String> snapshots = names(VolumeSnapshot.class, namespace);
    List<String> stray = new ArrayList<>();
    for (VolumeSnapshotContent content : client().resources(VolumeSnapshotContent.class).list().getItems()) {
      var ref = content.getSpec().getVolumeSnapshotRef();
      if (namespace.equals(ref.getNamespace()) && !snapshots.contains(ref.getName())) {
        stray.add(content.getMetadata().getName());
      }
    }
    assertTrue(stray.isEmpty(), "stray contents: " + stray);
  }

  private static boolean captured(String namespace) {
    MachineImage image = client().resources(MachineImage.class).inNamespace(namespace).withName("img").get();
    Instance web = client().resources(Instance.class).inNamespace(namespace).withName("web").get();
    return image != null && image.getStatus() != null && image.getStatus().getPhase() == MachineImagePhase.AVAILABLE
        && web.getStatus().getPhase() == InstancePhase.RUNNING
        && !Conditions.isTrue(web.getStatus().getConditions(), ConditionTypes.HELD);
  }

  private static void running(String namespace) {
    Manifests.create(client(), namespace, WEB);
    awaitPlain(() -> {
      Instance web = client().resources(Instance.class).inNamespace(namespace).withName("web").get();
      return web != null && web.getStatus() != null && web.getStatus().getPhase() == InstancePhase.RUNNING
          && web.getStatus().getPlatform() != null;
    });
  }

  private static String image(String consistency) {
    String freeze = "Freeze".equals(consistency)
        ? "\n      freeze: {freezeCommand: [fsfreeze, --freeze, /srv], thawCommand: [fsfreeze, --unfreeze, /srv], timeout: 20s}"
        : "";
    return """
        apiVersion: kiln.dev/v1alpha1
        kind: MachineImage
        metadata: {name: img}
        spec:
          source:
            instance:
              name: web
              consistency: %s%s
        """.formatted(consistency, freeze);
  }

  private static InstancePhase phase(String namespace, String name) {
    Instance instance = client().resources(Instance.class).inNamespace(namespace).withName(name).get();
    return instance == null || instance.getStatus() == null ? null : instance.getStatus().getPhase();
  }

  private static void edit(String namespace, String name, boolean running) {
    for (int attempt = 1; ; attempt++) {
      try {
        client().resources(Instance.class).inNamespace(namespace).withName(name).edit(i -> {
          i.getSpec().setRunning(running);
          return i;
        });
        return;
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 10) {
          throw e;
        }
      }
    }
  }

  private static void awaitPlain(Callable<Boolean> state) {
    Awaitility.await().dontCatchUncaughtExceptions().atMost(KilnTestCluster.DEADLINE).pollInterval(Duration.ofMillis(100))
        .until(state);
  }

  private static <T extends HasMetadata> Set<String> names(Class<T> kind, String namespace) {
    return client().resources(kind).inNamespace(namespace).list().getItems().stream()
        .filter(o -> o.getMetadata().getDeletionTimestamp() == null)
        .map(o -> o.getMetadata().getName()).collect(Collectors.toCollection(TreeSet::new));
  }

  private static String namespace(String scenario) {
    String name = "crash-" + scenario + "-" + NAMESPACES.incrementAndGet();
    client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
    return name;
  }

  private static KubernetesClient client() {
    return cluster.client();
  }
}
