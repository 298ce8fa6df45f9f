package dev.kiln.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * For tests of the packaged Quarkus application: a real API server with the CRDs and the cluster
 * simulator, and a kubeconfig pointing at it, set before the application starts, as KUBECONFIG
 * would be for `java -jar`.
 */
public class KilnClusterResource implements QuarkusTestResourceLifecycleManager {

  private TestPlatform platform;

  @Override
  public Map<String, String> start() {
    platform = TestPlatform.start();
    try {
      Path kubeconfig = Files.createTempFile("kiln-test-kubeconfig", ".yaml");
      Files.writeString(kubeconfig, platform.kubeConfigYaml());
      kubeconfig.toFile().deleteOnExit();
      System.setProperty("kubeconfig", kubeconfig.toString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return Map.of();
  }

  @Override
  public void stop() {
    System.clearProperty("kubeconfig");
    platform.close();
  }
}
