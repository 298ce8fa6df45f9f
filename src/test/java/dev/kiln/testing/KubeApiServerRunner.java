package dev.kiln.testing;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubeapitest.process.KubeAPIServerProcess;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts a real etcd + kube-apiserver through kube-api-test, with RBAC authorization, Pod Security
 * admission and the owner-reference permission check some distributions enable, and an audit log of
 * every request the operator's ServiceAccount makes. The binaries come from the folder
 * hack/provision-test-binaries.sh fills; when they are there, nothing is downloaded (offline mode).
 * Without them, kube-api-test downloads the newest published patch release of the same minor
 * version itself, which needs internet (not every patch release is published for download).
 */
final class KubeApiServerRunner {

  private final KubeAPIServer server;
  private final boolean fronted;
  private ApiServerFront front;

  KubeApiServerRunner(Path auditLog) {
    this(auditLog, Map.of(), false);
  }

  /**
   * @param extraFlags further kube-apiserver flags, name to value
   * @param restartable whether clients reach the API server through an {@link ApiServerFront}, so that
   *     it can {@link #restart()} while they keep their address
   */
  KubeApiServerRunner(Path auditLog, Map<String, String> extraFlags, boolean restartable) {
    this.fronted = restartable;
    String version = TestEnvironment.kubernetesVersion();
    boolean binariesPresent = Files.isExecutable(binaryDir(version).resolve("kube-apiserver"));
    KubeAPIServerConfigBuilder config = KubeAPIServerConfigBuilder.anAPIServerConfig();
    extraFlags.forEach(config::withApiServerFlag);
    server = new KubeAPIServer(config
        .withApiServerVersion(binariesPresent ? version : sameMinor(version))
        .withOfflineMode(binariesPresent)
        .withUpdateKubeConfig(false)
        .withApiServerFlag("--enable-admission-plugins", "OwnerReferencesPermissionEnforcement")
        .withApiServerFlag("--audit-policy-file", auditPolicy().toString())
        .withApiServerFlag("--audit-log-path", auditLog.toString())
        .withApiServerFlag("--audit-log-format", "json")
        .build());
  }

  KubernetesClient start() {
    server.start();
    if (fronted) {
      front = new ApiServerFront(apiServerPort());
    }
    return new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(kubeConfigYaml()))
        .build();
  }

  String kubeConfigYaml() {
    String yaml = server.getKubeConfigYaml();
    return front == null ? yaml : yaml.replaceAll("https://127\\.0\\.0\\.1:\\d+", "https://127.0.0.1:" + front.port());
  }

  /**
   * Stops the kube-apiserver process and starts a new one on the same etcd, certificates and flags, as
   * a control-plane upgrade or crash does; etcd, and so every object, stays. Every open connection is
   * cut; clients reconnect to the same address once the new one is ready.
   */
  void restart() {
    if (front == null) {
      throw new IllegalStateException("this API server was not started restartable");
    }
    KubeAPIServerProcess process = apiServerProcess();
    int etcdPort = etcdPort(process);
    front.cutAll();
    process.stopApiServer();
    front.cutAll();
    int port = process.startApiServer(etcdPort);
    process.waitUntilReady();
    front.retarget(port);
  }

  void stop() {
    if (front != null) {
      front.close();
    }
    server.stop();
  }

  private int apiServerPort() {
    return apiServerProcess().getApiServerPort();
  }

  // kube-api-test starts etcd and kube-apiserver together and offers no restart of one of them; these
  // reach into it for the process handle, and read the etcd address from the running command line.
  private KubeAPIServerProcess apiServerProcess() {
    try {
      Field field = KubeAPIServer.class.getDeclaredField("kubeApiServerProcess");
      field.setAccessible(true);
      return (KubeAPIServerProcess) field.get(server);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("this kube-api-test version keeps its API server process elsewhere", e);
    }
  }

  private static int etcdPort(KubeAPIServerProcess process) {
    try {
      Field field = KubeAPIServerProcess.class.getDeclaredField("apiServerProcess");
      field.setAccessible(true);
      Process running = (Process) field.get(process);
      String commandLine = Files.readString(Path.of("/proc", Long.toString(running.pid()), "cmdline")).replace('\0', ' ');
      Matcher etcd = Pattern.compile("--etcd-servers[= ]\\S*:(\\d+)").matcher(commandLine);
      if (!etcd.find()) {
        throw new IllegalStateException("no --etcd-servers in " + commandLine);
      }
      return Integer.parseInt(etcd.group(1));
    } catch (ReflectiveOperationException | IOException e) {
      throw new IllegalStateException("cannot find the etcd the API server uses", e);
    }
  }

  /** Only the operator's requests are logged; a watch is logged when it starts, not only when it ends. */
  private static Path auditPolicy() {
    try {
      Path policy = Files.createTempFile("kiln-audit-policy", ".yaml");
      policy.toFile().deleteOnExit();
      Files.writeString(policy, """
          apiVersion: audit.k8s.io/v1
          kind: Policy
          omitStages: [RequestReceived]
          rules:
          - level: Metadata
            users: ["%s"]
          - level: None
          """.formatted(ChartRelease.OPERATOR_USER));
      return policy;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** "1.34.4" → "1.34.*", kube-api-test's wildcard for the newest patch release of 1.34. */
  static String sameMinor(String version) {
    return version.substring(0, version.lastIndexOf('.')) + ".*";
  }

  static Path binaryDir(String version) {
    return TestEnvironment.kubeApiTestDir().resolve("k8s").resolve(version + "-linux-amd64");
  }
}
