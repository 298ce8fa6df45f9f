package dev.kiln.api.v1alpha1;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.testing.TestEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The CRDs committed under crds/ (and shipped in the Helm chart) are exactly what the API classes generate. */
class CrdDriftTest {

  private static final String FIX = "the API classes changed: run `hack/update-crds.sh` and commit crds/ and helm/kiln/files/crds/";

  @Test
  void committedCrdsMatchTheGeneratedOnes() throws IOException {
    assertSameFiles(TestEnvironment.generatedCrds(), Path.of("crds"));
  }

  @Test
  void helmChartShipsTheGeneratedCrds() throws IOException {
    assertSameFiles(TestEnvironment.generatedCrds(), Path.of("helm", "kiln", "files", "crds"));
  }

  private static void assertSameFiles(Path generated, Path committed) throws IOException {
    assertEquals(names(generated), names(committed), FIX);
    for (String name : names(generated)) {
      assertEquals(Files.readString(generated.resolve(name)), Files.readString(committed.resolve(name)),
          name + " differs: " + FIX);
    }
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yml")).sorted().toList();
    }
  }
}
