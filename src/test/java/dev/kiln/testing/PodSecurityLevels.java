package dev.kiln.testing;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.awaitility.Awaitility;

/** Pod Security admission levels on test namespaces. */
public final class PodSecurityLevels {

  private static final String ENFORCE = "pod-security.kubernetes.io/enforce";

  private PodSecurityLevels() {}

  /**
   * Makes the namespace enforce the restricted level and waits until the API server does (its view of
   * namespace labels lags a moment): until a dry run of a privileged Pod is refused.
   */
  public static void enforceRestricted(KubernetesClient admin, String namespace) {
    admin.namespaces().withName(namespace).edit(n -> {
      n.getMetadata().getLabels().put(ENFORCE, "restricted");
      return n;
    });
    Awaitility.await("namespace " + namespace + " enforces restricted").atMost(KilnTestCluster.DEADLINE)
        .until(() -> !admitsPrivileged(admin, namespace));
  }

  /** Lifts the enforced level and waits until the API server does: until a privileged Pod is admitted. */
  public static void enforceNone(KubernetesClient admin, String namespace) {
    admin.namespaces().withName(namespace).edit(n -> {
      n.getMetadata().getLabels().remove(ENFORCE);
      return n;
    });
    Awaitility.await("namespace " + namespace + " enforces no level").atMost(KilnTestCluster.DEADLINE)
        .until(() -> admitsPrivileged(admin, namespace));
  }

  /** Whether a dry run of a privileged Pod is admitted in the namespace. */
  private static boolean admitsPrivileged(KubernetesClient admin, String namespace) {
    Pod privileged = new PodBuilder().withNewMetadata().withName("pod-security-probe").withNamespace(namespace).endMetadata()
        .withNewSpec().addNewContainer().withName("probe").withImage("busybox").withNewSecurityContext().withPrivileged(true)
        .endSecurityContext().endContainer().endSpec().build();
    try {
      admin.pods().resource(privileged).dryRun().create();
      return true;
    } catch (KubernetesClientException refused) {
      if (refused.getCode() != 403) {
        throw refused;
      }
      return false;
    }
  }
}
