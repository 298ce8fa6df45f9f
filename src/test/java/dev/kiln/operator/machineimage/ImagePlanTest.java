package dev.kiln.operator.machineimage;

import static dev.kiln.operator.machineimage.ImageFixtures.holding;
import static dev.kiln.operator.machineimage.ImageFixtures.image;
import static dev.kiln.operator.machineimage.ImageFixtures.instance;
import static dev.kiln.operator.machineimage.ImageFixtures.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.api.v1alpha1.CheckSpec;
import dev.kiln.api.v1alpha1.CheckStatus;
import dev.kiln.api.v1alpha1.Consistency;
import dev.kiln.api.v1alpha1.FreezeSpec;
import dev.kiln.api.v1alpha1.ImageSource;
import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.InstancePhase;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.MachineImagePhase;
import dev.kiln.api.v1alpha1.Platform;
import dev.kiln.api.v1alpha1.Snapshot;
import dev.kiln.api.v1alpha1.SnapshotDiskSource;
import dev.kiln.api.v1alpha1.SnapshotPhase;
import dev.kiln.operator.support.ConditionTypes;
import dev.kiln.operator.support.Conditions;
import dev.kiln.operator.support.Reasons;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * One row per transition of a MachineImage's lifecycle, on a fixed clock: the step, the phase it
 * leads to, why it fails and when the image is looked at again.
 */
class ImagePlanTest {

  private static final Instant NOW = Instant.parse("2026-01-01T01:00:00Z");
  private static final Instant DEADLINE = Instant.parse("2026-01-02T00:00:00Z");
  private static final List<String> DISKS = List.of("root", "data");
  private static final String CUT = "2026-01-01T00:30:00Z";

  @Nested
  class Capture {

    @Test
    void startsFirst() {
      ImagePlan plan = capture(image("img", null, MachineImagePhase.PENDING, null), InstancePhase.RUNNING, Map.of());
      assertRow(plan, ImageStep.START, MachineImagePhase.CREATING);
      assertEquals(Optional.of(DEADLINE.plusSeconds(1)), plan.wakeUp(), "nothing else wakes it at its deadline");
    }

    @Test
    void waitsForASourceCreatedWithItToRunBeforeStartingRatherThanFailingOnItsPlatform() {
      Instance starting = instance(InstancePhase.PENDING);
      starting.getSpec().setRunning(true);
      MachineImage pending = image("img", null, MachineImagePhase.PENDING, null);

      ImagePlan waiting = new ImagePlan(pending, starting, DISKS, Map.of(), Map.of(), Map.of(), null, Optional.empty(), NOW, DEADLINE);
      assertRow(waiting, ImageStep.WAIT_FOR_SOURCE, MachineImagePhase.CREATING);
      assertTrue(waiting.waitingFor().startsWith("waiting for Instance web to run on a node"), waiting.waitingFor());

      dev.kiln.api.v1alpha1.Platform node = new dev.kiln.api.v1alpha1.Platform();
      node.setOs("linux");
      node.setArchitecture("amd64");
      starting.getStatus().setPlatform(node);
      assertRow(new ImagePlan(pending, starting, DISKS, Map.of(), Map.of(), Map.of(), null, Optional.empty(), NOW, DEADLINE),
          ImageStep.START, MachineImagePhase.CREATING);
    }

    @Test
    void waitsForTheHeldInstanceToStopBeforeAnySnapshot() {
      MachineImage held = holding(image("img", null, MachineImagePhase.CREATING, null), true);

      ImagePlan stopping = capture(held, InstancePhase.STOPPING, Map.of());
      assertRow(stopping, ImageStep.WAIT_FOR_STOP, MachineImagePhase.CREATING);
      assertEquals(Reasons.STOPPING_SOURCE, condition(stopping, ConditionTypes.QUIESCED).getReason());
      ImagePlan stopped = capture(held, InstancePhase.STOPPED, Map.of());
      assertRow(stopped, ImageStep.CREATE_SNAPSHOTS, MachineImagePhase.CREATING);
      assertEquals(stopping.conditions(held.getStatus()), stopped.conditions(held.getStatus()),
          "stopping and cutting read as one stretch of the hold: no status write between them");
    }

    @Test
    void releasesTheHoldOnceEverySnapshotIsCutNotWhenReady() {
      MachineImage held = holding(image("img", null, MachineImagePhase.CREATING, null), true);
      Map<String, Snapshot> oneCut = Map.of("root", snapshot("img-root", SnapshotPhase.CREATING, CUT),
          "data", snapshot("img-data", SnapshotPhase.CREATING, null));

      assertRow(capture(held, InstancePhase.STOPPED, oneCut), ImageStep.WAIT_FOR_CUT, MachineImagePhase.CREATING);
      assertRow(capture(held, InstancePhase.STOPPED, allCut(SnapshotPhase.CREATING)), ImageStep.RELEASE_HOLD,
          MachineImagePhase.CREATING);
      assertTrue(ImagePlan.CONTINUING.contains(ImageStep.RELEASE_HOLD), "the step after it follows in the same pass");
    }

    @Test
    void aTwoPhaseCaptureTakesItsFirstSnapshotsWhileTheInstanceRunsAndHoldsItOnlyOnceTheyAreReady() {
      MachineImage image = holding(image("img", null, MachineImagePhase.CREATING, null), false);
      image.getStatus().getSource().setPreSnapshot(true);

      ImagePlan first = capture(image, InstancePhase.RUNNING, Map.of());
      assertRow(first, ImageStep.PRE_SNAPSHOT, MachineImagePhase.CREATING);
      assertEquals(DISKS, first.missingPreSnapshots());
      Map<String, Snapshot> uploading = Map.of("root", snapshot("img-root-pre", SnapshotPhase.CREATING, CUT),
          "data", snapshot("img-data-pre", SnapshotPhase.READY, CUT));
      ImagePlan waiting = twoPhase(image, uploading, Map.of());
      assertRow(waiting, ImageStep.WAIT_FOR_PRE_SNAPSHOTS, MachineImagePhase.CREATING);
      assertTrue(waiting.waitingFor().contains("while the instance runs"), waiting.waitingFor());
      Map<String, Snapshot> ready = Map.of("root", snapshot("img-root-pre", SnapshotPhase.READY, CUT),
          "data", snapshot("img-data-pre", SnapshotPhase.READY, "2026-01-01T00:31:00Z"));
      assertRow(twoPhase(image, ready, Map.of()), ImageStep.HOLD, MachineImagePhase.CREATING);
      assertTrue(ImagePlan.CONTINUING.contains(ImageStep.HOLD), "a freeze is decided in the same pass");
      assertEquals(Optional.of("2026-01-01T00:31:00Z"), ImagePlan.lastCut(ready));

      image.getStatus().getSource().setPreSnapshotCutTime("2026-01-01T00:31:00Z");
      image.getStatus().getSource().setHeld(true);
      assertRow(twoPhase(image, ready, Map.of()), ImageStep.WAIT_FOR_STOP, MachineImagePhase.CREATING);
    }

    @Test
    void aFailedFirstSnapshotFailsTheImage() {
      MachineImage image = holding(image("img", null, MachineImagePhase.CREATING, null), false);
      image.getStatus().getSource().setPreSnapshot(true);
      assertFails(twoPhase(image, Map.of("root", snapshot("img-root-pre", SnapshotPhase.FAILED, null)), Map.of()),
          Reasons.SNAPSHOT_FAILED);
    }

    @Test
    void completesWhenEverySnapshotIsReady() {
      MachineImage released = holding(image("img", null, MachineImagePhase.CREATING, null), false);
      Map<String, Snapshot> cut = Map.of("root", snapshot("img-root", SnapshotPhase.CREATING, CUT),
          "data", snapshot("img-data", SnapshotPhase.READY, CUT));

      assertRow(capture(released, InstancePhase.RUNNING, cut), ImageStep.WAIT_FOR_READY, MachineImagePhase.CREATING);
      ImagePlan ready = capture(released, InstancePhase.RUNNING, allCut(SnapshotPhase.READY));
      assertRow(ready, ImageStep.COMPLETE, MachineImagePhase.AVAILABLE);
      assertEquals(Optional.empty(), ready.wakeUp());
    }

    @Test
    void completesIntoTheBootCheckWhenOneIsAskedFor() {
      MachineImage released = checked(holding(image("img", null, MachineImagePhase.CREATING, null), false), "2m");
      ImagePlan plan = capture(released, InstancePhase.RUNNING, allCut(SnapshotPhase.READY));

      assertRow(plan, ImageStep.COMPLETE, MachineImagePhase.CHECKING);
      assertEquals(Optional.of(NOW.plus(Duration.ofMinutes(2)).plusSeconds(1)), plan.wakeUp());
      assertEquals("booting Instance img-check from the image", condition(plan, ConditionTypes.AVAILABLE).getMessage());
      assertEquals(Conditions.TRUE, condition(plan, ConditionTypes.SNAPSHOTS_READY).getStatus());
    }

    @Test
    void completesDeprecatedWhenItsDeprecationTimeHasPassed() {
      MachineImage released = holding(image("img", null, MachineImagePhase.CREATING, null), false);
      released.getSpec().setDeprecateAt("2026-01-01T00:00:00Z");
      assertRow(capture(released, InstancePhase.RUNNING, allCut(SnapshotPhase.READY)), ImageStep.COMPLETE,
          MachineImagePhase.DEPRECATED);
    }

    @Test
    void failsOnAFailedSnapshotAMissingInstanceOrTheDeadline() {
      MachineImage held = holding(image("img", null, MachineImagePhase.CREATING, null), true);
      Map<String, Snapshot> failed = Map.of("root", snapshot("img-root", SnapshotPhase.FAILED, null));

      assertFails(capture(held, InstancePhase.STOPPED, failed), Reasons.SNAPSHOT_FAILED);
      assertFails(new ImagePlan(held, null, DISKS, Map.of(), Map.of(), Map.of(), null, Optional.empty(), NOW, DEADLINE),
          Reasons.SOURCE_NOT_FOUND);
      assertFails(new ImagePlan(held, instance(InstancePhase.STOPPED), DISKS, Map.of(), Map.of(), Map.of(), null, Optional.empty(),
          DEADLINE, DEADLINE), Reasons.CREATION_TIMEOUT);
    }

    @Test
    void aSourceDeletedAfterTheCutDoesNotFailTheImage() {
      MachineImage released = holding(image("img", null, MachineImagePhase.CREATING, null), false);
      ImagePlan plan = new ImagePlan(released, null, DISKS, allCut(SnapshotPhase.READY), Map.of(), Map.of(), null, Optional.empty(),
          NOW, DEADLINE);
      assertRow(plan, ImageStep.COMPLETE, MachineImagePhase.AVAILABLE);
    }

    @Test
    void aDriverErrorFailsTheImageWhileTheInstanceIsHeldButIsRetriedOnceItRunsAgain() {
      Map<String, Snapshot> erring = Map.of("root", retrying(snapshot("img-root", SnapshotPhase.CREATING, null)),
          "data", snapshot("img-data", SnapshotPhase.CREATING, CUT));
      MachineImage held = holding(image("img", null, MachineImagePhase.CREATING, null), true);
      MachineImage released = holding(image("img", null, MachineImagePhase.CREATING, null), false);

      assertFails(capture(held, InstancePhase.STOPPED, erring), Reasons.SNAPSHOT_FAILED);
      assertRow(capture(released, InstancePhase.RUNNING, erring), ImageStep.WAIT_FOR_CUT, MachineImagePhase.CREATING);
    }

    @Test
    void preflightProblemsFailBeforeAnythingStarts() {
      MachineImage pending = image("img", null, MachineImagePhase.PENDING, null);
      assertFails(new ImagePlan(pending, instance(InstancePhase.RUNNING), DISKS, Map.of(), Map.of(), Map.of(), null,
          Optional.of(new Finding(Reasons.NOT_SNAPSHOTTABLE, "no class")), NOW, DEADLINE), Reasons.NOT_SNAPSHOTTABLE);
      assertFails(new ImagePlan(pending, instance(InstancePhase.RUNNING), List.of(), Map.of(), Map.of(), Map.of(), null,
          Optional.empty(), NOW, DEADLINE), Reasons.NO_PERSISTENT_DISKS);
    }

    @Test
    void whatActingFindsFailsTheImage() {
      ImagePlan freeze = capture(freezing("2026-01-01T00:59:50Z", null), InstancePhase.RUNNING, Map.of());
      assertEquals(ImageStep.FREEZE, freeze.next());
      ImagePlan failed = freeze.failing(new Finding(Reasons.FREEZE_FAILED, "the freeze command failed: exit 1"));
      assertFails(failed, Reasons.FREEZE_FAILED);
      assertTrue(failed.mayBeFrozen(), "the failure thaws");
    }

    @Test
    void theStepAfterAStatusOnlyStepIsPlannedOnTheStatusItLeft() {
      MachineImage held = holding(image("img", null, MachineImagePhase.CREATING, null), true);
      ImagePlan release = capture(held, InstancePhase.STOPPED, allCut(SnapshotPhase.READY));
      assertEquals(ImageStep.RELEASE_HOLD, release.next());

      var after = held.getStatus();
      after.getSource().setHeld(false);
      after.getSource().setConsistencyAchieved(Consistency.STOP);
      ImagePlan next = release.after(after);
      assertRow(next, ImageStep.COMPLETE, MachineImagePhase.AVAILABLE);
      assertEquals(Reasons.SNAPSHOTS_CUT, condition(next, ConditionTypes.QUIESCED).getReason());
    }

    @Test
    void thePlanForTheNextStepDoesNotChangeWhileThatStepActsOnTheStatus() {
      MachineImage held = checked(holding(image("img", null, MachineImagePhase.CREATING, null), true), "1m");
      var after = held.getStatus();
      after.getSource().setHeld(false);
      ImagePlan complete = capture(held, InstancePhase.STOPPED, allCut(SnapshotPhase.READY)).after(after);
      assertRow(complete, ImageStep.COMPLETE, MachineImagePhase.CHECKING);

      after.setPhase(MachineImagePhase.AVAILABLE); // what completing writes, before the check starts
      assertRow(complete, ImageStep.COMPLETE, MachineImagePhase.CHECKING);
    }
  }

  @Nested
  class Freeze {

    @Test
    void theDecisionToFreezeIsRecordedBeforeTheFreezeRuns() {
      ImagePlan plan = capture(freezing(null, null), InstancePhase.RUNNING, Map.of());
      assertRow(plan, ImageStep.REQUEST_FREEZE, MachineImagePhase.CREATING);
      assertEquals(Optional.of(NOW), plan.wakeUp(), "the record is written, then the capture goes on at once");
    }

    @Test
    void aRecordedDecisionLeadsToTheFreezeWhichIsRecordedBeforeAnySnapshot() {
      ImagePlan freeze = capture(freezing("2026-01-01T00:59:50Z", null), InstancePhase.RUNNING, Map.of());
      assertRow(freeze, ImageStep.FREEZE, MachineImagePhase.CREATING);
      assertEquals(Optional.of(NOW), freeze.wakeUp());
      ImagePlan frozen = capture(freezing("2026-01-01T00:59:50Z", "2026-01-01T00:59:51Z"), InstancePhase.RUNNING, Map.of());
      assertRow(frozen, ImageStep.CREATE_SNAPSHOTS, MachineImagePhase.CREATING);
      assertEquals(Optional.of(Instant.parse("2026-01-01T01:00:21Z")), frozen.wakeUp(),
          "woken when the filesystems must be thawed whatever happens");
    }

    @Test
    void thawsOnceEverySnapshotIsCut() {
      ImagePlan plan = capture(freezing("2026-01-01T00:59:50Z", "2026-01-01T00:59:51Z"), InstancePhase.RUNNING,
          allCut(SnapshotPhase.CREATING));
      assertRow(plan, ImageStep.THAW, MachineImagePhase.CREATING);
      assertEquals(Optional.of(DEADLINE.plusSeconds(1)), plan.wakeUp(), "once thawed only the deadline is left");
    }

    @Test
    void theFreezeTimeoutCountsFromTheDecisionSinceTheFreezeMayHaveRunWithoutItsRecord() {
      Map<String, Snapshot> notCut = Map.of("root", snapshot("img-root", SnapshotPhase.CREATING, null),
          "data", snapshot("img-data", SnapshotPhase.CREATING, null));
      assertFails(capture(freezing("2026-01-01T00:59:00Z", null), InstancePhase.RUNNING, Map.of()), Reasons.FREEZE_TIMEOUT);
      assertFails(capture(freezing("2026-01-01T00:59:00Z", "2026-01-01T00:59:59Z"), InstancePhase.RUNNING, notCut),
          Reasons.FREEZE_TIMEOUT);
      assertRow(capture(freezing("2026-01-01T00:59:59Z", "2026-01-01T00:59:59Z"), InstancePhase.RUNNING, notCut),
          ImageStep.WAIT_FOR_CUT, MachineImagePhase.CREATING);
    }

    @Test
    void aCommandMayTakeTheFreezeTimeoutButNeverMoreThanHalfAMinute() {
      MachineImage quick = freezing(null, null);
      quick.getSpec().getSource().getInstance().setFreeze(new FreezeSpec());
      quick.getSpec().getSource().getInstance().getFreeze().setTimeout("10s");
      assertEquals(Duration.ofSeconds(10), ImagePlan.commandTimeout(quick));
      quick.getSpec().getSource().getInstance().getFreeze().setTimeout("10m");
      assertEquals(Duration.ofSeconds(30), ImagePlan.commandTimeout(quick));
      assertEquals(Duration.ofMinutes(10), ImagePlan.freezeTimeout(quick), "the machine may stay frozen longer");
    }

    @Test
    void snapshotsWithoutARecordedFreezeFailTheImageAndThaw() {
      Map<String, Snapshot> cut = Map.of("root", snapshot("img-root", SnapshotPhase.CREATING, CUT));
      ImagePlan plan = capture(freezing("2026-01-01T00:59:50Z", null), InstancePhase.RUNNING, cut);
      assertFails(plan, Reasons.FREEZE_FAILED);
      assertTrue(plan.mayBeFrozen(), "the failure thaws");
    }

    @Test
    void aThawIsRecordedByClearingTheDecision() {
      MachineImage thawed = freezing(null, null);
      thawed.getStatus().getSource().setConsistencyAchieved(Consistency.FREEZE);
      ImagePlan plan = capture(thawed, InstancePhase.RUNNING, allCut(SnapshotPhase.READY));
      assertRow(plan, ImageStep.COMPLETE, MachineImagePhase.AVAILABLE);
      assertEquals(false, plan.mayBeFrozen());
      assertEquals(Reasons.FILESYSTEMS_FROZEN, condition(plan, ConditionTypes.QUIESCED).getReason());
    }
  }

  @Nested
  class Registration {

    @Test
    void waitsForEveryNamedSnapshotToBeReady() {
      ImagePlan plan = registration(image("reg", null, MachineImagePhase.PENDING, null),
          registered("root-snap", SnapshotPhase.READY, linux()), registered("data-snap", SnapshotPhase.CREATING, null));
      assertRow(plan, ImageStep.WAIT_FOR_SNAPSHOTS, MachineImagePhase.CREATING);
      assertEquals("waiting for Snapshot data-snap to be Ready", condition(plan, ConditionTypes.AVAILABLE).getMessage());
      assertEquals(Optional.of(DEADLINE.plusSeconds(1)), plan.wakeUp());
    }

    @Test
    void registersOnceEverySnapshotIsReady() {
      ImagePlan plan = registration(image("reg", null, MachineImagePhase.CREATING, null),
          registered("root-snap", SnapshotPhase.READY, linux()), registered("data-snap", SnapshotPhase.READY, null));
      assertRow(plan, ImageStep.REGISTER, MachineImagePhase.AVAILABLE);
      assertEquals("linux", plan.registeredPlatform().getOs(), "the boot snapshot's platform");
      assertEquals(false, plan.conditions(plan.image().getStatus()).stream()
          .anyMatch(c -> c.getType().equals(ConditionTypes.QUIESCED)), "a registration has no capture to be quiet for");
    }

    @Test
    void failsOnAMissingAFailedOrALateSnapshot() {
      MachineImage pending = image("reg", null, MachineImagePhase.PENDING, null);
      assertFails(registration(pending, registered("root-snap", SnapshotPhase.READY, linux())), Reasons.SNAPSHOT_NOT_FOUND);
      assertFails(registration(pending, registered("root-snap", SnapshotPhase.READY, linux()),
          registered("data-snap", SnapshotPhase.FAILED, null)), Reasons.SNAPSHOT_FAILED);
      ImagePlan late = new ImagePlan(asRegistration(pending), null, List.of(), Map.of(), Map.of(),
          byName(registered("root-snap", SnapshotPhase.READY, linux()), registered("data-snap", SnapshotPhase.CREATING, null)),
          null, Optional.empty(), DEADLINE, DEADLINE);
      assertFails(late, Reasons.CREATION_TIMEOUT);
    }

    @Test
    void failsWhenThePlatformIsUnknownOrContradicted() {
      MachineImage pending = image("reg", null, MachineImagePhase.PENDING, null);
      assertFails(registration(pending, registered("root-snap", SnapshotPhase.READY, null),
          registered("data-snap", SnapshotPhase.READY, null)), Reasons.PLATFORM_UNKNOWN);
      MachineImage declared = image("reg", null, MachineImagePhase.PENDING, null);
      Platform arm = new Platform();
      arm.setOs("linux");
      arm.setArchitecture("arm64");
      declared.getSpec().setPlatform(arm);
      assertFails(registration(declared, registered("root-snap", SnapshotPhase.READY, linux()),
          registered("data-snap", SnapshotPhase.READY, null)), Reasons.PLATFORM_MISMATCH);
    }
  }

  @Nested
  class Copy {

    @Test
    void waitsForAnImageThatDoesNotExistOrIsNotSharedAndLooksAgainSoon() {
      for (MachineImage source : new MachineImage[] {null, original(MachineImagePhase.AVAILABLE, "team-c")}) {
        ImagePlan plan = copy(pending(), source);
        assertRow(plan, ImageStep.WAIT_FOR_SOURCE_IMAGE, MachineImagePhase.PENDING);
        assertTrue(plan.waitingFor().contains("does not exist or is not shared with namespace team-b"), plan.waitingFor());
        assertEquals(Optional.of(NOW.plus(ImagePlan.COPY_POLL)), plan.wakeUp());
      }
    }

    @Test
    void waitsForAnImageNotAvailableYet() {
      ImagePlan plan = copy(pending(), original(MachineImagePhase.CREATING, "team-b"));
      assertRow(plan, ImageStep.WAIT_FOR_SOURCE_IMAGE, MachineImagePhase.PENDING);
      assertTrue(plan.waitingFor().contains("to be Available (it is Creating)"), plan.waitingFor());
    }

    @Test
    void aDisabledImageOfAnotherNamespaceIsNotVisible() {
      MachineImage disabled = original(MachineImagePhase.DISABLED, "team-b");
      disabled.getSpec().setDisabled(true);
      ImagePlan plan = copy(pending(), disabled);
      assertRow(plan, ImageStep.WAIT_FOR_SOURCE_IMAGE, MachineImagePhase.PENDING);
      assertTrue(plan.waitingFor().contains("does not exist or is not shared"), plan.waitingFor());
    }

    @Test
    void failsWhenTheImageFailedOrIsBeingDeregistered() {
      assertFails(copy(pending(), original(MachineImagePhase.FAILED, "team-b")), Reasons.SOURCE_IMAGE_FAILED);
      MachineImage going = original(MachineImagePhase.AVAILABLE, "team-b");
      going.getMetadata().setDeletionTimestamp("2026-01-01T00:59:00Z");
      assertFails(copy(pending(), going), Reasons.SOURCE_IMAGE_DEREGISTERED);
    }

    @Test
    void aFailedImageThatIsNotSharedReadsAsNotFoundRatherThanFailed() {
      assertRow(copy(pending(), original(MachineImagePhase.FAILED, "team-c")), ImageStep.WAIT_FOR_SOURCE_IMAGE,
          MachineImagePhase.PENDING);
    }

    @Test
    void startsThenCopiesEveryPersistentDiskThenFinishes() {
      MachineImage source = original(MachineImagePhase.DEPRECATED, "team-b");
      ImagePlan start = copy(pending(), source);
      assertRow(start, ImageStep.START_COPY, MachineImagePhase.CREATING);
      assertTrue(ImagePlan.CONTINUING.contains(ImageStep.START_COPY), "the copies are made in the same pass");
      assertEquals(ImageStep.CREATE_COPIES, start.after(started(source).getStatus()).next(), "the same pass goes on to copy");

      MachineImage started = started(source);
      assertRow(copy(started, source), ImageStep.CREATE_COPIES, MachineImagePhase.CREATING);
      assertRow(copyWith(started, source, Map.of("root", snapshot("copy-root", SnapshotPhase.CREATING, null))),
          ImageStep.CREATE_COPIES, MachineImagePhase.CREATING);
      ImagePlan waiting = copyWith(started, source, copies(SnapshotPhase.CREATING));
      assertRow(waiting, ImageStep.WAIT_FOR_COPIES, MachineImagePhase.CREATING);
      assertTrue(waiting.waitingFor().contains("copying the snapshots of MachineImage images/web"), waiting.waitingFor());
      assertRow(copyWith(started, source, copies(SnapshotPhase.READY)), ImageStep.FINISH_COPY, MachineImagePhase.AVAILABLE);
      assertRow(copyWith(checked(started, "2m"), source, copies(SnapshotPhase.READY)), ImageStep.FINISH_COPY,
          MachineImagePhase.CHECKING);
    }

    @Test
    void onceEverySnapshotIsCopiedTheSourceNoLongerMatters() {
      MachineImage started = started(original(MachineImagePhase.AVAILABLE, "team-b"));
      assertRow(copyWith(started, null, copies(SnapshotPhase.READY)), ImageStep.FINISH_COPY, MachineImagePhase.AVAILABLE);
    }

    @Test
    void failsWhenTheSourceGoesOrIsReplacedBeforeEverySnapshotIsCopied() {
      MachineImage source = original(MachineImagePhase.AVAILABLE, "team-b");
      MachineImage started = started(source);
      assertFails(copy(started, null), Reasons.SOURCE_IMAGE_DEREGISTERED);
      MachineImage replaced = original(MachineImagePhase.AVAILABLE, "team-b");
      replaced.getMetadata().setUid("another-uid");
      assertFails(copy(started, replaced), Reasons.SOURCE_IMAGE_DEREGISTERED);
    }

    @Test
    void aFailedCopiedSnapshotFailsTheCopy() {
      MachineImage started = started(original(MachineImagePhase.AVAILABLE, "team-b"));
      Snapshot failed = snapshot("copy-root", SnapshotPhase.FAILED, null);
      failed.getStatus().setConditions(new ArrayList<>(List.of(new ConditionBuilder().withType(ConditionTypes.READY)
          .withStatus("False").withReason(Reasons.SNAPSHOT_DATA_DELETED).withMessage("gone").build())));
      assertFails(copyWith(started, null, Map.of("root", failed, "data", snapshot("copy-data", SnapshotPhase.READY, CUT))),
          Reasons.SNAPSHOT_DATA_DELETED);
    }

    @Test
    void aSnapshotNameInTheWayFailsTheCopyOnceThereIsSomethingToCopy() {
      Finding taken = new Finding(Reasons.SNAPSHOT_NAME_TAKEN, "Snapshot copy-root exists");
      assertFails(copy(pending(), original(MachineImagePhase.AVAILABLE, "team-b")).failing(taken), Reasons.SNAPSHOT_NAME_TAKEN);
      assertRow(copy(pending(), null).failing(taken), ImageStep.WAIT_FOR_SOURCE_IMAGE, MachineImagePhase.PENDING);
    }

    @Test
    void waitingPastTheDeadlineFails() {
      ImagePlan late = new ImagePlan(pending(), null, List.of(), Map.of(), Map.of(), Map.of(),
          new ImagePlan.CopySource(null, Map.of()), null, Optional.empty(), DEADLINE, DEADLINE);
      assertFails(late, Reasons.CREATION_TIMEOUT);
    }

    private static MachineImage pending() {
      MachineImage copy = image("copy", null, MachineImagePhase.PENDING, null);
      copy.getMetadata().setNamespace("team-b");
      dev.kiln.api.v1alpha1.ImageCopySource reference = new dev.kiln.api.v1alpha1.ImageCopySource();
      reference.setNamespace("images");
      reference.setName("web");
      copy.getSpec().setSource(new ImageSource());
      copy.getSpec().getSource().setImage(reference);
      return copy;
    }

    /** The image copied, in namespace images with disks root and data, shared with a namespace. */
    private static MachineImage original(MachineImagePhase phase, String sharedWith) {
      MachineImage web = ImageFixtures.shared(image("web", null, phase, null), sharedWith);
      List<dev.kiln.api.v1alpha1.ImageDisk> disks = new ArrayList<>();
      for (String disk : DISKS) {
        dev.kiln.api.v1alpha1.ImageDisk imageDisk = new dev.kiln.api.v1alpha1.ImageDisk();
        imageDisk.setName(disk);
        imageDisk.setSnapshot("web-" + disk);
        disks.add(imageDisk);
      }
      web.getStatus().setDisks(disks);
      return web;
    }

    private static MachineImage started(MachineImage source) {
      MachineImage copy = pending();
      dev.kiln.api.v1alpha1.MachineImageStatus status = new dev.kiln.api.v1alpha1.MachineImageStatus();
      status.setPhase(MachineImagePhase.CREATING);
      ImagePlan plan = copy(copy, source);
      ImageCopy.start(plan, status);
      copy.setStatus(status);
      return copy;
    }

    private static Map<String, Snapshot> copies(SnapshotPhase phase) {
      return Map.of("root", snapshot("copy-root", phase, CUT), "data", snapshot("copy-data", phase, CUT));
    }

    private static ImagePlan copy(MachineImage copy, MachineImage source) {
      return copyWith(copy, source, Map.of());
    }

    private static ImagePlan copyWith(MachineImage copy, MachineImage source, Map<String, Snapshot> children) {
      Map<String, Snapshot> originals = new HashMap<>();
      for (String disk : DISKS) {
        Snapshot original = snapshot("web-" + disk, SnapshotPhase.READY, CUT);
        original.getStatus().setSnapshotHandle("snap-" + disk);
        original.getStatus().setDriver("hostpath.csi.k8s.io");
        originals.put(original.getMetadata().getName(), original);
      }
      return new ImagePlan(copy, null, List.of(), new HashMap<>(children), Map.of(), Map.of(),
          new ImagePlan.CopySource(source, originals), null, Optional.empty(), NOW, DEADLINE);
    }
  }

  @Nested
  class BootCheckRows {

    @Test
    void launchesTheCheckInstanceWhileItIsMissing() {
      ImagePlan plan = check(checking("00:59:00"), null);
      assertRow(plan, ImageStep.LAUNCH_CHECK, MachineImagePhase.CHECKING);
      assertEquals(Optional.of(Instant.parse("2026-01-01T01:01:01Z")), plan.wakeUp(), "at the check's timeout");
    }

    @Test
    void waitsForTheCheckInstanceThenPasses() {
      assertRow(check(checking("00:59:00"), checkInstance(InstancePhase.PENDING, false)), ImageStep.WAIT_FOR_CHECK,
          MachineImagePhase.CHECKING);
      ImagePlan passed = check(checking("00:59:00"), checkInstance(InstancePhase.RUNNING, true));
      assertRow(passed, ImageStep.PASS_CHECK, MachineImagePhase.AVAILABLE);
      assertRow(check(checking("00:50:00"), checkInstance(InstancePhase.RUNNING, true)), ImageStep.PASS_CHECK,
          MachineImagePhase.AVAILABLE);
    }

    @Test
    void failsWhenTheCheckInstanceFailsIsLateOrNeverAppears() {
      assertFails(check(checking("00:59:00"), checkInstance(InstancePhase.FAILED, false)), Reasons.CHECK_FAILED);
      assertFails(check(checking("00:50:00"), checkInstance(InstancePhase.PENDING, false)), Reasons.CHECK_FAILED);
      ImagePlan missing = check(checking("00:50:00"), null);
      assertFails(missing, Reasons.CHECK_FAILED);
      assertEquals("the check Instance did not appear within the check's timeout", missing.failure().orElseThrow().message());
    }
  }

  @Nested
  class Settled {

    @Test
    void aFailedImageStaysFailedWithItsRecordedReason() {
      MachineImage failed = image("img", null, MachineImagePhase.FAILED, null);
      failed.getStatus().setConditions(new ArrayList<>(List.of(new ConditionBuilder().withType(ConditionTypes.AVAILABLE)
          .withStatus("False").withReason(Reasons.FREEZE_TIMEOUT).withMessage("not cut in time").build())));
      ImagePlan plan = new ImagePlan(failed, null, List.of(), Map.of(), Map.of(), Map.of(), null, Optional.empty(), NOW, DEADLINE);
      assertRow(plan, ImageStep.STAY_FAILED, MachineImagePhase.FAILED);
      assertEquals(Reasons.FREEZE_TIMEOUT, plan.failure().orElseThrow().reason());
      assertEquals(Reasons.FREEZE_TIMEOUT, condition(plan, ConditionTypes.AVAILABLE).getReason());
      assertEquals(Optional.empty(), plan.wakeUp());
    }

    @Test
    void anAvailableImageIsDeprecatedAtItsTimeAndWokenForIt() {
      MachineImage available = image("img", null, MachineImagePhase.AVAILABLE, "2026-01-01T00:10:00Z");
      available.getSpec().setDeprecateAt("2026-01-01T02:00:00Z");
      ImagePlan before = settled(available, NOW);
      assertRow(before, ImageStep.KEEP, MachineImagePhase.AVAILABLE);
      assertEquals(Optional.of(Instant.parse("2026-01-01T02:00:01Z")), before.wakeUp());
      ImagePlan after = settled(available, Instant.parse("2026-01-01T02:00:01Z"));
      assertRow(after, ImageStep.KEEP, MachineImagePhase.DEPRECATED);
      assertEquals(Conditions.TRUE, condition(after, ConditionTypes.DEPRECATED).getStatus());
      assertEquals(Optional.empty(), after.wakeUp());
    }

    @Test
    void aDeprecatedImageComesBackWhenTheDeprecationIsLifted() {
      MachineImage deprecated = image("img", null, MachineImagePhase.DEPRECATED, "2026-01-01T00:10:00Z");
      assertRow(settled(deprecated, NOW), ImageStep.KEEP, MachineImagePhase.AVAILABLE);
      deprecated.getSpec().setDeprecated(true);
      assertRow(settled(deprecated, NOW), ImageStep.KEEP, MachineImagePhase.DEPRECATED);
    }

    @Test
    void aDisabledImageIsSettledUnavailableAndComesBackAsItWasOrAsTheClockMadeIt() {
      MachineImage image = image("img", null, MachineImagePhase.AVAILABLE, "2026-01-01T00:10:00Z");
      image.getSpec().setDisabled(true);
      ImagePlan disabled = settled(image, NOW);
      assertRow(disabled, ImageStep.KEEP, MachineImagePhase.DISABLED);
      assertEquals(Reasons.DISABLED, condition(disabled, ConditionTypes.AVAILABLE).getReason());
      assertEquals(Conditions.FALSE, condition(disabled, ConditionTypes.READY).getStatus());
      assertEquals(Conditions.FALSE, condition(disabled, ConditionTypes.RECONCILING).getStatus());
      assertEquals(Conditions.TRUE, condition(disabled, ConditionTypes.SNAPSHOTS_READY).getStatus());

      MachineImage wasDisabled = image("img", null, MachineImagePhase.DISABLED, "2026-01-01T00:10:00Z");
      assertRow(settled(wasDisabled, NOW), ImageStep.KEEP, MachineImagePhase.AVAILABLE);
      wasDisabled.getSpec().setDeprecateAt("2026-01-01T00:30:00Z");
      assertRow(settled(wasDisabled, NOW), ImageStep.KEEP, MachineImagePhase.DEPRECATED);
    }

    @Test
    void anImageDisabledWhileItIsMadeIsDisabledOnceMade() {
      MachineImage image = holding(image("img", null, MachineImagePhase.CREATING, null), false);
      image.getStatus().getSource().setConsistencyAchieved(Consistency.STOP);
      image.getSpec().setDisabled(true);
      assertRow(capture(image, InstancePhase.RUNNING, allCut(SnapshotPhase.READY)), ImageStep.COMPLETE, MachineImagePhase.DISABLED);
    }

    @Test
    void conditionsKeepTheirTransitionTimeWhileTheirStatusHolds() {
      MachineImage available = image("img", null, MachineImagePhase.AVAILABLE, "2026-01-01T00:10:00Z");
      available.getStatus().setConditions(new ArrayList<>(List.of(new ConditionBuilder().withType(ConditionTypes.AVAILABLE)
          .withStatus("True").withReason(Reasons.AVAILABLE).withLastTransitionTime("2026-01-01T00:10:00Z").build())));
      ImagePlan plan = settled(available, NOW);
      assertEquals("2026-01-01T00:10:00Z", condition(plan, ConditionTypes.AVAILABLE).getLastTransitionTime());
      assertEquals(NOW.toString(), condition(plan, ConditionTypes.DEPRECATED).getLastTransitionTime());
    }
  }

  private static void assertRow(ImagePlan plan, ImageStep step, MachineImagePhase phase) {
    assertEquals(step, plan.next(), "step");
    assertEquals(phase, plan.phase(), "phase");
    if (step != ImageStep.STAY_FAILED) {
      assertEquals(Optional.empty(), plan.failure(), "no failure");
    }
  }

  private static void assertFails(ImagePlan plan, String reason) {
    assertEquals(ImageStep.FAIL, plan.next(), "step");
    assertEquals(MachineImagePhase.FAILED, plan.phase(), "phase");
    assertEquals(reason, plan.failure().orElseThrow().reason());
    assertEquals(reason, condition(plan, ConditionTypes.AVAILABLE).getReason());
    assertEquals(Optional.empty(), plan.wakeUp(), "a failed image is not woken");
  }

  private static Condition condition(ImagePlan plan, String type) {
    var status = plan.image().getStatus() == null ? new dev.kiln.api.v1alpha1.MachineImageStatus() : plan.image().getStatus();
    return Conditions.find(plan.conditions(status), type).orElseThrow();
  }

  private static Map<String, Snapshot> allCut(SnapshotPhase phase) {
    return Map.of("root", snapshot("img-root", phase, CUT), "data", snapshot("img-data", phase, CUT));
  }

  private static ImagePlan capture(MachineImage image, InstancePhase instancePhase, Map<String, Snapshot> children) {
    return new ImagePlan(image, instance(instancePhase), DISKS, children, Map.of(), Map.of(), null, Optional.empty(), NOW, DEADLINE);
  }

  private static ImagePlan twoPhase(MachineImage image, Map<String, Snapshot> first, Map<String, Snapshot> children) {
    return new ImagePlan(image, instance(InstancePhase.RUNNING), DISKS, children, first, Map.of(), null, Optional.empty(),
        NOW, DEADLINE);
  }

  private static ImagePlan settled(MachineImage image, Instant now) {
    return new ImagePlan(image, null, List.of(), Map.of(), Map.of(), Map.of(), null, Optional.empty(), now, DEADLINE);
  }

  /** An image with consistency Freeze (30s timeout by default), its decision and freeze recorded as given. */
  private static MachineImage freezing(String requestedAt, String frozenAt) {
    MachineImage image = holding(image("img", null, MachineImagePhase.CREATING, null), false);
    image.getSpec().getSource().getInstance().setConsistency(Consistency.FREEZE);
    image.getStatus().getSource().setFreezeRequestedAt(requestedAt);
    image.getStatus().getSource().setFrozenAt(frozenAt);
    return image;
  }

  /** A Snapshot whose driver reported an error that csi-snapshotter retries. */
  private static Snapshot retrying(Snapshot snapshot) {
    snapshot.getStatus().setConditions(new ArrayList<>(List.of(new ConditionBuilder()
        .withType(ConditionTypes.READY).withStatus("False")
        .withReason(Reasons.SNAPSHOT_FAILED).withMessage("rpc error: throttled").build())));
    return snapshot;
  }

  private static MachineImage checked(MachineImage image, String timeout) {
    CheckSpec check = new CheckSpec();
    check.setEnabled(true);
    check.setTimeout(timeout);
    image.getSpec().setCheck(check);
    return image;
  }

  /** An image Checking since the given time of the day, with a 2m timeout. */
  private static MachineImage checking(String since) {
    MachineImage image = checked(image("img", null, MachineImagePhase.CHECKING, null), "2m");
    CheckStatus check = new CheckStatus();
    check.setInstance("img-check");
    check.setStartTime("2026-01-01T" + since + "Z");
    image.getStatus().setCheck(check);
    return image;
  }

  private static ImagePlan check(MachineImage image, Instance checkInstance) {
    return new ImagePlan(image, null, List.of(), Map.of(), Map.of(), Map.of(), checkInstance, Optional.empty(), NOW, DEADLINE);
  }

  private static Instance checkInstance(InstancePhase phase, boolean ready) {
    Instance instance = instance(phase);
    instance.setMetadata(new ObjectMetaBuilder().withName("img-check").withNamespace("images").build());
    instance.getStatus().setConditions(new ArrayList<>(List.of(new ConditionBuilder().withType(ConditionTypes.READY)
        .withStatus(ready ? "True" : "False").withReason(ready ? "Ready" : "MachineFailed").withMessage("m").build())));
    return instance;
  }

  private static MachineImage asRegistration(MachineImage image) {
    SnapshotDiskSource root = new SnapshotDiskSource();
    root.setName("root");
    root.setSnapshot("root-snap");
    SnapshotDiskSource data = new SnapshotDiskSource();
    data.setName("data");
    data.setSnapshot("data-snap");
    ImageSource source = new ImageSource();
    source.setSnapshots(List.of(root, data));
    image.getSpec().setSource(source);
    return image;
  }

  private static ImagePlan registration(MachineImage image, Snapshot... snapshots) {
    return new ImagePlan(asRegistration(image), null, List.of(), Map.of(), Map.of(), byName(snapshots), null, Optional.empty(),
        NOW, DEADLINE);
  }

  private static Map<String, Snapshot> byName(Snapshot... snapshots) {
    Map<String, Snapshot> byName = new HashMap<>();
    for (Snapshot snapshot : snapshots) {
      byName.put(snapshot.getMetadata().getName(), snapshot);
    }
    return byName;
  }

  private static Snapshot registered(String name, SnapshotPhase phase, Platform platform) {
    Snapshot snapshot = snapshot(name, phase, phase == SnapshotPhase.READY ? CUT : null);
    snapshot.getStatus().setSourcePlatform(platform);
    return snapshot;
  }

  private static Platform linux() {
    Platform platform = new Platform();
    platform.setOs("linux");
    platform.setArchitecture("amd64");
    return platform;
  }
}
