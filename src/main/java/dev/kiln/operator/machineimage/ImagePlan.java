package dev.kiln.operator.machineimage;

import dev.kiln.api.v1alpha1.CheckResult;
import dev.kiln.api.v1alpha1.Consistency;
import dev.kiln.api.v1alpha1.ImageDisk;
import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.InstancePhase;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.MachineImagePhase;
import dev.kiln.api.v1alpha1.MachineImageStatus;
import dev.kiln.api.v1alpha1.Platform;
import dev.kiln.api.v1alpha1.Snapshot;
import dev.kiln.api.v1alpha1.SnapshotDiskSource;
import dev.kiln.api.v1alpha1.SnapshotPhase;
import dev.kiln.api.v1alpha1.UnreadableTemplate;
import dev.kiln.operator.support.ConditionTypes;
import dev.kiln.operator.support.Conditions;
import dev.kiln.operator.support.Durations;
import dev.kiln.operator.support.Reasons;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The pure decision of a MachineImage's lifecycle, as {@code PowerPlan} is for Instances: from the
 * image as stored and what is observed now, the next {@link ImageStep}, the phase it leads to, why
 * the image waits or failed, its conditions and when to look at it again. Capturing an instance,
 * registering snapshots, the boot check, failure and deprecation are all decided here; the
 * reconciler observes, asks this plan, takes the one step it names and stores the status.
 *
 * @param image the image as stored: its spec and the status of the last pass
 * @param source the source instance, null when there is none or it does not exist
 * @param persistentDisks the names of the persistent disks to capture (recorded at the start, else the source's)
 * @param children the image's own snapshots by disk name
 * @param preChildren the first snapshots of a two-phase capture (source.instance.preSnapshot) by disk name
 * @param registered the Snapshots of the image's namespace that source.snapshots names, by name
 * @param copied the image source.image names and its snapshots, for a copy; null otherwise
 * @param check the image's own check Instance, null when there is none
 * @param problem what observing the source before the start (preflight), or acting on it (a failed freeze),
 *     found that the image cannot get past, if anything
 * @param now the current time
 * @param deadline when the image must be Available by (failureDeadline)
 */
record ImagePlan(MachineImage image, Instance source, List<String> persistentDisks, Map<String, Snapshot> children,
    Map<String, Snapshot> preChildren, Map<String, Snapshot> registered, CopySource copied, Instance check,
    Optional<Finding> problem, Instant now, Instant deadline) {

  /**
   * The image a copy is made from, as observed in its namespace.
   *
   * @param image the image source.image names, null when it does not exist
   * @param snapshots its Snapshots by name
   */
  record CopySource(MachineImage image, Map<String, Snapshot> snapshots) {}

  /** Observations of an image that is not a copy. */
  ImagePlan(MachineImage image, Instance source, List<String> persistentDisks, Map<String, Snapshot> children,
      Map<String, Snapshot> preChildren, Map<String, Snapshot> registered, Instance check, Optional<Finding> problem,
      Instant now, Instant deadline) {
    this(image, source, persistentDisks, children, preChildren, registered, null, check, problem, now, deadline);
  }

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /** Steps after which the next one follows in the same pass: nothing else would wake the image up for it. */
  static final Set<ImageStep> CONTINUING = EnumSet.of(ImageStep.START, ImageStep.RELEASE_HOLD, ImageStep.THAW, ImageStep.HOLD,
      ImageStep.START_COPY);

  /**
   * How often a copy looks at the image it waits for. The image is read from the cache, so looking
   * costs no request; watching it would cost a second cache of every image.
   */
  static final Duration COPY_POLL = Duration.ofSeconds(5);

  /**
   * Steps whose record must reach the API server before the capture goes on, which it does at once.
   * A freeze cannot be undone by a failed status write.
   */
  static final Set<ImageStep> RECORD_THEN_CONTINUE = EnumSet.of(ImageStep.REQUEST_FREEZE, ImageStep.FREEZE);

  /**
   * While the instance is held, stopping it and cutting its snapshots read as one stretch: a status
   * that changed between the two would cost a write and tell the user nothing the instance does not.
   */
  private static final String HELD = "the instance is held stopped until every snapshot is cut";

  private static final String DISABLED = "disabled by spec.disabled: no new Instance launches from it; its snapshots "
      + "and the Instances launched from it stay; set spec.disabled to false to enable it again";

  /** How long one freeze or thaw command may hold a reconcile thread at most. */
  static final Duration COMMAND_LIMIT = Duration.ofSeconds(30);

  ImageStep next() {
    MachineImagePhase previous = previousPhase();
    if (previous == MachineImagePhase.FAILED) {
      return ImageStep.STAY_FAILED;
    }
    if (ImageLifecycle.made(previous)) {
      return ImageStep.KEEP;
    }
    if (failure().isPresent()) {
      return ImageStep.FAIL;
    }
    if (previous == MachineImagePhase.CHECKING) {
      return check == null ? ImageStep.LAUNCH_CHECK : checkReady() ? ImageStep.PASS_CHECK : ImageStep.WAIT_FOR_CHECK;
    }
    if (capturing()) {
      return captureStep();
    }
    if (copying()) {
      return copyStep();
    }
    return registeredSnapshotsReady() ? ImageStep.REGISTER : ImageStep.WAIT_FOR_SNAPSHOTS;
  }

  /** Why the image failed or fails now, if it does. */
  Optional<Finding> failure() {
    return switch (previousPhase()) {
      case FAILED -> Optional.of(recordedFailure());
      case AVAILABLE, DEPRECATED, DISABLED -> Optional.empty();
      case CHECKING -> checkFailure();
      default -> capturing() ? captureFailure() : registering() ? registrationFailure() : copyFailure();
    };
  }

  /** The phase once the step is taken. */
  MachineImagePhase phase() {
    return switch (next()) {
      case FAIL, STAY_FAILED -> MachineImagePhase.FAILED;
      case KEEP, PASS_CHECK -> availablePhase();
      case LAUNCH_CHECK, WAIT_FOR_CHECK -> MachineImagePhase.CHECKING;
      case COMPLETE, REGISTER, FINISH_COPY -> BootCheck.enabled(image) ? MachineImagePhase.CHECKING : availablePhase();
      case WAIT_FOR_SOURCE_IMAGE -> MachineImagePhase.PENDING;
      default -> MachineImagePhase.CREATING;
    };
  }

  /** What the image waits for, while it is neither Available nor Failed. */
  String waitingFor() {
    return switch (next()) {
      case WAIT_FOR_STOP -> HELD;
      case WAIT_FOR_SOURCE -> "waiting for Instance " + source.getMetadata().getName() + " to run on a node, which "
          + "tells the image's platform (or set spec.platform)";
      case CREATE_SNAPSHOTS, WAIT_FOR_CUT -> held() ? HELD : "waiting for every snapshot to be cut";
      case START, REQUEST_FREEZE, FREEZE, HOLD -> "waiting for every snapshot to be cut";
      case PRE_SNAPSHOT, WAIT_FOR_PRE_SNAPSHOTS -> "taking the first snapshots while the instance runs (preSnapshot); "
          + "the instance is held only for the final ones";
      case RELEASE_HOLD, THAW, WAIT_FOR_READY -> "waiting for every snapshot to be uploaded";
      case WAIT_FOR_SNAPSHOTS -> "waiting for Snapshot " + firstUnreadyRegistered().orElse("") + " to be Ready";
      case WAIT_FOR_SOURCE_IMAGE -> copyWait().orElse("");
      case START_COPY, CREATE_COPIES, WAIT_FOR_COPIES -> "copying the snapshots of MachineImage " + copiedName();
      case COMPLETE, REGISTER, FINISH_COPY, LAUNCH_CHECK, WAIT_FOR_CHECK -> checkMessage();
      default -> "the image is being created";
    };
  }

  /** When to look at the image again, if nothing else happens to it meanwhile. */
  Optional<Instant> wakeUp() {
    ImageStep step = next();
    if (RECORD_THEN_CONTINUE.contains(step)) {
      return Optional.of(now);
    }
    if (step == ImageStep.WAIT_FOR_SOURCE_IMAGE) {
      Instant poll = now.plus(COPY_POLL);
      return Optional.of(poll.isBefore(deadline) ? poll : deadline.plusSeconds(1));
    }
    return switch (phase()) {
      case PENDING, CREATING -> {
        Optional<Instant> thawBy = step == ImageStep.THAW ? Optional.empty()
            : freezeRequestedAt().map(at -> at.plus(freezeTimeout())).filter(deadline::isAfter);
        yield Optional.of(thawBy.orElse(deadline).plusSeconds(1));
      }
      case CHECKING -> Optional.of(checkStart().plus(checkTimeout(image)).plusSeconds(1));
      case AVAILABLE -> ImageLifecycle.deprecateAt(image).filter(now::isBefore).map(at -> at.plusSeconds(1));
      default -> Optional.empty();
    };
  }

  /**
   * Every condition of the image once the step is taken, given the status the step left: Available
   * (and Ready, Reconciling and Stalled for GitOps tools), Quiesced (for a capture), SnapshotsReady,
   * Checked and Deprecated.
   */
  List<Condition> conditions(MachineImageStatus after) {
    MachineImagePhase phase = phase();
    boolean available = phase == MachineImagePhase.AVAILABLE || phase == MachineImagePhase.DEPRECATED;
    boolean disabled = phase == MachineImagePhase.DISABLED;
    Optional<Finding> failure = phase == MachineImagePhase.FAILED ? failure() : Optional.empty();
    Conditions conditions = Conditions.after(Clock.fixed(now, ZoneOffset.UTC),
        image.getStatus() == null ? null : image.getStatus().getConditions(), image.getMetadata().getGeneration());
    if (failure.isPresent()) {
      conditions.set(ConditionTypes.AVAILABLE, false, failure.get().reason(), failure.get().message())
          .set(ConditionTypes.READY, false, failure.get().reason(), failure.get().message())
          .progress(Conditions.Progress.FAILED, failure.get().reason(), failure.get().message());
    } else if (available) {
      conditions.set(ConditionTypes.AVAILABLE, true, Reasons.AVAILABLE, "Instances can launch from this image")
          .set(ConditionTypes.READY, true, Reasons.AVAILABLE, "Instances can launch from this image")
          .progress(Conditions.Progress.SETTLED, Reasons.AVAILABLE, "");
    } else if (disabled) {
      conditions.set(ConditionTypes.AVAILABLE, false, Reasons.DISABLED, DISABLED)
          .set(ConditionTypes.READY, false, Reasons.DISABLED, DISABLED)
          .progress(Conditions.Progress.SETTLED, Reasons.DISABLED, DISABLED);
    } else {
      conditions.set(ConditionTypes.AVAILABLE, false, Reasons.NOT_AVAILABLE, waitingFor())
          .set(ConditionTypes.READY, false, Reasons.NOT_AVAILABLE, waitingFor())
          .progress(Conditions.Progress.ON_ITS_WAY, phase.value(), waitingFor());
    }
    if (capturing()) {
      setQuiesced(conditions, after);
    }
    boolean ready = available || disabled || phase == MachineImagePhase.CHECKING;
    if (ready) {
      conditions.set(ConditionTypes.SNAPSHOTS_READY, true, Reasons.ALL_SNAPSHOTS_READY, "every snapshot is Ready");
    } else if (failure.isPresent()) {
      conditions.set(ConditionTypes.SNAPSHOTS_READY, false, failure.get().reason(), failure.get().message());
    } else {
      conditions.set(ConditionTypes.SNAPSHOTS_READY, false, Reasons.SNAPSHOTS_PENDING, "snapshots are being taken");
    }
    setChecked(conditions, after, BootCheck.enabled(image));
    boolean deprecated = ImageLifecycle.deprecated(image, now);
    conditions.set(ConditionTypes.DEPRECATED, deprecated, deprecated ? Reasons.DEPRECATED : Reasons.NOT_DEPRECATED,
        deprecated ? "deprecated: launchable by name, skipped by family resolution" : "not deprecated");
    return conditions.build();
  }

  /**
   * The same observations, with the image carrying the status a step left: for the step after it in
   * the same pass. The status is copied: the next step changes the status it acts on, and the plan
   * that named that step must not change under it.
   */
  ImagePlan after(MachineImageStatus status) {
    MachineImage advanced = new MachineImage();
    advanced.setMetadata(image.getMetadata());
    advanced.setSpec(image.getSpec());
    advanced.setStatus(SERIALIZATION.convertValue(status, MachineImageStatus.class));
    return new ImagePlan(advanced, source, persistentDisks, children, preChildren, registered, copied, check, problem, now,
        deadline);
  }

  /** The same observations and what acting found, which fails the image. */
  ImagePlan failing(Finding found) {
    return new ImagePlan(image, source, persistentDisks, children, preChildren, registered, copied, check, Optional.of(found),
        now, deadline);
  }

  // --- capture from an instance -------------------------------------------------------------

  private ImageStep captureStep() {
    if (!started()) {
      return sourceYetToRun() ? ImageStep.WAIT_FOR_SOURCE : ImageStep.START;
    }
    if (preSnapshotting()) {
      if (!missingPreSnapshots().isEmpty()) {
        return ImageStep.PRE_SNAPSHOT;
      }
      return allReady(preChildren) ? ImageStep.HOLD : ImageStep.WAIT_FOR_PRE_SNAPSHOTS;
    }
    if (held() && !sourceStopped()) {
      return ImageStep.WAIT_FOR_STOP;
    }
    if (freezing() && freezeRequestedAt().isEmpty()) {
      return ImageStep.REQUEST_FREEZE;
    }
    if (freezing() && frozenAt().isEmpty()) {
      return ImageStep.FREEZE;
    }
    if (!missingSnapshots().isEmpty()) {
      return ImageStep.CREATE_SNAPSHOTS;
    }
    if (!allSnapshotsCut()) {
      return ImageStep.WAIT_FOR_CUT;
    }
    if (held()) {
      return ImageStep.RELEASE_HOLD;
    }
    if (mayBeFrozen()) {
      return ImageStep.THAW;
    }
    return allSnapshotsReady() ? ImageStep.COMPLETE : ImageStep.WAIT_FOR_READY;
  }

  /**
   * The source is meant to run but has not run on a node yet, and the image does not name its
   * platform: created together with the instance, the image waits for it (within its deadline).
   */
  private boolean sourceYetToRun() {
    return source != null && image.getSpec().getPlatform() == null && SourcePreflight.yetToRun(source);
  }

  private Optional<Finding> captureFailure() {
    if (!now.isBefore(deadline)) {
      return Optional.of(new Finding(Reasons.CREATION_TIMEOUT, "the image was not Available by its deadline " + deadline));
    }
    Optional<Finding> failed = failedChild();
    if (failed.isPresent()) {
      return failed;
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
    if (source == null && !(started() && allSnapshotsCut())) {
      return Optional.of(new Finding(Reasons.SOURCE_NOT_FOUND, "Instance "
          + image.getSpec().getSource().getInstance().getName() + " does not exist"));
    }
    if (!started() && persistentDisks.isEmpty()) {
      return Optional.of(new Finding(Reasons.NO_PERSISTENT_DISKS, "Instance " + source.getMetadata().getName()
          + " has no persistent disk to snapshot"));
    }
    return problem;
  }

  /** A Snapshot of the image's own (a first one included) that failed, with its reason, if one did. */
  private Optional<Finding> failedChild() {
    return java.util.stream.Stream.concat(children.values().stream(), preChildren.values().stream())
        .filter(s -> s.getStatus() != null && s.getStatus().getPhase() == SnapshotPhase.FAILED).findFirst()
        .map(failed -> {
          var ready = Conditions.find(failed.getStatus().getConditions(), ConditionTypes.READY);
          return new Finding(ready.map(c -> c.getReason()).orElse(Reasons.SNAPSHOT_FAILED),
              "Snapshot " + failed.getMetadata().getName() + " failed: " + ready.map(c -> c.getMessage()).orElse(""));
        });
  }

  boolean capturing() {
    return image.getSpec().getSource().getInstance() != null;
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
  static Duration freezeTimeout(MachineImage image) {
    var freeze = image.getSpec().getSource().getInstance().getFreeze();
    return Durations.parse(freeze == null || freeze.getTimeout() == null ? "30s" : freeze.getTimeout());
  }

  /**
   * How long one freeze or thaw command may take: the freeze timeout, and never more than
   * {@link #COMMAND_LIMIT}, since a command holds one of the operator's reconcile threads meanwhile.
   */
  static Duration commandTimeout(MachineImage image) {
    Duration timeout = freezeTimeout(image);
    return timeout.compareTo(COMMAND_LIMIT) < 0 ? timeout : COMMAND_LIMIT;
  }

  boolean held() {
    return started() && Boolean.TRUE.equals(image.getStatus().getSource().getHeld());
  }

  /** The held instance has no machine: its disks are quiet (a Failed instance has none either). */
  boolean sourceStopped() {
    return source != null && source.getStatus() != null && source.getStatus().getPodName() == null
        && (source.getStatus().getPhase() == InstancePhase.STOPPED || source.getStatus().getPhase() == InstancePhase.FAILED);
  }

  /**
   * The first phase of a two-phase capture is under way: the instance runs while its first
   * snapshots are taken and uploaded; the hold (or freeze) comes after them.
   */
  boolean preSnapshotting() {
    return started() && Boolean.TRUE.equals(image.getStatus().getSource().getPreSnapshot())
        && image.getStatus().getSource().getPreSnapshotCutTime() == null;
  }

  List<String> missingPreSnapshots() {
    return persistentDisks.stream().filter(d -> !preChildren.containsKey(d)).toList();
  }

  /** When the last of these snapshots was cut. */
  static Optional<String> lastCut(Map<String, Snapshot> snapshots) {
    return snapshots.values().stream().map(s -> s.getStatus() == null ? null : s.getStatus().getCutTime())
        .filter(Objects::nonNull).max(java.util.Comparator.comparing(Instant::parse));
  }

  private static boolean allReady(Map<String, Snapshot> snapshots) {
    return !snapshots.isEmpty() && snapshots.values().stream()
        .allMatch(s -> s.getStatus() != null && s.getStatus().getPhase() == SnapshotPhase.READY);
  }

  List<String> missingSnapshots() {
    return persistentDisks.stream().filter(d -> !children.containsKey(d)).toList();
  }

  boolean allSnapshotsCut() {
    return !children.isEmpty() && children.values().stream()
        .allMatch(s -> s.getStatus() != null && s.getStatus().getCutTime() != null);
  }

  boolean allSnapshotsReady() {
    return allReady(children);
  }

  private void setQuiesced(Conditions conditions, MachineImageStatus after) {
    Consistency achieved = after.getSource() == null ? null : after.getSource().getConsistencyAchieved();
    if (achieved == Consistency.STOP) {
      conditions.set(ConditionTypes.QUIESCED, true, Reasons.SNAPSHOTS_CUT,
          "the instance was stopped while every snapshot was cut");
    } else if (achieved == Consistency.FREEZE) {
      conditions.set(ConditionTypes.QUIESCED, true, Reasons.FILESYSTEMS_FROZEN,
          "the instance's filesystems were frozen while every snapshot was cut");
    } else if (achieved == Consistency.NONE) {
      conditions.set(ConditionTypes.QUIESCED, false, Reasons.CRASH_CONSISTENT,
          "the snapshots were cut while the instance ran: crash-consistent");
    } else if (held()) {
      conditions.set(ConditionTypes.QUIESCED, false, Reasons.STOPPING_SOURCE, HELD);
    } else {
      conditions.set(ConditionTypes.QUIESCED, false, Reasons.WAITING_FOR_CUT, "waiting for every snapshot to be cut");
    }
  }

  // --- registration from Snapshots ----------------------------------------------------------

  boolean registering() {
    return image.getSpec().getSource().getSnapshots() != null;
  }

  private Optional<Finding> registrationFailure() {
    if (image.getSpec().getTemplate() instanceof UnreadableTemplate unreadable) {
      return Optional.of(new Finding(Reasons.INVALID_TEMPLATE, "spec.template is not a Pod template: " + unreadable.problem()));
    }
    for (SnapshotDiskSource entry : image.getSpec().getSource().getSnapshots()) {
      Snapshot snapshot = registered.get(entry.getSnapshot());
      if (snapshot == null) {
        return Optional.of(new Finding(Reasons.SNAPSHOT_NOT_FOUND, "Snapshot " + entry.getSnapshot() + " of disk "
            + entry.getName() + " does not exist in namespace " + image.getMetadata().getNamespace()));
      }
      SnapshotPhase phase = snapshot.getStatus() == null ? null : snapshot.getStatus().getPhase();
      if (phase == SnapshotPhase.FAILED || phase == SnapshotPhase.DELETING) {
        return Optional.of(new Finding(Reasons.SNAPSHOT_FAILED, "Snapshot " + entry.getSnapshot() + " of disk "
            + entry.getName() + " is " + phase.value() + " and cannot back an image"));
      }
    }
    Optional<String> unready = firstUnreadyRegistered();
    if (unready.isPresent()) {
      return now.isBefore(deadline) ? Optional.empty() : Optional.of(new Finding(Reasons.CREATION_TIMEOUT,
          "Snapshot " + unready.get() + " was not Ready by the image's deadline " + deadline));
    }
    SnapshotDiskSource boot = bootEntry();
    Platform fromSnapshot = registered.get(boot.getSnapshot()).getStatus().getSourcePlatform();
    Platform declared = image.getSpec().getPlatform();
    if (declared == null && fromSnapshot == null) {
      return Optional.of(new Finding(Reasons.PLATFORM_UNKNOWN, "the platform is unknown: set spec.platform (the boot "
          + "Snapshot " + boot.getSnapshot() + " was not taken from an instance, so it does not record one)"));
    }
    if (declared != null && fromSnapshot != null && (!Objects.equals(declared.getOs(), fromSnapshot.getOs())
        || !Objects.equals(declared.getArchitecture(), fromSnapshot.getArchitecture()))) {
      return Optional.of(new Finding(Reasons.PLATFORM_MISMATCH, "spec.platform says " + declared.getOs() + "/"
          + declared.getArchitecture() + " but the boot Snapshot " + boot.getSnapshot() + " was taken on "
          + fromSnapshot.getOs() + "/" + fromSnapshot.getArchitecture()));
    }
    return Optional.empty();
  }

  /** The boot disk of a registration: the entry marked boot, else the first. */
  SnapshotDiskSource bootEntry() {
    List<SnapshotDiskSource> entries = image.getSpec().getSource().getSnapshots();
    return entries.stream().filter(e -> Boolean.TRUE.equals(e.getBoot())).findFirst().orElse(entries.get(0));
  }

  /** The platform of a registration: declared, else recorded by the boot Snapshot. */
  Platform registeredPlatform() {
    Platform declared = image.getSpec().getPlatform();
    return declared != null ? declared : registered.get(bootEntry().getSnapshot()).getStatus().getSourcePlatform();
  }

  private boolean registeredSnapshotsReady() {
    return firstUnreadyRegistered().isEmpty();
  }

  private Optional<String> firstUnreadyRegistered() {
    return image.getSpec().getSource().getSnapshots().stream().map(SnapshotDiskSource::getSnapshot)
        .filter(name -> {
          Snapshot snapshot = registered.get(name);
          return snapshot == null || snapshot.getStatus() == null || snapshot.getStatus().getPhase() != SnapshotPhase.READY;
        })
        .findFirst();
  }

  // --- copy of another image ---------------------------------------------------------------

  boolean copying() {
    return image.getSpec().getSource().getImage() != null;
  }

  private ImageStep copyStep() {
    if (!started()) {
      return copyWait().isPresent() ? ImageStep.WAIT_FOR_SOURCE_IMAGE : ImageStep.START_COPY;
    }
    if (!missingCopies().isEmpty()) {
      return ImageStep.CREATE_COPIES;
    }
    return allSnapshotsReady() ? ImageStep.FINISH_COPY : ImageStep.WAIT_FOR_COPIES;
  }

  /**
   * The persistent disks of a started copy that have no Snapshot yet: from the layout the copy
   * recorded, which a step of this very pass may have just recorded.
   */
  List<String> missingCopies() {
    if (image.getStatus() == null || image.getStatus().getDisks() == null) {
      return List.of();
    }
    return image.getStatus().getDisks().stream().filter(d -> !Boolean.TRUE.equals(d.getEphemeral()))
        .map(ImageDisk::getName).filter(d -> !children.containsKey(d)).toList();
  }

  /** The image copied, as namespace/name. */
  String copiedName() {
    var reference = image.getSpec().getSource().getImage();
    return reference.getNamespace() + "/" + reference.getName();
  }

  /**
   * The image to copy, if this namespace may see it: its own images, and those of other namespaces
   * that share it and are not disabled (a disabled image is not visible to other namespaces).
   */
  private Optional<MachineImage> visibleSource() {
    MachineImage found = copied == null ? null : copied.image();
    String namespace = image.getMetadata().getNamespace();
    if (found == null || !LaunchPermissions.permits(found, namespace)) {
      return Optional.empty();
    }
    boolean ownNamespace = namespace.equals(found.getMetadata().getNamespace());
    return ownNamespace || !ImageLifecycle.disabled(found) ? Optional.of(found) : Optional.empty();
  }

  /** What a copy that has not started waits for, if anything. */
  Optional<String> copyWait() {
    Optional<MachineImage> found = visibleSource();
    if (found.isEmpty()) {
      return Optional.of("MachineImage " + copiedName() + " does not exist or is not shared with namespace "
          + image.getMetadata().getNamespace() + "; the copy waits for it until its failureDeadline");
    }
    MachineImage source = found.get();
    MachineImagePhase phase = source.getStatus() == null ? null : source.getStatus().getPhase();
    if (phase == MachineImagePhase.DISABLED || ImageLifecycle.disabled(source)) {
      return Optional.of("MachineImage " + copiedName() + " is disabled; the copy waits until it is enabled");
    }
    if (!ImageLifecycle.made(phase)) {
      return Optional.of("waiting for MachineImage " + copiedName() + " to be Available (it is "
          + (phase == null ? MachineImagePhase.PENDING : phase).value() + ")");
    }
    if (copiedDisks().stream().anyMatch(d -> handleOf(d.getSnapshot()) == null)) {
      return Optional.of("waiting for the snapshots of MachineImage " + copiedName() + " to be seen");
    }
    return Optional.empty();
  }

  /** The persistent disks of the image copied, as it recorded them. */
  List<ImageDisk> copiedDisks() {
    MachineImage source = copied == null ? null : copied.image();
    if (source == null || source.getStatus() == null || source.getStatus().getDisks() == null) {
      return List.of();
    }
    return source.getStatus().getDisks().stream().filter(d -> !Boolean.TRUE.equals(d.getEphemeral())).toList();
  }

  /** The snapshot data behind a Snapshot of the copied image, once it is known. */
  Snapshot copiedSnapshot(String name) {
    Snapshot snapshot = copied == null || name == null ? null : copied.snapshots().get(name);
    return snapshot == null || snapshot.getStatus() == null || snapshot.getStatus().getSnapshotHandle() == null
        || snapshot.getStatus().getDriver() == null || snapshot.getMetadata().getDeletionTimestamp() != null ? null : snapshot;
  }

  private String handleOf(String snapshot) {
    Snapshot found = copiedSnapshot(snapshot);
    return found == null ? null : found.getStatus().getSnapshotHandle();
  }

  /** The copied image is still the one the copy started from, with the data of every disk yet to copy. */
  private boolean copiedIntact() {
    MachineImage source = copied == null ? null : copied.image();
    String uid = image.getStatus().getSource().getImageUid();
    if (source == null || source.getMetadata().getDeletionTimestamp() != null || !source.getMetadata().getUid().equals(uid)) {
      return false;
    }
    Map<String, String> snapshotOfDisk = new java.util.HashMap<>();
    copiedDisks().forEach(d -> snapshotOfDisk.put(d.getName(), d.getSnapshot()));
    return missingCopies().stream().allMatch(d -> handleOf(snapshotOfDisk.get(d)) != null);
  }

  private Optional<Finding> copyFailure() {
    Optional<Finding> failed = failedChild();
    if (failed.isPresent()) {
      return failed;
    }
    if (!now.isBefore(deadline)) {
      return Optional.of(new Finding(Reasons.CREATION_TIMEOUT, "the image was not Available by its deadline " + deadline
          + (started() ? "" : ": " + copyWait().orElse(""))));
    }
    if (!started()) {
      Optional<MachineImage> found = visibleSource();
      if (found.isPresent() && found.get().getMetadata().getDeletionTimestamp() != null) {
        return Optional.of(new Finding(Reasons.SOURCE_IMAGE_DEREGISTERED, "MachineImage " + copiedName()
            + " is being deregistered: there is nothing left to copy"));
      }
      MachineImagePhase phase = found.map(i -> i.getStatus() == null ? null : i.getStatus().getPhase()).orElse(null);
      if (phase == MachineImagePhase.FAILED) {
        String why = Conditions.find(found.get().getStatus().getConditions(), ConditionTypes.AVAILABLE)
            .map(c -> c.getMessage()).orElse("");
        return Optional.of(new Finding(Reasons.SOURCE_IMAGE_FAILED, "MachineImage " + copiedName() + " failed, so it "
            + "cannot be copied: " + why));
      }
      // The names of the copy's Snapshots are checked once there is something to copy.
      return copyWait().isPresent() ? Optional.empty() : problem;
    }
    if (!missingCopies().isEmpty() && !copiedIntact()) {
      return Optional.of(new Finding(Reasons.SOURCE_IMAGE_DEREGISTERED, "MachineImage " + copiedName()
          + " was deregistered or replaced before every snapshot was copied"));
    }
    return Optional.empty();
  }

  // --- the boot check -----------------------------------------------------------------------

  static Duration checkTimeout(MachineImage image) {
    String timeout = image.getSpec().getCheck().getTimeout();
    return Durations.parse(timeout == null ? "5m" : timeout);
  }

  /** When the check started: recorded, or now for a check this very step starts. */
  private Instant checkStart() {
    var check = image.getStatus() == null ? null : image.getStatus().getCheck();
    return previousPhase() == MachineImagePhase.CHECKING && check != null && check.getStartTime() != null
        ? Instant.parse(check.getStartTime()) : now;
  }

  private String checkMessage() {
    return "booting Instance " + BootCheck.instanceName(image) + " from the image";
  }

  private boolean checkReady() {
    return check != null && check.getStatus() != null
        && Conditions.isTrue(check.getStatus().getConditions(), ConditionTypes.READY);
  }

  private Optional<Finding> checkFailure() {
    if (checkReady()) {
      return Optional.empty();
    }
    Instant checkDeadline = checkStart().plus(checkTimeout(image));
    if (check == null) {
      return now.isBefore(checkDeadline) ? Optional.empty() : Optional.of(new Finding(Reasons.CHECK_FAILED,
          "the check Instance did not appear within the check's timeout"));
    }
    if (check.getStatus() != null && check.getStatus().getPhase() == InstancePhase.FAILED) {
      String why = Conditions.find(check.getStatus().getConditions(), ConditionTypes.READY)
          .map(c -> c.getMessage()).orElse("it failed");
      return Optional.of(new Finding(Reasons.CHECK_FAILED, "Instance " + check.getMetadata().getName()
          + " launched from the image failed: " + why));
    }
    if (!now.isBefore(checkDeadline)) {
      return Optional.of(new Finding(Reasons.CHECK_FAILED, "Instance " + check.getMetadata().getName()
          + " launched from the image was not ready within " + image.getSpec().getCheck().getTimeout()));
    }
    return Optional.empty();
  }

  private static void setChecked(Conditions conditions, MachineImageStatus after, boolean enabled) {
    CheckResult result = after.getCheck() == null ? null : after.getCheck().getResult();
    String message = after.getCheck() == null ? null : after.getCheck().getMessage();
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

  // --- common -------------------------------------------------------------------------------

  private MachineImagePhase previousPhase() {
    MachineImagePhase phase = image.getStatus() == null ? null : image.getStatus().getPhase();
    return phase == null ? MachineImagePhase.PENDING : phase;
  }

  /** The phase of a made image: the spec may disable it, the clock may deprecate it. */
  private MachineImagePhase availablePhase() {
    if (ImageLifecycle.disabled(image)) {
      return MachineImagePhase.DISABLED;
    }
    return ImageLifecycle.deprecated(image, now) ? MachineImagePhase.DEPRECATED : MachineImagePhase.AVAILABLE;
  }

  /** The failure an image that already failed recorded in its Available condition. */
  private Finding recordedFailure() {
    var available = Conditions.find(image.getStatus().getConditions(), ConditionTypes.AVAILABLE);
    return new Finding(available.map(c -> c.getReason()).orElse(Reasons.FAILED), available.map(c -> c.getMessage()).orElse(""));
  }
}
