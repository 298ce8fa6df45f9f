package dev.kiln.operator.machineimage;

import dev.kiln.api.v1alpha1.DeletionPolicy;
import dev.kiln.api.v1alpha1.ImageDisk;
import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.MachineImagePhase;
import dev.kiln.api.v1alpha1.MachineImageStatus;
import dev.kiln.api.v1alpha1.Snapshot;
import dev.kiln.operator.instance.DiskPlanner;
import dev.kiln.operator.instance.PlannedDisk;
import dev.kiln.operator.metrics.KilnMetrics;
import dev.kiln.operator.runtime.MachineCache;
import dev.kiln.operator.runtime.MachineExec;
import dev.kiln.operator.support.AnnouncedPass;
import dev.kiln.operator.support.Caches;
import dev.kiln.operator.support.Durations;
import dev.kiln.operator.support.EventRecorder;
import dev.kiln.operator.support.KilnSettings;
import dev.kiln.operator.support.Labels;
import dev.kiln.operator.support.LeanItemStore;
import dev.kiln.operator.support.Lookups;
import dev.kiln.operator.support.Mapping;
import dev.kiln.operator.support.OwnFinalizer;
import dev.kiln.operator.support.Reasons;
import dev.kiln.operator.support.ReconcileErrors;
import dev.kiln.operator.support.Retries;
import dev.kiln.operator.support.WrittenCopies;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshotClass;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Creates MachineImages from an instance or registers them from snapshots, keeps their deprecation
 * and usage current, and deregisters them: their own snapshots deleted or kept as deletionPolicy says.
 */
// Hears every event of its images, deletions included, and so adds and removes its finalizer itself
// (OwnFinalizer): in the pass that starts the work rather than in a pass of its own first.
@ControllerConfiguration(name = "machineimage", triggerReconcilerOnAllEvents = true)
@GradualRetry(maxAttempts = Retries.MAX_ATTEMPTS, initialInterval = Retries.INITIAL_INTERVAL,
    intervalMultiplier = Retries.MULTIPLIER, maxInterval = Retries.MAX_INTERVAL)
public class MachineImageReconciler implements Reconciler<MachineImage> {

  /** Holds an image until it is deregistered (the name the framework gave it when it managed it). */
  public static final String FINALIZER = "machineimages.kiln.dev/finalizer";

  static final String SOURCE_INSTANCE_INDEX = "image-by-source-instance";
  static final String REGISTERED_SNAPSHOT_INDEX = "image-by-registered-snapshot";
  /** Snapshots by the image that made them (label kiln.dev/image), as namespace/image. */
  static final String CHILD_INDEX = "snapshot-by-image";
  /** Instances by the image they were launched from (status.image), as namespace/image. */
  static final String LAUNCHED_INDEX = "instance-by-launching-image";

  private final KubernetesClient client;
  private final Clock clock;
  private final KilnSettings settings;
  private final ImageChildren children;
  private final InstanceCapture capture;
  private final ImageCopy copy;
  private final BootCheck bootCheck;
  private final SourcePreflight preflight;
  private final EventRecorder events;
  private final ReconcileErrors errors;
  private final ImageStatusFactory statusFactory;
  private final KilnMetrics metrics;

  public MachineImageReconciler(KubernetesClient client, Clock clock, KilnSettings settings, MachineExec exec,
      MachineCache machines) {
    this(client, clock, settings, exec, KilnMetrics.unexported(), machines);
  }

  @Inject
  public MachineImageReconciler(KubernetesClient client, Clock clock, KilnSettings settings, MachineExec exec,
      KilnMetrics metrics, MachineCache machines) {
    this.client = client;
    this.metrics = metrics;
    this.clock = clock;
    this.settings = settings;
    this.children = new ImageChildren(client);
    this.events = new EventRecorder(client, clock);
    this.errors = new ReconcileErrors(clock, events);
    this.capture = new InstanceCapture(client, children, events, exec, machines);
    this.copy = new ImageCopy(children);
    this.bootCheck = new BootCheck(client);
    this.preflight = new SourcePreflight(client);
    this.statusFactory = new ImageStatusFactory();
  }

  @Override
  public List<EventSource<?, MachineImage>> prepareEventSources(EventSourceContext<MachineImage> context) {
    var primaries = context.getPrimaryCache();
    primaries.addIndexer(SOURCE_INSTANCE_INDEX, i -> i.getSpec() == null || i.getSpec().getSource().getInstance() == null ? List.of()
        : Mapping.keys(i, List.of(i.getSpec().getSource().getInstance().getName())));
    primaries.addIndexer(REGISTERED_SNAPSHOT_INDEX, i -> i.getSpec() == null || i.getSpec().getSource().getSnapshots() == null ? List.of()
        : Mapping.keys(i, i.getSpec().getSource().getSnapshots().stream().map(s -> s.getSnapshot()).toList()));
    var byRegistration = Mapping.<MachineImage, Snapshot>byIndex(primaries, REGISTERED_SNAPSHOT_INDEX,
        s -> Mapping.key(s.getMetadata().getNamespace(), s.getMetadata().getName()));
    var bySource = Mapping.<MachineImage, Instance>byIndex(primaries, SOURCE_INSTANCE_INDEX,
        i -> Mapping.key(i.getMetadata().getNamespace(), i.getMetadata().getName()));
    var snapshots = new InformerEventSource<>(LeanItemStore.informer(Snapshot.class, context)
        .withSecondaryToPrimaryMapper(Mapping.either(Mapping.byLabel(Labels.IMAGE), byRegistration))
        .withPrimaryToSecondaryMapper((MachineImage i) -> Set.of())
        .build(), context);
    snapshots.addIndexers(Map.of(CHILD_INDEX, s -> s.getMetadata().getLabels() == null
        || s.getMetadata().getLabels().get(Labels.IMAGE) == null ? List.of()
        : List.of(Mapping.key(s.getMetadata().getNamespace(), s.getMetadata().getLabels().get(Labels.IMAGE)))));
    var instances = new InformerEventSource<>(LeanItemStore.informer(Instance.class, context)
        .withSecondaryToPrimaryMapper(Mapping.either(bySource, MachineImageReconciler::launchedFrom))
        .withPrimaryToSecondaryMapper((MachineImage i) -> Set.of())
        .build(), context);
    instances.addIndexers(Map.of(LAUNCHED_INDEX, i -> i.getStatus() == null || i.getStatus().getImage() == null ? List.of()
        : List.of(Mapping.key(i.getStatus().getImage().getNamespace(), i.getStatus().getImage().getName()))));
    return List.of(
        new WrittenCopies<>(),
        snapshots,
        instances,
        // Read, never reacted to: the source's disks, and what decides whether they can be snapshotted. (Its
        // machine is read from the Instance controller's cache: MachineCache.)
        Lookups.of(PersistentVolumeClaim.class, Labels.INSTANCE, context),
        Lookups.clusterWide(PersistentVolume.class, context),
        Lookups.clusterWide(VolumeSnapshotClass.class, context));
  }

  @Override
  public UpdateControl<MachineImage> reconcile(MachineImage image, Context<MachineImage> context) {
    if (OwnFinalizer.gone(context)) {
      return UpdateControl.noUpdate();
    }
    if (image.isMarkedForDeletion()) {
      if (image.hasFinalizer(FINALIZER)) {
        deregister(image, context);
        OwnFinalizer.release(image, FINALIZER, context);
      }
      return UpdateControl.noUpdate();
    }
    return AnnouncedPass.run(events, image, context, i -> pass(OwnFinalizer.ensure(i, FINALIZER, context), context));
  }

  /** Observe, plan, act, store: the plan decides, the steps only act. */
  private UpdateControl<MachineImage> pass(MachineImage image, Context<MachineImage> context) {
    Instant now = clock.instant();
    MachineImageStatus status = statusFactory.start(image);
    MachineImagePhase before = image.getStatus() == null ? null : image.getStatus().getPhase();
    ImagePlan plan = observe(image, context, now);
    for (int steps = 0; ; steps++) {
      Optional<Finding> found = act(plan, status, context);
      if (found.isPresent()) {
        plan = plan.failing(found.get());
        act(plan, status, context);
        break;
      }
      if (!ImagePlan.CONTINUING.contains(plan.next()) || steps == 3) {
        break;
      }
      plan = plan.after(status);
    }
    status.setPhase(plan.phase());
    // Instances of every namespace: an image shared with other namespaces is used from them too.
    statusFactory.recordUsage(image, status, Caches.byIndex(context, Instance.class, LAUNCHED_INDEX, key(image)).stream()
        .filter(i -> !BootCheck.isCheckOf(i, image)).toList());
    statusFactory.recordSkippedCheck(image, status);
    status.setConditions(plan.conditions(status));
    announce(image, before, plan, status);
    count(image, before, status, plan);

    UpdateControl<MachineImage> control = AnnouncedPass.store(image, status, MachineImage::new, context);
    plan.wakeUp().ifPresent(at -> control.rescheduleAfter(Math.max(0, Duration.between(now, at).toMillis())));
    return control;
  }

  /** What the plan decides on: the image's own snapshots, its source, the Snapshots it registers, its check Instance. */
  private ImagePlan observe(MachineImage image, Context<MachineImage> context, Instant now) {
    String namespace = image.getMetadata().getNamespace();
    Function<String, Snapshot> snapshotNamed = name -> Caches.find(context, Snapshot.class, namespace, name).orElse(null);
    List<Snapshot> mine = Caches.byIndex(context, Snapshot.class, CHILD_INDEX, key(image));
    Map<String, Snapshot> own = byDisk(mine.stream().filter(s -> ImageChildren.isChild(s, image) && !ImageChildren.isPre(s)));
    Map<String, Snapshot> pre = byDisk(mine.stream().filter(s -> ImageChildren.isChild(s, image) && ImageChildren.isPre(s)));
    Instance check = Caches.find(context, Instance.class, namespace, BootCheck.instanceName(image))
        .filter(i -> BootCheck.isCheckOf(i, image)).orElse(null);
    MachineImagePhase phase = image.getStatus() == null ? null : image.getStatus().getPhase();
    boolean creating = phase == null || phase == MachineImagePhase.PENDING || phase == MachineImagePhase.CREATING;
    var source = image.getSpec().getSource();
    Instance sourceInstance = null;
    List<String> persistentDisks = List.of();
    Optional<Finding> problem = Optional.empty();
    Map<String, Snapshot> registered = Map.of();
    ImagePlan.CopySource copied = null;
    if (creating && source.getImage() != null) {
      copied = copySource(image, context);
      boolean started = image.getStatus() != null && image.getStatus().getSource() != null && image.getStatus().getDisks() != null;
      if (!started && copied.image() != null && copied.image().getStatus() != null && copied.image().getStatus().getDisks() != null) {
        problem = SourcePreflight.copyNameProblem(image, copied.image().getStatus().getDisks().stream()
            .filter(d -> !Boolean.TRUE.equals(d.getEphemeral())).map(ImageDisk::getName).toList(), snapshotNamed);
      }
      persistentDisks = started
          ? image.getStatus().getDisks().stream().filter(d -> !Boolean.TRUE.equals(d.getEphemeral())).map(ImageDisk::getName).toList()
          : List.of();
      persistentDisks.forEach(disk -> findRecentChild(image, disk, ImageChildren.name(image, disk), own, context));
    } else if (creating && source.getInstance() != null) {
      sourceInstance = Caches.find(context, Instance.class, namespace, source.getInstance().getName())
          // A missing source fails the image for good: ask the API server, not a cache that may be catching up.
          .orElseGet(() -> client.resources(Instance.class).inNamespace(namespace).withName(source.getInstance().getName()).get());
      boolean started = image.getStatus() != null && image.getStatus().getSource() != null;
      List<PlannedDisk> planned = sourceInstance == null ? List.of() : DiskPlanner.plan(sourceInstance);
      // Once started, the disks are the ones recorded at the start: the instance may change or go.
      persistentDisks = started && image.getStatus().getDisks() != null
          ? image.getStatus().getDisks().stream().filter(d -> !Boolean.TRUE.equals(d.getEphemeral())).map(ImageDisk::getName).toList()
          : planned.stream().filter(d -> !d.ephemeral()).map(PlannedDisk::name).toList();
      for (String disk : persistentDisks) {
        findRecentChild(image, disk, ImageChildren.name(image, disk), own, context);
        findRecentChild(image, disk, ImageChildren.preName(image, disk), pre, context);
      }
      if (!started && sourceInstance != null) {
        problem = preflight.check(image, sourceInstance, planned.stream().filter(d -> !d.ephemeral()).toList(), snapshotNamed,
            context);
      }
    } else if (creating && source.getSnapshots() != null) {
      registered = new HashMap<>();
      for (var entry : source.getSnapshots()) {
        // As above: a registration fails on a missing Snapshot only if the API server agrees.
        Snapshot cached = snapshotNamed.apply(entry.getSnapshot());
        if (cached != null) {
          registered.put(entry.getSnapshot(), cached);
        } else {
          Snapshot found = client.resources(Snapshot.class).inNamespace(namespace).withName(entry.getSnapshot()).get();
          if (found != null) {
            registered.put(entry.getSnapshot(), found);
          }
        }
      }
    }
    return new ImagePlan(image, sourceInstance, persistentDisks, own, pre, registered, copied, check, problem, now,
        deadline(image));
  }

  /** The image a copy names, from the cache of every watched namespace, and the Snapshots its disks name. */
  private static ImagePlan.CopySource copySource(MachineImage image, Context<MachineImage> context) {
    var reference = image.getSpec().getSource().getImage();
    MachineImage copied = context.getPrimaryCache().get(new ResourceID(reference.getName(), reference.getNamespace())).orElse(null);
    Map<String, Snapshot> snapshots = new HashMap<>();
    if (copied != null && copied.getStatus() != null && copied.getStatus().getDisks() != null) {
      for (ImageDisk disk : copied.getStatus().getDisks()) {
        if (disk.getSnapshot() != null) {
          Caches.find(context, Snapshot.class, reference.getNamespace(), disk.getSnapshot())
              .ifPresent(s -> snapshots.put(disk.getSnapshot(), s));
        }
      }
    }
    return new ImagePlan.CopySource(copied, snapshots);
  }

  /**
   * Adds the image's child of a disk that the index did not list: one created by an earlier pass may
   * be known only to the cache's record of recent creations.
   */
  private static void findRecentChild(MachineImage image, String disk, String name, Map<String, Snapshot> byDisk,
      Context<MachineImage> context) {
    if (!byDisk.containsKey(disk)) {
      Caches.find(context, Snapshot.class, image.getMetadata().getNamespace(), name)
          .filter(s -> ImageChildren.isChild(s, image)).ifPresent(s -> byDisk.put(disk, s));
    }
  }

  private static String key(MachineImage image) {
    return Mapping.key(image.getMetadata().getNamespace(), image.getMetadata().getName());
  }

  private static Map<String, Snapshot> byDisk(java.util.stream.Stream<Snapshot> snapshots) {
    return snapshots.collect(Collectors.toMap(s -> s.getMetadata().getLabels().get(Labels.DISK), Function.identity(),
        (a, b) -> a, HashMap::new));
  }

  /** Takes the step the plan names; returns what acting found that fails the image, if anything. */
  private Optional<Finding> act(ImagePlan plan, MachineImageStatus status, Context<MachineImage> context) {
    MachineImage image = plan.image();
    ImageStep step = plan.next();
    switch (step) {
      case REGISTER -> SnapshotRegistration.register(plan, status);
      case START_COPY -> ImageCopy.start(plan, status);
      case CREATE_COPIES -> copy.createMissing(plan, context);
      case FINISH_COPY -> ImageCopy.finish(plan, status);
      case LAUNCH_CHECK -> bootCheck.launch(image);
      case PASS_CHECK -> bootCheck.pass(status, plan.check(), plan.now());
      case FAIL -> {
        if (plan.capturing()) {
          capture.abandon(plan, status);
        }
        if (image.getStatus() != null && image.getStatus().getPhase() == MachineImagePhase.CHECKING) {
          bootCheck.fail(status, plan.check(), plan.failure().orElseThrow().message());
        }
        // A failed image has no disks: it must not keep the snapshots it made in use.
        status.setDisks(null);
        status.setStorage(null);
        children.delete(plan.children().values());
        children.delete(plan.preChildren().values());
      }
      case STAY_FAILED -> {
        children.delete(plan.children().values());
        children.delete(plan.preChildren().values());
        if (status.getSource() != null) {
          status.getSource().setHeld(false);
        }
      }
      case KEEP, WAIT_FOR_SNAPSHOTS, WAIT_FOR_CHECK, WAIT_FOR_SOURCE_IMAGE, WAIT_FOR_COPIES -> { }
      default -> {
        Optional<Finding> found = capture.act(plan, status, context);
        if (found.isPresent()) {
          return found;
        }
      }
    }
    if ((step == ImageStep.COMPLETE || step == ImageStep.REGISTER || step == ImageStep.FINISH_COPY) && BootCheck.enabled(image)) {
      bootCheck.start(image, status, plan.now());
    }
    return Optional.empty();
  }

  @Override
  public ErrorStatusUpdateControl<MachineImage> updateErrorStatus(MachineImage image, Context<MachineImage> context, Exception e) {
    return errors.report(image, context, e, MachineImageStatus.class, MachineImage::new);
  }

  /** Deregisters a deleted image: its check Instance gone, its own snapshots deleted or kept as deletionPolicy says. */
  private void deregister(MachineImage image, Context<MachineImage> context) {
    bootCheck.cleanUp(image, Caches.find(context, Instance.class, image.getMetadata().getNamespace(),
        BootCheck.instanceName(image)).stream().toList());
    var own = Caches.byIndex(context, Snapshot.class, CHILD_INDEX, key(image)).stream()
        .filter(s -> ImageChildren.isChild(s, image)).toList();
    // The first snapshots of a two-phase capture are never kept: the image's disks are the final ones.
    children.delete(own.stream().filter(ImageChildren::isPre).toList());
    own = own.stream().filter(s -> !ImageChildren.isPre(s)).toList();
    if (image.getSpec().getDeletionPolicy() == DeletionPolicy.RETAIN) {
      children.release(image, own);
      if (!own.isEmpty()) {
        events.normal(image, Reasons.DISK_RETAINED, "deregistered; kept Snapshots "
            + own.stream().map(s -> s.getMetadata().getName()).sorted().collect(Collectors.joining(", ")) + " (deletionPolicy Retain)");
      }
    } else {
      children.delete(own);
      if (!own.isEmpty()) {
        events.normal(image, Reasons.DELETING, "deregistered; deleting Snapshots "
            + own.stream().map(s -> s.getMetadata().getName()).sorted().collect(Collectors.joining(", ")));
      }
    }
    metrics.imageGone(image.getMetadata().getNamespace(), image.getMetadata().getName());
  }


  /** The phase gauge follows every pass; a capture that becomes Available counts its time, a failure its reason. */
  private void count(MachineImage image, MachineImagePhase before, MachineImageStatus status, ImagePlan plan) {
    MachineImagePhase after = plan.phase();
    metrics.imagePhase(image.getMetadata().getNamespace(), image.getMetadata().getName(), after);
    if (after == before) {
      return;
    }
    if (after == MachineImagePhase.FAILED) {
      String reason = plan.failure().orElseThrow().reason();
      events.onceStored(() -> metrics.failed("MachineImage", reason));
    } else if (ImageLifecycle.made(after) && !ImageLifecycle.made(before)
        && image.getSpec().getSource().getInstance() != null && status.getSource() != null
        && status.getSource().getConsistencyAchieved() != null) {
      String consistency = status.getSource().getConsistencyAchieved().value();
      Duration took = Duration.between(Instant.parse(image.getMetadata().getCreationTimestamp()), clock.instant());
      events.onceStored(() -> metrics.captured(consistency, took));
    }
  }

  /**
   * Announces the phases an image settles in (Available, Deprecated, Failed); the way there
   * (Creating, Checking) shows in its status and conditions.
   */
  private void announce(MachineImage image, MachineImagePhase before, ImagePlan plan, MachineImageStatus status) {
    MachineImagePhase after = plan.phase();
    if (after == before) {
      return;
    }
    switch (after) {
      case FAILED -> {
        Finding why = plan.failure().orElseThrow();
        events.warning(image, why.reason(), why.message());
      }
      case AVAILABLE -> events.normal(image, after.value(), "Instances can launch from this image" + snapshotsOf(status));
      case DEPRECATED -> events.normal(image, after.value(), "deprecated: launchable by name, skipped by family resolution");
      case DISABLED -> events.normal(image, after.value(), "disabled: no new Instance launches from it until spec.disabled is false");
      default -> { }
    }
  }

  private static String snapshotsOf(MachineImageStatus status) {
    if (status.getDisks() == null || status.getDisks().isEmpty()) {
      return "";
    }
    return "; its snapshots: " + status.getDisks().stream().map(d -> d.getSnapshot()).collect(Collectors.joining(", "));
  }

  private Instant deadline(MachineImage image) {
    Duration allowed = image.getSpec().getFailureDeadline() == null ? settings.imageFailureDeadline()
        : Durations.parse(image.getSpec().getFailureDeadline());
    return Instant.parse(image.getMetadata().getCreationTimestamp()).plus(allowed);
  }


  private static Set<ResourceID> launchedFrom(Instance instance) {
    if (instance.getStatus() == null || instance.getStatus().getImage() == null) {
      return Set.of();
    }
    return Set.of(new ResourceID(instance.getStatus().getImage().getName(), instance.getStatus().getImage().getNamespace()));
  }
}
