package dev.kiln.testing;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Starts a real etcd + kube-apiserver through kube-api-test. The binaries come from the folder
 * hack/provision-test-binaries.sh fills; when they are there, nothing is downloaded (offline mode).
 * Without them, kube-api-test downloads that version itself, which needs internet.
 */
final class KubeApiServerRunner {

  private final KubeAPIServer server;

  KubeApiServerRunner() {
    String version = TestEnvironment.kubernetesVersion();
    boolean binariesPresent = Files.isExecutable(binaryDir(version).resolve("kube-apiserver"));
    server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
        .withApiServerVersion(version)
        .withOfflineMode(binariesPresent)
        .withUpdateKubeConfig(false)
        .build());
  }

  KubernetesClient start() {
    server.start();
    return new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(server.getKubeConfigYaml()))
        .build();
  }

  String kubeConfigYaml() {
    return server.getKubeConfigYaml();
  }

  void stop() {
    server.stop();
  }

  private static Path binaryDir(String version) {
    return TestEnvironment.kubeApiTestDir().resolve("k8s").resolve(version + "-linux-amd64");
  }
}
