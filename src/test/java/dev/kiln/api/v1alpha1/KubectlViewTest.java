package dev.kiln.api.v1alpha1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.testing.Fixtures;
import dev.kiln.testing.KilnTestCluster;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What kubectl shows of Kiln objects, asked of the API server as kubectl asks it: the table of
 * {@code kubectl get} (columns in the order a user scans them, Ready, sizes as quantities), the
 * descriptions {@code kubectl explain} prints, and {@code --field-selector spec.family=...}.
 */
class KubectlViewTest {

  @RegisterExtension
  static final KilnTestCluster cluster = KilnTestCluster.withOperator();
  private final Fixtures fixtures = new Fixtures(cluster);

  @Test
  void getShowsPhaseAndReadyFirstAgeLastAndSizesAsQuantities() throws Exception {
    fixtures.instance("""
        metadata: {name: web}
        spec:
          template:
            spec:
              containers: [{name: app, image: nginx:1.27, volumeMounts: [{name: root, mountPath: /srv}]}]
          disks: [{name: root, size: 3Gi}]
        """);
    cluster.await(Instance.class, "web", i -> i.getStatus() != null && i.getStatus().getPhase() == InstancePhase.RUNNING);
    fixtures.image("""
        metadata: {name: img}
        spec: {family: web, source: {instance: {name: web, consistency: Stop}}}
        """);
    cluster.await(MachineImage.class, "img", i -> i.getStatus() != null && i.getStatus().getPhase() == MachineImagePhase.AVAILABLE);
    cluster.await(Instance.class, "web", i -> i.getStatus().getPhase() == InstancePhase.RUNNING);

    Map<String, String> image = row("machineimages", "img");
    assertEquals(List.of("Name", "Phase", "Ready", "Family", "Source", "Storage", "Age"), List.copyOf(image.keySet()));
    assertEquals("Available", image.get("Phase"));
    assertEquals("True", image.get("Ready"));
    assertEquals("web", image.get("Family"));
    assertEquals("3Gi", image.get("Storage"));

    Map<String, String> snapshot = row("snapshots", "img-root");
    assertEquals(List.of("Name", "Phase", "Ready", "Instance", "Disk", "Claim", "Size", "Age"), List.copyOf(snapshot.keySet()));
    assertEquals("True", snapshot.get("Ready"));
    assertEquals("3Gi", snapshot.get("Size"));

    Map<String, String> instance = row("instances", "web");
    assertEquals(List.of("Name", "Phase", "Ready", "Running", "Image", "Age"), List.copyOf(instance.keySet()));
    assertEquals("Running", instance.get("Phase"));
    assertEquals("True", instance.get("Ready"));
  }

  @Test
  void explainDescribesEveryKindItsSpecAndItsStatus() {
    for (String plural : List.of("instances", "snapshots", "machineimages")) {
      CustomResourceDefinition crd = cluster.client().apiextensions().v1().customResourceDefinitions()
          .withName(plural + ".kiln.dev").get();
      JSONSchemaProps schema = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
      assertFalse(blank(schema.getDescription()), plural + " has a description");
      assertFalse(blank(schema.getProperties().get("spec").getDescription()), plural + " spec has a description");
      assertFalse(blank(schema.getProperties().get("status").getDescription()), plural + " status has a description");
    }
  }

  @Test
  void imagesAreSelectedByFamily() {
    for (String[] image : List.of(new String[] {"base-1", "base"}, new String[] {"base-2", "base"},
        new String[] {"db-1", "db"})) {
      fixtures.image("""
          metadata: {name: %s}
          spec:
            family: %s
            source: {snapshots: [{name: root, snapshot: nowhere}]}
            platform: {os: linux, architecture: amd64}
            template: {spec: {containers: [{name: app, image: nginx:1.27}]}}
          """.formatted(image[0], image[1]));
    }
    List<String> base = cluster.client().resources(MachineImage.class).inNamespace(cluster.namespace())
        .withField("spec.family", "base").list().getItems().stream().map(i -> i.getMetadata().getName()).sorted().toList();
    assertEquals(List.of("base-1", "base-2"), base);
  }

  /** One row of the table the API server prints for kubectl get: column name to cell. */
  private static Map<String, String> row(String plural, String name) throws Exception {
    var client = cluster.client();
    URI uri = URI.create(client.getMasterUrl().toString()).resolve("/apis/kiln.dev/v1alpha1/namespaces/"
        + cluster.namespace() + "/" + plural + "/" + name);
    HttpRequest request = client.getHttpClient().newHttpRequestBuilder().uri(uri)
        .header("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io").build();
    HttpResponse<String> response = client.getHttpClient().sendAsync(request, String.class).get();
    assertEquals(200, response.code(), response.body());
    JsonNode table = new ObjectMapper().readTree(response.body());
    List<String> columns = new ArrayList<>();
    table.get("columnDefinitions").forEach(c -> columns.add(c.get("name").asText()));
    List<JsonNode> cells = StreamSupport.stream(table.get("rows").get(0).get("cells").spliterator(), false).toList();
    Map<String, String> row = new LinkedHashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      row.put(columns.get(i), cells.get(i).isNull() ? "" : cells.get(i).asText());
    }
    return row;
  }

  private static boolean blank(String text) {
    return text == null || text.isBlank();
  }
}
