package dev.kiln.operator.imagepolicy;

import dev.kiln.api.v1alpha1.ImagePolicy;
import dev.kiln.api.v1alpha1.ImageRetention;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.MachineImagePhase;
import dev.kiln.operator.machineimage.ImageLifecycle;
import dev.kiln.operator.support.ConditionTypes;
import dev.kiln.operator.support.Conditions;
import dev.kiln.operator.support.Durations;
import dev.kiln.operator.support.Reasons;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The pure decision of an ImagePolicy's pass: whether a run is due and what it does (bake, or skip
 * while an image is still being made or the policy is suspended), which images retention deprecates
 * and which it deregisters, and when to look again. Missed runs collapse into one: a run is due when
 * the latest scheduled time is later than the last one recorded, whatever came in between.
 *
 * @param policy the policy as stored
 * @param schedule its schedule, or why it cannot be read
 * @param images the images the policy made that exist
 * @param now the current time
 */
record PolicyPlan(ImagePolicy policy, PolicySchedule.Result schedule, List<MachineImage> images, Instant now) {

  static final Duration DEFAULT_DEPRECATED_FOR = Duration.ofHours(24);
  private static final DateTimeFormatter SLOT_NAME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  enum Run { NONE, BAKE, SKIP_MAKING, SKIP_SUSPENDED }

  /** The scheduled time now due, if one is: later than the last recorded and not later than now. */
  Optional<Instant> dueSlot() {
    if (schedule.schedule() == null) {
      return Optional.empty();
    }
    Instant since = lastScheduleTime().orElse(Instant.parse(policy.getMetadata().getCreationTimestamp()));
    return schedule.schedule().lastAtOrBefore(now).filter(slot -> slot.isAfter(since));
  }

  Run run() {
    if (dueSlot().isEmpty()) {
      return Run.NONE;
    }
    if (Boolean.TRUE.equals(policy.getSpec().getSuspend())) {
      return Run.SKIP_SUSPENDED;
    }
    return making().isPresent() ? Run.SKIP_MAKING : Run.BAKE;
  }

  /** The image of the policy still being made, if any: never two at once. */
  Optional<MachineImage> making() {
    return images.stream().filter(i -> i.getMetadata().getDeletionTimestamp() == null)
        .filter(i -> i.getStatus() == null || i.getStatus().getPhase() == null
            || i.getStatus().getPhase() == MachineImagePhase.PENDING || i.getStatus().getPhase() == MachineImagePhase.CREATING
            || i.getStatus().getPhase() == MachineImagePhase.CHECKING)
        .findFirst();
  }

  /** The name of the image a run at this scheduled time makes: the same name after a restart. */
  static String imageName(ImagePolicy policy, Instant slot) {
    return policy.getMetadata().getName() + "-" + SLOT_NAME.format(slot);
  }

  /** Made images that retention retires now and that are not deprecated yet. */
  List<MachineImage> toDeprecate() {
    return retired().stream().filter(i -> !Boolean.TRUE.equals(i.getSpec().getDeprecated())).toList();
  }

  /**
   * Retired images deprecated for long enough, and the failed images older than the newest made one
   * (their failure stays in status.lastFailure): deregistered with their own deletion policy. An
   * image Instances launched from stays when keepLaunched says so; a protected one stays until its
   * protection is cleared.
   */
  List<MachineImage> toDeregister() {
    List<MachineImage> out = new ArrayList<>();
    for (MachineImage image : retired()) {
      Optional<Instant> since = deprecatedSince(image);
      boolean launched = image.getStatus().getUsage() != null && image.getStatus().getUsage().getInstances() != null
          && image.getStatus().getUsage().getInstances() > 0;
      if (since.isPresent() && !now.isBefore(since.get().plus(deprecatedFor()))
          && !(launched && Boolean.TRUE.equals(retention().getKeepLaunched())) && !protectedImage(image)) {
        out.add(image);
      }
    }
    Optional<Instant> newestMade = made().stream().findFirst().map(PolicyPlan::created);
    images.stream().filter(i -> phase(i) == MachineImagePhase.FAILED && !protectedImage(i))
        .filter(i -> newestMade.map(n -> created(i).isBefore(n)).orElse(false))
        .filter(i -> i.getMetadata().getDeletionTimestamp() == null)
        .forEach(out::add);
    return out;
  }

  /** When to look again: the next scheduled time, or when a retired image has been deprecated long enough. */
  Optional<Instant> wakeUp() {
    Optional<Instant> next = nextScheduleTime();
    Optional<Instant> expiry = retired().stream().map(this::deprecatedSince).flatMap(Optional::stream)
        .map(since -> since.plus(deprecatedFor())).filter(now::isBefore).min(Comparator.naturalOrder());
    return java.util.stream.Stream.of(next, expiry).flatMap(Optional::stream).min(Comparator.naturalOrder());
  }

  Optional<Instant> nextScheduleTime() {
    return schedule.schedule() == null ? Optional.empty() : schedule.schedule().nextAfter(now);
  }

  List<io.fabric8.kubernetes.api.model.Condition> conditions() {
    Conditions conditions = Conditions.after(java.time.Clock.fixed(now, ZoneOffset.UTC),
        policy.getStatus() == null ? null : policy.getStatus().getConditions(), policy.getMetadata().getGeneration());
    if (schedule.problem() != null) {
      conditions.set(ConditionTypes.READY, false, Reasons.INVALID_SCHEDULE, schedule.problem())
          .progress(Conditions.Progress.FAILED, Reasons.INVALID_SCHEDULE, schedule.problem());
    } else if (Boolean.TRUE.equals(policy.getSpec().getSuspend())) {
      conditions.set(ConditionTypes.READY, false, Reasons.SUSPENDED, "suspended: no image is baked until spec.suspend is false")
          .progress(Conditions.Progress.SETTLED, Reasons.SUSPENDED, "suspended");
    } else {
      String message = "next run at " + nextScheduleTime().map(Instant::toString).orElse("never: the schedule has no later time");
      conditions.set(ConditionTypes.READY, true, Reasons.SCHEDULED, message)
          .progress(Conditions.Progress.SETTLED, Reasons.SCHEDULED, message);
    }
    return conditions.build();
  }

  /** The images made (Available, Deprecated or Disabled), newest first. */
  List<MachineImage> made() {
    return images.stream().filter(i -> ImageLifecycle.made(phase(i)) && i.getMetadata().getDeletionTimestamp() == null)
        .sorted(Comparator.comparing(PolicyPlan::created).reversed()).toList();
  }

  /** Made images beyond count or older than maxAge. */
  private List<MachineImage> retired() {
    ImageRetention retention = retention();
    List<MachineImage> made = made();
    List<MachineImage> out = new ArrayList<>();
    for (int i = 0; i < made.size(); i++) {
      MachineImage image = made.get(i);
      boolean beyondCount = retention.getCount() != null && i >= retention.getCount();
      boolean tooOld = retention.getMaxAge() != null && !created(image).plus(Durations.parse(retention.getMaxAge())).isAfter(now);
      if (beyondCount || tooOld) {
        out.add(image);
      }
    }
    return out;
  }

  private Optional<Instant> deprecatedSince(MachineImage image) {
    if (image.getStatus() == null) {
      return Optional.empty();
    }
    return Conditions.find(image.getStatus().getConditions(), ConditionTypes.DEPRECATED)
        .filter(c -> Conditions.TRUE.equals(c.getStatus())).map(c -> Instant.parse(c.getLastTransitionTime()));
  }

  private Duration deprecatedFor() {
    String value = retention().getDeprecatedFor();
    return value == null ? DEFAULT_DEPRECATED_FOR : Durations.parse(value);
  }

  private ImageRetention retention() {
    return policy.getSpec().getRetention() == null ? new ImageRetention() : policy.getSpec().getRetention();
  }

  Optional<Instant> lastScheduleTime() {
    return Optional.ofNullable(policy.getStatus()).map(s -> s.getLastScheduleTime()).map(Instant::parse);
  }

  private static boolean protectedImage(MachineImage image) {
    return Boolean.TRUE.equals(image.getSpec().getDeletionProtection());
  }

  private static MachineImagePhase phase(MachineImage image) {
    return image.getStatus() == null ? null : image.getStatus().getPhase();
  }

  private static Instant created(MachineImage image) {
    return Instant.parse(image.getMetadata().getCreationTimestamp());
  }
}
