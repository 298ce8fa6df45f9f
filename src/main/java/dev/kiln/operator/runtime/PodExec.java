package dev.kiln.operator.runtime;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@link MachineExec} through the Pod's exec subresource, as `kubectl exec` does. */
public final class PodExec implements MachineExec {

  /** How much of a command's error output a result quotes. */
  static final int OUTPUT_LIMIT = 2048;

  private final KubernetesClient client;

  /**
   * @param client the operator's client; exec gets a copy of it that does not retry: a freeze or thaw
   *     command must run once per decision, and a failed one is the capture's to handle, at once
   */
  public PodExec(KubernetesClient client) {
    this.client = new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder(client.getConfiguration()).withRequestRetryBackoffLimit(0).build())
        .build();
  }

  @Override
  public Result run(Pod pod, String container, List<String> command, Duration timeout) {
    BoundedOutput errors = new BoundedOutput(OUTPUT_LIMIT);
    try (ExecWatch watch = client.pods().inNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName())
        .inContainer(container)
        .writingError(errors)
        .exec(command.toArray(String[]::new))) {
      int exit = watch.exitCode().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return exit == 0 ? new Result(true, null)
          : new Result(false, "exit status " + exit + ": " + errors);
    } catch (TimeoutException e) {
      return new Result(false, "did not finish within " + timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(false, "interrupted");
    } catch (ExecutionException | RuntimeException e) {
      return new Result(false, e.getMessage());
    }
  }
}
