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
  private KubernetesClient dyingClient;

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
    startWith(client, exec);
  }

  /**
   * Starts an operator that dies as {@code killSwitch} decides: its requests go through the switch,
   * and once it trips, commands in machines fail too. Stop it, then {@link #start()} the next one.
   */
  public synchronized void startDying(KillSwitch killSwitch) {
    startThrough(killSwitch, killSwitch::tripped);
  }

  /** Starts an operator whose requests go through {@code interceptor}; stop it before the next one. */
  public synchronized void startThrough(io.fabric8.kubernetes.client.http.Interceptor interceptor,
      java.util.function.BooleanSupplier dead) {
    if (operator != null) {
      throw new IllegalStateException("stop the running operator first");
    }
    // Requests of a dead operator fail at once rather than being retried with backoff, which would keep
    // its reconcile threads busy long after the test has moved on.
    io.fabric8.kubernetes.client.Config config = new io.fabric8.kubernetes.client.ConfigBuilder(client.getConfiguration())
        .withRequestRetryBackoffLimit(0).build();
    dyingClient = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(config)
        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("test", interceptor)).build();
    startWith(dyingClient, (pod, container, command, timeout) -> dead.getAsBoolean()
        ? new dev.kiln.operator.runtime.MachineExec.Result(false, "the operator is dead")
        : exec.run(pod, container, command, timeout));
  }

  private void startWith(KubernetesClient operatorClient, dev.kiln.operator.runtime.MachineExec machineExec) {
    // A fresh API server now and then drops a connection while the informers first list; a real
    // operator is restarted by its Deployment then, the test one tries again.
    for (int attempt = 1; ; attempt++) {
      Operator starting = newOperator(operatorClient, machineExec);
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

  private Operator newOperator(KubernetesClient operatorClient, dev.kiln.operator.runtime.MachineExec machineExec) {
    Operator created = new Operator(o -> o.withKubernetesClient(operatorClient)
        .withCloseClientOnStop(false)
        .withStopOnInformerErrorDuringStartup(true)
        // The framework's default ends the process when an informer fails for good (a Deployment then
        // restarts the operator). An operator a test makes die fails its informers on purpose, and
        // the process is the test run: the next operator starts in its place instead.
        .withInformerStoppedHandler((informer, error) -> { })
        .withCacheSyncTimeout(Duration.ofSeconds(30))
        .withReconciliationTerminationTimeout(Duration.ofSeconds(5)));
    // One per operator process: references a controller made a moment ago count for the others too, and the
    // controllers read one another's caches.
    var references = new dev.kiln.operator.storage.SnapshotReferences(clock);
    var machines = new dev.kiln.operator.runtime.MachineCache();
    created.register(new InstanceReconciler(operatorClient, clock, references, machines), this::watched);
    created.register(new SnapshotReconciler(operatorClient, clock, settings, references), this::watched);
    created.register(new MachineImageReconciler(operatorClient, clock, settings, machineExec, machines), this::watched);
    created.register(new dev.kiln.operator.imagepolicy.ImagePolicyReconciler(operatorClient, clock), this::watched);
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
    try {
      if (operator != null) {
        operator.stop();
      }
    } finally {
      // Whatever stopping found, this operator is gone: the next start must not take it for running.
      operator = null;
      if (dyingClient != null) {
        dyingClient.close();
        dyingClient = null;
      }
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
