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
import dev.kiln.testing.ConflictInjector;
import dev.kiln.testing.Fixtures;
import dev.kiln.testing.KilnTestCluster;
import dev.kiln.testing.OperatorRunner;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshot;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Status writes that conflict with edits made in between are retried; the capture ends as without them. */
class StatusConflictTest {

  @RegisterExtension
  static final KilnTestCluster cluster = KilnTestCluster.withOperator();
  private final Fixtures fixtures = new Fixtures(cluster);

  @AfterEach
  void healthyOperator() {
    cluster.operator().stop();
  }

  @Test
  void aStopCaptureWhoseStatusWritesConflictEndsAvailableAndReleased() {
    capture("Stop");
  }

  @Test
  void aFreezeCaptureWhoseStatusWritesConflictEndsThawed() {
    capture("Freeze");
    assertFalse(cluster.operator().exec().frozen(cluster.namespace(), "web"));
  }

  private void capture(String consistency) {
    fixtures.instance("""
        metadata: {name: web}
        spec:
          template: {spec: {containers: [{name: app, image: nginx:1.27}]}}
          disks: [{name: root, size: 1Gi}, {name: data, size: 1Gi}]
        """);
    cluster.await(Instance.class, "web", i -> i.getStatus() != null && i.getStatus().getPhase() == InstancePhase.RUNNING
        && i.getStatus().getPlatform() != null);
    OperatorRunner operator = (OperatorRunner) cluster.operator();
    operator.stop();
    ConflictInjector conflicts = new ConflictInjector(cluster.client(), cluster.namespace(), 12);
    operator.startThrough(conflicts, () -> false);

    fixtures.image("""
        metadata: {name: img}
        spec:
          source:
            instance:
              name: web
              consistency: %s%s
        """.formatted(consistency, "Freeze".equals(consistency)
        ? "\n      freeze: {freezeCommand: [fsfreeze, --freeze, /srv], thawCommand: [fsfreeze, --unfreeze, /srv]}" : ""));

    MachineImage image = cluster.await(MachineImage.class, "img",
        i -> i.getStatus() != null && i.getStatus().getPhase() == MachineImagePhase.AVAILABLE);
    assertTrue(conflicts.injected() >= 6, "conflicts injected: " + conflicts.injected());
    assertEquals(List.of("img-root", "img-data"), image.getStatus().getDisks().stream().map(d -> d.getSnapshot()).toList());
    Instance web = cluster.await(Instance.class, "web", i -> i.getStatus().getPhase() == InstancePhase.RUNNING
        && !Conditions.isTrue(i.getStatus().getConditions(), ConditionTypes.HELD));
    assertEquals(InstancePhase.RUNNING, web.getStatus().getPhase());
    assertEquals(2, cluster.client().resources(Snapshot.class).inNamespace(cluster.namespace()).list().getItems().size());
    assertEquals(2, cluster.client().resources(VolumeSnapshot.class).inNamespace(cluster.namespace()).list().getItems().size());
    List<String> imageEvents = cluster.eventReasons("img");
    assertEquals(imageEvents.stream().distinct().toList(), imageEvents, "each announced once");
  }
}
