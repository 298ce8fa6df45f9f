package dev.kiln.testing;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The upstream test tier: a real API server surrounded by the components users run — the PV binder,
 * garbage collector and protection controllers of kube-controller-manager, kube-scheduler, kwok as
 * the kubelet of one Node (its Pods run, its exec runs a local command), the project's file-backed
 * CSI driver behind the upstream external-provisioner and csi-snapshotter, and the upstream
 * snapshot-controller. hack/provision-test-binaries.sh tier2 builds them. Kiln itself runs as the
 * packaged application ({@link PackagedOperator}). Each component logs to
 * target/upstream/&lt;label&gt;/&lt;component&gt;.log.
 */
public final class UpstreamPlatform implements AutoCloseable {

  private static final Duration STARTUP = Duration.ofSeconds(90);

  private final KubeApiServerRunner apiServer;
  private final KubernetesClient client;
  private final KubernetesClient operatorClient;
  private final Path workDir;
  private final Path logDir;
  private final List<UpstreamComponent> components = new ArrayList<>();
  private PackagedOperator operator;

  private UpstreamPlatform(String label, ChartRelease release) {
    logDir = TestEnvironment.upstreamLogDir().resolve(label);
    try {
      // Unix socket paths are limited to 108 bytes: the work folder lives under /tmp.
      workDir = Files.createTempDirectory("kiln-upstream-");
      deleteRecursively(logDir);
      Files.createDirectories(logDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    apiServer = new KubeApiServerRunner(TestPlatform.auditLog(label),
        // kwok's Node reports 127.0.0.1 and its own name; only the address is reachable.
        Map.of("--kubelet-preferred-address-types", "InternalIP"), false);
    client = apiServer.start();
    try {
      CrdInstaller crds = new CrdInstaller(client);
      crds.installVolumeSnapshotCrds();
      crds.installKilnCrds();
      release.set("crds.enabled", false).install(client);
      operatorClient = ChartRelease.operatorClient(client);
      UpstreamFixtures.install(client);
      startComponents();
      awaitReady();
      operator = new PackagedOperator(release, operatorClient.getConfiguration(), workDir, logDir);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  static UpstreamPlatform start(String label, ChartRelease release) {
    return new UpstreamPlatform(label, release);
  }

  KubernetesClient client() {
    return client;
  }

  KubernetesClient operatorClient() {
    return operatorClient;
  }

  /** The CSI driver's state: volumes/&lt;volume handle&gt;/ and snapshots/&lt;snapshot handle&gt;/ hold the data. */
  public Path driverState() {
    return workDir.resolve("driver");
  }

  /** The folder where commands run through a Pod's exec run; relative paths in commands land here. */
  public Path execDir() {
    return workDir.resolve("exec");
  }

  /** The packaged operator, not started. */
  OperatorControl operator() {
    return operator;
  }

  /** Prints the end of every component's log and of the operator's. */
  void printLogs(java.io.PrintStream out) {
    for (UpstreamComponent component : components) {
      out.println("===== end of " + component.log() + " =====");
      out.println(component.tail(60));
    }
    if (operator != null) {
      out.println("===== end of " + operator.log() + " =====");
      out.println(UpstreamComponent.tail(operator.log(), 100));
    }
  }

  private void startComponents() {
    Path kubeconfig = write("admin.kubeconfig", apiServer.kubeConfigYaml());
    Path k8sBin = KubeApiServerRunner.binaryDir(TestEnvironment.kubernetesVersion());
    Path tier2 = TestEnvironment.upstreamBinaryDir();
    requireBinaries(k8sBin.resolve("kube-controller-manager"), k8sBin.resolve("kube-scheduler"),
        tier2.resolve("kwok"), tier2.resolve("csi-provisioner"), tier2.resolve("csi-snapshotter"),
        tier2.resolve("snapshot-controller"), tier2.resolve("kiln-test-csi"));
    String config = "--kubeconfig=" + kubeconfig;

    start("kube-controller-manager", k8sBin.resolve("kube-controller-manager").toString(), config,
        "--controllers=" + String.join(",", "persistentvolume-binder-controller",
            "persistentvolume-protection-controller", "persistentvolumeclaim-protection-controller",
            "garbage-collector-controller", "serviceaccount-controller",
            // Lifts the not-ready taint the API server puts on a new Node once kwok reports it Ready.
            "node-lifecycle-controller"),
        "--leader-elect=false", "--secure-port=0", "--concurrent-gc-syncs=5", "--v=2");
    start("kube-scheduler", k8sBin.resolve("kube-scheduler").toString(), config,
        "--leader-elect=false", "--secure-port=0", "--v=2");
    int kubeletPort = freePort();
    start("kwok", tier2.resolve("kwok").toString(), config,
        "--config=" + write("kwok.yaml", kwokConfig()),
        "--manage-all-nodes=true", "--node-ip=127.0.0.1", "--node-port=" + kubeletPort,
        "--server-address=127.0.0.1:" + kubeletPort);

    for (Driver driver : List.of(new Driver(UpstreamFixtures.DRIVER, "driver", true),
        new Driver(UpstreamFixtures.DRIVER_WITHOUT_SNAPSHOTS, "driver-nosnap", false))) {
      String socket = workDir.resolve(driver.folder() + ".sock").toString();
      start(driver.folder(), tier2.resolve("kiln-test-csi").toString(), "--endpoint=unix://" + socket,
          "--state-dir=" + workDir.resolve(driver.folder()), "--driver-name=" + driver.name());
      awaitFile(Path.of(socket), driver.folder());
      start(driver.folder() + "-provisioner", tier2.resolve("csi-provisioner").toString(), config,
          "--csi-address=" + socket, "--leader-election=false", "--extra-create-metadata=true",
          "--timeout=30s", "--retry-interval-max=5s", "--v=3");
      if (driver.snapshots()) {
        start(driver.folder() + "-snapshotter", tier2.resolve("csi-snapshotter").toString(), config,
            "--csi-address=" + socket, "--leader-election=false", "--extra-create-metadata=true",
            "--timeout=30s", "--retry-interval-max=5s", "--v=3");
      }
    }
    start("snapshot-controller", tier2.resolve("snapshot-controller").toString(), config,
        "--leader-election=false", "--retry-interval-max=5s", "--v=3");
  }

  private record Driver(String name, String folder, boolean snapshots) {}

  private String kwokConfig() {
    try {
      Files.createDirectories(execDir());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return """
        apiVersion: kwok.x-k8s.io/v1alpha1
        kind: ClusterExec
        metadata:
          name: run-locally
        spec:
          execs:
          - local:
              workDir: %s
        """.formatted(execDir());
  }

  /** The Node is Ready and a volume provisions and binds: every part of the storage path answers. */
  private void awaitReady() {
    awaitComponents("the kwok Node to become Ready", () -> {
      Node node = client.nodes().withName(UpstreamFixtures.NODE).get();
      return node != null && node.getStatus() != null && node.getStatus().getConditions() != null
          && node.getStatus().getConditions().stream()
              .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    });
    String namespace = "upstream-smoke";
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .serverSideApply();
    PersistentVolumeClaim claim = client.persistentVolumeClaims().inNamespace(namespace)
        .resource(UpstreamFixtures.claim("smoke", "1Mi")).create();
    awaitComponents("a volume of the CSI driver to be provisioned and bound", () -> {
      PersistentVolumeClaim current = client.persistentVolumeClaims().inNamespace(namespace)
          .withName(claim.getMetadata().getName()).get();
      return current.getStatus() != null && "Bound".equals(current.getStatus().getPhase());
    });
    awaitComponents("the default ServiceAccount of a namespace", () ->
        client.serviceAccounts().inNamespace(namespace).withName("default").get() != null);
  }

  private void awaitComponents(String what, Callable<Boolean> condition) {
    try {
      Awaitility.await(what).atMost(STARTUP).pollInterval(Duration.ofMillis(200)).until(() -> {
        components.forEach(UpstreamComponent::checkAlive);
        return condition.call();
      });
    } catch (ConditionTimeoutException e) {
      printLogs(System.out);
      throw new IllegalStateException("the upstream tier did not come up: waited for " + what
          + "; the components' logs are in " + logDir, e);
    }
  }

  private void awaitFile(Path file, String component) {
    awaitComponents(component + " to listen on " + file, () -> Files.exists(file));
  }

  private void start(String name, String... command) {
    components.add(UpstreamComponent.start(name, logDir, List.of(command)));
  }

  private Path write(String name, String content) {
    try {
      return Files.writeString(workDir.resolve(name), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void requireBinaries(Path... binaries) {
    for (Path binary : binaries) {
      if (!Files.isExecutable(binary)) {
        throw new IllegalStateException(binary + " is missing: run `bash hack/provision-test-binaries.sh tier2`");
      }
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    if (operator != null) {
      operator.kill();
    }
    // The controllers first, while the API server still answers them.
    for (int i = components.size() - 1; i >= 0; i--) {
      components.get(i).close();
    }
    if (operatorClient != null) {
      operatorClient.close();
    }
    client.close();
    apiServer.stop();
    deleteRecursively(workDir);
  }

  private static void deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
