package dev.kiln;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.MachineImagePhase;
import dev.kiln.testing.Manifests;
import dev.kiln.testing.Sandbox;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The newcomer's first command, as they run it (hack/sandbox.sh, on what the build left in target/):
 * it comes up, the examples apply and bake an image, and Ctrl-C takes everything down with it.
 */
class SandboxSmokeTest {

  @Test
  void theSandboxBakesTheExampleImageAndStopsCleanlyOnCtrlC() throws Exception {
    Process sandbox = new ProcessBuilder("bash", "hack/sandbox.sh", "--no-build").redirectErrorStream(true).start();
    List<String> output = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(sandbox.getInputStream()))) {
        lines.lines().forEach(output::add);
      } catch (Exception e) {
        output.add("(output unreadable: " + e.getMessage() + ")");
      }
    });
    reader.start();
    try {
      Awaitility.await("the sandbox is ready").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
          .until(() -> {
            if (!sandbox.isAlive()) {
              throw new AssertionError("the sandbox exited: " + String.join("\n", output));
            }
            return output.contains(Sandbox.READY);
          });
      List<ProcessHandle> started = sandbox.descendants().toList();
      assertFalse(started.isEmpty(), "etcd and kube-apiserver run as children");

      String kubeconfig = Files.readString(Sandbox.DIR.resolve("kubeconfig"));
      try (KubernetesClient client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build()) {
        for (String example : List.of("instance-from-template.yaml", "image-from-instance.yaml")) {
          Manifests.create(client, "default", Files.readString(Path.of("examples", example)));
        }
        Awaitility.await("the example image is Available").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
            .until(() -> {
              MachineImage image = client.resources(MachineImage.class).inNamespace("default").withName("web-2026-11").get();
              return image != null && image.getStatus() != null && image.getStatus().getPhase() == MachineImagePhase.AVAILABLE;
            });
      }

      new ProcessBuilder("kill", "-INT", Long.toString(sandbox.pid())).start().waitFor();
      assertTrue(sandbox.waitFor(60, TimeUnit.SECONDS), "Ctrl-C ends the sandbox");
      reader.join(5_000);
      assertTrue(output.contains("[sandbox] stopped"), String.join("\n", output));
      assertTrue(started.stream().noneMatch(ProcessHandle::isAlive), "nothing it started is left running");
    } finally {
      sandbox.descendants().forEach(ProcessHandle::destroyForcibly);
      sandbox.destroyForcibly();
    }
  }
}
