package dev.kiln.testing;

import dev.kiln.testing.sim.ClusterSimulator;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;

/**
 * A real API server with Kiln's and the VolumeSnapshot CRDs installed, the chart's ServiceAccount and
 * RBAC objects applied, and the cluster simulator running. The simulator and tests act as cluster
 * administrator; the operator gets a client of its own that holds only the chart's permissions.
 */
final class TestPlatform implements AutoCloseable {

  private final KubeApiServerRunner apiServer;
  private final KubernetesClient client;
  private final KubernetesClient operatorClient;
  private final ClusterSimulator simulator;

  private TestPlatform(String label, ChartRelease release, List<String> namespaces, boolean restartable, int simulatorLanes) {
    apiServer = new KubeApiServerRunner(auditLog(label), java.util.Map.of(), restartable);
    client = apiServer.start();
    namespaces.forEach(n -> client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(n)
        .endMetadata().build()).serverSideApply());
    CrdInstaller crds = new CrdInstaller(client);
    crds.installVolumeSnapshotCrds();
    crds.installKilnCrds();
    // The CRDs come from the build (target/crds), the rest from the chart.
    release.set("crds.enabled", false).install(client);
    operatorClient = ChartRelease.operatorClient(client);
    simulator = new ClusterSimulator(client, simulatorLanes);
    simulator.start();
  }

  /**
   * @param label names the audit log of the operator's requests (target/audit/&lt;label&gt;.log)
   * @param release the chart's values for this platform
   * @param namespaces namespaces to create before the chart is installed
   * @param restartable whether the API server can be restarted while the clients keep their address
   */
  static TestPlatform start(String label, ChartRelease release, List<String> namespaces, boolean restartable) {
    return new TestPlatform(label, release, namespaces, restartable, 1);
  }

  /** As {@link #start}, with a simulator that works on {@code simulatorLanes} objects at once, for benchmarks. */
  static TestPlatform atScale(String label, ChartRelease release, List<String> namespaces, int simulatorLanes) {
    return new TestPlatform(label, release, namespaces, false, simulatorLanes);
  }

  /** Restarts the API server process (etcd stays), see {@link KubeApiServerRunner#restart()}. */
  void restartApiServer() {
    apiServer.restart();
  }

  /** The administrator's client. */
  KubernetesClient client() {
    return client;
  }

  /** The client the operator uses: the chart's ServiceAccount. */
  KubernetesClient operatorClient() {
    return operatorClient;
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
    operatorClient.close();
    client.close();
    apiServer.stop();
  }

  /** Where the API server of the named platform keeps its audit log. */
  static Path auditLogOf(String label) {
    return TestEnvironment.auditDir().resolve(label + ".log");
  }

  /** A fresh audit log for the API server of the named platform. */
  static Path auditLog(String label) {
    try {
      Path log = auditLogOf(label);
      Files.createDirectories(log.getParent());
      Files.deleteIfExists(log);
      return log;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
