package dev.kiln.testing;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * The packaged application (target/quarkus-app, what the image runs) as a process of its own, with
 * the environment the chart's Deployment gives its container and a kubeconfig holding the chart's
 * ServiceAccount token: production configuration, leader election on the chart's Lease, commands
 * in machines through the Pods' exec. {@link #kill()} ends it with SIGKILL.
 */
final class PackagedOperator implements OperatorControl {

  private static final Duration STARTUP = Duration.ofSeconds(60);

  private final Map<String, String> environment = new TreeMap<>();
  private final List<String> jvmOptions;
  private final Path log;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private Process process;
  private int port;

  PackagedOperator(ChartRelease release, Config operatorConfig, Path workDir, Path logDir) {
    this.log = logDir.resolve("operator.log");
    Path kubeconfig = workDir.resolve("operator.kubeconfig");
    try {
      Files.writeString(kubeconfig, ChartRelease.operatorKubeconfig(operatorConfig));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    environment.putAll(chartEnvironment(release.objects()));
    environment.put("KUBECONFIG", kubeconfig.toString());
    jvmOptions = memoryLimit(release.objects()).map(bytes -> List.of("-XX:MaxRAM=" + bytes)).orElse(List.of());
  }

  @Override
  public synchronized void start() {
    if (process != null && process.isAlive()) {
      return;
    }
    Path jar = TestEnvironment.packagedApplication();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: the upstream tier runs after `./mvnw package`");
    }
    port = UpstreamPlatform.freePort();
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    // Extra JVM options for looking into a run (a flight recording, say); none by default.
    String extra = System.getProperty("kiln.operator.jvm-options", "").trim();
    if (!extra.isEmpty()) {
      command.addAll(List.of(extra.split("\\s+")));
    }
    command.addAll(List.of("-jar", jar.toString()));
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(environment);
    builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // As the startupProbe does: the informers have listed.
    Awaitility.await("the operator's startup probe").atMost(STARTUP).pollInterval(Duration.ofMillis(250)).until(() -> {
      if (!process.isAlive()) {
        throw new IllegalStateException("the operator exited with status " + process.exitValue() + "; see " + log);
      }
      return probe("/q/health/started") == 200;
    });
  }

  @Override
  public synchronized void stop() {
    if (process != null) {
      process.destroy();
      await(process, Duration.ofSeconds(30));
      process = null;
    }
  }

  @Override
  public synchronized void kill() {
    if (process != null) {
      process.destroyForcibly();
      await(process, Duration.ofSeconds(10));
      process = null;
    }
  }

  @Override
  public RecordingExec exec() {
    throw new IllegalStateException("the packaged operator runs commands through the Pods' exec; nothing is recorded");
  }

  Path log() {
    return log;
  }

  /** The process id of the running operator. */
  synchronized long pid() {
    if (process == null) {
      throw new IllegalStateException("the operator is not running");
    }
    return process.pid();
  }

  private int probe(String path) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** The operator container's environment as the chart renders it, in the release's namespace. */
  private static Map<String, String> chartEnvironment(List<HasMetadata> objects) {
    Deployment deployment = objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
        .findFirst().orElseThrow(() -> new IllegalStateException("the chart renders no Deployment"));
    Map<String, String> env = new TreeMap<>();
    for (EnvVar var : deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
      if (var.getValue() != null) {
        env.put(var.getName(), var.getValue());
      } else if (var.getValueFrom() != null && var.getValueFrom().getFieldRef() != null
          && "metadata.namespace".equals(var.getValueFrom().getFieldRef().getFieldPath())) {
        env.put(var.getName(), ChartRelease.NAMESPACE);
      } else {
        throw new IllegalStateException("no value for the chart's environment variable " + var.getName());
      }
    }
    return env;
  }

  /**
   * The container's memory limit as the chart sets it. In a container the JVM reads it from the
   * cgroup and sizes its heap from it; a plain process is told the same with -XX:MaxRAM, so that the
   * chart's heap settings apply as they do in the cluster.
   */
  static java.util.Optional<Long> memoryLimit(List<HasMetadata> objects) {
    return objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast).findFirst()
        .map(d -> d.getSpec().getTemplate().getSpec().getContainers().get(0).getResources())
        .map(r -> r.getLimits() == null ? null : r.getLimits().get("memory"))
        .map(q -> q.getNumericalAmount().longValue());
  }

  private static void await(Process process, Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
