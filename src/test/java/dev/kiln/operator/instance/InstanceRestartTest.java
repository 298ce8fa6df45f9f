package dev.kiln.operator.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.InstancePhase;
import dev.kiln.testing.Fixtures;
import dev.kiln.testing.KilnTestCluster;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The operator stopped in the middle of each Instance flow and started again reaches the same end state. */
class InstanceRestartTest {

  @RegisterExtension
  static final KilnTestCluster cluster = KilnTestCluster.withOperator();
  private final Fixtures fixtures = new Fixtures(cluster);

  @Test
  void restartWhileDisksAreBindingEndsRunningWithOnePodAndTheSameClaims() {
    cluster.simulator().settings().volumeBindDelay(Duration.ofSeconds(1));
    fixtures.instance(InstanceLifecycleTest.WEB);
    String rootUid = cluster.await(PersistentVolumeClaim.class, "web-root", c -> true).getMetadata().getUid();

    cluster.operator().stop();
    cluster.await(PersistentVolumeClaim.class, "web-root", c -> c.getStatus() != null && "Bound".equals(c.getStatus().getPhase()));
    cluster.operator().start();

    awaitPhase(InstancePhase.RUNNING);
    assertEquals(rootUid, cluster.get(PersistentVolumeClaim.class, "web-root").getMetadata().getUid());
    assertEquals(1, cluster.client().pods().inNamespace(cluster.namespace()).list().getItems().size());
    assertEquals(2, cluster.client().persistentVolumeClaims().inNamespace(cluster.namespace()).list().getItems().size());
  }

  @Test
  void restartWhileStoppingEndsStopped() {
    fixtures.instance(InstanceLifecycleTest.WEB);
    awaitPhase(InstancePhase.RUNNING);
    cluster.simulator().settings().podStopDelay(Duration.ofSeconds(1));

    setRunning(false);
    cluster.await(Pod.class, "web", p -> p.getMetadata().getDeletionTimestamp() != null);
    cluster.operator().stop();
    cluster.awaitGone(Pod.class, "web");
    cluster.operator().start();

    awaitPhase(InstancePhase.STOPPED);
    assertNotNull(cluster.get(PersistentVolumeClaim.class, "web-root"));
  }

  @Test
  void restartWhileTerminatingEndsWithTheInstanceGoneAndOnlyKeptDisksLeft() {
    fixtures.instance(InstanceLifecycleTest.WEB);
    awaitPhase(InstancePhase.RUNNING);
    cluster.simulator().settings().podStopDelay(Duration.ofSeconds(1));

    cluster.client().resources(Instance.class).inNamespace(cluster.namespace()).withName("web").delete();
    awaitPhase(InstancePhase.TERMINATING);
    cluster.await(Pod.class, "web", p -> p.getMetadata().getDeletionTimestamp() != null);
    cluster.operator().stop();
    cluster.awaitGone(Pod.class, "web");
    cluster.operator().start();

    cluster.awaitGone(Instance.class, "web");
    cluster.awaitGone(PersistentVolumeClaim.class, "web-root");
    assertNotNull(cluster.get(PersistentVolumeClaim.class, "web-data"));
  }

  private void awaitPhase(InstancePhase phase) {
    cluster.await(Instance.class, "web", i -> i.getStatus() != null && i.getStatus().getPhase() == phase);
  }

  private void setRunning(boolean running) {
    cluster.edit(Instance.class, "web", i -> {
      i.getSpec().setRunning(running);
      return i;
    });
  }
}
