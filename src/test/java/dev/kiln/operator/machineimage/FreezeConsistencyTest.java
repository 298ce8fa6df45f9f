package dev.kiln.operator.machineimage;

import static dev.kiln.operator.machineimage.CaptureScenario.availableReason;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.api.v1alpha1.Consistency;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.MachineImagePhase;
import dev.kiln.operator.support.ConditionTypes;
import dev.kiln.operator.support.Conditions;
import dev.kiln.operator.support.Reasons;
import dev.kiln.testing.Fixtures;
import dev.kiln.testing.KilnTestCluster;
import dev.kiln.testing.RecordingExec;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Consistency Freeze: freeze, cut, thaw; and never a machine left frozen, whatever write is lost. */
class FreezeConsistencyTest {

  @RegisterExtension
  static final KilnTestCluster cluster = KilnTestCluster.withOperator();
  private final Fixtures fixtures = new Fixtures(cluster);
  private final CaptureScenario scenario = new CaptureScenario(cluster);

  static final String FROZEN_IMAGE = """
      metadata: {name: img}
      spec:
        source:
          instance:
            name: web
            consistency: Freeze
            freeze: {container: app, freezeCommand: [fsfreeze, --freeze, /srv], thawCommand: [fsfreeze, --unfreeze, /srv], timeout: %s}
      """;

  private static final List<String> FREEZE = List.of("fsfreeze", "--freeze", "/srv");
  private static final List<String> THAW = List.of("fsfreeze", "--unfreeze", "/srv");

  @Test
  void freezeConsistencyFreezesCutsAndThawsWithoutStoppingTheInstance() {
    scenario.runningInstance(MachineImageCaptureTest.WEB);
    String pod = cluster.get(Pod.class, "web").getMetadata().getUid();
    cluster.simulator().settings().holdUploads(true);

    fixtures.image(FROZEN_IMAGE.formatted("30s"));

    cluster.await(MachineImage.class, "img", i -> i.getStatus() != null && i.getStatus().getSource() != null
        && i.getStatus().getSource().getConsistencyAchieved() == Consistency.FREEZE);
    var runs = runs();
    assertEquals(FREEZE, runs.get(0).command());
    assertEquals(THAW, runs.get(1).command());
    assertEquals("app", runs.get(0).container());
    assertEquals("web", runs.get(0).pod());
    scenario.childrenOf("img").forEach(s -> assertTrue(s.getStatus().getCutTime() != null, "thawed only once every snapshot is cut"));

    cluster.simulator().releaseUploads();
    MachineImage available = scenario.awaitPhase("img", MachineImagePhase.AVAILABLE);
    assertEquals(Reasons.FILESYSTEMS_FROZEN,
        Conditions.find(available.getStatus().getConditions(), ConditionTypes.QUIESCED).get().getReason());
    assertEquals(pod, cluster.get(Pod.class, "web").getMetadata().getUid(), "the instance never stopped");
    assertEquals(2, runs().size());
    assertNull(available.getStatus().getSource().getFreezeRequestedAt());
  }

  @Test
  void theDecisionToFreezeReachesTheApiServerBeforeTheFreezeRuns() {
    scenario.runningInstance(MachineImageCaptureTest.WEB);
    List<String> recordedWhenFreezing = new java.util.concurrent.CopyOnWriteArrayList<>();
    cluster.operator().exec().afterRun(run -> {
      if (run.freezes()) {
        var stored = cluster.get(MachineImage.class, "img").getStatus().getSource();
        recordedWhenFreezing.add(String.valueOf(stored.getFreezeRequestedAt()));
      }
    });

    fixtures.image(FROZEN_IMAGE.formatted("30s"));
    scenario.awaitPhase("img", MachineImagePhase.AVAILABLE);

    assertEquals(1, recordedWhenFreezing.size());
    assertFalse(recordedWhenFreezing.get(0).equals("null"), "the freeze ran before its decision was stored");
  }

  @Test
  void aRecordOfTheFreezeLostRightAfterItRanEndsThawedAndTheImageCompletes() {
    scenario.runningInstance(MachineImageCaptureTest.WEB);
    AtomicBoolean dropped = new AtomicBoolean();
    cluster.operator().exec().afterRun(run -> {
      if (run.freezes() && dropped.compareAndSet(false, true)) {
        throw new IllegalStateException("connection lost after the freeze ran");
      }
    });

    fixtures.image(FROZEN_IMAGE.formatted("30s"));
    MachineImage available = scenario.awaitPhase("img", MachineImagePhase.AVAILABLE);

    assertEquals(List.of(FREEZE, THAW, FREEZE, THAW), commands(), "an extra thaw first, never a missing one");
    assertFalse(cluster.operator().exec().frozen(cluster.namespace(), "web"));
    assertEquals(Consistency.FREEZE, available.getStatus().getSource().getConsistencyAchieved());
  }

  @Test
  void anEditOfTheImageRightAfterTheFreezeLeavesTheMachineThawed() {
    scenario.runningInstance(MachineImageCaptureTest.WEB);
    AtomicBoolean edited = new AtomicBoolean();
    cluster.operator().exec().afterRun(run -> {
      if (run.freezes() && edited.compareAndSet(false, true)) {
        cluster.edit(MachineImage.class, "img", i -> {
          i.getMetadata().setLabels(java.util.Map.of("team", "web"));
          return i;
        });
      }
    });

    fixtures.image(FROZEN_IMAGE.formatted("30s"));
    MachineImage available = scenario.awaitPhase("img", MachineImagePhase.AVAILABLE);

    assertTrue(edited.get());
    // Whether the status write after the freeze meets the edit or not, freezes and thaws alternate.
    List<List<String>> commands = commands();
    assertTrue(commands.equals(List.of(FREEZE, THAW)) || commands.equals(List.of(FREEZE, THAW, FREEZE, THAW)),
        commands.toString());
    assertFalse(cluster.operator().exec().frozen(cluster.namespace(), "web"));
    assertEquals(Consistency.FREEZE, available.getStatus().getSource().getConsistencyAchieved());
  }

  @Test
  void anOperatorKilledRightAfterTheFreezeThawsOnRestart() {
    scenario.runningInstance(MachineImageCaptureTest.WEB);
    AtomicBoolean killed = new AtomicBoolean();
    cluster.operator().exec().afterRun(run -> {
      if (run.freezes() && killed.compareAndSet(false, true)) {
        throw new IllegalStateException("the operator died after the freeze ran");
      }
    });

    fixtures.image(FROZEN_IMAGE.formatted("30s"));
    Awaitility.await("the freeze ran").atMost(KilnTestCluster.DEADLINE).until(killed::get);
    cluster.operator().restart();
    MachineImage available = scenario.awaitPhase("img", MachineImagePhase.AVAILABLE);

    assertEquals(List.of(FREEZE, THAW, FREEZE, THAW), commands());
    assertFalse(cluster.operator().exec().frozen(cluster.namespace(), "web"));
    assertEquals(Consistency.FREEZE, available.getStatus().getSource().getConsistencyAchieved());
  }

  @Test
  void failedFreezeFailsTheImageAndThawsAnyway() {
    scenario.runningInstance(MachineImageCaptureTest.WEB);
    cluster.operator().exec().fail(c -> c.contains("--freeze"));

    fixtures.image(FROZEN_IMAGE.formatted("30s"));
    MachineImage failed = scenario.awaitPhase("img", MachineImagePhase.FAILED);

    assertEquals(Reasons.FREEZE_FAILED, availableReason(failed));
    assertEquals(THAW, commands().get(commands().size() - 1));
    assertTrue(scenario.childrenOf("img").isEmpty());
    assertNull(failed.getStatus().getSource().getFreezeRequestedAt());
  }

  @Test
  void snapshotsNotCutWithinTheFreezeTimeoutFailTheImageAndThaw() {
    scenario.runningInstance(MachineImageCaptureTest.WEB);
    cluster.simulator().settings().snapshotCutDelay(Duration.ofSeconds(30));

    fixtures.image(FROZEN_IMAGE.formatted("2s"));
    MachineImage failed = scenario.awaitPhase("img", MachineImagePhase.FAILED);

    assertEquals(Reasons.FREEZE_TIMEOUT, availableReason(failed));
    assertEquals(THAW, commands().get(commands().size() - 1));
    assertFalse(cluster.operator().exec().frozen(cluster.namespace(), "web"));
    scenario.awaitNoChildren();
  }

  @Test
  void failedThawIsReportedAndRetriedUntilItSucceeds() {
    scenario.runningInstance(MachineImageCaptureTest.WEB);
    cluster.operator().exec().fail(c -> c.contains("--unfreeze"));

    fixtures.image(FROZEN_IMAGE.formatted("1m"));
    cluster.await(MachineImage.class, "img", i -> cluster.eventReasons("img").contains(Reasons.THAW_FAILED));
    assertTrue(cluster.get(MachineImage.class, "img").getStatus().getSource().getFrozenAt() != null,
        "still recorded as frozen while the thaw fails");

    cluster.operator().exec().fail(c -> false);
    MachineImage available = scenario.awaitPhase("img", MachineImagePhase.AVAILABLE);
    assertNull(available.getStatus().getSource().getFrozenAt());
    assertFalse(cluster.operator().exec().frozen(cluster.namespace(), "web"));
    assertEquals(Consistency.FREEZE, available.getStatus().getSource().getConsistencyAchieved());
  }

  @Test
  void freezeContainerMissingFromTheTemplateFailsBeforeAnythingRuns() {
    scenario.runningInstance(MachineImageCaptureTest.WEB);

    fixtures.image(FROZEN_IMAGE.formatted("30s").replace("container: app", "container: sidecar"));
    MachineImage failed = scenario.awaitPhase("img", MachineImagePhase.FAILED);

    assertEquals(Reasons.FREEZE_CONTAINER_NOT_FOUND, availableReason(failed));
    assertTrue(runs().isEmpty());
    assertTrue(scenario.childrenOf("img").isEmpty());
  }

  private List<RecordingExec.Run> runs() {
    return cluster.operator().exec().runsIn(cluster.namespace());
  }

  private List<List<String>> commands() {
    return runs().stream().map(RecordingExec.Run::command).toList();
  }
}
