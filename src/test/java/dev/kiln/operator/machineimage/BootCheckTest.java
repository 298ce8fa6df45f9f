package dev.kiln.operator.machineimage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.api.v1alpha1.CheckResult;
import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.InstancePhase;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.MachineImagePhase;
import dev.kiln.api.v1alpha1.Snapshot;
import dev.kiln.operator.support.ConditionTypes;
import dev.kiln.operator.support.Conditions;
import dev.kiln.operator.support.Reasons;
import dev.kiln.testing.Fixtures;
import dev.kiln.testing.KilnTestCluster;
import dev.kiln.testing.sim.SimulatorSettings;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The boot check: a throwaway Instance launched from the image before it becomes Available. */
class BootCheckTest {

  @RegisterExtension
  static final KilnTestCluster cluster = KilnTestCluster.withOperator();
  private final Fixtures fixtures = new Fixtures(cluster);

  private static final String CHECKED_IMAGE = """
      metadata: {name: img}
      spec:
        source: {instance: {name: web}}
        family: web
        check: {enabled: true, timeout: %s}
      """;

  @Test
  void imageThatBootsBecomesAvailableAndTheThrowawayInstanceGoes() {
    runningSource();

    fixtures.image(CHECKED_IMAGE.formatted("1m"));

    cluster.await(MachineImage.class, "img", i -> i.getStatus() != null && i.getStatus().getPhase() == MachineImagePhase.CHECKING);
    MachineImage available = cluster.await(MachineImage.class, "img",
        i -> i.getStatus().getPhase() == MachineImagePhase.AVAILABLE);
    assertEquals(CheckResult.PASSED, available.getStatus().getCheck().getResult());
    assertEquals("img-check", available.getStatus().getCheck().getInstance());
    assertTrue(Conditions.isTrue(available.getStatus().getConditions(), ConditionTypes.CHECKED));
    assertNotNull(available.getStatus().getAvailableTime());
    cluster.awaitGone(Instance.class, "img-check");
    cluster.awaitGone(Pod.class, "img-check");
    cluster.awaitGone(PersistentVolumeClaim.class, "img-check-root");
    assertTrue(available.getStatus().getUsage() == null, "the check instance is not a use of the image");
  }

  @Test
  void imageThatDoesNotBootInTimeFailsAndLeavesNothing() {
    runningSource();
    cluster.simulator().settings().podsNeverReady(SimulatorSettings.named("img-check"));

    fixtures.image(CHECKED_IMAGE.formatted("3s"));

    MachineImage failed = cluster.await(MachineImage.class, "img",
        i -> i.getStatus() != null && i.getStatus().getPhase() == MachineImagePhase.FAILED);
    assertEquals(CheckResult.FAILED, failed.getStatus().getCheck().getResult());
    assertEquals(Reasons.CHECK_FAILED,
        Conditions.find(failed.getStatus().getConditions(), ConditionTypes.AVAILABLE).get().getReason());
    cluster.awaitGone(Instance.class, "img-check");
    cluster.awaitGone(Snapshot.class, "img-root");
    cluster.awaitGone(Snapshot.class, "img-data");
    assertEquals(InstancePhase.RUNNING, cluster.get(Instance.class, "web").getStatus().getPhase());
  }

  @Test
  void familyIgnoresAnImageStillBeingChecked() {
    runningSource();
    cluster.simulator().settings().podsNeverReady(SimulatorSettings.named("img-check"));
    fixtures.image(CHECKED_IMAGE.formatted("1m"));
    cluster.await(MachineImage.class, "img", i -> i.getStatus() != null && i.getStatus().getPhase() == MachineImagePhase.CHECKING);

    fixtures.instance("""
        metadata: {name: user}
        spec:
          image: {family: web}
        """);

    cluster.await(Instance.class, "user", i -> i.getStatus() != null && Conditions.find(i.getStatus().getConditions(),
        ConditionTypes.IMAGE_RESOLVED).map(c -> Reasons.NO_IMAGE_IN_FAMILY.equals(c.getReason())).orElse(false));
  }

  @Test
  void deletingAnImageLeavesAUsersInstanceThatMerelyHasItsCheckName() {
    runningSource();
    fixtures.instance(MachineImageCaptureTest.WEB.replace("name: web}", "name: img-check}"));
    fixtures.image("""
        metadata: {name: img}
        spec:
          source: {instance: {name: web}}
        """);
    cluster.await(MachineImage.class, "img", i -> i.getStatus() != null && i.getStatus().getPhase() == MachineImagePhase.AVAILABLE);

    cluster.client().resources(MachineImage.class).inNamespace(cluster.namespace()).withName("img").delete();
    cluster.awaitGone(MachineImage.class, "img");

    Instance users = cluster.get(Instance.class, "img-check");
    assertNotNull(users, "the user's Instance img-check survives the deregistration of img");
    assertNull(users.getMetadata().getDeletionTimestamp());
  }

  private void runningSource() {
    fixtures.instance(MachineImageCaptureTest.WEB);
    cluster.await(Instance.class, "web", i -> i.getStatus() != null && i.getStatus().getPhase() == InstancePhase.RUNNING
        && i.getStatus().getPlatform() != null);
  }
}
