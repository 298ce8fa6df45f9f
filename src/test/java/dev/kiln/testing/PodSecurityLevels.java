package dev.kiln.testing;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.awaitility.Awaitility;

/** Pod Security admission levels on test namespaces. */
public final class PodSecurityLevels {

  private PodSecurityLevels() {}

  /**
   * Makes the namespace enforce the restricted level and waits until the API server does (its view of
   * namespace labels lags a moment): until a dry run of a privileged Pod is refused.
   */
  public static void enforceRestricted(KubernetesClient admin, String namespace) {
    admin.namespaces().withName(namespace).edit(n -> {
      n.getMetadata().getLabels().put("pod-security.kubernetes.io/enforce", "restricted");
      return n;
    });
    Pod privileged = new PodBuilder().withNewMetadata().withName("pod-security-probe").withNamespace(namespace).endMetadata()
        .withNewSpec().addNewContainer().withName("probe").withImage("busybox").withNewSecurityContext().withPrivileged(true)
        .endSecurityContext().endContainer().endSpec().build();
    Awaitility.await("namespace " + namespace + " enforces restricted").atMost(KilnTestCluster.DEADLINE).until(() -> {
      try {
        admin.pods().resource(privileged).dryRun().create();
        return false;
      } catch (KubernetesClientException refused) {
        return refused.getCode() == 403;
      }
    });
  }
}
