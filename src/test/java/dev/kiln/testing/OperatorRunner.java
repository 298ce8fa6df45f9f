package dev.kiln.testing;

import dev.kiln.operator.instance.InstanceReconciler;
import dev.kiln.operator.machineimage.MachineImageReconciler;
import dev.kiln.operator.runtime.MachineExec;
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
public final class OperatorRunner {

  private final KubernetesClient client;
  private final Clock clock = Clock.systemUTC();
  private final KilnSettings settings = KilnSettings.defaults();
  private final MachineExec exec;
  private Operator operator;

  private final List<String> namespaces;

  /**
   * @param client the operator's client: the chart's ServiceAccount
   * @param namespaces the namespaces to watch, all when empty
   */
  OperatorRunner(KubernetesClient client, List<String> namespaces) {
    this(client, namespaces, new RecordingExec());
  }

  /** @param exec how commands run inside machines: recorded, or through the Pods' exec as in production */
  OperatorRunner(KubernetesClient client, List<String> namespaces, MachineExec exec) {
    this.client = client;
    this.namespaces = namespaces;
    this.exec = exec;
  }

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

  public synchronized void stop() {
    if (operator != null) {
      operator.stop();
      operator = null;
    }
  }

  /** What the operator ran inside machines. */
  public RecordingExec exec() {
    if (exec instanceof RecordingExec recording) {
      return recording;
    }
    throw new IllegalStateException("this operator runs commands through the Pods' exec; nothing is recorded");
  }

  /** Stops the operator and starts a new one: a crash and a restart, as far as the cluster can tell. */
  public void restart() {
    stop();
    start();
  }
}
