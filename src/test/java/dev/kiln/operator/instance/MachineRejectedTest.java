package dev.kiln.operator.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.InstancePhase;
import dev.kiln.operator.support.ConditionTypes;
import dev.kiln.operator.support.Conditions;
import dev.kiln.operator.support.Reasons;
import dev.kiln.testing.Fixtures;
import dev.kiln.testing.KilnTestCluster;
import dev.kiln.testing.PodSecurityLevels;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pods Kiln makes from an Instance's template meet the namespace's admission like any other Pod: a
 * refusal is the Instance's failure, with the API server's words, until the user fixes it.
 */
class MachineRejectedTest {

  @RegisterExtension
  static final KilnTestCluster cluster = KilnTestCluster.withOperator();
  private final Fixtures fixtures = new Fixtures(cluster);

  private static final String PLAIN = """
      metadata: {name: web}
      spec:
        template: {spec: {containers: [{name: app, image: nginx:1.27, volumeMounts: [{name: root, mountPath: /srv}]}]}}
        disks: [{name: root, size: 1Gi}]
      """;

  private long podCreations() {
    return cluster.operatorRequests().stream().filter(r -> r.namespace().equals(cluster.namespace())
        && r.resource().equals("pods") && r.verb().equals("create")).count();
  }

  @Test
  void aPodRefusedByTheRestrictedPodSecurityLevelFailsTheInstanceUntilTheTemplateIsFixed() {
    PodSecurityLevels.enforceRestricted(cluster.client(), cluster.namespace());

    fixtures.instance(PLAIN);
    Instance failed = cluster.await(Instance.class, "web", i -> i.getStatus() != null && i.getStatus().getPhase() == InstancePhase.FAILED);

    var ready = Conditions.find(failed.getStatus().getConditions(), ConditionTypes.READY).orElseThrow();
    assertEquals(Reasons.MACHINE_REJECTED, ready.getReason());
    assertTrue(ready.getMessage().contains("violates PodSecurity \"restricted:latest\""), ready.getMessage());
    assertNull(cluster.get(Pod.class, "web"));
    // No hot loop: once the disks have settled, the refusal stands, is announced once, and the Pod is
    // not tried again before the backoff (10 seconds at first), even by a pass a change of its claim
    // wakes.
    cluster.await(PersistentVolumeClaim.class, "web-root",
        c -> c.getStatus() != null && "Bound".equals(c.getStatus().getPhase()));
    long attempts = podCreations();
    cluster.edit(PersistentVolumeClaim.class, "web-root", c -> new PersistentVolumeClaimBuilder(c)
        .editMetadata().addToAnnotations("example.com/backup", "nightly").endMetadata().build());
    Awaitility.await("no retry within the backoff").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
        .until(() -> podCreations() == attempts
            && cluster.eventReasons("web").stream().filter(Reasons.MACHINE_REJECTED::equals).count() == 1);

    cluster.edit(Instance.class, "web", i -> {
      var spec = i.getSpec().getTemplate().getSpec();
      spec.setSecurityContext(new PodSecurityContextBuilder().withRunAsNonRoot(true).withRunAsUser(1000L)
          .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().build());
      spec.getContainers().get(0).setSecurityContext(new SecurityContextBuilder().withAllowPrivilegeEscalation(false)
          .withNewCapabilities().addToDrop("ALL").endCapabilities().build());
      return i;
    });
    cluster.await(Instance.class, "web", i -> i.getStatus().getPhase() == InstancePhase.RUNNING);
  }

  @Test
  void aRefusalLiftedByTheNamespaceIsNoticedAtTheNextRetryWithoutAnEdit() {
    PodSecurityLevels.enforceRestricted(cluster.client(), cluster.namespace());
    fixtures.instance(PLAIN);
    cluster.await(Instance.class, "web", i -> i.getStatus() != null && i.getStatus().getPhase() == InstancePhase.FAILED);

    // Nothing about the instance changes, so no event wakes Kiln: the backoff's timer must.
    PodSecurityLevels.enforceNone(cluster.client(), cluster.namespace());
    Awaitility.await("running once the backoff has passed").atMost(MachineRetry.FIRST.plus(KilnTestCluster.DEADLINE))
        .until(() -> cluster.get(Instance.class, "web").getStatus().getPhase() == InstancePhase.RUNNING);
    assertEquals(1, cluster.eventReasons("web").stream().filter(Reasons.MACHINE_REJECTED::equals).count());
  }
}
