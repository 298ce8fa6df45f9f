package dev.kiln.operator.machineimage;

import dev.kiln.api.v1alpha1.CheckResult;
import dev.kiln.api.v1alpha1.CheckStatus;
import dev.kiln.api.v1alpha1.Consistency;
import dev.kiln.api.v1alpha1.ImageUsage;
import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.MachineImagePhase;
import dev.kiln.api.v1alpha1.MachineImageStatus;
import dev.kiln.operator.support.ConditionTypes;
import dev.kiln.operator.support.Conditions;
import dev.kiln.operator.support.Reasons;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Clock;
import java.util.Collection;
import java.util.Objects;

/** Builds a MachineImage's status: a copy of the previous one, the pass's changes, then every condition. */
final class ImageStatusFactory {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private final Clock clock;

  ImageStatusFactory(Clock clock) {
    this.clock = clock;
  }

  MachineImageStatus start(MachineImage image) {
    MachineImageStatus status = image.getStatus() == null ? new MachineImageStatus()
        : SERIALIZATION.convertValue(image.getStatus(), MachineImageStatus.class);
    status.setObservedGeneration(image.getMetadata().getGeneration());
    if (status.getPhase() == null) {
      status.setPhase(MachineImagePhase.PENDING);
    }
    return status;
  }

  /** Counts the Instances launched from the image that still exist, and when the last one launched. */
  void recordUsage(MachineImage image, MachineImageStatus status, Collection<Instance> instances) {
    var launched = instances.stream().filter(i -> i.getStatus() != null && i.getStatus().getImage() != null
        && image.getMetadata().getName().equals(i.getStatus().getImage().getName())
        && image.getMetadata().getNamespace().equals(i.getStatus().getImage().getNamespace())).toList();
    String last = launched.stream().map(i -> i.getStatus().getImage().getLaunchTime()).filter(Objects::nonNull)
        .max(String::compareTo).orElse(null);
    String previousLast = status.getUsage() == null ? null : status.getUsage().getLastLaunchTime();
    if (previousLast != null && (last == null || previousLast.compareTo(last) > 0)) {
      last = previousLast;
    }
    if (launched.isEmpty() && last == null) {
      status.setUsage(null);
      return;
    }
    ImageUsage usage = new ImageUsage();
    usage.setInstances(launched.size());
    usage.setLastLaunchTime(last);
    status.setUsage(usage);
  }

  /** Sets every condition from the status and the pass's outcome. */
  void finish(MachineImage image, MachineImageStatus status, ImageOutcome outcome, boolean deprecated) {
    MachineImagePhase phase = status.getPhase();
    boolean available = phase == MachineImagePhase.AVAILABLE || phase == MachineImagePhase.DEPRECATED;
    boolean check = BootCheck.enabled(image);
    if (available && status.getCheck() == null) {
      CheckStatus skipped = new CheckStatus();
      skipped.setResult(CheckResult.SKIPPED);
      skipped.setMessage("no boot check was asked for");
      status.setCheck(skipped);
    }
    Conditions conditions = Conditions.after(clock, image.getStatus() == null ? null : image.getStatus().getConditions(),
        image.getMetadata().getGeneration());
    if (phase == MachineImagePhase.FAILED) {
      conditions.set(ConditionTypes.AVAILABLE, false, outcome.reason(), outcome.message());
    } else if (available) {
      conditions.set(ConditionTypes.AVAILABLE, true, Reasons.AVAILABLE, "Instances can launch from this image");
    } else {
      conditions.set(ConditionTypes.AVAILABLE, false, Reasons.NOT_AVAILABLE, creatingMessage(outcome));
    }
    if (image.getSpec().getSource().getInstance() != null) {
      setQuiesced(conditions, status, outcome);
    }
    boolean ready = available || phase == MachineImagePhase.CHECKING;
    conditions.set(ConditionTypes.SNAPSHOTS_READY, ready,
        ready ? Reasons.ALL_SNAPSHOTS_READY : phase == MachineImagePhase.FAILED ? outcome.reason() : Reasons.SNAPSHOTS_PENDING,
        ready ? "every snapshot is Ready" : phase == MachineImagePhase.FAILED ? outcome.message() : "snapshots are being taken");
    setChecked(conditions, status, check);
    conditions.set(ConditionTypes.DEPRECATED, deprecated, deprecated ? Reasons.DEPRECATED : Reasons.NOT_DEPRECATED,
        deprecated ? "deprecated: launchable by name, skipped by family resolution" : "not deprecated");
    status.setConditions(conditions.build());
  }

  private static void setChecked(Conditions conditions, MachineImageStatus status, boolean enabled) {
    CheckResult result = status.getCheck() == null ? null : status.getCheck().getResult();
    String message = status.getCheck() == null ? null : status.getCheck().getMessage();
    if (!enabled) {
      conditions.set(ConditionTypes.CHECKED, false, Reasons.CHECK_SKIPPED, "no boot check was asked for");
    } else if (result == CheckResult.PASSED) {
      conditions.set(ConditionTypes.CHECKED, true, Reasons.CHECK_PASSED, message);
    } else if (result == CheckResult.FAILED) {
      conditions.set(ConditionTypes.CHECKED, false, Reasons.CHECK_FAILED, message);
    } else {
      conditions.set(ConditionTypes.CHECKED, Conditions.UNKNOWN, Reasons.CHECKING,
          message != null ? message : "the check runs once every snapshot is Ready");
    }
  }

  private static void setQuiesced(Conditions conditions, MachineImageStatus status, ImageOutcome outcome) {
    Consistency achieved = status.getSource() == null ? null : status.getSource().getConsistencyAchieved();
    if (achieved == Consistency.STOP) {
      conditions.set(ConditionTypes.QUIESCED, true, Reasons.SNAPSHOTS_CUT,
          "the instance was stopped while every snapshot was cut");
    } else if (achieved == Consistency.FREEZE) {
      conditions.set(ConditionTypes.QUIESCED, true, Reasons.FILESYSTEMS_FROZEN,
          "the instance's filesystems were frozen while every snapshot was cut");
    } else if (achieved == Consistency.NONE) {
      conditions.set(ConditionTypes.QUIESCED, false, Reasons.CRASH_CONSISTENT,
          "the snapshots were cut while the instance ran: crash-consistent");
    } else if (outcome.step() == CaptureStep.WAIT_FOR_STOP) {
      conditions.set(ConditionTypes.QUIESCED, false, Reasons.STOPPING_SOURCE, "waiting for the instance to stop");
    } else {
      conditions.set(ConditionTypes.QUIESCED, false, Reasons.WAITING_FOR_CUT, "waiting for every snapshot to be cut");
    }
  }

  private static String creatingMessage(ImageOutcome outcome) {
    if (outcome.message() != null) {
      return outcome.message();
    }
    if (outcome.step() == null) {
      return "the image is being created";
    }
    return switch (outcome.step()) {
      case WAIT_FOR_STOP -> "waiting for the source instance to stop";
      case CREATE_SNAPSHOTS, WAIT_FOR_CUT -> "waiting for every snapshot to be cut";
      case RELEASE_HOLD, WAIT_FOR_READY -> "waiting for every snapshot to be uploaded";
      default -> "the image is being created";
    };
  }

}
