package dev.kiln.operator.snapshot;

import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.Snapshot;
import dev.kiln.api.v1alpha1.SnapshotPhase;
import dev.kiln.api.v1alpha1.SnapshotStatus;
import dev.kiln.operator.metrics.KilnMetrics;
import dev.kiln.operator.storage.SnapshotClasses;
import dev.kiln.operator.storage.SnapshotReferences;
import dev.kiln.operator.storage.VolumeSnapshots;
import dev.kiln.operator.support.AnnouncedPass;
import dev.kiln.operator.support.Caches;
import dev.kiln.operator.support.ConditionTypes;
import dev.kiln.operator.support.Conditions;
import dev.kiln.operator.support.Creation;
import dev.kiln.operator.support.Durations;
import dev.kiln.operator.support.EventRecorder;
import dev.kiln.operator.support.KilnSettings;
import dev.kiln.operator.support.Reasons;
import dev.kiln.operator.support.ReconcileErrors;
import dev.kiln.operator.support.Retries;
import dev.kiln.operator.support.StatusPatch;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshot;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshotClass;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshotContent;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps a Snapshot's VolumeSnapshot and reports its progress; holds its deletion back while a
 * MachineImage uses it.
 */
@ControllerConfiguration(name = "snapshot", finalizerName = SnapshotReconciler.FINALIZER)
@GradualRetry(maxAttempts = Retries.MAX_ATTEMPTS, initialInterval = Retries.INITIAL_INTERVAL,
    intervalMultiplier = Retries.MULTIPLIER, maxInterval = Retries.MAX_INTERVAL)
public class SnapshotReconciler implements Reconciler<Snapshot>, Cleaner<Snapshot> {

  /**
   * The finalizer that holds a Snapshot until its cleanup ran (the framework's default name, spelt
   * out: Snapshots a MachineImage makes carry it from birth).
   */
  public static final String FINALIZER = "snapshots.kiln.dev/finalizer";

  private final KubernetesClient client;
  private final Clock clock;
  private final KilnSettings settings;
  private final VolumeSnapshots volumeSnapshots;
  private final SnapshotClasses snapshotClasses;
  private final EventRecorder events;
  private final ReconcileErrors errors;
  private final SnapshotStatusFactory statusFactory;
  private final KilnMetrics metrics;
  private final SnapshotReferences references;

  public SnapshotReconciler(KubernetesClient client, Clock clock, KilnSettings settings, SnapshotReferences references) {
    this(client, clock, settings, KilnMetrics.unexported(), references);
  }

  @Inject
  public SnapshotReconciler(KubernetesClient client, Clock clock, KilnSettings settings, KilnMetrics metrics,
      SnapshotReferences references) {
    this.client = client;
    this.metrics = metrics;
    this.references = references;
    this.clock = clock;
    this.settings = settings;
    this.volumeSnapshots = new VolumeSnapshots(client, references);
    this.snapshotClasses = new SnapshotClasses(client);
    this.events = new EventRecorder(client, clock);
    this.errors = new ReconcileErrors(clock, events);
    this.statusFactory = new SnapshotStatusFactory(clock);
  }

  @Override
  public List<EventSource<?, Snapshot>> prepareEventSources(EventSourceContext<Snapshot> context) {
    return SnapshotEventSources.of(context, references);
  }

  @Override
  public UpdateControl<Snapshot> reconcile(Snapshot snapshot, Context<Snapshot> context) {
    return AnnouncedPass.run(events, snapshot, context, s -> pass(s, context));
  }

  private UpdateControl<Snapshot> pass(Snapshot snapshot, Context<Snapshot> context) {
    List<String> usedBy = usedBy(snapshot, context);
    SnapshotStatus status = statusFactory.start(snapshot);
    Optional<VolumeSnapshot> volumeSnapshot = context.getSecondaryResource(VolumeSnapshot.class);
    Instant deadline = deadline(snapshot);
    SnapshotPhase before = snapshot.getStatus() == null ? null : snapshot.getStatus().getPhase();
    String reasonBefore = snapshot.getStatus() == null ? null : Conditions.find(snapshot.getStatus().getConditions(),
        ConditionTypes.READY).map(c -> c.getReason()).orElse(null);

    // The volume (for the driver) is read only until the driver is recorded: before the VolumeSnapshot is
    // made, and, for an image's Snapshot, until its first status (written once it is cut) records it.
    SourceCheck source = resolver(context).resolve(snapshot,
        (volumeSnapshot.isEmpty() || status.getDriver() == null) && before != SnapshotPhase.FAILED);
    if (source.ok()) {
      // Learnt again on every pass rather than remembered: a status written from a stale copy must not lose it.
      statusFactory.recordSource(status, source);
    }

    SnapshotProgress progress;
    if (before == SnapshotPhase.FAILED) {
      progress = new SnapshotProgress(SnapshotPhase.FAILED, failureReason(snapshot), failureMessage(snapshot), false);
    } else if (volumeSnapshot.isPresent()) {
      VolumeSnapshotContent content = status.getSnapshotHandle() == null ? content(context, volumeSnapshot.get()) : null;
      boolean handleKnown = status.getSnapshotHandle() != null || content != null;
      if (SnapshotProgress.contentDue(volumeSnapshot.get(), handleKnown, Instant.now(clock))) {
        // The content's own event brings this Snapshot back in a moment, Ready: no status for the moment between.
        return UpdateControl.<Snapshot>noUpdate().rescheduleAfter(SnapshotProgress.CONTENT_GRACE.toMillis());
      }
      progress = SnapshotProgress.of(volumeSnapshot.get(), handleKnown, Instant.now(clock), deadline);
      statusFactory.recordProgress(status, volumeSnapshot.get(), content);
      if (progress.deleteVolumeSnapshot()) {
        deleteVolumeSnapshot(snapshot, volumeSnapshot.get(), context); // a content the cache lacks goes with the Snapshot
      }
    } else {
      progress = startSnapshot(snapshot, source, status, deadline, context);
    }

    if (partOfImage(snapshot) && yetToBeCut(snapshot, status, progress)) {
      // Its image reports the capture under way (and is what GitOps tools and users wait on); the
      // VolumeSnapshot's events bring this Snapshot back when it is cut or something goes wrong. A
      // status now would tell nothing new and cost every watcher of Snapshots a change.
      return UpdateControl.<Snapshot>noUpdate().rescheduleAfter(untilPastDeadline(deadline));
    }
    statusFactory.finish(status, snapshot, progress.phase(), progress.reason(), progress.message(), usedBy);
    announce(snapshot, before, reasonBefore, progress);
    count(snapshot, status, before, progress);
    UpdateControl<Snapshot> control = AnnouncedPass.store(snapshot, status, Snapshot::new, context);
    if (progress.phase() == SnapshotPhase.PENDING || progress.phase() == SnapshotPhase.CREATING) {
      control.rescheduleAfter(untilPastDeadline(deadline));
    }
    return control;
  }

  /**
   * Whether this Snapshot has never had a status and its VolumeSnapshot, made, is not cut yet: the
   * first status of an image's Snapshot tells the cut (or readiness, or a problem), the moment its
   * image waits for to let the instance run again.
   */
  private static boolean yetToBeCut(Snapshot snapshot, SnapshotStatus status, SnapshotProgress progress) {
    return snapshot.getStatus() == null && status.getVolumeSnapshot() != null && status.getCutTime() == null
        && progress.phase() == SnapshotPhase.CREATING && Reasons.CREATING.equals(progress.reason());
  }

  private long untilPastDeadline(Instant deadline) {
    return Duration.between(Instant.now(clock), deadline).plusSeconds(1).toMillis();
  }

  @Override
  public ErrorStatusUpdateControl<Snapshot> updateErrorStatus(Snapshot snapshot, Context<Snapshot> context, Exception e) {
    return errors.report(snapshot, context, e, SnapshotStatus.class, Snapshot::new);
  }

  @Override
  public DeleteControl cleanup(Snapshot snapshot, Context<Snapshot> context) {
    List<String> usedBy = usedBy(snapshot, context);
    if (!usedBy.isEmpty()) {
      SnapshotStatus status = statusFactory.start(snapshot);
      statusFactory.finish(status, snapshot, SnapshotPhase.DELETING, Reasons.DELETING,
          "deletion waits until no MachineImage uses this snapshot", usedBy);
      if (!StatusPatch.sameContent(snapshot.getStatus(), status)) {
        StatusPatch.writeNow(client, snapshot, status, Snapshot::new);
        events.warning(snapshot, Reasons.USED_BY_IMAGES, "deletion waits: used by MachineImages " + String.join(", ", usedBy));
      }
      return DeleteControl.noFinalizerRemoval();
    }
    var volumeSnapshot = context.getSecondaryResource(VolumeSnapshot.class);
    if ((volumeSnapshot.isPresent() || snapshot.getSpec().getSource().getHandle() != null)
        && !deleteVolumeSnapshot(snapshot, volumeSnapshot.orElse(null), context)) {
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(1000);
    }
    return DeleteControl.defaultDelete();
  }

  /**
   * Deletes the Snapshot's VolumeSnapshot, letting go of its content's reference to the data: the
   * data stays while images copied from it or launches from other namespaces still reference it.
   *
   * @return false when the content was made a moment ago and the cache does not show it yet: whether
   *     its data goes is decided once it does
   */
  private boolean deleteVolumeSnapshot(Snapshot snapshot, VolumeSnapshot volumeSnapshot, Context<Snapshot> context) {
    String contentName = volumeSnapshot != null && volumeSnapshot.getStatus() != null
        && volumeSnapshot.getStatus().getBoundVolumeSnapshotContentName() != null
        ? volumeSnapshot.getStatus().getBoundVolumeSnapshotContentName()
        : snapshot.getSpec().getSource().getHandle() != null ? VolumeSnapshots.preProvisionedName(snapshot) : null;
    VolumeSnapshotContent content = contentName == null ? null
        : Caches.find(context, VolumeSnapshotContent.class, null, contentName).orElse(null);
    if (content == null && contentName != null && references.madeRecently(contentName)) {
      return false;
    }
    String handle = content == null ? null : SnapshotReferences.handleOf(content);
    volumeSnapshots.delete(snapshot.getMetadata().getNamespace(), snapshot.getMetadata().getName(), content,
        references.contentsOf(handle));
    return true;
  }

  private SnapshotProgress startSnapshot(Snapshot snapshot, SourceCheck source, SnapshotStatus status, Instant deadline,
      Context<Snapshot> context) {
    if (!Instant.now(clock).isBefore(deadline)) {
      return SnapshotProgress.timedOut(deadline, false);
    }
    if (!source.ok()) {
      return new SnapshotProgress(source.permanent() ? SnapshotPhase.FAILED : SnapshotPhase.PENDING,
          source.reason(), source.message(), false);
    }
    var handle = snapshot.getSpec().getSource().getHandle();
    if (handle != null) {
      var contents = references.contentsOf(handle.getSnapshotHandle());
      var refused = HandleAuthority.refusal(snapshot, handle,
          (namespace, name) -> Caches.find(context, MachineImage.class, namespace, name).orElse(null), contents);
      if (refused.isPresent()) {
        return new SnapshotProgress(refused.get().permanent() ? SnapshotPhase.FAILED : SnapshotPhase.PENDING,
            refused.get().permanent() ? Reasons.HANDLE_NOT_PERMITTED : Reasons.SOURCE_NOT_FOUND, refused.get().message(), false);
      }
      boolean made = volumeSnapshots.createFromHandle(snapshot, handle.getDriver(), handle.getSnapshotHandle(),
          source.volumeMode().value(), contents, created -> Creation.remember(context, snapshot, created));
      if (!made) {
        return new SnapshotProgress(SnapshotPhase.FAILED, Reasons.SNAPSHOT_DATA_DELETED, "the storage snapshot "
            + handle.getSnapshotHandle() + " is being deleted: its last reference was let go", false);
      }
      status.setVolumeSnapshot(snapshot.getMetadata().getName());
      return new SnapshotProgress(SnapshotPhase.CREATING, Reasons.CREATING, "waiting for the storage snapshot to be bound", false);
    }
    SnapshotClasses.Choice snapshotClass = snapshotClasses.choose(snapshot.getSpec().getVolumeSnapshotClassName(), source.driver(),
        Caches.everywhere(context, VolumeSnapshotClass.class));
    if (!snapshotClass.found()) {
      return new SnapshotProgress(SnapshotPhase.FAILED, Reasons.NOT_SNAPSHOTTABLE, snapshotClass.whyNone(), false);
    }
    // Remembered: until it is cut, an image's Snapshot has no status saying its VolumeSnapshot was made.
    volumeSnapshots.create(snapshot, source.claimName(), snapshotClass.className(),
        created -> Creation.remember(context, snapshot, created));
    status.setVolumeSnapshot(snapshot.getMetadata().getName());
    return new SnapshotProgress(SnapshotPhase.CREATING, Reasons.CREATING, "waiting for the snapshot to be cut", false);
  }

  /** Looks the source up in the informer caches; a volume the cache lacks is asked of the API server. */
  private SourceResolver resolver(Context<Snapshot> context) {
    return new SourceResolver(
        name -> named(context.getSecondaryResources(Instance.class), name),
        name -> named(context.getSecondaryResources(PersistentVolumeClaim.class), name),
        name -> Caches.cachedOrFetched(context, PersistentVolume.class, null, name,
            () -> client.persistentVolumes().withName(name).get()));
  }

  /**
   * The bound content with its handle, from the cache only: one the cache lacks yet is not asked of the
   * API server, since its event will bring this Snapshot back.
   */
  private static VolumeSnapshotContent content(Context<Snapshot> context, VolumeSnapshot volumeSnapshot) {
    String name = volumeSnapshot.getStatus() == null ? null : volumeSnapshot.getStatus().getBoundVolumeSnapshotContentName();
    if (name == null) {
      return null;
    }
    return Caches.find(context, VolumeSnapshotContent.class, null, name)
        .filter(c -> c.getStatus() != null && c.getStatus().getSnapshotHandle() != null)
        .orElse(null);
  }

  private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> T named(java.util.Set<T> objects, String name) {
    return objects.stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst().orElse(null);
  }

  private Instant deadline(Snapshot snapshot) {
    Duration allowed = snapshot.getSpec().getDeadline() == null ? settings.snapshotDeadline()
        : Durations.parse(snapshot.getSpec().getDeadline());
    return Instant.parse(snapshot.getMetadata().getCreationTimestamp()).plus(allowed);
  }

  private static List<String> usedBy(Snapshot snapshot, Context<Snapshot> context) {
    return SnapshotUsage.imagesUsing(snapshot.getMetadata().getName(), context.getSecondaryResources(MachineImage.class));
  }

  /** A Snapshot that turns Ready counts its cut and upload; one that fails counts its reason. */
  private void count(Snapshot snapshot, SnapshotStatus status, SnapshotPhase before, SnapshotProgress progress) {
    if (progress.phase() == before) {
      return;
    }
    if (progress.phase() == SnapshotPhase.FAILED) {
      events.onceStored(() -> metrics.failed("Snapshot", progress.reason()));
    } else if (progress.phase() == SnapshotPhase.READY && status.getCutTime() != null && status.getReadyTime() != null) {
      Instant created = Instant.parse(snapshot.getMetadata().getCreationTimestamp());
      Instant cut = Instant.parse(status.getCutTime());
      Instant ready = Instant.parse(status.getReadyTime());
      events.onceStored(() -> metrics.snapshotReady(positive(Duration.between(created, cut)),
          positive(Duration.between(cut, ready))));
    }
  }

  /** Times are read from seconds-precise timestamps of different clocks: never below zero. */
  private static Duration positive(Duration duration) {
    return duration.isNegative() ? Duration.ZERO : duration;
  }

  /**
   * Announces what goes wrong, and a Snapshot a user asked for becoming Ready. Progress (Creating)
   * shows in the status; a Snapshot a MachineImage took for itself is announced by its image.
   */
  private void announce(Snapshot snapshot, SnapshotPhase before, String reasonBefore, SnapshotProgress progress) {
    if (progress.phase() == before && progress.reason().equals(reasonBefore)) {
      return;
    }
    if (progress.phase() == SnapshotPhase.FAILED || Reasons.SNAPSHOT_FAILED.equals(progress.reason())) {
      events.warning(snapshot, progress.reason(), progress.message());
    } else if (progress.phase() == SnapshotPhase.READY && !partOfImage(snapshot)) {
      events.normal(snapshot, progress.phase().value(), progress.message());
    }
  }

  private static boolean partOfImage(Snapshot snapshot) {
    return snapshot.getMetadata().getOwnerReferences().stream()
        .anyMatch(r -> Boolean.TRUE.equals(r.getController()) && HasMetadata.getKind(MachineImage.class).equals(r.getKind()));
  }

  private static String failureReason(Snapshot snapshot) {
    return readyCondition(snapshot).map(c -> c.getReason()).orElse(Reasons.SNAPSHOT_FAILED);
  }

  private static String failureMessage(Snapshot snapshot) {
    return readyCondition(snapshot).map(c -> c.getMessage()).orElse("");
  }

  private static Optional<io.fabric8.kubernetes.api.model.Condition> readyCondition(Snapshot snapshot) {
    return dev.kiln.operator.support.Conditions.find(snapshot.getStatus().getConditions(),
        dev.kiln.operator.support.ConditionTypes.READY);
  }
}
