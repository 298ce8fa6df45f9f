package dev.kiln.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * Kiln to try without a cluster (hack/sandbox.sh): a local etcd and kube-apiserver with the CRDs and
 * the chart's objects, the cluster simulator as kubelet of one node and as a snapshot-capable CSI
 * driver (StorageClass {@code standard}), and Kiln's controllers, until the process is interrupted.
 * It lives with the tests: the simulator is not part of what users deploy.
 */
public final class Sandbox implements AutoCloseable {

  /** The line that tells a reader (or the smoke test) that the sandbox is ready. */
  public static final String READY = "[sandbox] ready";
  public static final Path DIR = Path.of("target", "sandbox");

  private final TestPlatform platform;
  private final OperatorRunner operator;
  private final Path kubeconfig;

  private Sandbox(Consumer<String> progress) {
    progress.accept("[sandbox] starting etcd and kube-apiserver, installing the CRDs and the chart's objects");
    platform = TestPlatform.start("sandbox", new ChartRelease(), List.of(), false);
    progress.accept("[sandbox] starting Kiln's controllers");
    operator = new OperatorRunner(platform.operatorClient(), List.of());
    operator.start();
    try {
      Files.createDirectories(DIR);
      kubeconfig = DIR.resolve("kubeconfig").toAbsolutePath();
      Files.writeString(kubeconfig, platform.kubeConfigYaml());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Sandbox start(Consumer<String> progress) {
    return new Sandbox(progress);
  }

  public Path kubeconfig() {
    return kubeconfig;
  }

  @Override
  public void close() {
    operator.stop();
    platform.close();
  }

  public static void main(String[] args) throws InterruptedException {
    defaults(Map.of(
        "kiln.generated.crds", Path.of("target", "crds").toAbsolutePath().toString(),
        "kiln.audit.dir", DIR.resolve("audit").toAbsolutePath().toString(),
        "kiln.test.kubernetes.version", System.getenv().getOrDefault("KILN_K8S_VERSION", "1.34.4")));
    Sandbox sandbox = start(System.out::println);
    // The chart is rendered by a Go library (helm-java) whose runtime takes SIGINT and SIGTERM over
    // once loaded: take them back, so that Ctrl-C runs the shutdown below.
    for (String name : List.of("INT", "TERM")) {
      sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> System.exit(128 + signal.getNumber()));
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("[sandbox] stopping");
      sandbox.close();
      System.out.println("[sandbox] stopped");
      stopped.countDown();
    }));
    System.out.println("""

        Kiln runs on a local API server; the simulator plays the node and the CSI driver.

          export KUBECONFIG=%s
          kubectl apply -f examples/instance-from-template.yaml     # an Instance, its disks, its Pod
          kubectl get kiln -w                                       # (another terminal)
          kubectl apply -f examples/image-from-instance.yaml        # bake: stop, snapshot, restart, check
          kubectl apply -f examples/instance-from-image.yaml        # launch from the image
          kubectl describe mi web-2026-11

        Ctrl-C stops it all.
        """.formatted(sandbox.kubeconfig()));
    System.out.println(READY);
    stopped.await();
  }

  private static void defaults(Map<String, String> properties) {
    properties.forEach((key, value) -> {
      if (System.getProperty(key) == null) {
        System.setProperty(key, value);
      }
    });
  }
}
