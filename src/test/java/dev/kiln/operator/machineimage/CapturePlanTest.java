package dev.kiln.operator.machineimage;

import static dev.kiln.operator.machineimage.ImageFixtures.holding;
import static dev.kiln.operator.machineimage.ImageFixtures.image;
import static dev.kiln.operator.machineimage.ImageFixtures.instance;
import static dev.kiln.operator.machineimage.ImageFixtures.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.api.v1alpha1.InstancePhase;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.MachineImagePhase;
import dev.kiln.api.v1alpha1.Snapshot;
import dev.kiln.api.v1alpha1.SnapshotPhase;
import dev.kiln.operator.support.Reasons;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CapturePlanTest {

  private static final Instant NOW = Instant.parse("2026-01-01T01:00:00Z");
  private static final Instant DEADLINE = Instant.parse("2026-01-02T00:00:00Z");
  private static final List<String> DISKS = List.of("root", "data");
  private static final String CUT = "2026-01-01T00:30:00Z";

  @Test
  void startsFirst() {
    assertEquals(CaptureStep.START, plan(image("img", null, MachineImagePhase.PENDING, null),
        InstancePhase.RUNNING, Map.of()).next());
  }

  @Test
  void waitsForTheHeldInstanceToStopBeforeAnySnapshot() {
    MachineImage held = holding(image("img", null, MachineImagePhase.CREATING, null), true);

    assertEquals(CaptureStep.WAIT_FOR_STOP, plan(held, InstancePhase.STOPPING, Map.of()).next());
    assertEquals(CaptureStep.CREATE_SNAPSHOTS, plan(held, InstancePhase.STOPPED, Map.of()).next());
  }

  @Test
  void releasesTheHoldOnceEverySnapshotIsCutNotWhenReady() {
    MachineImage held = holding(image("img", null, MachineImagePhase.CREATING, null), true);
    Map<String, Snapshot> oneCut = Map.of("root", snapshot("img-root", SnapshotPhase.CREATING, CUT),
        "data", snapshot("img-data", SnapshotPhase.CREATING, null));
    Map<String, Snapshot> allCut = Map.of("root", snapshot("img-root", SnapshotPhase.CREATING, CUT),
        "data", snapshot("img-data", SnapshotPhase.CREATING, CUT));

    assertEquals(CaptureStep.WAIT_FOR_CUT, plan(held, InstancePhase.STOPPED, oneCut).next());
    assertEquals(CaptureStep.RELEASE_HOLD, plan(held, InstancePhase.STOPPED, allCut).next());
  }

  @Test
  void completesWhenEverySnapshotIsReady() {
    MachineImage released = holding(image("img", null, MachineImagePhase.CREATING, null), false);
    Map<String, Snapshot> cut = Map.of("root", snapshot("img-root", SnapshotPhase.CREATING, CUT),
        "data", snapshot("img-data", SnapshotPhase.READY, CUT));
    Map<String, Snapshot> ready = Map.of("root", snapshot("img-root", SnapshotPhase.READY, CUT),
        "data", snapshot("img-data", SnapshotPhase.READY, CUT));

    assertEquals(CaptureStep.WAIT_FOR_READY, plan(released, InstancePhase.RUNNING, cut).next());
    assertEquals(CaptureStep.COMPLETE, plan(released, InstancePhase.RUNNING, ready).next());
  }

  @Test
  void failsOnAFailedSnapshotAMissingInstanceOrTheDeadline() {
    MachineImage held = holding(image("img", null, MachineImagePhase.CREATING, null), true);
    Map<String, Snapshot> failed = Map.of("root", snapshot("img-root", SnapshotPhase.FAILED, null));

    assertEquals(CaptureStep.FAIL, plan(held, InstancePhase.STOPPED, failed).next());
    CapturePlan missing = new CapturePlan(held, null, DISKS, Map.of(), Optional.empty(), NOW, DEADLINE);
    assertEquals(Reasons.SOURCE_NOT_FOUND, missing.failure().orElseThrow().reason());
    CapturePlan late = new CapturePlan(held, instance(InstancePhase.STOPPED), DISKS, Map.of(), Optional.empty(), DEADLINE, DEADLINE);
    assertEquals(Reasons.CREATION_TIMEOUT, late.failure().orElseThrow().reason());
  }

  @Test
  void aDriverErrorFailsTheImageWhileTheInstanceIsHeldButIsRetriedOnceItRunsAgain() {
    Map<String, Snapshot> erring = Map.of("root", retrying(snapshot("img-root", SnapshotPhase.CREATING, null)),
        "data", snapshot("img-data", SnapshotPhase.CREATING, CUT));
    MachineImage held = holding(image("img", null, MachineImagePhase.CREATING, null), true);
    MachineImage released = holding(image("img", null, MachineImagePhase.CREATING, null), false);

    assertEquals(CaptureStep.FAIL, plan(held, InstancePhase.STOPPED, erring).next());
    assertEquals(Reasons.SNAPSHOT_FAILED, plan(held, InstancePhase.STOPPED, erring).failure().orElseThrow().reason());
    assertEquals(CaptureStep.WAIT_FOR_CUT, plan(released, InstancePhase.RUNNING, erring).next());
  }

  @Test
  void preflightProblemsFailBeforeAnythingStarts() {
    MachineImage pending = image("img", null, MachineImagePhase.PENDING, null);
    CapturePlan plan = new CapturePlan(pending, instance(InstancePhase.RUNNING), DISKS, Map.of(),
        Optional.of(new CapturePlan.Finding(Reasons.NOT_SNAPSHOTTABLE, "no class")), NOW, DEADLINE);
    CapturePlan noDisks = new CapturePlan(pending, instance(InstancePhase.RUNNING), List.of(), Map.of(),
        Optional.empty(), NOW, DEADLINE);

    assertEquals(Reasons.NOT_SNAPSHOTTABLE, plan.failure().orElseThrow().reason());
    assertEquals(Reasons.NO_PERSISTENT_DISKS, noDisks.failure().orElseThrow().reason());
  }

  @Test
  void theDecisionToFreezeIsRecordedBeforeTheFreezeRuns() {
    MachineImage freezing = freezing(null, null);
    assertEquals(CaptureStep.REQUEST_FREEZE, plan(freezing, InstancePhase.RUNNING, Map.of()).next());
  }

  @Test
  void aRecordedDecisionLeadsToTheFreezeWhichIsRecordedBeforeAnySnapshot() {
    assertEquals(CaptureStep.FREEZE, plan(freezing("2026-01-01T00:59:50Z", null), InstancePhase.RUNNING, Map.of()).next());
    assertEquals(CaptureStep.CREATE_SNAPSHOTS,
        plan(freezing("2026-01-01T00:59:50Z", "2026-01-01T00:59:51Z"), InstancePhase.RUNNING, Map.of()).next());
  }

  @Test
  void thawsOnceEverySnapshotIsCut() {
    MachineImage frozen = freezing("2026-01-01T00:59:50Z", "2026-01-01T00:59:51Z");
    Map<String, Snapshot> allCut = Map.of("root", snapshot("img-root", SnapshotPhase.CREATING, CUT),
        "data", snapshot("img-data", SnapshotPhase.CREATING, CUT));
    assertEquals(CaptureStep.THAW, plan(frozen, InstancePhase.RUNNING, allCut).next());
  }

  @Test
  void theFreezeTimeoutCountsFromTheDecisionSinceTheFreezeMayHaveRunWithoutItsRecord() {
    Map<String, Snapshot> notCut = Map.of("root", snapshot("img-root", SnapshotPhase.CREATING, null),
        "data", snapshot("img-data", SnapshotPhase.CREATING, null));
    assertEquals(Reasons.FREEZE_TIMEOUT, plan(freezing("2026-01-01T00:59:00Z", null), InstancePhase.RUNNING, Map.of())
        .failure().orElseThrow().reason());
    assertEquals(Reasons.FREEZE_TIMEOUT, plan(freezing("2026-01-01T00:59:00Z", "2026-01-01T00:59:59Z"),
        InstancePhase.RUNNING, notCut).failure().orElseThrow().reason());
    assertEquals(CaptureStep.WAIT_FOR_CUT, plan(freezing("2026-01-01T00:59:59Z", "2026-01-01T00:59:59Z"),
        InstancePhase.RUNNING, notCut).next());
  }

  @Test
  void aCommandMayTakeTheFreezeTimeoutButNeverMoreThanHalfAMinute() {
    MachineImage quick = freezing(null, null);
    quick.getSpec().getSource().getInstance().setFreeze(new dev.kiln.api.v1alpha1.FreezeSpec());
    quick.getSpec().getSource().getInstance().getFreeze().setTimeout("10s");
    assertEquals(java.time.Duration.ofSeconds(10), CapturePlan.commandTimeout(quick));
    quick.getSpec().getSource().getInstance().getFreeze().setTimeout("10m");
    assertEquals(java.time.Duration.ofSeconds(30), CapturePlan.commandTimeout(quick));
    assertEquals(java.time.Duration.ofMinutes(10), CapturePlan.freezeTimeout(quick), "the machine may stay frozen longer");
  }

  @Test
  void snapshotsWithoutARecordedFreezeFailTheImageAndThaw() {
    Map<String, Snapshot> cut = Map.of("root", snapshot("img-root", SnapshotPhase.CREATING, CUT));
    CapturePlan plan = plan(freezing("2026-01-01T00:59:50Z", null), InstancePhase.RUNNING, cut);
    assertEquals(CaptureStep.FAIL, plan.next());
    assertEquals(Reasons.FREEZE_FAILED, plan.failure().orElseThrow().reason());
    assertEquals(true, plan.mayBeFrozen(), "the failure thaws");
  }

  @Test
  void aThawIsRecordedByClearingTheDecision() {
    MachineImage thawed = freezing(null, null);
    thawed.getStatus().getSource().setConsistencyAchieved(dev.kiln.api.v1alpha1.Consistency.FREEZE);
    Map<String, Snapshot> ready = Map.of("root", snapshot("img-root", SnapshotPhase.READY, CUT),
        "data", snapshot("img-data", SnapshotPhase.READY, CUT));
    CapturePlan plan = plan(thawed, InstancePhase.RUNNING, ready);
    assertEquals(CaptureStep.COMPLETE, plan.next());
    assertEquals(false, plan.mayBeFrozen());
  }

  /** An image with consistency Freeze (30s timeout by default), its decision and freeze recorded as given. */
  private static MachineImage freezing(String requestedAt, String frozenAt) {
    MachineImage image = holding(image("img", null, MachineImagePhase.CREATING, null), false);
    image.getSpec().getSource().getInstance().setConsistency(dev.kiln.api.v1alpha1.Consistency.FREEZE);
    image.getStatus().getSource().setFreezeRequestedAt(requestedAt);
    image.getStatus().getSource().setFrozenAt(frozenAt);
    return image;
  }

  /** A Snapshot whose driver reported an error that csi-snapshotter retries. */
  private static Snapshot retrying(Snapshot snapshot) {
    snapshot.getStatus().setConditions(new java.util.ArrayList<>(List.of(new io.fabric8.kubernetes.api.model.ConditionBuilder()
        .withType(dev.kiln.operator.support.ConditionTypes.READY).withStatus("False")
        .withReason(Reasons.SNAPSHOT_FAILED).withMessage("rpc error: throttled").build())));
    return snapshot;
  }

  private static CapturePlan plan(MachineImage image, InstancePhase instancePhase, Map<String, Snapshot> children) {
    return new CapturePlan(image, instance(instancePhase), DISKS, children, Optional.empty(), NOW, DEADLINE);
  }
}
