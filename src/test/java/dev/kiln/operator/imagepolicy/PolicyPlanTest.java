package dev.kiln.operator.imagepolicy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.kiln.api.v1alpha1.ImagePolicy;
import dev.kiln.api.v1alpha1.ImagePolicySpec;
import dev.kiln.api.v1alpha1.ImagePolicyStatus;
import dev.kiln.api.v1alpha1.ImageRetention;
import dev.kiln.api.v1alpha1.ImageUsage;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.MachineImagePhase;
import dev.kiln.api.v1alpha1.MachineImageSpec;
import dev.kiln.api.v1alpha1.MachineImageStatus;
import dev.kiln.operator.support.ConditionTypes;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** One row per decision of an ImagePolicy's pass, on a fixed clock. */
class PolicyPlanTest {

  private static final Instant NOW = Instant.parse("2026-03-10T12:00:30Z");

  @Test
  void aNewPolicyWaitsForItsFirstScheduledTime() {
    PolicyPlan plan = plan(policy("* * * * *", null, "2026-03-10T12:00:10Z"), List.of());
    assertEquals(PolicyPlan.Run.NONE, plan.run());
    assertEquals(Optional.of(Instant.parse("2026-03-10T12:01:00Z")), plan.nextScheduleTime());
  }

  @Test
  void missedRunsAfterAnOutageCollapseIntoOneCatchUpRun() {
    PolicyPlan plan = plan(policy("* * * * *", "2026-03-10T11:50:00Z", "2026-03-01T00:00:00Z"), List.of());
    assertEquals(PolicyPlan.Run.BAKE, plan.run());
    assertEquals(Optional.of(Instant.parse("2026-03-10T12:00:00Z")), plan.dueSlot(), "the latest missed time, once");
    assertEquals("nightly-20260310-120000", PolicyPlan.imageName(plan.policy(), plan.dueSlot().get()));
  }

  @Test
  void theScheduleIsReadInItsTimeZone() {
    ImagePolicy policy = policy("0 13 * * *", "2026-03-09T12:00:00Z", "2026-03-01T00:00:00Z");
    policy.getSpec().setTimeZone("Europe/Paris");
    assertEquals(Optional.of(Instant.parse("2026-03-10T12:00:00Z")), plan(policy, List.of()).dueSlot(), "13:00 in Paris is 12:00 UTC in March");
  }

  @Test
  void aRunIsSkippedWhileAnImageIsBeingMadeOrThePolicyIsSuspended() {
    ImagePolicy policy = policy("* * * * *", "2026-03-10T11:59:00Z", "2026-03-01T00:00:00Z");
    assertEquals(PolicyPlan.Run.SKIP_MAKING, plan(policy, List.of(image("nightly-a", MachineImagePhase.CREATING, "2026-03-10T11:59:00Z"))).run());
    policy.getSpec().setSuspend(true);
    assertEquals(PolicyPlan.Run.SKIP_SUSPENDED, plan(policy, List.of()).run());
  }

  @Test
  void retentionDeprecatesBeyondCountThenDeregistersOnceDeprecatedForHasPassed() {
    ImagePolicy policy = policy("0 0 * * *", "2026-03-10T00:00:00Z", "2026-03-01T00:00:00Z");
    ImageRetention retention = new ImageRetention();
    retention.setCount(2);
    retention.setDeprecatedFor("1h");
    policy.getSpec().setRetention(retention);
    MachineImage newest = image("n3", MachineImagePhase.AVAILABLE, "2026-03-10T00:00:00Z");
    MachineImage second = image("n2", MachineImagePhase.AVAILABLE, "2026-03-09T00:00:00Z");
    MachineImage third = image("n1", MachineImagePhase.AVAILABLE, "2026-03-08T00:00:00Z");
    MachineImage oldest = deprecated(image("n0", MachineImagePhase.DEPRECATED, "2026-03-07T00:00:00Z"), "2026-03-10T10:00:00Z");
    MachineImage launched = deprecated(image("nl", MachineImagePhase.DEPRECATED, "2026-03-06T00:00:00Z"), "2026-03-10T10:00:00Z");
    launched.getStatus().setUsage(new ImageUsage());
    launched.getStatus().getUsage().setInstances(3);
    MachineImage failed = image("nf", MachineImagePhase.FAILED, "2026-03-09T12:00:00Z");

    PolicyPlan plan = plan(policy, List.of(newest, second, third, oldest, launched, failed));
    assertEquals(List.of(third), plan.toDeprecate());
    assertEquals(List.of(oldest, launched, failed), plan.toDeregister(), "failed images older than the newest made one go too");
    retention.setKeepLaunched(true);
    assertEquals(List.of(oldest, failed), plan(policy, List.of(newest, second, third, oldest, launched, failed)).toDeregister());
  }

  @Test
  void anUnreadableScheduleOrTimeZoneIsAFailureWithItsReason() {
    ImagePolicy policy = policy("61 * * * *", null, "2026-03-01T00:00:00Z");
    PolicyPlan plan = plan(policy, List.of());
    assertNull(plan.schedule().schedule());
    assertNotNull(plan.schedule().problem());
    assertEquals(PolicyPlan.Run.NONE, plan.run());
    policy.getSpec().setSchedule("* * * * *");
    policy.getSpec().setTimeZone("Mars/Olympus");
    assertEquals("timeZone Mars/Olympus is not an IANA time zone such as Europe/Paris", plan(policy, List.of()).schedule().problem());
  }

  private static PolicyPlan plan(ImagePolicy policy, List<MachineImage> images) {
    return new PolicyPlan(policy, PolicySchedule.parse(policy.getSpec().getSchedule(), policy.getSpec().getTimeZone()), images, NOW);
  }

  private static ImagePolicy policy(String schedule, String lastScheduleTime, String created) {
    ImagePolicy policy = new ImagePolicy();
    policy.setMetadata(new ObjectMetaBuilder().withName("nightly").withNamespace("ns").withCreationTimestamp(created)
        .withGeneration(1L).build());
    ImagePolicySpec spec = new ImagePolicySpec();
    spec.setSchedule(schedule);
    policy.setSpec(spec);
    ImagePolicyStatus status = new ImagePolicyStatus();
    status.setLastScheduleTime(lastScheduleTime);
    policy.setStatus(status);
    return policy;
  }

  private static MachineImage image(String name, MachineImagePhase phase, String created) {
    MachineImage image = new MachineImage();
    image.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").withCreationTimestamp(created).build());
    image.setSpec(new MachineImageSpec());
    MachineImageStatus status = new MachineImageStatus();
    status.setPhase(phase);
    status.setConditions(new ArrayList<>());
    image.setStatus(status);
    return image;
  }

  private static MachineImage deprecated(MachineImage image, String since) {
    image.getSpec().setDeprecated(true);
    image.getStatus().getConditions().add(new ConditionBuilder().withType(ConditionTypes.DEPRECATED).withStatus("True")
        .withLastTransitionTime(since).build());
    return image;
  }
}
