package dev.kiln.operator.runtime;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@link MachineExec} through the Pod's exec subresource, as `kubectl exec` does. */
public final class PodExec implements MachineExec {

  private final KubernetesClient client;

  public PodExec(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public Result run(Pod pod, String container, List<String> command, Duration timeout) {
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    try (ExecWatch watch = client.pods().inNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName())
        .inContainer(container)
        .writingError(errors)
        .exec(command.toArray(String[]::new))) {
      int exit = watch.exitCode().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return exit == 0 ? new Result(true, null)
          : new Result(false, "exit status " + exit + ": " + errors.toString(StandardCharsets.UTF_8).strip());
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
