package dev.kiln.operator.imagepolicy;

import dev.kiln.api.v1alpha1.ImagePolicy;
import dev.kiln.api.v1alpha1.ImagePolicyImage;
import dev.kiln.api.v1alpha1.ImagePolicyStatus;
import dev.kiln.api.v1alpha1.ImageSource;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.MachineImagePhase;
import dev.kiln.api.v1alpha1.MachineImageSpec;
import dev.kiln.api.v1alpha1.PolicyFailure;
import dev.kiln.operator.support.AnnouncedPass;
import dev.kiln.operator.support.Caches;
import dev.kiln.operator.support.ConditionTypes;
import dev.kiln.operator.support.Conditions;
import dev.kiln.operator.support.Creation;
import dev.kiln.operator.support.EventRecorder;
import dev.kiln.operator.support.Labels;
import dev.kiln.operator.support.LeanItemStore;
import dev.kiln.operator.support.Mapping;
import dev.kiln.operator.support.Reasons;
import dev.kiln.operator.support.ReconcileErrors;
import dev.kiln.operator.support.Retries;
import dev.kiln.operator.support.WrittenCopies;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs ImagePolicies: bakes a MachineImage when a run is due, retires the policy's older images and
 * records it all in the policy's status. {@link PolicyPlan} decides; this class acts. The images are
 * labelled with the policy, not owned by it: deleting a policy never deletes the images it made.
 */
@ControllerConfiguration(name = "imagepolicy")
@GradualRetry(maxAttempts = Retries.MAX_ATTEMPTS, initialInterval = Retries.INITIAL_INTERVAL,
    intervalMultiplier = Retries.MULTIPLIER, maxInterval = Retries.MAX_INTERVAL)
public class ImagePolicyReconciler implements Reconciler<ImagePolicy> {

  /** MachineImages by the policy that made them, as namespace/policy. */
  static final String POLICY_INDEX = "image-by-policy";

  private final KubernetesClient client;
  private final Clock clock;
  private final EventRecorder events;
  private final ReconcileErrors errors;

  @Inject
  public ImagePolicyReconciler(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
    this.events = new EventRecorder(client, clock);
    this.errors = new ReconcileErrors(clock, events);
  }

  @Override
  public List<EventSource<?, ImagePolicy>> prepareEventSources(EventSourceContext<ImagePolicy> context) {
    var images = new InformerEventSource<>(LeanItemStore.informer(MachineImage.class, context)
        .withLabelSelector(Labels.IMAGE_POLICY)
        .withSecondaryToPrimaryMapper(Mapping.byLabel(Labels.IMAGE_POLICY))
        .withPrimaryToSecondaryMapper((ImagePolicy p) -> Set.of())
        .build(), context);
    images.addIndexers(Map.of(POLICY_INDEX, i -> List.of(
        Mapping.key(i.getMetadata().getNamespace(), i.getMetadata().getLabels().get(Labels.IMAGE_POLICY)))));
    return List.of(new WrittenCopies<>(), images);
  }

  @Override
  public UpdateControl<ImagePolicy> reconcile(ImagePolicy policy, Context<ImagePolicy> context) {
    return AnnouncedPass.run(events, policy, context, p -> pass(p, context));
  }

  private UpdateControl<ImagePolicy> pass(ImagePolicy policy, Context<ImagePolicy> context) {
    Instant now = clock.instant();
    List<MachineImage> images = Caches.byIndex(context, MachineImage.class, POLICY_INDEX,
        Mapping.key(policy.getMetadata().getNamespace(), policy.getMetadata().getName()));
    PolicyPlan plan = new PolicyPlan(policy, PolicySchedule.parse(policy.getSpec().getSchedule(), policy.getSpec().getTimeZone()),
        images, now);
    ImagePolicyStatus previous = policy.getStatus() == null ? new ImagePolicyStatus() : policy.getStatus();
    ImagePolicyStatus status = new ImagePolicyStatus();
    status.setObservedGeneration(policy.getMetadata().getGeneration());
    status.setLastScheduleTime(previous.getLastScheduleTime());
    status.setLastImage(previous.getLastImage());
    status.setLastFailure(previous.getLastFailure());

    String baked = null;
    switch (plan.run()) {
      case BAKE -> {
        Instant slot = plan.dueSlot().orElseThrow();
        baked = PolicyPlan.imageName(policy, slot);
        bake(policy, baked, slot);
        status.setLastScheduleTime(slot.toString());
        status.setLastImage(baked);
        events.normal(policy, Reasons.IMAGE_BAKED, "baking MachineImage " + baked + " for the run of " + slot);
      }
      case SKIP_MAKING -> {
        Instant slot = plan.dueSlot().orElseThrow();
        status.setLastScheduleTime(slot.toString());
        events.warning(policy, Reasons.RUN_SKIPPED, "skipped the run of " + slot + ": MachineImage "
            + plan.making().orElseThrow().getMetadata().getName() + " is still being made");
      }
      case SKIP_SUSPENDED -> status.setLastScheduleTime(plan.dueSlot().orElseThrow().toString());
      case NONE -> { }
    }
    for (MachineImage image : plan.toDeprecate()) {
      // Patched as the cached object in hand: a patch by name alone reads the image from the API server first.
      client.resources(MachineImage.class).resource(image).patch(PatchContext.of(PatchType.JSON_MERGE),
          "{\"spec\":{\"deprecated\":true}}");
      events.normal(policy, Reasons.IMAGE_RETIRED, "deprecated MachineImage " + image.getMetadata().getName()
          + " (retention); it is deregistered after retention.deprecatedFor");
    }
    List<MachineImage> deregistered = plan.toDeregister();
    for (MachineImage image : deregistered) {
      imageResource(image).delete();
      events.normal(policy, Reasons.IMAGE_RETIRED, "deregistered MachineImage " + image.getMetadata().getName()
          + " (retention; its snapshots: deletionPolicy " + image.getSpec().getDeletionPolicy() + ")");
    }

    List<String> names = images.stream().filter(i -> i.getMetadata().getDeletionTimestamp() == null && !deregistered.contains(i))
        .sorted(Comparator.comparing((MachineImage i) -> i.getMetadata().getCreationTimestamp()).reversed())
        .map(i -> i.getMetadata().getName()).collect(java.util.stream.Collectors.toCollection(java.util.ArrayList::new));
    if (baked != null && !names.contains(baked)) {
      names.add(0, baked);
    }
    status.setImages(names.isEmpty() ? null : names);
    lastFailure(images).ifPresent(status::setLastFailure);
    status.setNextScheduleTime(plan.nextScheduleTime().map(Instant::toString).orElse(null));
    status.setConditions(plan.conditions());

    UpdateControl<ImagePolicy> control = AnnouncedPass.store(policy, status, ImagePolicy::new, context);
    plan.wakeUp().ifPresent(at -> control.rescheduleAfter(Math.max(1, Duration.between(now, at).toMillis() + 1)));
    return control;
  }

  @Override
  public ErrorStatusUpdateControl<ImagePolicy> updateErrorStatus(ImagePolicy policy, Context<ImagePolicy> context, Exception e) {
    return errors.report(policy, context, e, ImagePolicyStatus.class, ImagePolicy::new);
  }

  /** The run's image: named after its scheduled time, so that a pass repeated after a crash makes no second one. */
  private void bake(ImagePolicy policy, String name, Instant slot) {
    ImagePolicyImage template = policy.getSpec().getImage();
    MachineImageSpec spec = new MachineImageSpec();
    ImageSource source = new ImageSource();
    source.setInstance(template.getInstance());
    spec.setSource(source);
    spec.setFamily(template.getFamily());
    spec.setDescription(template.getDescription() != null ? template.getDescription()
        : "baked by ImagePolicy " + policy.getMetadata().getName() + " for the run of " + slot);
    spec.setLaunchPermission(template.getLaunchPermission());
    spec.setDeletionPolicy(template.getDeletionPolicy());
    spec.setCheck(template.getCheck());
    spec.setFailureDeadline(template.getFailureDeadline());
    MachineImage image = new MachineImage();
    image.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(policy.getMetadata().getNamespace())
        .withLabels(Labels.ownedBy(Labels.IMAGE_POLICY, policy.getMetadata().getName())).build());
    image.setSpec(spec);
    Creation.ignoringConflict(() -> client.resources(MachineImage.class).inNamespace(policy.getMetadata().getNamespace())
        .resource(image).create());
  }

  /** The newest failed image of the policy, with its reason. */
  private static java.util.Optional<PolicyFailure> lastFailure(List<MachineImage> images) {
    return images.stream().filter(i -> i.getStatus() != null && i.getStatus().getPhase() == MachineImagePhase.FAILED)
        .max(Comparator.comparing((MachineImage i) -> i.getMetadata().getCreationTimestamp()))
        .map(i -> {
          var available = Conditions.find(i.getStatus().getConditions(), ConditionTypes.AVAILABLE);
          PolicyFailure failure = new PolicyFailure();
          failure.setImage(i.getMetadata().getName());
          failure.setTime(available.map(c -> c.getLastTransitionTime()).orElse(null));
          failure.setReason(available.map(c -> c.getReason()).orElse(Reasons.FAILED));
          failure.setMessage(available.map(c -> c.getMessage()).orElse(""));
          return failure;
        });
  }

  private io.fabric8.kubernetes.client.dsl.Resource<MachineImage> imageResource(MachineImage image) {
    return client.resources(MachineImage.class).inNamespace(image.getMetadata().getNamespace()).withName(image.getMetadata().getName());
  }
}
