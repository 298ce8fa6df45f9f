package dev.kiln.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.api.v1alpha1.Consistency;
import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.InstancePhase;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.MachineImagePhase;
import dev.kiln.api.v1alpha1.Snapshot;
import dev.kiln.testing.Fixtures;
import dev.kiln.testing.KilnTestCluster;
import dev.kiln.testing.Manifests;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The kube-apiserver restarts in the middle of a capture, as in a control-plane upgrade: every
 * connection is cut and requests fail until the new process is ready; etcd keeps every object. The
 * capture goes on where it was: Available, the instance released or thawed, each Event once.
 */
class ApiServerRestartTest {

  @RegisterExtension
  static final KilnTestCluster cluster = KilnTestCluster.withRestartableApiServer();
  private final Fixtures fixtures = new Fixtures(cluster);

  @Test
  void aStopCaptureHoldingItsInstanceGoesOnAfterTheRestart() {
    runningWeb();
    cluster.simulator().settings().snapshotCutDelay(Duration.ofSeconds(3));

    fixtures.image("""
        metadata: {name: img}
        spec: {source: {instance: {name: web, consistency: Stop}}}
        """);
    cluster.await(MachineImage.class, "img", i -> i.getStatus() != null && i.getStatus().getSource() != null
        && Boolean.TRUE.equals(i.getStatus().getSource().getHeld()) && !children().isEmpty());
    cluster.restartApiServer();

    MachineImage available = cluster.await(MachineImage.class, "img",
        i -> i.getStatus().getPhase() == MachineImagePhase.AVAILABLE);
    assertEquals(Consistency.STOP, available.getStatus().getSource().getConsistencyAchieved());
    assertFalse(available.getStatus().getSource().getHeld(), "released");
    cluster.await(Instance.class, "web", i -> i.getStatus().getPhase() == InstancePhase.RUNNING);
    assertEachOnce(cluster.eventReasons("img"));
    assertEquals(Set.of("img-root", "img-data"), children().stream().map(s -> s.getMetadata().getName())
        .collect(Collectors.toSet()));
    assertEquals(2, cluster.client().resources(VolumeSnapshot.class).inNamespace(cluster.namespace()).list()
        .getItems().size(), "one VolumeSnapshot per disk, none left over");
  }

  @Test
  void aFreezeCaptureWithFrozenFilesystemsThawsAfterTheRestart() {
    runningWeb();
    cluster.simulator().settings().snapshotCutDelay(Duration.ofSeconds(3));

    fixtures.image("""
        metadata: {name: img}
        spec:
          source:
            instance:
              name: web
              consistency: Freeze
              freeze: {container: app, freezeCommand: [fsfreeze, --freeze, /srv], thawCommand: [fsfreeze, --unfreeze, /srv], timeout: 2m}
        """);
    cluster.await(MachineImage.class, "img", i -> i.getStatus() != null && i.getStatus().getSource() != null
        && i.getStatus().getSource().getFrozenAt() != null);
    assertTrue(cluster.operator().exec().frozen(cluster.namespace(), "web"), "frozen when the API server goes");
    cluster.restartApiServer();

    MachineImage available = cluster.await(MachineImage.class, "img",
        i -> i.getStatus().getPhase() == MachineImagePhase.AVAILABLE);
    assertEquals(Consistency.FREEZE, available.getStatus().getSource().getConsistencyAchieved());
    assertFalse(cluster.operator().exec().frozen(cluster.namespace(), "web"), "thawed");
    assertEachOnce(cluster.eventReasons("img"));
  }

  private void runningWeb() {
    Manifests.create(cluster.client(), cluster.namespace(), CrashPointTest.WEB);
    cluster.await(Instance.class, "web", i -> i.getStatus() != null && i.getStatus().getPhase() == InstancePhase.RUNNING
        && i.getStatus().getPlatform() != null);
  }

  private List<Snapshot> children() {
    return cluster.client().resources(Snapshot.class).inNamespace(cluster.namespace()).list().getItems();
  }

  private static void assertEachOnce(List<String> reasons) {
    assertEquals(Set.copyOf(reasons).size(), reasons.size(), "each Event once: " + reasons);
  }
}
