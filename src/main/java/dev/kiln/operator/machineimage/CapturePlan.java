package dev.kiln.operator.machineimage;

import dev.kiln.api.v1alpha1.Consistency;
import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.InstancePhase;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.Snapshot;
import dev.kiln.api.v1alpha1.SnapshotPhase;
import dev.kiln.operator.support.Conditions;
import dev.kiln.operator.support.ConditionTypes;
import dev.kiln.operator.support.Durations;
import dev.kiln.operator.support.Reasons;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pure decision of an image capture: from the image's status, the source instance and the
 * snapshots observed now, the next {@link CaptureStep} and, for a failure, why.
 *
 * @param image the image being created
 * @param instance the source instance, null when it does not exist
 * @param persistentDisks the names of the instance's persistent disks
 * @param children the image's snapshots by disk name
 * @param preflight why the source cannot be captured, found before anything is touched, if anything
 * @param now the current time
 * @param deadline when the image must be Available by
 */
record CapturePlan(MachineImage image, Instance instance, List<String> persistentDisks, Map<String, Snapshot> children,
    Optional<Finding> preflight, Instant now, Instant deadline) {

  /** A reason and a message. */
  record Finding(String reason, String message) {}

  CaptureStep next() {
    if (failure().isPresent()) {
      return CaptureStep.FAIL;
    }
    if (!started()) {
      return CaptureStep.START;
    }
    if (held() && !sourceStopped()) {
      return CaptureStep.WAIT_FOR_STOP;
    }
    if (freezing() && freezeRequestedAt().isEmpty()) {
      return CaptureStep.REQUEST_FREEZE;
    }
    if (freezing() && frozenAt().isEmpty()) {
      return CaptureStep.FREEZE;
    }
    if (!missingSnapshots().isEmpty()) {
      return CaptureStep.CREATE_SNAPSHOTS;
    }
    if (!allSnapshotsCut()) {
      return CaptureStep.WAIT_FOR_CUT;
    }
    if (held()) {
      return CaptureStep.RELEASE_HOLD;
    }
    if (mayBeFrozen()) {
      return CaptureStep.THAW;
    }
    return allSnapshotsReady() ? CaptureStep.COMPLETE : CaptureStep.WAIT_FOR_READY;
  }

  Optional<Finding> failure() {
    if (!now.isBefore(deadline)) {
      return Optional.of(new Finding(Reasons.CREATION_TIMEOUT, "the image was not Available by its deadline " + deadline));
    }
    Optional<Snapshot> failed = children.values().stream()
        .filter(s -> s.getStatus() != null && s.getStatus().getPhase() == SnapshotPhase.FAILED).findFirst();
    if (failed.isPresent()) {
      var ready = Conditions.find(failed.get().getStatus().getConditions(), ConditionTypes.READY);
      return Optional.of(new Finding(ready.map(c -> c.getReason()).orElse(Reasons.SNAPSHOT_FAILED),
          "Snapshot " + failed.get().getMetadata().getName() + " failed: " + ready.map(c -> c.getMessage()).orElse("")));
    }
    Optional<Snapshot> erring = children.values().stream()
        .filter(s -> s.getStatus() != null && s.getStatus().getCutTime() == null)
        .filter(s -> Conditions.find(s.getStatus().getConditions(), ConditionTypes.READY)
            .map(c -> Reasons.SNAPSHOT_FAILED.equals(c.getReason())).orElse(false))
        .findFirst();
    if (erring.isPresent() && (held() || mayBeFrozen())) {
      // A Snapshot retries a driver error until its deadline; a stopped or frozen machine must not wait that long.
      return Optional.of(new Finding(Reasons.SNAPSHOT_FAILED, "Snapshot " + erring.get().getMetadata().getName()
          + " could not be cut while the instance was held: " + Conditions.find(erring.get().getStatus().getConditions(),
              ConditionTypes.READY).map(c -> c.getMessage()).orElse("")));
    }
    if (freezing() && frozenAt().isEmpty() && !children.isEmpty()) {
      // Snapshots are only made once the freeze is recorded; these were cut with nothing recorded.
      return Optional.of(new Finding(Reasons.FREEZE_FAILED, "snapshots exist without a recorded freeze, so their "
          + "consistency is unknown; the filesystems are thawed"));
    }
    if (mayBeFrozen() && !allSnapshotsCut() && !now.isBefore(freezeRequestedAt().get().plus(freezeTimeout()))) {
      return Optional.of(new Finding(Reasons.FREEZE_TIMEOUT, "the snapshots were not cut within freeze.timeout ("
          + freezeTimeout().toSeconds() + "s); the filesystems are thawed"));
    }
    if (instance == null && !(started() && allSnapshotsCut())) {
      return Optional.of(new Finding(Reasons.SOURCE_NOT_FOUND, "Instance "
          + image.getSpec().getSource().getInstance().getName() + " does not exist"));
    }
    if (!started()) {
      if (persistentDisks.isEmpty()) {
        return Optional.of(new Finding(Reasons.NO_PERSISTENT_DISKS, "Instance " + instance.getMetadata().getName()
            + " has no persistent disk to snapshot"));
      }
      return preflight;
    }
    return Optional.empty();
  }

  boolean started() {
    return image.getStatus() != null && image.getStatus().getSource() != null;
  }

  /** Consistency Freeze on a running instance, not achieved yet: its filesystems are to be frozen around the cut. */
  boolean freezing() {
    return started() && image.getSpec().getSource().getInstance().getConsistency() == Consistency.FREEZE
        && image.getStatus().getSource().getConsistencyAchieved() == null && !held();
  }

  /**
   * The freeze was decided and no thaw is recorded: the filesystems may be frozen, whatever else the
   * status says, since a write recording the freeze or the thaw may have been lost.
   */
  boolean mayBeFrozen() {
    return freezeRequestedAt().isPresent();
  }

  /** When the freeze was decided: the earliest moment the filesystems may have been frozen. */
  Optional<Instant> freezeRequestedAt() {
    return started() ? Optional.ofNullable(image.getStatus().getSource().getFreezeRequestedAt()).map(Instant::parse)
        : Optional.empty();
  }

  Optional<Instant> frozenAt() {
    return started() ? Optional.ofNullable(image.getStatus().getSource().getFrozenAt()).map(Instant::parse) : Optional.empty();
  }

  Duration freezeTimeout() {
    return freezeTimeout(image);
  }

  /** How long an image may keep its source's filesystems frozen (freeze.timeout, 30s by default). */
  /**
   * How long one freeze or thaw command may take: the freeze timeout, and never more than
   * {@link #COMMAND_LIMIT}, since a command holds one of the operator's reconcile threads meanwhile.
   */
  static Duration commandTimeout(MachineImage image) {
    Duration timeout = freezeTimeout(image);
    return timeout.compareTo(COMMAND_LIMIT) < 0 ? timeout : COMMAND_LIMIT;
  }

  static final Duration COMMAND_LIMIT = Duration.ofSeconds(30);

  static Duration freezeTimeout(MachineImage image) {
    var freeze = image.getSpec().getSource().getInstance().getFreeze();
    return Durations.parse(freeze == null || freeze.getTimeout() == null ? "30s" : freeze.getTimeout());
  }

  boolean held() {
    return started() && Boolean.TRUE.equals(image.getStatus().getSource().getHeld());
  }

  /** The held instance has no machine: its disks are quiet (a Failed instance has none either). */
  boolean sourceStopped() {
    return instance != null && instance.getStatus() != null && instance.getStatus().getPodName() == null
        && (instance.getStatus().getPhase() == InstancePhase.STOPPED || instance.getStatus().getPhase() == InstancePhase.FAILED);
  }

  List<String> missingSnapshots() {
    return persistentDisks.stream().filter(d -> !children.containsKey(d)).toList();
  }

  boolean allSnapshotsCut() {
    return !children.isEmpty() && children.values().stream()
        .allMatch(s -> s.getStatus() != null && s.getStatus().getCutTime() != null);
  }

  boolean allSnapshotsReady() {
    return !children.isEmpty() && children.values().stream()
        .allMatch(s -> s.getStatus() != null && s.getStatus().getPhase() == SnapshotPhase.READY);
  }
}
