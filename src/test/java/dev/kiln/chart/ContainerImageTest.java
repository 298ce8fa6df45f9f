package dev.kiln.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.testing.ChartRelease;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The image the build makes is the one the chart runs by default, and it runs as the non-root user
 * the chart's Pod Security settings demand. (Building it needs a Docker daemon and the base image
 * from a registry; the configuration is checked here.)
 */
class ContainerImageTest {

  private static final Path DOCKERFILE = Path.of("src", "main", "docker", "Dockerfile.jvm");

  @Test
  void theBuiltImageIsTheOneTheChartRunsByDefault() throws IOException {
    Properties build = new Properties();
    try (Reader in = Files.newBufferedReader(Path.of("src", "main", "resources", "application.properties"))) {
      build.load(in);
    }
    String image = build.getProperty("quarkus.container-image.name") + ":" + build.getProperty("quarkus.container-image.tag");
    assertEquals("", build.getProperty("quarkus.container-image.group"), "no group: the chart's repository has none");

    Deployment deployment = new ChartRelease().objects().stream().filter(Deployment.class::isInstance)
        .map(Deployment.class::cast).findFirst().orElseThrow();
    assertEquals(image, deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
  }

  @Test
  void theImageRunsAsANumericNonRootUserFromTheBuiltApplication() throws IOException {
    List<String> lines = Files.readAllLines(DOCKERFILE);
    String user = lines.stream().filter(l -> l.startsWith("USER ")).reduce((a, b) -> b).orElseThrow()
        .substring("USER ".length()).trim();
    assertTrue(user.matches("[1-9][0-9]*"), "runAsNonRoot needs a numeric non-zero user, got " + user);
    assertTrue(lines.stream().anyMatch(l -> l.contains("target/quarkus-app/quarkus-run.jar")));
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("ENTRYPOINT") && l.contains("quarkus-run.jar")));
  }
}
