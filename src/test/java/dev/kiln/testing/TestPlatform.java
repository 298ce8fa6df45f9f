package dev.kiln.testing;

import dev.kiln.testing.sim.ClusterSimulator;
import io.fabric8.kubernetes.client.KubernetesClient;

/** A real API server with Kiln's and the VolumeSnapshot CRDs installed, and the cluster simulator running. */
final class TestPlatform implements AutoCloseable {

  private final KubeApiServerRunner apiServer = new KubeApiServerRunner();
  private final KubernetesClient client;
  private final ClusterSimulator simulator;

  private TestPlatform() {
    client = apiServer.start();
    CrdInstaller crds = new CrdInstaller(client);
    crds.installVolumeSnapshotCrds();
    crds.installKilnCrds();
    simulator = new ClusterSimulator(client);
    simulator.start();
  }

  static TestPlatform start() {
    return new TestPlatform();
  }

  KubernetesClient client() {
    return client;
  }

  ClusterSimulator simulator() {
    return simulator;
  }

  String kubeConfigYaml() {
    return apiServer.kubeConfigYaml();
  }

  @Override
  public void close() {
    simulator.close();
    client.close();
    apiServer.stop();
  }
}
