package dev.kiln.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import dev.kiln.testing.ChartRelease;
import dev.kiln.testing.KilnTestCluster;
import dev.kiln.testing.PodSecurityLevels;
import dev.kiln.testing.TestEnvironment;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The chart as users install it: lint, what it renders, what it rejects, and what the API server makes of it. */
class HelmChartTest {

  @RegisterExtension
  static final KilnTestCluster cluster = KilnTestCluster.withoutOperator();

  private static final Set<String> CLUSTER_SCOPED = Set.of("nodes", "persistentvolumes", "storageclasses",
      "volumesnapshotclasses", "volumesnapshotcontents");

  @Test
  void chartLintsCleanly() {
    var lint = new Helm(ChartRelease.CHART).lint().strict().call();
    assertFalse(lint.isFailed(), String.join("\n", lint.getMessages()));
  }

  @Test
  void byDefaultNamespacedRightsAreClusterWideAndTheLeaseIsInTheReleaseNamespaceOnly() {
    List<HasMetadata> objects = new ChartRelease().objects();

    ClusterRole namespaced = find(objects, ClusterRole.class, "kiln");
    assertTrue(resources(namespaced.getRules()).containsAll(Set.of("instances", "pods", "persistentvolumeclaims", "volumesnapshots")));
    assertEquals("kiln", find(objects, ClusterRoleBinding.class, "kiln").getRoleRef().getName());
    Role leases = find(objects, Role.class, "kiln-leader-election");
    assertEquals(ChartRelease.NAMESPACE, leases.getMetadata().getNamespace());
    assertEquals(Set.of("leases"), resources(leases.getRules()));
    objects.stream().filter(ClusterRole.class::isInstance).map(ClusterRole.class::cast)
        .forEach(role -> assertFalse(resources(role.getRules()).contains("leases"), role.getMetadata().getName()));
  }

  @Test
  void watchedNamespacesGetARoleEachAndOnlyClusterScopedRightsStayClusterWide() {
    List<HasMetadata> objects = new ChartRelease().watching(List.of("team-a", "team-b")).objects();

    for (String namespace : List.of("team-a", "team-b")) {
      Role role = objects.stream().filter(Role.class::isInstance).map(Role.class::cast)
          .filter(r -> r.getMetadata().getName().equals("kiln") && namespace.equals(r.getMetadata().getNamespace()))
          .findFirst().orElseThrow(() -> new AssertionError("no Role in " + namespace));
      assertTrue(resources(role.getRules()).contains("instances"));
      assertTrue(objects.stream().anyMatch(o -> o instanceof RoleBinding b && namespace.equals(b.getMetadata().getNamespace())
          && b.getRoleRef().getName().equals("kiln")));
    }
    List<ClusterRole> operatorClusterRoles = objects.stream().filter(ClusterRole.class::isInstance).map(ClusterRole.class::cast)
        .filter(r -> !r.getMetadata().getLabels().keySet().stream().anyMatch(l -> l.startsWith("rbac.authorization.k8s.io/aggregate")))
        .toList();
    assertEquals(List.of("kiln-cluster"), operatorClusterRoles.stream().map(r -> r.getMetadata().getName()).toList());
    assertEquals(CLUSTER_SCOPED, resources(operatorClusterRoles.get(0).getRules()));
  }

  @Test
  void nothingClusterScopedIsDeletedByLabelAndNothingIsGrantedByWildcard() {
    for (HasMetadata object : new ChartRelease().objects()) {
      List<PolicyRule> rules = object instanceof ClusterRole r ? r.getRules() : object instanceof Role r ? r.getRules() : List.of();
      for (PolicyRule rule : rules) {
        assertFalse(rule.getVerbs().contains("*") || rule.getResources().contains("*") || rule.getApiGroups().contains("*"),
            object.getMetadata().getName() + ": " + rule);
        if (rule.getResources().stream().anyMatch(CLUSTER_SCOPED::contains)) {
          assertFalse(rule.getVerbs().contains("deletecollection"), object.getMetadata().getName() + ": " + rule);
        }
      }
    }
  }

  @Test
  void typosAndWrongTypesInValuesAreRejectedWithAClearMessage() {
    Map<String, String> wrong = Map.of("watchNamespace", "additional properties 'watchNamespace' not allowed",
        "replicas", "at '/replicas': got string, want integer",
        "image.tagg", "additional properties 'tagg' not allowed");
    wrong.forEach((key, message) -> {
      Exception refused = assertThrows(Exception.class, () -> new ChartRelease().set(key, "two").render(), key);
      assertTrue(refused.getMessage().contains(message), refused.getMessage());
    });
  }

  @Test
  void theDeploymentIsHardenedAndProbesTheOperatorsHealth() {
    Deployment deployment = find(new ChartRelease().objects(), Deployment.class, "kiln");
    var pod = deployment.getSpec().getTemplate().getSpec();
    Container operator = pod.getContainers().get(0);

    assertEquals("kiln-operator:" + appVersion(), operator.getImage());
    assertTrue(pod.getSecurityContext().getRunAsNonRoot());
    assertTrue(operator.getSecurityContext().getReadOnlyRootFilesystem());
    assertFalse(operator.getSecurityContext().getAllowPrivilegeEscalation());
    assertEquals(List.of("ALL"), operator.getSecurityContext().getCapabilities().getDrop());
    assertEquals("/q/health/started", operator.getStartupProbe().getHttpGet().getPath());
    assertEquals("/q/health/live", operator.getLivenessProbe().getHttpGet().getPath());
    assertEquals("/q/health/ready", operator.getReadinessProbe().getHttpGet().getPath());
    assertEquals("/tmp", operator.getVolumeMounts().get(0).getMountPath());
    assertNotNull(pod.getVolumes().get(0).getEmptyDir());
    assertNotNull(operator.getResources().getLimits().get("memory"));
  }

  @Test
  void aPodDisruptionBudgetOnlyWhenAskedFor() {
    assertTrue(new ChartRelease().objects().stream().noneMatch(PodDisruptionBudget.class::isInstance));
    PodDisruptionBudget budget = find(new ChartRelease().set("podDisruptionBudget.enabled", true).objects(),
        PodDisruptionBudget.class, "kiln");
    assertEquals(1, budget.getSpec().getMaxUnavailable().getIntVal());
  }

  @Test
  void metricsAreServedBehindAServiceAndScrapedByAServiceMonitorWhenAskedFor() {
    List<HasMetadata> plain = new ChartRelease().objects();
    Service service = find(plain, Service.class, "kiln-metrics");
    Deployment deployment = find(plain, Deployment.class, "kiln");
    assertTrue(deployment.getSpec().getTemplate().getMetadata().getLabels().entrySet()
        .containsAll(service.getSpec().getSelector().entrySet()), "the Service selects the operator's Pods");
    assertEquals("http", service.getSpec().getPorts().get(0).getTargetPort().getStrVal());
    assertTrue(plain.stream().noneMatch(o -> "ServiceMonitor".equals(o.getKind())));

    List<HasMetadata> monitored = new ChartRelease().set("metrics.serviceMonitor.enabled", true)
        .set("metrics.serviceMonitor.labels.release", "prometheus").objects();
    HasMetadata monitor = monitored.stream().filter(o -> "ServiceMonitor".equals(o.getKind())).findFirst()
        .orElseThrow(() -> new AssertionError("no ServiceMonitor"));
    assertEquals("prometheus", monitor.getMetadata().getLabels().get("release"));
    var spec = ((io.fabric8.kubernetes.api.model.GenericKubernetesResource) monitor).getAdditionalProperties().get("spec");
    @SuppressWarnings("unchecked")
    var endpoint = ((List<Map<String, Object>>) ((Map<String, Object>) spec).get("endpoints")).get(0);
    assertEquals(Map.of("port", "http", "path", "/q/metrics", "interval", "30s"), endpoint);
    @SuppressWarnings("unchecked")
    var selector = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) spec).get("selector")).get("matchLabels");
    assertEquals(service.getMetadata().getLabels().entrySet().stream()
        .filter(e -> selector.containsKey(e.getKey())).count(), selector.size(), "the ServiceMonitor selects the Service");
  }

  @Test
  void theChartInstallsTheGeneratedCrdsAndKeepsThemOnUninstall() throws IOException {
    List<CustomResourceDefinition> rendered = new ChartRelease().objects().stream()
        .filter(CustomResourceDefinition.class::isInstance).map(CustomResourceDefinition.class::cast).toList();
    List<CustomResourceDefinition> generated = generatedCrds();

    assertEquals(generated.size(), rendered.size());
    for (CustomResourceDefinition crd : generated) {
      CustomResourceDefinition shipped = rendered.stream().filter(r -> r.getMetadata().getName().equals(crd.getMetadata().getName()))
          .findFirst().orElseThrow();
      assertEquals(crd.getSpec(), shipped.getSpec(), crd.getMetadata().getName());
      assertEquals("keep", shipped.getMetadata().getAnnotations().get("helm.sh/resource-policy"));
    }
    assertTrue(new ChartRelease().set("crds.enabled", false).objects().stream().noneMatch(CustomResourceDefinition.class::isInstance));
  }

  /**
   * The whole default install applies server-side (an upgrade of the CRDs already there included),
   * and a Pod made from the Deployment's template is admitted by a namespace that enforces the
   * restricted Pod Security level.
   */
  @Test
  void theRenderedChartAppliesAndItsPodPassesTheRestrictedPodSecurityLevel() {
    var client = cluster.client();
    PodSecurityLevels.enforceRestricted(client, ChartRelease.NAMESPACE);
    List<HasMetadata> installed = new ChartRelease().install(client);

    installed.forEach(o -> assertNotNull(client.resource(o).get(), o.getKind() + " " + o.getMetadata().getName()));
    Deployment deployment = find(installed, Deployment.class, "kiln");
    Pod pod = new PodBuilder().withMetadata(deployment.getSpec().getTemplate().getMetadata())
        .editMetadata().withName("kiln-operator").withNamespace(ChartRelease.NAMESPACE).endMetadata()
        .withSpec(deployment.getSpec().getTemplate().getSpec()).build();
    client.pods().resource(pod).dryRun().create();

    Pod privileged = new PodBuilder(pod).editSpec().editFirstContainer().editSecurityContext().withRunAsNonRoot(false)
        .withAllowPrivilegeEscalation(true).endSecurityContext().endContainer().endSpec().build();
    var refused = assertThrows(io.fabric8.kubernetes.client.KubernetesClientException.class,
        () -> client.pods().resource(privileged).dryRun().create());
    assertTrue(refused.getMessage().contains("violates PodSecurity \"restricted"), "the namespace enforces the level: " + refused.getMessage());
  }

  private static String appVersion() {
    try {
      return Files.readAllLines(ChartRelease.CHART.resolve("Chart.yaml")).stream().filter(l -> l.startsWith("appVersion:"))
          .map(l -> l.substring("appVersion:".length()).trim().replace("\"", "")).findFirst().orElseThrow();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<CustomResourceDefinition> generatedCrds() throws IOException {
    try (Stream<Path> files = Files.list(TestEnvironment.generatedCrds())) {
      return files.filter(f -> f.toString().endsWith(".yml")).sorted().map(f -> {
        try (InputStream in = Files.newInputStream(f)) {
          return cluster.client().getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }).toList();
    }
  }

  private static Set<String> resources(List<PolicyRule> rules) {
    return rules.stream().flatMap(r -> r.getResources().stream()).collect(Collectors.toSet());
  }

  private static <T extends HasMetadata> T find(List<HasMetadata> objects, Class<T> kind, String name) {
    return objects.stream().filter(kind::isInstance).map(kind::cast).filter(o -> o.getMetadata().getName().equals(name))
        .findFirst().orElseThrow(() -> new AssertionError("the chart renders no " + kind.getSimpleName() + " " + name));
  }
}
