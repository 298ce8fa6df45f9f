package dev.kiln;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.InstancePhase;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.MachineImagePhase;
import dev.kiln.operator.support.ConditionTypes;
import dev.kiln.operator.support.Conditions;
import dev.kiln.operator.support.Reasons;
import dev.kiln.testing.ChartRelease;
import dev.kiln.testing.KilnClusterResource;
import dev.kiln.testing.KilnTestCluster;
import dev.kiln.testing.Manifests;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The packaged application, wired by Quarkus as it runs in production and holding only the chart's
 * permissions, leads, probes healthy, and bakes an image end to end.
 */
@QuarkusTest
@QuarkusTestResource(value = KilnClusterResource.class, restrictToAnnotatedClass = true)
class OperatorApplicationTest {

  private final KubernetesClient client = KilnClusterResource.adminClient();

  @TestHTTPResource("/q/health")
  URL health;

  @jakarta.inject.Inject
  io.javaoperatorsdk.operator.Operator operator;

  /** A zero interval would make the operator reconcile every object again as soon as it is done with it. */
  @Test
  void noControllerIsReconciledPeriodically() {
    for (String controller : java.util.List.of("instance", "snapshot", "machineimage")) {
      java.util.Optional<java.time.Duration> interval = operator.getRegisteredController(controller).orElseThrow().getConfiguration()
          .maxReconciliationInterval();
      assertTrue(interval.isEmpty() || !interval.get().isZero(), controller + ": " + interval);
    }
  }

  @Test
  void applicationRunsAnInstanceAndBakesAnImageOfItAndCountsIt() throws Exception {
    String namespace = "smoke";
    namespace(namespace);
    instance(namespace);
    Manifests.create(client, namespace, """
        apiVersion: kiln.dev/v1alpha1
        kind: MachineImage
        metadata: {name: web-1}
        spec:
          source: {instance: {name: web}}
        """);

    await().atMost(KilnTestCluster.DEADLINE).until(() -> imagePhase(namespace, "web-1") == MachineImagePhase.AVAILABLE);
    await().atMost(KilnTestCluster.DEADLINE).until(() -> phase(client.resources(Instance.class).inNamespace(namespace)
        .withName("web").get()) == InstancePhase.RUNNING);

    // What a dashboard of the bake reads from /q/metrics, and no series per object.
    String scraped = scrape();
    for (String series : java.util.List.of(
        "operator_sdk_controllers_execution_reconcile_success_total{controller=\"machineimage\"}",
        "operator_sdk_controllers_execution_reconcile_seconds_count{controller=\"instance\"}",
        "kiln_image_capture_seconds_count{consistency=\"Stop\"}",
        "kiln_instance_held_seconds_count",
        "kiln_snapshot_cut_seconds_count",
        "kiln_snapshot_upload_seconds_count",
        "kiln_images{phase=\"Available\"}")) {
      assertTrue(value(scraped, series) >= 1, series + " in\n" + scraped);
    }
    assertTrue(scraped.contains("kiln_image_capture_seconds_bucket{consistency=\"Stop\",le="), "a histogram");
    assertFalse(scraped.contains("\"web-1\""), "no label names an object");
    assertFalse(scraped.contains("\"web\""), "no label names an object");
  }

  private String scrape() throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(health.toString().replace("/q/health", "/q/metrics"))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return response.body();
  }

  /** The value of a series (name and labels as the exposition writes them), summed over its other labels. */
  private static double value(String scraped, String series) {
    String name = series.contains("{") ? series.substring(0, series.indexOf('{')) : series;
    java.util.List<String> labels = series.contains("{")
        ? java.util.List.of(series.substring(series.indexOf('{') + 1, series.length() - 1).split(",")) : java.util.List.of();
    return scraped.lines().filter(l -> !l.startsWith("#"))
        .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
        .filter(l -> labels.stream().allMatch(l::contains))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  @Test
  void theLeaderHoldsItsLeaseInTheReleaseNamespaceAndEveryProbePasses() throws Exception {
    await().atMost(KilnTestCluster.DEADLINE).until(() -> client.resources(Lease.class).inNamespace(ChartRelease.NAMESPACE)
        .withName("kiln-operator").get() != null);

    for (String probe : new String[] {"started", "live", "ready"}) {
      HttpResponse<String> response = get(probe);
      assertEquals(200, response.statusCode(), probe + ": " + response.body());
      assertTrue(response.body().contains("\"kiln-operator\""), response.body());
    }
    assertTrue(get("ready").body().contains("\"role\": \"leader\""), get("ready").body());
  }

  /**
   * The freeze goes through the API server's exec subresource as the chart's ServiceAccount: the API
   * server authorises it, then cannot reach a kubelet (the simulated node has none), and the image
   * fails with that error, not with a refusal.
   */
  @Test
  void freezeCommandsGoThroughPodExecWithTheChartsPermissions() {
    String namespace = "freeze";
    namespace(namespace);
    instance(namespace);
    Manifests.create(client, namespace, """
        apiVersion: kiln.dev/v1alpha1
        kind: MachineImage
        metadata: {name: frozen}
        spec:
          source:
            instance:
              name: web
              consistency: Freeze
              freeze: {container: app, freezeCommand: [fsfreeze, --freeze, /srv], thawCommand: [fsfreeze, --unfreeze, /srv], timeout: 5s}
        """);

    await().atMost(KilnTestCluster.DEADLINE).until(() -> imagePhase(namespace, "frozen") == MachineImagePhase.FAILED);
    var available = Conditions.find(client.resources(MachineImage.class).inNamespace(namespace).withName("frozen").get()
        .getStatus().getConditions(), ConditionTypes.AVAILABLE).orElseThrow();
    assertEquals(Reasons.FREEZE_FAILED, available.getReason());
    assertFalse(available.getMessage().toLowerCase().contains("forbidden"), available.getMessage());
  }

  private void namespace(String name) {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
  }

  private void instance(String namespace) {
    Manifests.create(client, namespace, """
        apiVersion: kiln.dev/v1alpha1
        kind: Instance
        metadata: {name: web}
        spec:
          template: {spec: {containers: [{name: app, image: nginx:1.27, volumeMounts: [{name: root, mountPath: /srv}]}]}}
          disks: [{name: root, size: 1Gi}]
        """);
    await().atMost(KilnTestCluster.DEADLINE).until(() -> phase(client.resources(Instance.class).inNamespace(namespace)
        .withName("web").get()) == InstancePhase.RUNNING);
  }

  private MachineImagePhase imagePhase(String namespace, String name) {
    MachineImage image = client.resources(MachineImage.class).inNamespace(namespace).withName(name).get();
    return image == null || image.getStatus() == null ? null : image.getStatus().getPhase();
  }

  private HttpResponse<String> get(String probe) throws IOException, InterruptedException {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(health + "/" + probe)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static InstancePhase phase(Instance instance) {
    return instance == null || instance.getStatus() == null ? null : instance.getStatus().getPhase();
  }
}
