package dev.kiln.operator.instance;

import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.InstancePhase;
import dev.kiln.api.v1alpha1.InstanceStatus;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.Platform;
import dev.kiln.api.v1alpha1.RuntimeType;
import dev.kiln.api.v1alpha1.Snapshot;
import dev.kiln.operator.machineimage.Holds;
import dev.kiln.operator.runtime.MachineDisk;
import dev.kiln.operator.runtime.PodRuntime;
import dev.kiln.operator.storage.DiskClaims;
import dev.kiln.operator.support.EventRecorder;
import dev.kiln.operator.support.Labels;
import dev.kiln.operator.support.Mapping;
import dev.kiln.operator.support.Reasons;
import dev.kiln.operator.support.StatusPatch;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Keeps an Instance's disks (one claim each) and its machine (a Pod) as the spec asks: running or
 * stopped, with its disks kept across stops; deletes or releases the disks when the Instance goes.
 */
@ControllerConfiguration(name = "instance")
public class InstanceReconciler implements Reconciler<Instance>, Cleaner<Instance> {

  static final String SNAPSHOT_INDEX = "instance-by-snapshot";
  static final String CLAIM_INDEX = "instance-by-claim";
  static final String IMAGE_INDEX = "instance-by-image";

  private final KubernetesClient client;
  private final Clock clock;
  private final PodRuntime runtime = new PodRuntime();
  private final DiskClaims claims;
  private final EventRecorder events;
  private final InstanceStatusFactory statusFactory;

  @Inject
  public InstanceReconciler(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
    this.claims = new DiskClaims(client);
    this.events = new EventRecorder(client, clock);
    this.statusFactory = new InstanceStatusFactory(clock);
  }

  @Override
  public List<EventSource<?, Instance>> prepareEventSources(EventSourceContext<Instance> context) {
    var primaries = context.getPrimaryCache();
    primaries.addIndexer(SNAPSHOT_INDEX, instance -> Mapping.keys(instance, snapshotNames(instance)));
    primaries.addIndexer(CLAIM_INDEX, instance -> Mapping.keys(instance, claimNames(instance)));
    primaries.addIndexer(IMAGE_INDEX, InstanceReconciler::imageKeys);
    // Claims are watched unfiltered, so that a claim someone else made under a disk's claim name is
    // seen as the conflict it is, and its removal ends the conflict.
    SecondaryToPrimaryMapper<PersistentVolumeClaim> claimOwner = Mapping.byLabel(Labels.INSTANCE);
    SecondaryToPrimaryMapper<PersistentVolumeClaim> claimNamesake = Mapping.byIndex(primaries, CLAIM_INDEX,
        c -> Mapping.key(c.getMetadata().getNamespace(), c.getMetadata().getName()));
    return List.of(
        new InformerEventSource<>(InformerEventSourceConfiguration.from(Pod.class, Instance.class)
            .withLabelSelector(Labels.INSTANCE)
            .withSecondaryToPrimaryMapper(Mapping.byLabel(Labels.INSTANCE))
            .withPrimaryToSecondaryMapper((Instance i) -> Set.of(ResourceID.fromResource(i)))
            .build(), context),
        new InformerEventSource<>(InformerEventSourceConfiguration.from(PersistentVolumeClaim.class, Instance.class)
            .withSecondaryToPrimaryMapper(c -> union(claimOwner.toPrimaryResourceIDs(c), claimNamesake.toPrimaryResourceIDs(c)))
            .withPrimaryToSecondaryMapper((Instance i) -> ids(i, claimNames(i)))
            .build(), context),
        new InformerEventSource<>(InformerEventSourceConfiguration.from(Snapshot.class, Instance.class)
            .withSecondaryToPrimaryMapper(Mapping.<Instance, Snapshot>byIndex(primaries, SNAPSHOT_INDEX,
                s -> Mapping.key(s.getMetadata().getNamespace(), s.getMetadata().getName())))
            .withPrimaryToSecondaryMapper((Instance i) -> ids(i, snapshotNames(i)))
            .build(), context),
        // Images matter to an Instance that waits to launch from one, and to one an image holds stopped.
        new InformerEventSource<>(InformerEventSourceConfiguration.from(MachineImage.class, Instance.class)
            .withSecondaryToPrimaryMapper(image -> imageConcerns(image, primaries))
            .withPrimaryToSecondaryMapper((Instance i) -> Set.of())
            .build(), context));
  }

  @Override
  public UpdateControl<Instance> reconcile(Instance instance, Context<Instance> context) {
    if (instance.getSpec().getImage() != null && (instance.getStatus() == null || instance.getStatus().getImage() == null)) {
      // Resolve and freeze first, act on the next pass: disks must never come from two different images.
      return StatusPatch.ifChanged(instance, resolveImage(instance, context), Instance::new);
    }
    Optional<Pod> pod = context.getSecondaryResources(Pod.class).stream()
        .filter(p -> p.getMetadata().getName().equals(instance.getMetadata().getName())).findFirst();
    Map<String, PersistentVolumeClaim> observedClaims = context.getSecondaryResources(PersistentVolumeClaim.class)
        .stream().collect(Collectors.toMap(c -> c.getMetadata().getName(), Function.identity()));
    Map<String, Snapshot> snapshots = context.getSecondaryResources(Snapshot.class).stream()
        .collect(Collectors.toMap(s -> s.getMetadata().getName(), Function.identity()));
    Optional<MachineImage> holder = Holds.holder(instance, images(context, instance.getMetadata().getNamespace()));

    List<PlannedDisk> disks = DiskPlanner.plan(instance);
    PodTemplateSpec template = InstanceTemplate.effective(instance);
    List<DiskCheck> checks = new DiskAssessor(instance, observedClaims, snapshots, claims::expandable).assess(disks);
    Optional<Finding> problem = specProblem(instance, template, disks, checks);

    boolean wantRunning = Boolean.TRUE.equals(instance.getSpec().getRunning()) && holder.isEmpty();
    Pod desired = problem.isPresent() ? null : runtime.desiredMachine(instance, template, machineDisks(disks));
    PowerPlan plan = new PowerPlan(wantRunning, problem, checks, pod.map(runtime::state),
        pod.isPresent() && desired != null && runtime.specHash(desired).equals(runtime.specHash(pod.get())));

    if (problem.isEmpty()) {
      actOnClaims(instance, checks, observedClaims);
    }
    actOnMachine(instance, plan, pod, desired);

    InstanceStatus status = statusFactory.build(instance, plan, disks, checks, observedClaims,
        pod.map(p -> p.getMetadata().getName()), holder.map(h -> h.getMetadata().getName()), this::platformOf);
    announcePhase(instance, status, plan);
    return StatusPatch.ifChanged(instance, status, Instance::new);
  }

  private InstanceStatus resolveImage(Instance instance, Context<Instance> context) {
    ImageResolver.Resolution resolution = ImageResolver.resolve(instance,
        images(context, ImageResolver.namespaceOf(instance)), clock.instant());
    InstanceStatus status = resolution.image() != null
        ? statusFactory.launchingFrom(instance, resolution.image())
        : statusFactory.waitingForImage(instance, resolution.waiting());
    if (resolution.image() != null) {
      events.normal(instance, Reasons.IMAGE_RESOLVED, "launching from MachineImage " + resolution.image().getNamespace()
          + "/" + resolution.image().getName());
    } else if (!sameReason(instance, resolution.waiting().reason())) {
      events.warning(instance, resolution.waiting().reason(), resolution.waiting().message());
    }
    return status;
  }

  private static boolean sameReason(Instance instance, String reason) {
    return instance.getStatus() != null && dev.kiln.operator.support.Conditions.find(instance.getStatus().getConditions(),
        dev.kiln.operator.support.ConditionTypes.IMAGE_RESOLVED).map(c -> reason.equals(c.getReason())).orElse(false);
  }

  @SuppressWarnings("unchecked")
  private static List<MachineImage> images(Context<Instance> context, String namespace) {
    var source = (InformerEventSource<MachineImage, Instance>) context.eventSourceRetriever()
        .getEventSourceFor(MachineImage.class);
    return source.list(namespace, i -> true).toList();
  }

  @Override
  public DeleteControl cleanup(Instance instance, Context<Instance> context) {
    // Every claim labelled for the instance, those of disks since removed from the spec included.
    Set<PersistentVolumeClaim> labelled = Set.copyOf(client.persistentVolumeClaims()
        .inNamespace(instance.getMetadata().getNamespace())
        .withLabel(Labels.INSTANCE, instance.getMetadata().getName()).list().getItems());
    return new InstanceTermination(client, claims, events).terminate(instance,
        context.getSecondaryResources(Pod.class), labelled);
  }

  private Optional<Finding> specProblem(Instance instance, PodTemplateSpec template, List<PlannedDisk> disks,
      List<DiskCheck> checks) {
    if (instance.getSpec().getRuntime() == RuntimeType.KUBEVIRT) {
      return Optional.of(new Finding(Reasons.RUNTIME_NOT_SUPPORTED,
          "runtime kubevirt is not supported yet; use runtime: pod"));
    }
    return TemplateCheck.check(template, disks)
        .or(() -> checks.stream().filter(DiskCheck::permanent).findFirst()
            .map(c -> new Finding(c.reason(), c.message())));
  }

  private void actOnClaims(Instance instance, List<DiskCheck> checks, Map<String, PersistentVolumeClaim> observed) {
    for (DiskCheck check : checks) {
      PlannedDisk disk = check.disk();
      switch (check.action()) {
        case CREATE -> claims.create(instance, Labels.INSTANCE, new dev.kiln.operator.storage.ClaimSpec(
            disk.claimName(), disk.name(), check.size(), disk.storageClassName(), disk.volumeMode(), disk.snapshot()));
        case ADOPT -> claims.adopt(instance, observed.get(disk.claimName()));
        case EXPAND -> claims.expand(observed.get(disk.claimName()), check.size());
        case NONE -> { }
      }
    }
  }

  private void actOnMachine(Instance instance, PowerPlan plan, Optional<Pod> pod, Pod desired) {
    switch (plan.action()) {
      case CREATE -> create(desired);
      case DELETE_TO_STOP -> delete(pod.get());
      case DELETE_FAILED -> {
        events.warning(instance, Reasons.MACHINE_FAILED, "Pod " + pod.get().getMetadata().getName()
            + " failed (" + runtime.state(pod.get()).message() + "); starting a new one");
        delete(pod.get());
      }
      case DELETE_CHANGED -> {
        events.normal(instance, Reasons.TEMPLATE_CHANGED, "the template or disks changed; replacing Pod "
            + pod.get().getMetadata().getName());
        delete(pod.get());
      }
      case NONE -> { }
    }
  }

  private void create(Pod pod) {
    try {
      client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).create();
    } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
      if (e.getCode() != java.net.HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
    }
  }

  private void delete(Pod pod) {
    client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
  }

  private void announcePhase(Instance instance, InstanceStatus status, PowerPlan plan) {
    InstancePhase before = instance.getStatus() == null ? null : instance.getStatus().getPhase();
    if (status.getPhase() == before) {
      return;
    }
    Finding why = plan.readiness();
    if (status.getPhase() == InstancePhase.FAILED) {
      events.warning(instance, why.reason(), why.message());
    } else {
      events.normal(instance, status.getPhase().value(), why.message());
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

  private static List<String> imageKeys(Instance instance) {
    if (instance.getSpec().getImage() == null) {
      return List.of();
    }
    String namespace = ImageResolver.namespaceOf(instance);
    var reference = instance.getSpec().getImage();
    return List.of(reference.getName() != null ? namespace + "/name/" + reference.getName()
        : namespace + "/family/" + reference.getFamily());
  }

  private static Set<ResourceID> imageConcerns(MachineImage image,
      io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache<Instance> primaries) {
    String namespace = image.getMetadata().getNamespace();
    Set<ResourceID> concerned = new HashSet<>();
    primaries.byIndex(IMAGE_INDEX, namespace + "/name/" + image.getMetadata().getName())
        .forEach(i -> concerned.add(ResourceID.fromResource(i)));
    if (image.getSpec().getFamily() != null) {
      primaries.byIndex(IMAGE_INDEX, namespace + "/family/" + image.getSpec().getFamily())
          .forEach(i -> concerned.add(ResourceID.fromResource(i)));
    }
    if (image.getSpec().getSource().getInstance() != null) {
      concerned.add(new ResourceID(image.getSpec().getSource().getInstance().getName(), namespace));
    }
    return concerned;
  }

  private static <T> Set<T> union(Set<T> a, Set<T> b) {
    Set<T> all = new HashSet<>(a);
    all.addAll(b);
    return all;
  }

  private static List<MachineDisk> machineDisks(List<PlannedDisk> disks) {
    return disks.stream().map(d -> new MachineDisk(d.name(), d.claimName(), d.ephemeral() ? d.size() : null)).toList();
  }

  private static List<String> claimNames(Instance instance) {
    return DiskPlanner.plan(instance).stream().map(PlannedDisk::claimName).filter(java.util.Objects::nonNull).toList();
  }

  private static Set<ResourceID> ids(Instance instance, List<String> names) {
    return names.stream().map(n -> new ResourceID(n, instance.getMetadata().getNamespace())).collect(Collectors.toSet());
  }

  private static List<String> snapshotNames(Instance instance) {
    return DiskPlanner.plan(instance).stream().map(PlannedDisk::snapshot).filter(java.util.Objects::nonNull).toList();
  }
}
