package dev.kiln.operator.machineimage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.api.v1alpha1.Consistency;
import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.InstancePhase;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.MachineImagePhase;
import dev.kiln.api.v1alpha1.Snapshot;
import dev.kiln.operator.support.Durations;
import dev.kiln.testing.Fixtures;
import dev.kiln.testing.KilnTestCluster;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * source.instance.preSnapshot: the first snapshots are taken while the instance runs, so the hold
 * only covers the final snapshots, which an incremental driver cuts quickly. The simulated driver
 * here takes its time in proportion to what was written since a volume's previous snapshot.
 */
class TwoPhaseCaptureTest {

  @RegisterExtension
  static final KilnTestCluster cluster = KilnTestCluster.withOperator();
  private final Fixtures fixtures = new Fixtures(cluster);

  @Test
  void theHoldOfATwoPhaseCaptureIsShorterThanTheHoldOfAOnePhaseCapture() {
    cluster.simulator().settings().snapshotCutPerGi(Duration.ofSeconds(3));
    runningInstance("one-phase");
    runningInstance("two-phase");

    image("whole", "one-phase", false);
    image("incremental", "two-phase", true);
    MachineImage whole = awaitAvailable("whole");
    MachineImage incremental = awaitAvailable("incremental");

    Duration wholeHold = Durations.parse(whole.getStatus().getSource().getHeldFor());
    Duration incrementalHold = Durations.parse(incremental.getStatus().getSource().getHeldFor());
    System.out.printf("[two-phase] held %s with one phase, %s with two%n", wholeHold, incrementalHold);
    assertTrue(wholeHold.compareTo(Duration.ofSeconds(3)) >= 0, "a whole 1Gi volume takes 3s to cut: " + wholeHold);
    assertTrue(incrementalHold.compareTo(wholeHold.minusSeconds(2)) < 0,
        "the final cut copies only what was written since the first: " + incrementalHold + " vs " + wholeHold);

    var source = incremental.getStatus().getSource();
    assertEquals(Boolean.TRUE, source.getPreSnapshot());
    assertEquals(Consistency.STOP, source.getConsistencyAchieved());
    assertNotNull(source.getPreSnapshotCutTime());
    assertFalse(Instant.parse(source.getCutTime()).isBefore(Instant.parse(source.getPreSnapshotCutTime())),
        "the final cut comes after the first");
    assertFalse(Instant.parse(source.getHoldStartTime()).isBefore(Instant.parse(source.getPreSnapshotCutTime())),
        "the instance is held only after the first snapshots");
    assertNull(whole.getStatus().getSource().getPreSnapshotCutTime());
    assertEquals("incremental-root", incremental.getStatus().getDisks().get(0).getSnapshot());
    cluster.awaitGone(Snapshot.class, "incremental-root-pre");
    cluster.awaitGone(Snapshot.class, "incremental-data-pre");
    assertEquals(InstancePhase.RUNNING, cluster.await(Instance.class, "two-phase",
        i -> i.getStatus().getPhase() == InstancePhase.RUNNING).getStatus().getPhase());
  }

  private void runningInstance(String name) {
    fixtures.instance("""
        metadata: {name: %s}
        spec:
          template: {spec: {containers: [{name: app, image: nginx:1.27, volumeMounts: [{name: root, mountPath: /srv}, {name: data, mountPath: /data}]}]}}
          disks: [{name: root, size: 1Gi}, {name: data, size: 1Gi}]
        """.formatted(name));
    cluster.await(Instance.class, name, i -> i.getStatus() != null && i.getStatus().getPhase() == InstancePhase.RUNNING
        && i.getStatus().getPlatform() != null);
  }

  private void image(String name, String instance, boolean preSnapshot) {
    fixtures.image("""
        metadata: {name: %s}
        spec:
          source: {instance: {name: %s, consistency: Stop, preSnapshot: %s}}
        """.formatted(name, instance, preSnapshot));
  }

  private static MachineImage awaitAvailable(String name) {
    return cluster.await(MachineImage.class, name, i -> i.getStatus() != null
        && i.getStatus().getPhase() == MachineImagePhase.AVAILABLE);
  }
}
