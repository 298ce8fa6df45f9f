package dev.kiln.testing;

import dev.kiln.operator.instance.InstanceReconciler;
import dev.kiln.operator.machineimage.MachineImageReconciler;
import dev.kiln.operator.snapshot.SnapshotReconciler;
import dev.kiln.operator.support.KilnSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Runs Kiln's reconcilers in-process, the way the Quarkus application registers them, against the
 * test API server. Tests may stop and start it to prove that nothing lives only in memory.
 */
public final class OperatorRunner implements OperatorControl {

  private final KubernetesClient client;
  private final Clock clock = Clock.systemUTC();
  private final KilnSettings settings = KilnSettings.defaults();
  private final RecordingExec exec = new RecordingExec();
  private Operator operator;

  private final List<String> namespaces;

  /**
   * @param client the operator's client: the chart's ServiceAccount
   * @param namespaces the namespaces to watch, all when empty
   */
  OperatorRunner(KubernetesClient client, List<String> namespaces) {
    this.client = client;
    this.namespaces = namespaces;
  }

  @Override
  public synchronized void start() {
    if (operator != null) {
      return;
    }
    // A fresh API server now and then drops a connection while the informers first list; a real
    // operator is restarted by its Deployment then, the test one tries again.
    for (int attempt = 1; ; attempt++) {
      Operator starting = newOperator();
      try {
        starting.start();
        operator = starting;
        return;
      } catch (io.javaoperatorsdk.operator.OperatorException e) {
        starting.stop();
        if (attempt == 3) {
          throw e;
        }
      }
    }
  }

  private Operator newOperator() {
    Operator created = new Operator(o -> o.withKubernetesClient(client)
        .withCloseClientOnStop(false)
        .withStopOnInformerErrorDuringStartup(true)
        .withCacheSyncTimeout(Duration.ofSeconds(30))
        .withReconciliationTerminationTimeout(Duration.ofSeconds(5)));
    created.register(new InstanceReconciler(client, clock), this::watched);
    created.register(new SnapshotReconciler(client, clock, settings), this::watched);
    created.register(new MachineImageReconciler(client, clock, settings, exec), this::watched);
    return created;
  }

  private <R extends io.fabric8.kubernetes.api.model.HasMetadata> void watched(
      io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider<R> controller) {
    if (!namespaces.isEmpty()) {
      controller.settingNamespaces(java.util.Set.copyOf(namespaces));
    }
  }

  @Override
  public synchronized void stop() {
    if (operator != null) {
      operator.stop();
      operator = null;
    }
  }

  /** In-process, a crash is a stop that does not wait for running reconciliations beyond a few seconds. */
  @Override
  public void kill() {
    stop();
  }

  /** What the operator ran inside machines. */
  @Override
  public RecordingExec exec() {
    return exec;
  }
}
