package dev.kiln.operator.machineimage;

import dev.kiln.api.v1alpha1.DeletionPolicy;
import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.MachineImagePhase;
import dev.kiln.api.v1alpha1.MachineImageStatus;
import dev.kiln.api.v1alpha1.Snapshot;
import dev.kiln.operator.runtime.MachineExec;
import dev.kiln.operator.support.Caches;
import dev.kiln.operator.support.ConditionTypes;
import dev.kiln.operator.support.Conditions;
import dev.kiln.operator.support.Durations;
import dev.kiln.operator.support.AnnouncedPass;
import dev.kiln.operator.support.EventRecorder;
import dev.kiln.operator.support.ReconcileErrors;
import dev.kiln.operator.support.KilnSettings;
import dev.kiln.operator.support.Labels;
import dev.kiln.operator.support.Mapping;
import dev.kiln.operator.support.Reasons;
import dev.kiln.operator.support.StatusPatch;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Creates MachineImages from an instance or registers them from snapshots, keeps their deprecation
 * and usage current, and deregisters them: their own snapshots deleted or kept as deletionPolicy says.
 */
@ControllerConfiguration(name = "machineimage")
public class MachineImageReconciler implements Reconciler<MachineImage>, Cleaner<MachineImage> {

  static final String SOURCE_INSTANCE_INDEX = "image-by-source-instance";
  static final String REGISTERED_SNAPSHOT_INDEX = "image-by-registered-snapshot";

  private final KubernetesClient client;
  private final Clock clock;
  private final KilnSettings settings;
  private final ImageChildren children;
  private final InstanceCapture capture;
  private final BootCheck bootCheck;
  private final EventRecorder events;
  private final ReconcileErrors errors;
  private final ImageStatusFactory statusFactory;

  @Inject
  public MachineImageReconciler(KubernetesClient client, Clock clock, KilnSettings settings, MachineExec exec) {
    this.client = client;
    this.clock = clock;
    this.settings = settings;
    this.children = new ImageChildren(client);
    this.events = new EventRecorder(client, clock);
    this.errors = new ReconcileErrors(clock, events);
    this.capture = new InstanceCapture(client, children, events, exec);
    this.bootCheck = new BootCheck(client);
    this.statusFactory = new ImageStatusFactory(clock);
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
    return List.of(
        new InformerEventSource<>(InformerEventSourceConfiguration.from(Snapshot.class, MachineImage.class)
            .withSecondaryToPrimaryMapper(Mapping.either(Mapping.byLabel(Labels.IMAGE), byRegistration))
            .withPrimaryToSecondaryMapper((MachineImage i) -> Set.of())
            .build(), context),
        new InformerEventSource<>(InformerEventSourceConfiguration.from(Instance.class, MachineImage.class)
            .withSecondaryToPrimaryMapper(Mapping.either(bySource, MachineImageReconciler::launchedFrom))
            .withPrimaryToSecondaryMapper((MachineImage i) -> Set.of())
            .build(), context));
  }

  @Override
  public UpdateControl<MachineImage> reconcile(MachineImage image, Context<MachineImage> context) {
    return AnnouncedPass.run(events, announcements -> pass(image, context, announcements));
  }

  private UpdateControl<MachineImage> pass(MachineImage image, Context<MachineImage> context,
      EventRecorder.Deferral announcements) {
    Instant now = clock.instant();
    Instant deadline = deadline(image);
    MachineImageStatus status = statusFactory.start(image);
    MachineImagePhase before = image.getStatus() == null ? null : image.getStatus().getPhase();
    Map<String, Snapshot> snapshots = snapshots(context, image);

    List<Instance> instances = instances(context, image.getMetadata().getNamespace());
    ImageOutcome outcome = switch (before == null ? MachineImagePhase.PENDING : before) {
      case FAILED -> keepFailed(image, status, snapshots);
      case AVAILABLE, DEPRECATED -> ImageOutcome.done();
      case CHECKING -> bootCheck.step(image, status, instances.stream()
          .filter(i -> BootCheck.isCheckOf(i, image)).findFirst().orElse(null), now);
      default -> create(image, context, status, snapshots, now, deadline);
    };
    if (outcome.failed()) {
      // A failed image has no disks: it must not keep the snapshots it made in use.
      status.setPhase(MachineImagePhase.FAILED);
      status.setDisks(null);
      status.setStorage(null);
      children.delete(own(image, snapshots));
    } else if (status.getPhase() == MachineImagePhase.AVAILABLE && before != MachineImagePhase.CHECKING
        && before != MachineImagePhase.AVAILABLE && before != MachineImagePhase.DEPRECATED && BootCheck.enabled(image)) {
      bootCheck.start(image, status, now);
      outcome = ImageOutcome.waiting(Reasons.CHECKING, status.getCheck().getMessage());
    }
    boolean deprecated = ImageLifecycle.deprecated(image, now);
    if (status.getPhase() == MachineImagePhase.AVAILABLE || status.getPhase() == MachineImagePhase.DEPRECATED) {
      status.setPhase(deprecated ? MachineImagePhase.DEPRECATED : MachineImagePhase.AVAILABLE);
    }
    // Instances of every namespace: an image shared with other namespaces is used from them too.
    statusFactory.recordUsage(image, status, Caches.everywhere(context, Instance.class).stream().filter(i -> !BootCheck.isCheckOf(i, image)).toList());
    statusFactory.finish(image, status, outcome, deprecated);
    announce(image, before, status.getPhase(), outcome);

    UpdateControl<MachineImage> control = AnnouncedPass.store(image, status, MachineImage::new, context, announcements);
    if (outcome.step() != null && InstanceCapture.RECORD_THEN_CONTINUE.contains(outcome.step())) {
      control.rescheduleAfter(0); // the record is written first; then the capture goes on
    } else if (status.getPhase() == MachineImagePhase.PENDING || status.getPhase() == MachineImagePhase.CREATING) {
      Instant wakeUp = frozenUntil(image, status).filter(deadline::isAfter).orElse(deadline);
      control.rescheduleAfter(Duration.between(now, wakeUp).plusSeconds(1).toMillis());
    } else if (status.getPhase() == MachineImagePhase.CHECKING) {
      Instant checkDeadline = Instant.parse(status.getCheck().getStartTime()).plus(BootCheck.timeout(image));
      control.rescheduleAfter(Duration.between(now, checkDeadline).plusSeconds(1).toMillis());
    } else if (status.getPhase() == MachineImagePhase.AVAILABLE) {
      ImageLifecycle.deprecateAt(image).filter(now::isBefore)
          .ifPresent(at -> control.rescheduleAfter(Duration.between(now, at).plusSeconds(1).toMillis()));
    }
    return control;
  }

  @Override
  public ErrorStatusUpdateControl<MachineImage> updateErrorStatus(MachineImage image, Context<MachineImage> context, Exception e) {
    return errors.report(image, context, e, MachineImageStatus.class, MachineImage::new);
  }

  @Override
  public DeleteControl cleanup(MachineImage image, Context<MachineImage> context) {
    bootCheck.cleanUp(image, instances(context, image.getMetadata().getNamespace()));
    var own = own(image, snapshots(context, image));
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
    return DeleteControl.defaultDelete();
  }

  private ImageOutcome create(MachineImage image, Context<MachineImage> context, MachineImageStatus status,
      Map<String, Snapshot> snapshots, Instant now, Instant deadline) {
    var source = image.getSpec().getSource();
    if (source.getInstance() != null) {
      String namespace = image.getMetadata().getNamespace();
      Instance instance = instances(context, namespace).stream()
          .filter(i -> i.getMetadata().getName().equals(source.getInstance().getName())).findFirst()
          // A missing source fails the image for good: ask the API server, not a cache that may be catching up.
          .orElseGet(() -> client.resources(Instance.class).inNamespace(namespace).withName(source.getInstance().getName()).get());
      Map<String, Snapshot> own = snapshots.values().stream().filter(s -> ImageChildren.isChild(s, image))
          .collect(Collectors.toMap(s -> s.getMetadata().getLabels().get(Labels.DISK), Function.identity()));
      return capture.step(image, instance, own, snapshots, status, now, deadline);
    }
    if (source.getSnapshots() != null) {
      Map<String, Snapshot> known = new java.util.HashMap<>(snapshots);
      for (var entry : source.getSnapshots()) {
        // As above: a registration fails on a missing Snapshot only if the API server agrees.
        if (!known.containsKey(entry.getSnapshot())) {
          Snapshot found = client.resources(Snapshot.class).inNamespace(image.getMetadata().getNamespace())
              .withName(entry.getSnapshot()).get();
          if (found != null) {
            known.put(entry.getSnapshot(), found);
          }
        }
      }
      return SnapshotRegistration.register(image, known, status, now, deadline);
    }
    return ImageOutcome.failed(Reasons.SOURCE_NOT_SUPPORTED,
        "copying an image from another namespace (source.image) is not supported yet");
  }

  private static List<Snapshot> own(MachineImage image, Map<String, Snapshot> snapshots) {
    return snapshots.values().stream().filter(s -> ImageChildren.isChild(s, image)).toList();
  }

  /** A failed image stays failed; whatever it created goes, and it holds no instance. */
  private ImageOutcome keepFailed(MachineImage image, MachineImageStatus status, Map<String, Snapshot> snapshots) {
    children.delete(own(image, snapshots));
    if (status.getSource() != null) {
      status.getSource().setHeld(false);
    }
    var available = Conditions.find(status.getConditions(), ConditionTypes.AVAILABLE);
    return ImageOutcome.failed(available.map(c -> c.getReason()).orElse(Reasons.FAILED),
        available.map(c -> c.getMessage()).orElse(""));
  }

  private void announce(MachineImage image, MachineImagePhase before, MachineImagePhase after, ImageOutcome outcome) {
    if (after == before) {
      return;
    }
    if (after == MachineImagePhase.FAILED) {
      events.warning(image, outcome.reason(), outcome.message());
    } else {
      events.normal(image, after.value(), "MachineImage is " + after.value());
    }
  }

  /** While filesystems may be frozen, the moment they must be thawed whatever happens. */
  private static java.util.Optional<Instant> frozenUntil(MachineImage image, MachineImageStatus status) {
    if (status.getSource() == null || status.getSource().getFreezeRequestedAt() == null) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(Instant.parse(status.getSource().getFreezeRequestedAt()).plus(CapturePlan.freezeTimeout(image)));
  }

  private Instant deadline(MachineImage image) {
    Duration allowed = image.getSpec().getFailureDeadline() == null ? settings.imageFailureDeadline()
        : Durations.parse(image.getSpec().getFailureDeadline());
    return Instant.parse(image.getMetadata().getCreationTimestamp()).plus(allowed);
  }

  /** The Snapshots of the image's namespace by name, from the informer cache. */
  private static Map<String, Snapshot> snapshots(Context<MachineImage> context, MachineImage image) {
    return Caches.inNamespace(context, Snapshot.class, image.getMetadata().getNamespace()).stream()
        .collect(Collectors.toMap(s -> s.getMetadata().getName(), Function.identity()));
  }

  private static List<Instance> instances(Context<MachineImage> context, String namespace) {
    return Caches.inNamespace(context, Instance.class, namespace);
  }

  private static Set<ResourceID> launchedFrom(Instance instance) {
    if (instance.getStatus() == null || instance.getStatus().getImage() == null) {
      return Set.of();
    }
    return Set.of(new ResourceID(instance.getStatus().getImage().getName(), instance.getStatus().getImage().getNamespace()));
  }
}
