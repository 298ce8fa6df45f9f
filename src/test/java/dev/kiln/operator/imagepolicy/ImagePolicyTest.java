package dev.kiln.operator.imagepolicy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.api.v1alpha1.ImagePolicy;
import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.InstancePhase;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.MachineImagePhase;
import dev.kiln.operator.support.ConditionTypes;
import dev.kiln.operator.support.Conditions;
import dev.kiln.operator.support.Labels;
import dev.kiln.operator.support.Reasons;
import dev.kiln.testing.Fixtures;
import dev.kiln.testing.KilnTestCluster;
import dev.kiln.testing.Manifests;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An ImagePolicy on a fast schedule: it bakes, never two at once, and retention retires the old images. */
class ImagePolicyTest {

  @RegisterExtension
  static final KilnTestCluster cluster = KilnTestCluster.withOperator();
  private final Fixtures fixtures = new Fixtures(cluster);

  @Test
  void aPolicyBakesOnItsScheduleAndKeepsOnlyItsNewestImages() {
    runningInstance();
    policy("""
        schedule: "*/2 * * * * *"
        timeZone: Europe/Paris
        image: {instance: {name: web, consistency: None}, family: web}
        retention: {count: 2, deprecatedFor: 1s}
        """);

    Set<String> baked = new ConcurrentSkipListSet<>();
    Awaitility.await("four runs").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
      ImagePolicy policy = cluster.get(ImagePolicy.class, "nightly");
      if (policy.getStatus() != null && policy.getStatus().getLastImage() != null) {
        baked.add(policy.getStatus().getLastImage());
      }
      return baked.size() >= 4;
    });
    cluster.edit(ImagePolicy.class, "nightly", p -> {
      p.getSpec().setSuspend(true);
      return p;
    });

    List<MachineImage> kept = Awaitility.await("retention applied").atMost(KilnTestCluster.DEADLINE)
        .pollInterval(Duration.ofMillis(200)).until(this::policyImages, images -> images.size() == 2
            && images.stream().allMatch(i -> i.getStatus() != null && i.getStatus().getPhase() == MachineImagePhase.AVAILABLE));
    // Names carry the run's time: the two newest stay, every older one was deprecated, then deregistered.
    List<String> newest = kept.stream().map(i -> i.getMetadata().getName()).sorted().toList();
    assertTrue(baked.stream().filter(b -> !newest.contains(b)).allMatch(b -> b.compareTo(newest.get(0)) < 0),
        baked + " kept " + newest);
    assertTrue(baked.stream().filter(b -> !newest.contains(b)).count() >= 2, "at least two images retired: " + baked);
    assertTrue(kept.stream().allMatch(i -> "web".equals(i.getSpec().getFamily())));

    ImagePolicy policy = cluster.await(ImagePolicy.class, "nightly", p -> p.getStatus().getImages() != null
        && p.getStatus().getImages().size() == 2);
    assertEquals(List.of(newest.get(1), newest.get(0)), policy.getStatus().getImages(), "newest first");
    assertNotNull(policy.getStatus().getLastScheduleTime());
    assertEquals(Reasons.SUSPENDED, Conditions.find(policy.getStatus().getConditions(), ConditionTypes.READY).orElseThrow().getReason());
    assertTrue(cluster.eventReasons("nightly").contains(Reasons.IMAGE_RETIRED));
  }

  @Test
  void aRunWhileTheLastImageIsStillBeingMadeIsSkipped() {
    runningInstance();
    cluster.simulator().settings().holdUploads(true);
    policy("""
        schedule: "*/2 * * * * *"
        image: {instance: {name: web, consistency: None}}
        """);

    ImagePolicy policy = cluster.await(ImagePolicy.class, "nightly", p -> p.getStatus() != null && p.getStatus().getLastImage() != null);
    String first = policy.getStatus().getLastImage();
    String firstSlot = policy.getStatus().getLastScheduleTime();
    cluster.awaitEventReasons("nightly", Reasons.RUN_SKIPPED);
    ImagePolicy later = cluster.await(ImagePolicy.class, "nightly",
        p -> Instant.parse(p.getStatus().getLastScheduleTime()).isAfter(Instant.parse(firstSlot)));
    assertEquals(first, later.getStatus().getLastImage(), "no second image while the first is being made");
    assertEquals(1, policyImages().size());

    cluster.simulator().releaseUploads();
    cluster.await(MachineImage.class, first, i -> i.getStatus().getPhase() == MachineImagePhase.AVAILABLE);
    cluster.await(ImagePolicy.class, "nightly", p -> !first.equals(p.getStatus().getLastImage()));
  }

  @Test
  void anUnreadableScheduleStallsThePolicyWithItsReason() {
    policy("""
        schedule: "61 * * * *"
        timeZone: Mars/Olympus
        image: {instance: {name: web}}
        """);

    ImagePolicy stalled = cluster.await(ImagePolicy.class, "nightly", p -> p.getStatus() != null
        && Conditions.isTrue(p.getStatus().getConditions(), ConditionTypes.STALLED));
    var ready = Conditions.find(stalled.getStatus().getConditions(), ConditionTypes.READY).orElseThrow();
    assertEquals(Reasons.INVALID_SCHEDULE, ready.getReason());
    assertTrue(ready.getMessage().contains("Mars/Olympus"), ready.getMessage());
  }

  private List<MachineImage> policyImages() {
    return cluster.client().resources(MachineImage.class).inNamespace(cluster.namespace())
        .withLabel(Labels.IMAGE_POLICY, "nightly").list().getItems().stream()
        .filter(i -> i.getMetadata().getDeletionTimestamp() == null).toList();
  }

  private void policy(String spec) {
    cluster.client().resource(Manifests.parse("""
        apiVersion: kiln.dev/v1alpha1
        kind: ImagePolicy
        metadata: {name: nightly}
        spec:
        %s""".formatted(spec.indent(2)))).inNamespace(cluster.namespace()).create();
  }

  private void runningInstance() {
    fixtures.instance("""
        metadata: {name: web}
        spec:
          template: {spec: {containers: [{name: app, image: nginx:1.27, volumeMounts: [{name: root, mountPath: /srv}]}]}}
          disks: [{name: root, size: 1Gi}]
        """);
    cluster.await(Instance.class, "web", i -> i.getStatus() != null && i.getStatus().getPhase() == InstancePhase.RUNNING
        && i.getStatus().getPlatform() != null);
  }
}
