package dev.kiln.testing;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

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

  KubeApiServerRunner(Path auditLog) {
    this(auditLog, Map.of());
  }

  /** @param extraFlags further kube-apiserver flags, name to value */
  KubeApiServerRunner(Path auditLog, Map<String, String> extraFlags) {
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
