package dev.kiln.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.kiln.api.v1alpha1.InstancePhase;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.MachineImagePhase;
import dev.kiln.operator.support.ConditionTypes;
import dev.kiln.operator.support.Conditions;
import dev.kiln.testing.Fixtures;
import dev.kiln.testing.KilnTestCluster;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshot;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshotContent;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Baking images from running instances among the upstream storage components and kwok's exec. */
@Tag("upstream")
class UpstreamCaptureTest {

  @RegisterExtension
  static final KilnTestCluster cluster = KilnTestCluster.upstream();
  private final Fixtures fixtures = new Fixtures(cluster);
  private final UpstreamScenario scenario = new UpstreamScenario(cluster);

  static final String WEB = """
      metadata: {name: web}
      spec:
        template:
          spec:
            containers:
            - name: app
              image: nginx:1.27
              volumeMounts: [{name: root, mountPath: /srv}, {name: data, mountPath: /data}]
        disks:
        - {name: root, size: 2Gi}
        - {name: data, size: 3Gi}
      """;

  @Test
  void imageBakedWithStopRestoresEachDiskIntoThreeInstances() {
    scenario.runningWeb();
    scenario.write("web-root", "root bytes");
    scenario.write("web-data", "data bytes");

    fixtures.image("""
        metadata: {name: img}
        spec:
          source: {instance: {name: web, consistency: Stop}}
        """);
    MachineImage image = scenario.awaitImage("img", MachineImagePhase.AVAILABLE);
    scenario.awaitInstance("web", InstancePhase.RUNNING);
    assertEquals(2, image.getStatus().getDisks().size());
    for (String disk : List.of("root", "data")) {
      VolumeSnapshot snapshot = cluster.get(VolumeSnapshot.class, "img-" + disk);
      assertEquals(Boolean.TRUE, snapshot.getStatus().getReadyToUse(), "the snapshot-controller's verdict");
      assertEquals("web-" + disk, snapshot.getSpec().getSource().getPersistentVolumeClaimName());
    }
    // What the disks hold now must not leak into the image.
    scenario.write("web-root", "changed after the cut");

    for (String name : List.of("a", "b", "c")) {
      fixtures.instance("""
          metadata: {name: %s}
          spec:
            image: {name: img}
          """.formatted(name));
    }
    for (String name : List.of("a", "b", "c")) {
      scenario.awaitInstance(name, InstancePhase.RUNNING);
      assertEquals("root bytes", scenario.read(name + "-root"));
      assertEquals("data bytes", scenario.read(name + "-data"));
      PersistentVolumeClaim root = cluster.get(PersistentVolumeClaim.class, name + "-root");
      assertEquals("img-root", root.getSpec().getDataSource().getName());
      assertNotEquals(scenario.volumeOf("web-root"), scenario.volumeOf(name + "-root"), "a volume of its own");
    }
  }

  @Test
  void freezeRunsTheCommandsThroughThePodsExec() {
    scenario.runningWeb();
    scenario.write("web-data", "quiesced");

    fixtures.image("""
        metadata: {name: frozen}
        spec:
          source:
            instance:
              name: web
              consistency: Freeze
              freeze: {container: app, freezeCommand: %s, thawCommand: %s, timeout: 30s}
        """.formatted(scenario.logCommand("freeze"), scenario.logCommand("thaw")));

    MachineImage image = scenario.awaitImage("frozen", MachineImagePhase.AVAILABLE);
    assertEquals(List.of("freeze", "thaw"), scenario.execLog());
    assertEquals(InstancePhase.RUNNING, scenario.awaitInstance("web", InstancePhase.RUNNING).getStatus().getPhase());
    VolumeSnapshotContent content = cluster.client().resources(VolumeSnapshotContent.class)
        .withName(cluster.get(VolumeSnapshot.class, "frozen-data").getStatus().getBoundVolumeSnapshotContentName()).get();
    assertEquals("quiesced", scenario.readDriverFile("snapshots", content.getStatus().getSnapshotHandle()));
    assertEquals("True", Conditions.find(image.getStatus().getConditions(), ConditionTypes.AVAILABLE).orElseThrow().getStatus());
  }

  @Test
  void failedFreezeCommandIsThawedAndFailsTheImage() {
    scenario.runningWeb();

    fixtures.image("""
        metadata: {name: broken}
        spec:
          source:
            instance:
              name: web
              consistency: Freeze
              freeze: {container: app, freezeCommand: [sh, -c, 'echo freeze >> %s.log; echo no such filesystem >&2; exit 3'], thawCommand: %s, timeout: 30s}
        """.formatted(cluster.namespace(), scenario.logCommand("thaw")));

    MachineImage image = scenario.awaitImage("broken", MachineImagePhase.FAILED);
    String message = Conditions.find(image.getStatus().getConditions(), ConditionTypes.AVAILABLE).orElseThrow().getMessage();
    assertEquals(true, message.contains("no such filesystem"), message);
    assertEquals(List.of("freeze", "thaw"), scenario.execLog());
    scenario.awaitInstance("web", InstancePhase.RUNNING);
  }

  @Test
  void whatAFailedCommandPrintsIsQuotedOnlyInPart() {
    scenario.runningWeb();

    fixtures.image("""
        metadata: {name: noisy}
        spec:
          source:
            instance:
              name: web
              consistency: Freeze
              freeze: {container: app, freezeCommand: [sh, -c, 'head -c 300000 /dev/zero | tr "\\000" x >&2; exit 1'], thawCommand: %s}
        """.formatted(scenario.logCommand("thaw")));

    MachineImage image = scenario.awaitImage("noisy", MachineImagePhase.FAILED);
    String message = Conditions.find(image.getStatus().getConditions(), ConditionTypes.AVAILABLE).orElseThrow().getMessage();
    assertEquals(true, message.length() < 4000, "a message of " + message.length() + " characters");
    assertEquals(true, message.contains("more bytes"), message.substring(0, Math.min(200, message.length())));
    assertEquals(List.of("thaw"), scenario.execLog());
  }

  @Test
  void freezeCommandThatHangsIsThawedWhenTheTimeoutExpires() {
    scenario.runningWeb();

    fixtures.image("""
        metadata: {name: hung}
        spec:
          source:
            instance:
              name: web
              consistency: Freeze
              freeze: {container: app, freezeCommand: [sh, -c, 'echo freeze >> %s.log; sleep 60'], thawCommand: %s, timeout: 10s}
        """.formatted(cluster.namespace(), scenario.logCommand("thaw")));

    org.awaitility.Awaitility.await("the freeze command runs").atMost(KilnTestCluster.DEADLINE)
        .until(() -> scenario.execLog().contains("freeze"));
    scenario.awaitImage("hung", MachineImagePhase.FAILED);
    org.awaitility.Awaitility.await("thawed").atMost(KilnTestCluster.DEADLINE)
        .until(() -> scenario.execLog().contains("thaw"));
    assertEquals(List.of("freeze", "thaw"), scenario.execLog());
  }

  @Test
  void imageWithoutConsistencyLeavesTheInstanceRunning() {
    scenario.runningWeb();
    scenario.write("web-root", "live");

    fixtures.image("""
        metadata: {name: live}
        spec:
          source: {instance: {name: web, consistency: None}}
        """);

    scenario.awaitImage("live", MachineImagePhase.AVAILABLE);
    assertEquals(List.of(), scenario.execLog());
    fixtures.instance("""
        metadata: {name: copy}
        spec:
          image: {name: live}
        """);
    scenario.awaitInstance("copy", InstancePhase.RUNNING);
    assertEquals("live", scenario.read("copy-root"));
  }


}
