package dev.kiln.testing;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Installs CRD files and waits until the API server serves them. */
final class CrdInstaller {

  private final KubernetesClient client;

  CrdInstaller(KubernetesClient client) {
    this.client = client;
  }

  void installKilnCrds() {
    try (Stream<Path> files = Files.list(TestEnvironment.generatedCrds())) {
      files.filter(f -> f.toString().endsWith(".yml")).sorted().forEach(this::install);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the generated CRDs; run the build through ./mvnw", e);
    }
  }

  void installVolumeSnapshotCrds() {
    TestEnvironment.volumeSnapshotCrds().forEach(this::install);
  }

  void install(Path file) {
    CustomResourceDefinition crd;
    try (InputStream in = Files.newInputStream(file)) {
      crd = client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    client.resource(crd).serverSideApply();
    client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
        .waitUntilCondition(CrdInstaller::established, Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS);
  }

  private static boolean established(CustomResourceDefinition crd) {
    return crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }

}
