package dev.kiln.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Where the test platform finds its binaries and CRDs; Maven passes the locations as properties. */
public final class TestEnvironment {

  private TestEnvironment() {}

  public static String kubernetesVersion() {
    return required("kiln.test.kubernetes.version");
  }

  static Path kubeApiTestDir() {
    String dir = System.getenv("KUBE_API_TEST_DIR");
    return dir != null ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".kubeapitest");
  }

  /** The CRDs the build generated from the API classes (target/crds). */
  public static Path generatedCrds() {
    return Path.of(required("kiln.generated.crds"));
  }

  /** Where the API servers write their audit logs of the operator's requests (target/audit). */
  public static Path auditDir() {
    return Path.of(required("kiln.audit.dir"));
  }

  /** kwok, the CSI sidecars, snapshot-controller and the test CSI driver: hack/provision-test-binaries.sh tier2. */
  static Path upstreamBinaryDir() {
    return kubeApiTestDir().resolve("tier2");
  }

  /** The packaged application the image runs (target/quarkus-app/quarkus-run.jar). */
  static Path packagedApplication() {
    return Path.of(required("kiln.packaged.app"));
  }

  /** Where the upstream tier's components write their logs (target/upstream). */
  static Path upstreamLogDir() {
    return Path.of(required("kiln.upstream.logs"));
  }

  /** The upstream VolumeSnapshot CRDs, fetched by hack/provision-test-binaries.sh. */
  static List<Path> volumeSnapshotCrds() {
    Path crds = kubeApiTestDir().resolve("crds");
    try (Stream<Path> files = Files.exists(crds) ? Files.walk(crds) : Stream.empty()) {
      List<Path> found = files.filter(f -> f.getFileName().toString().startsWith("snapshot.storage.k8s.io_"))
          .sorted().toList();
      if (found.isEmpty()) {
        throw new IllegalStateException("The VolumeSnapshot CRDs are missing under " + crds
            + ": run hack/provision-test-binaries.sh first.");
      }
      return found;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String required(String property) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException("System property " + property + " is not set: run the tests through ./mvnw");
    }
    return value;
  }
}
