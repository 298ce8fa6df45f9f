package dev.kiln.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * For tests of the packaged Quarkus application: a real API server with the CRDs, the chart's RBAC
 * and the cluster simulator, and a kubeconfig holding a token of the chart's ServiceAccount, set
 * before the application starts, as KUBECONFIG would be for `java -jar` (or the Pod's mounted token
 * in a cluster). Tests act as administrator through {@link #adminClient()}.
 */
public class KilnClusterResource implements QuarkusTestResourceLifecycleManager {

  private static TestPlatform platform;

  @Override
  public Map<String, String> start() {
    platform = TestPlatform.start("OperatorApplicationTest", new ChartRelease(), List.of(), false);
    try {
      Path kubeconfig = Files.createTempFile("kiln-test-kubeconfig", ".yaml");
      Files.writeString(kubeconfig, ChartRelease.operatorKubeconfig(platform.operatorClient().getConfiguration()));
      kubeconfig.toFile().deleteOnExit();
      System.setProperty("kubeconfig", kubeconfig.toString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return Map.of();
  }

  /** The administrator's client of the running platform. */
  public static KubernetesClient adminClient() {
    return platform.client();
  }

  @Override
  public void stop() {
    System.clearProperty("kubeconfig");
    platform.close();
  }
}
