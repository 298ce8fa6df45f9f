package dev.kiln.operator.instance;

import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.InstancePhase;
import dev.kiln.api.v1alpha1.InstanceStatus;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.Platform;
import dev.kiln.api.v1alpha1.RuntimeType;
import dev.kiln.api.v1alpha1.Snapshot;
import dev.kiln.operator.machineimage.Holds;
import dev.kiln.operator.metrics.KilnMetrics;
import dev.kiln.operator.runtime.MachineDisk;
import dev.kiln.operator.runtime.PodRuntime;
import dev.kiln.operator.storage.ClaimSpec;
import dev.kiln.operator.storage.DiskClaims;
import dev.kiln.operator.storage.SnapshotCopies;
import dev.kiln.operator.runtime.MachineCache;
import dev.kiln.operator.storage.SnapshotReferences;
import dev.kiln.operator.support.AnnouncedPass;
import dev.kiln.operator.support.ConditionTypes;
import dev.kiln.operator.support.Conditions;
import dev.kiln.operator.support.Creation;
import dev.kiln.operator.support.EventRecorder;
import dev.kiln.operator.support.Labels;
import dev.kiln.operator.support.Mapping;
import dev.kiln.operator.support.Reasons;
import dev.kiln.operator.support.ReconcileErrors;
import dev.kiln.operator.support.Retries;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshot;
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
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Keeps an Instance's disks (one claim each) and its machine (a Pod) as the spec asks: running or
 * stopped, with its disks kept across stops; deletes or releases the disks when the Instance goes.
 */
@ControllerConfiguration(name = "instance")
@GradualRetry(maxAttempts = Retries.MAX_ATTEMPTS, initialInterval = Retries.INITIAL_INTERVAL,
    intervalMultiplier = Retries.MULTIPLIER, maxInterval = Retries.MAX_INTERVAL)
public class InstanceReconciler implements Reconciler<Instance>, Cleaner<Instance> {

  private final KubernetesClient client;
  private final Clock clock;
  private final PodRuntime runtime = new PodRuntime();
  private final DiskClaims claims;
  private final SnapshotCopies copies;
  private final SnapshotReferences references;
  private final MachineCache machineCache;
  private final EventRecorder events;
  private final ReconcileErrors errors;
  private final MachineActions machines;
  private final DeletedMachines deletedMachines;
  private final RefusedMachines refusedMachines;
  private final InstanceStatusFactory statusFactory;
  private final KilnMetrics metrics;

  public InstanceReconciler(KubernetesClient client, Clock clock, SnapshotReferences references, MachineCache machineCache) {
    this(client, clock, KilnMetrics.unexported(), references, machineCache);
  }

  @Inject
  public InstanceReconciler(KubernetesClient client, Clock clock, KilnMetrics metrics, SnapshotReferences references,
      MachineCache machineCache) {
    this.client = client;
    this.metrics = metrics;
    this.clock = clock;
    this.claims = new DiskClaims(client);
    this.copies = new SnapshotCopies(client, references);
    this.references = references;
    this.machineCache = machineCache;
    this.events = new EventRecorder(client, clock);
    this.errors = new ReconcileErrors(clock, events);
    this.deletedMachines = new DeletedMachines(clock);
    this.machines = new MachineActions(client, runtime, events, deletedMachines);
    this.refusedMachines = new RefusedMachines(clock);
    this.statusFactory = new InstanceStatusFactory(clock);
  }

  @Override
  public List<EventSource<?, Instance>> prepareEventSources(EventSourceContext<Instance> context) {
    return InstanceEventSources.of(context, machineCache);
  }

  @Override
  public UpdateControl<Instance> reconcile(Instance instance, Context<Instance> context) {
    return AnnouncedPass.run(events, instance, context, i -> pass(i, context));
  }

  private UpdateControl<Instance> pass(Instance instance, Context<Instance> context) {
    if (instance.getSpec().getImage() != null && (instance.getStatus() == null || instance.getStatus().getImage() == null)) {
      // Resolve and freeze first, act on the next pass: disks must never come from two different images.
      InstanceStatus resolving = resolveImage(instance, context);
      UpdateControl<Instance> control = AnnouncedPass.store(instance, resolving, Instance::new, context);
      if (resolving.getImage() != null) {
        control.rescheduleAfter(1); // the next pass launches; a status write alone wakes nobody
      }
      return control;
    }
    Optional<Pod> pod = context.getSecondaryResources(Pod.class).stream()
        .filter(p -> p.getMetadata().getName().equals(instance.getMetadata().getName())).findFirst()
        .map(deletedMachines::asKnown);
    Map<String, PersistentVolumeClaim> observedClaims = byName(context.getSecondaryResources(PersistentVolumeClaim.class));
    Map<String, Snapshot> snapshots = context.getSecondaryResources(Snapshot.class).stream().collect(Collectors.toMap(
        s -> Mapping.key(s.getMetadata().getNamespace(), s.getMetadata().getName()), Function.identity()));
    Map<String, VolumeSnapshot> copies = byName(context.getSecondaryResources(VolumeSnapshot.class));
    Optional<MachineImage> holder = Holds.holder(instance, InstanceEventSources.capturing(context, instance));

    List<PlannedDisk> disks = DiskPlanner.plan(instance);
    PodTemplateSpec template = InstanceTemplate.effective(instance);
    List<DiskCheck> checks = new DiskAssessor(instance, observedClaims, snapshots, copies, claims::expandable,
        snapshot -> CopyPermission.check(instance, snapshot, instance.getSpec().getImage() == null ? List.of()
            : InstanceEventSources.images(context, ImageResolver.namespaceOf(instance)))).assess(disks);
    Optional<Finding> problem = specProblem(instance, template, disks, checks);

    boolean wantRunning = Boolean.TRUE.equals(instance.getSpec().getRunning()) && holder.isEmpty();
    Pod desired = problem.isPresent() ? null : runtime.desiredMachine(instance, template, machineDisks(disks));
    PowerPlan plan = new PowerPlan(wantRunning, problem, checks, pod.map(runtime::state),
        pod.isPresent() && desired != null && runtime.specHash(desired).equals(runtime.specHash(pod.get())));

    if (problem.isEmpty()) {
      actOnClaims(instance, checks, observedClaims, snapshots, context);
    }
    Optional<Finding> standingRefusal = plan.action() == MachineAction.CREATE
        ? refusedMachines.standing(instance) : Optional.empty();
    Optional<Finding> rejected = standingRefusal.isPresent() ? standingRefusal
        : machines.apply(instance, plan.action(), pod, desired);
    if (rejected.isPresent()) {
      // Only the user (or whoever sets the namespace's policies) can fix what admission refuses.
      plan = new PowerPlan(wantRunning, rejected, checks, Optional.empty(), false);
    }

    // The Pod this pass created is recorded now: waiting for the cache to show it would cost a write.
    Optional<String> podName = plan.action() == MachineAction.CREATE && rejected.isEmpty()
        ? Optional.of(desired.getMetadata().getName()) : pod.map(p -> p.getMetadata().getName());
    InstanceStatus status = statusFactory.build(instance, plan, disks, checks, observedClaims,
        podName, holder.map(h -> h.getMetadata().getName()), this::platformOf);
    announcePhase(instance, status, plan, holder.map(h -> h.getMetadata().getName()));
    countHold(instance, status);
    UpdateControl<Instance> control = AnnouncedPass.store(instance, status, Instance::new, context);
    if (standingRefusal.isPresent()) {
      control.rescheduleAfter(refusedMachines.untilRetry(instance).toMillis());
    } else if (rejected.isPresent()) {
      Duration backoff = MachineRetry.after(status, clock.instant());
      refusedMachines.refused(instance, rejected.get(), backoff);
      control.rescheduleAfter(backoff.toMillis());
    } else if (plan.action() == MachineAction.CREATE) {
      refusedMachines.forget(instance);
    }
    return control;
  }

  @Override
  public ErrorStatusUpdateControl<Instance> updateErrorStatus(Instance instance, Context<Instance> context, Exception e) {
    return errors.report(instance, context, e, InstanceStatus.class, Instance::new);
  }

  @Override
  public DeleteControl cleanup(Instance instance, Context<Instance> context) {
    refusedMachines.forget(instance);
    // Every claim labelled for the instance, those of disks since removed from the spec included.
    Set<PersistentVolumeClaim> labelled = Set.copyOf(client.persistentVolumeClaims()
        .inNamespace(instance.getMetadata().getNamespace())
        .withLabel(Labels.INSTANCE, instance.getMetadata().getName()).list().getItems());
    return new InstanceTermination(client, claims, copies, references, events, context).terminate(instance,
        context.getSecondaryResources(Pod.class), labelled);
  }

  private InstanceStatus resolveImage(Instance instance, Context<Instance> context) {
    ImageResolver.Resolution resolution = ImageResolver.resolve(instance,
        InstanceEventSources.images(context, ImageResolver.namespaceOf(instance)), clock.instant());
    if (resolution.image() != null) {
      events.normal(instance, Reasons.IMAGE_RESOLVED, "launching from MachineImage "
          + resolution.image().getNamespace() + "/" + resolution.image().getName());
      return statusFactory.launchingFrom(instance, resolution.image());
    }
    boolean alreadyReported = instance.getStatus() != null && Conditions.find(instance.getStatus().getConditions(),
        ConditionTypes.IMAGE_RESOLVED).map(c -> resolution.waiting().reason().equals(c.getReason())).orElse(false);
    if (!alreadyReported) {
      events.warning(instance, resolution.waiting().reason(), resolution.waiting().message());
    }
    return statusFactory.waitingForImage(instance, resolution.waiting());
  }

  private static Optional<Finding> specProblem(Instance instance, PodTemplateSpec template, List<PlannedDisk> disks,
      List<DiskCheck> checks) {
    if (instance.getSpec().getRuntime() == RuntimeType.KUBEVIRT) {
      return Optional.of(new Finding(Reasons.RUNTIME_NOT_SUPPORTED,
          "runtime kubevirt is not supported yet; use runtime: pod"));
    }
    return TemplateCheck.check(template, disks)
        .or(() -> checks.stream().filter(DiskCheck::permanent).findFirst()
            .map(c -> new Finding(c.reason(), c.message())));
  }

  private void actOnClaims(Instance instance, List<DiskCheck> checks, Map<String, PersistentVolumeClaim> observed,
      Map<String, Snapshot> snapshots, Context<Instance> context) {
    for (DiskCheck check : checks) {
      PlannedDisk disk = check.disk();
      switch (check.action()) {
        case CREATE -> claims.create(instance, Labels.INSTANCE, new ClaimSpec(disk.claimName(), disk.name(),
            check.size(), disk.storageClassName(), disk.volumeMode(), disk.volumeSnapshot()));
        case COPY_SNAPSHOT -> {
          var source = snapshots.get(Mapping.key(disk.snapshotNamespace(), disk.snapshot())).getStatus();
          var contents = references.contentsOf(source.getSnapshotHandle());
          // The handle is read from a status, which its writer could have made up: only a content bound to
          // that Snapshot's VolumeSnapshot vouches that the data is the image's. Until one does, no copy.
          if (SnapshotReferences.boundTo(contents, source.getSnapshotHandle(), source.getDriver(), disk.snapshotNamespace(),
              disk.snapshot())) {
            // A copy that cannot be made (the data is being deleted) is tried again on the Snapshot's next change.
            copies.create(instance, Labels.INSTANCE, disk.volumeSnapshot(), source.getDriver(), source.getSnapshotHandle(),
                source.getSourceVolumeMode() == null ? null : source.getSourceVolumeMode().value(), contents,
                created -> Creation.remember(context, instance, created));
          }
        }
        case ADOPT -> claims.adopt(instance, observed.get(disk.claimName()));
        case EXPAND -> claims.expand(observed.get(disk.claimName()), check.size());
        case NONE -> { }
      }
    }
  }

  /** A hold that ends counts how long the instance was held, from when its Held condition turned True. */
  private void countHold(Instance instance, InstanceStatus status) {
    var wasHeld = Conditions.find(instance.getStatus() == null ? null : instance.getStatus().getConditions(), ConditionTypes.HELD)
        .filter(c -> Conditions.TRUE.equals(c.getStatus()));
    if (wasHeld.isPresent() && !Conditions.isTrue(status.getConditions(), ConditionTypes.HELD)) {
      Duration held = Duration.between(Instant.parse(wasHeld.get().getLastTransitionTime()), clock.instant());
      events.onceStored(() -> metrics.held(held));
    }
  }

  /**
   * Announces the phases an Instance settles in (Running, Stopped, Failed) and why; the way there
   * (Pending, Stopping) shows in its status.
   */
  private void announcePhase(Instance instance, InstanceStatus status, PowerPlan plan, Optional<String> heldBy) {
    InstancePhase before = instance.getStatus() == null ? null : instance.getStatus().getPhase();
    if (status.getPhase() == before) {
      return;
    }
    Finding why = plan.readiness();
    switch (status.getPhase()) {
      case FAILED -> {
        events.onceStored(() -> metrics.failed("Instance", why.reason()));
        events.warning(instance, why.reason(), why.message());
      }
      case STOPPED -> events.normal(instance, status.getPhase().value(), heldBy
          .map(image -> "held stopped while MachineImage " + image + " cuts its snapshots; its disks are kept")
          .orElse(why.message()));
      case RUNNING -> events.normal(instance, status.getPhase().value(), why.message());
      default -> { }
    }
  }

  private Platform platformOf(String nodeName) {
    Node node = client.nodes().withName(nodeName).get();
    if (node == null) {
      return null;
    }
    Platform platform = new Platform();
    platform.setOs(node.getMetadata().getLabels().get("kubernetes.io/os"));
    platform.setArchitecture(node.getMetadata().getLabels().get("kubernetes.io/arch"));
    return platform;
  }

  private static List<MachineDisk> machineDisks(List<PlannedDisk> disks) {
    return disks.stream().map(d -> new MachineDisk(d.name(), d.claimName(), d.ephemeral() ? d.size() : null)).toList();
  }

  private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> Map<String, T> byName(Set<T> objects) {
    return objects.stream().collect(Collectors.toMap(o -> o.getMetadata().getName(), Function.identity()));
  }
}
