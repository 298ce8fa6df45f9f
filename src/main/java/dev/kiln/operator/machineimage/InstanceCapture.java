package dev.kiln.operator.machineimage;

import dev.kiln.api.v1alpha1.Consistency;
import dev.kiln.api.v1alpha1.ImageDisk;
import dev.kiln.api.v1alpha1.ImageSourceStatus;
import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.MachineImagePhase;
import dev.kiln.api.v1alpha1.MachineImageStatus;
import dev.kiln.api.v1alpha1.Snapshot;
import dev.kiln.operator.instance.DiskPlanner;
import dev.kiln.operator.instance.InstanceTemplate;
import dev.kiln.operator.instance.PlannedDisk;
import dev.kiln.operator.runtime.MachineCache;
import dev.kiln.operator.runtime.MachineExec;
import dev.kiln.operator.runtime.PodRuntime;
import dev.kiln.operator.support.Durations;
import dev.kiln.operator.support.EventRecorder;
import dev.kiln.operator.support.Owners;
import dev.kiln.operator.support.Reasons;
import dev.kiln.operator.support.Storage;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Creating an image from an instance (CreateImage): holds the instance stopped for consistency Stop,
 * snapshots every persistent disk, lets the instance go as soon as every snapshot is cut, and
 * becomes Available once they are uploaded. It only acts: {@link ImagePlan} decides each step.
 */
final class InstanceCapture {

  private final KubernetesClient client;
  private final ImageChildren children;
  private final EventRecorder events;
  private final MachineExec exec;
  private final MachineCache machines;
  private final PodRuntime runtime = new PodRuntime();

  InstanceCapture(KubernetesClient client, ImageChildren children, EventRecorder events, MachineExec exec,
      MachineCache machines) {
    this.client = client;
    this.children = children;
    this.events = events;
    this.exec = exec;
    this.machines = machines;
  }

  private final FreezeAttempts freezeAttempts = new FreezeAttempts();

  /**
   * Takes the capture step the plan names. What acting finds that fails the image (a freeze command
   * that failed) is returned, for the plan to decide on.
   */
  Optional<Finding> act(ImagePlan plan, MachineImageStatus status, Context<MachineImage> context) {
    MachineImage image = plan.image();
    Instance instance = plan.source();
    Instant now = plan.now();
    switch (plan.next()) {
      case START -> {
        start(image, instance, status, now);
        status.setDisks(layout(image, DiskPlanner.plan(instance)));
      }
      case PRE_SNAPSHOT -> plan.missingPreSnapshots().forEach(d -> children.createPre(image, instance.getMetadata().getName(), d, context));
      case HOLD -> {
        status.getSource().setPreSnapshotCutTime(ImagePlan.lastCut(plan.preChildren()).orElse(null));
        if (image.getSpec().getSource().getInstance().getConsistency() == Consistency.STOP) {
          status.getSource().setHeld(true);
          status.getSource().setHoldStartTime(precise(now));
        }
      }
      case REQUEST_FREEZE -> {
        String requestedAt = now.truncatedTo(ChronoUnit.SECONDS).toString();
        freezeAttempts.requested(image, requestedAt);
        status.getSource().setFreezeRequestedAt(requestedAt);
        status.getSource().setHoldStartTime(precise(now));
      }
      case FREEZE -> {
        confirmFresh(image);
        String requestedAt = status.getSource().getFreezeRequestedAt();
        if (freezeAttempts.mayAlreadyBeFrozen(image, requestedAt)) {
          // An earlier attempt may have frozen them and lost its record; freezing twice fails or deadlocks.
          runCommand(image, instance, freezeSpec(image).getThawCommand());
        }
        MachineExec.Result frozen = runCommand(image, instance, freezeSpec(image).getFreezeCommand());
        if (!frozen.succeeded()) {
          return Optional.of(new Finding(Reasons.FREEZE_FAILED, "the freeze command failed: " + frozen.detail()));
        }
        status.getSource().setFrozenAt(now.truncatedTo(ChronoUnit.SECONDS).toString());
        events.normal(image, Reasons.FILESYSTEMS_FROZEN, "froze the filesystems of Instance " + instance.getMetadata().getName());
      }
      case THAW -> {
        MachineExec.Result thawed = runCommand(image, instance, freezeSpec(image).getThawCommand());
        if (!thawed.succeeded()) {
          events.warning(image, Reasons.THAW_FAILED, "the thaw command failed: " + thawed.detail() + "; retrying");
          throw new IllegalStateException("thaw of Instance " + instance.getMetadata().getName() + " failed: " + thawed.detail());
        }
        status.getSource().setFreezeRequestedAt(null);
        status.getSource().setFrozenAt(null);
        status.getSource().setConsistencyAchieved(Consistency.FREEZE);
        recordHold(status.getSource(), plan, now);
      }
      case CREATE_SNAPSHOTS -> plan.missingSnapshots().forEach(d -> children.create(image, instance.getMetadata().getName(), d, context));
      case RELEASE_HOLD -> {
        status.getSource().setHeld(false);
        // The Instance announces that it runs again; the image's Quiesced condition records the cut.
        status.getSource().setConsistencyAchieved(Consistency.STOP);
        recordHold(status.getSource(), plan, now);
      }
      case COMPLETE -> {
        complete(status, status.getDisks() != null ? status.getDisks()
            : layout(image, DiskPlanner.plan(instance)), plan.children(), now);
        if (status.getSource().getCutTime() == null) {
          status.getSource().setCutTime(ImagePlan.lastCut(plan.children()).orElse(null));
        }
        children.delete(plan.preChildren().values());
      }
      default -> { }
    }
    return Optional.empty();
  }

  /** Lets go of the source of a capture that failed: its filesystems thawed if they may be frozen, its hold released. */
  void abandon(ImagePlan plan, MachineImageStatus status) {
    if (plan.mayBeFrozen()) {
      if (plan.source() != null) {
        runCommand(plan.image(), plan.source(), freezeSpec(plan.image()).getThawCommand()); // best effort: never leave it frozen
      }
      status.getSource().setFreezeRequestedAt(null);
      status.getSource().setFrozenAt(null);
      freezeAttempts.forget(plan.image());
    }
    if (status.getSource() != null) {
      status.getSource().setHeld(false);
    }
  }

  /** The final cut, and how long the instance was held stopped or frozen for it. */
  private static void recordHold(ImageSourceStatus source, ImagePlan plan, Instant now) {
    source.setCutTime(ImagePlan.lastCut(plan.children()).orElse(null));
    if (source.getHoldStartTime() != null) {
      source.setHeldFor(Durations.format(Duration.between(Instant.parse(source.getHoldStartTime()), now)));
    }
  }

  /** A time with milliseconds: holds are measured in them. */
  private static String precise(Instant time) {
    return time.truncatedTo(ChronoUnit.MILLIS).toString();
  }

  private void start(MachineImage image, Instance instance, MachineImageStatus status, Instant now) {
    Consistency wanted = image.getSpec().getSource().getInstance().getConsistency();
    boolean running = SourcePreflight.running(instance);
    // Two-phase: the first snapshots are taken while it runs; the hold (or freeze) waits for them.
    boolean twoPhase = running && wanted != Consistency.NONE
        && Boolean.TRUE.equals(image.getSpec().getSource().getInstance().getPreSnapshot());
    boolean hold = wanted == Consistency.STOP && running && !twoPhase;
    ImageSourceStatus source = new ImageSourceStatus();
    source.setInstance(instance.getMetadata().getName());
    source.setHeld(hold);
    if (twoPhase) {
      source.setPreSnapshot(true);
    }
    if (hold) {
      source.setHoldStartTime(precise(now));
    }
    if (!running) {
      source.setConsistencyAchieved(Consistency.STOP); // a stopped instance is as quiet as it gets
    } else if (wanted == Consistency.NONE) {
      source.setConsistencyAchieved(Consistency.NONE);
    }
    status.setSource(source);
    status.setTemplate(pinnedTemplate(instance));
    status.setPlatform(SourcePreflight.platform(image, instance));
    status.setCreatedTime(now.truncatedTo(ChronoUnit.SECONDS).toString());
    status.setPhase(MachineImagePhase.CREATING);
  }

  /**
   * Freezing a machine cannot be undone by a failed status write, so it is done only on the latest
   * version of the image: a pass working on a stale copy fails here and is retried.
   */
  private void confirmFresh(MachineImage image) {
    MachineImage latest = client.resources(MachineImage.class).inNamespace(image.getMetadata().getNamespace())
        .withName(image.getMetadata().getName()).get();
    if (latest == null || !latest.getMetadata().getResourceVersion().equals(image.getMetadata().getResourceVersion())) {
      throw new IllegalStateException("MachineImage " + image.getMetadata().getName() + " changed since it was read; retrying");
    }
  }

  private static dev.kiln.api.v1alpha1.FreezeSpec freezeSpec(MachineImage image) {
    return image.getSpec().getSource().getInstance().getFreeze();
  }

  /** Runs a freeze or thaw command in the instance's machine, within the command's timeout. */
  private MachineExec.Result runCommand(MachineImage image, Instance instance, List<String> command) {
    Pod pod = machineOf(instance);
    if (pod == null) {
      return new MachineExec.Result(false, "Instance " + instance.getMetadata().getName() + " has no running machine");
    }
    String container = SourcePreflight.freezeContainer(image, instance);
    return exec.run(pod, container, command, ImagePlan.commandTimeout(image));
  }

  /**
   * The instance's machine: the Pod named after it that it controls. Never the Pod its status names:
   * whoever may write an Instance's status must not choose where freeze commands run.
   */
  private Pod machineOf(Instance instance) {
    String namespace = instance.getMetadata().getNamespace();
    String name = instance.getMetadata().getName();
    Pod pod = machines.find(namespace, name, () -> client.pods().inNamespace(namespace).withName(name).get());
    return pod != null && Owners.isControlledBy(pod, instance) ? pod : null;
  }

  /** The instance's template with images pinned to the digests its Pod reports, while it still runs. */
  private PodTemplateSpec pinnedTemplate(Instance instance) {
    PodTemplateSpec template = InstanceTemplate.effective(instance);
    if (template == null) {
      return null;
    }
    Pod pod = machineOf(instance);
    return TemplatePinning.pin(template, pod == null ? Map.of() : runtime.state(pod).imageDigests());
  }

  /** The image's disks as the capture starts: each persistent disk becomes the child Snapshot of its name. */
  private static List<ImageDisk> layout(MachineImage image, List<PlannedDisk> disks) {
    List<ImageDisk> layout = new ArrayList<>();
    for (PlannedDisk disk : disks) {
      ImageDisk imageDisk = new ImageDisk();
      imageDisk.setName(disk.name());
      imageDisk.setBoot(disk.boot());
      if (disk.ephemeral()) {
        imageDisk.setEphemeral(true);
        imageDisk.setSize(disk.size());
      } else {
        imageDisk.setSnapshot(ImageChildren.name(image, disk.name()));
      }
      layout.add(imageDisk);
    }
    return layout;
  }

  private static void complete(MachineImageStatus status, List<ImageDisk> layout, Map<String, Snapshot> snapshots,
      Instant now) {
    List<ImageDisk> imageDisks = new ArrayList<>();
    BigDecimal storage = BigDecimal.ZERO;
    for (ImageDisk recorded : layout) {
      ImageDisk imageDisk = new ImageDisk();
      imageDisk.setName(recorded.getName());
      imageDisk.setBoot(recorded.getBoot());
      if (Boolean.TRUE.equals(recorded.getEphemeral())) {
        imageDisk.setEphemeral(true);
        imageDisk.setSize(recorded.getSize());
      } else {
        Snapshot snapshot = snapshots.get(recorded.getName());
        imageDisk.setSnapshot(snapshot.getMetadata().getName());
        imageDisk.setSize(snapshot.getStatus().getRestoreSize());
        imageDisk.setStorageClassName(snapshot.getStatus().getSourceStorageClassName());
        imageDisk.setVolumeMode(snapshot.getStatus().getSourceVolumeMode());
        if (snapshot.getStatus().getRestoreSize() != null) {
          storage = storage.add(new Quantity(snapshot.getStatus().getRestoreSize()).getNumericalAmount());
        }
      }
      imageDisks.add(imageDisk);
    }
    status.setDisks(imageDisks);
    status.setStorage(Storage.format(storage));
    status.setAvailableTime(now.truncatedTo(ChronoUnit.SECONDS).toString());
    status.setPhase(MachineImagePhase.AVAILABLE);
  }
}
