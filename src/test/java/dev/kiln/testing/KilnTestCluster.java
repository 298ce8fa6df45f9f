package dev.kiln.testing;

import dev.kiln.testing.sim.ClusterSimulator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The integration-test platform: per test class a real etcd + kube-apiserver with Kiln's generated
 * CRDs and the upstream VolumeSnapshot CRDs, the cluster simulator playing kubelet and CSI driver,
 * and optionally the operator running in-process; per test a fresh namespace, and a dump of the
 * objects involved when the test fails.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final KilnTestCluster cluster = KilnTestCluster.withOperator();
 * </pre>
 */
public final class KilnTestCluster
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

  private static final AtomicInteger NAMESPACES = new AtomicInteger();
  /** How long a test waits for the cluster to reach a state. */
  public static final Duration DEADLINE = Duration.ofSeconds(45);

  private final boolean runOperator;
  private final List<String> watchedNamespaces;
  private final boolean upstream;
  private final boolean restartable;
  private TestPlatform platform;
  private Path auditLog;
  private UpstreamPlatform upstreamPlatform;
  private KubernetesClient client;
  private ClusterSimulator simulator;
  private OperatorControl operator;
  private String namespace;

  private KilnTestCluster(boolean runOperator, List<String> watchedNamespaces, boolean upstream, boolean restartable) {
    this.runOperator = runOperator;
    this.watchedNamespaces = watchedNamespaces;
    this.upstream = upstream;
    this.restartable = restartable;
  }

  /** As {@link #withOperator()}, with an API server that {@link #restartApiServer() restarts} on demand. */
  public static KilnTestCluster withRestartableApiServer() {
    return new KilnTestCluster(true, List.of(), false, true);
  }

  /** API server, CRDs, simulator and the operator, installed as the chart installs it by default. */
  public static KilnTestCluster withOperator() {
    return new KilnTestCluster(true, List.of(), false, false);
  }

  /**
   * The packaged operator, configured as the chart's Deployment configures it, among upstream
   * components instead of the simulator (see {@link UpstreamPlatform}).
   */
  public static KilnTestCluster upstream() {
    return new KilnTestCluster(true, List.of(), true, false);
  }

  /**
   * As {@link #withOperator()}, installed with the chart's watchNamespaces: the operator watches only
   * these namespaces (created up front) and holds a Role in each instead of cluster-wide rights.
   */
  public static KilnTestCluster watching(String... namespaces) {
    return new KilnTestCluster(true, List.of(namespaces), false, false);
  }

  /** API server, CRDs and simulator, without the operator. */
  public static KilnTestCluster withoutOperator() {
    return new KilnTestCluster(false, List.of(), false, false);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    String label = context.getRequiredTestClass().getSimpleName();
    auditLog = TestPlatform.auditLogOf(label);
    if (upstream) {
      upstreamPlatform = UpstreamPlatform.start(label, new ChartRelease());
      client = upstreamPlatform.client();
      operator = upstreamPlatform.operator();
    } else {
      platform = TestPlatform.start(label, new ChartRelease().watching(watchedNamespaces), watchedNamespaces,
          restartable);
      client = platform.client();
      simulator = platform.simulator();
      operator = new OperatorRunner(platform.operatorClient(), watchedNamespaces);
    }
    if (runOperator) {
      operator.start();
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (simulator != null) {
      simulator.reset();
      operator.exec().reset();
    }
    if (runOperator) {
      operator.start();
    }
    namespace = namespaceFor(context.getRequiredTestMethod().getName());
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    context.getExecutionException().ifPresent(failure -> {
      new FailureDump(client, namespace).print(System.out);
      if (upstreamPlatform != null) {
        upstreamPlatform.printLogs(System.out);
      }
    });
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (operator != null) {
      operator.stop();
    }
    if (platform != null) {
      platform.close();
    }
    if (upstreamPlatform != null) {
      upstreamPlatform.close();
    }
  }

  /**
   * Restarts the kube-apiserver process mid-test: every connection is cut, requests fail until the new
   * process is ready, the objects stay (etcd keeps running). Only for {@link #withRestartableApiServer()}.
   */
  public void restartApiServer() {
    platform.restartApiServer();
  }

  public KubernetesClient client() {
    return client;
  }

  /** The operator's requests this class's API server has logged so far. */
  public List<AuditLog.Request> operatorRequests() {
    return AuditLog.readSoFar(auditLog);
  }

  /** Prints what a user would look at in {@code namespace}: for a test that makes namespaces of its own. */
  public void printObjects(String namespace) {
    new FailureDump(client, namespace).print(System.out);
  }

  /** The namespace of the running test. */
  public String namespace() {
    return namespace;
  }

  public ClusterSimulator simulator() {
    if (simulator == null) {
      throw new IllegalStateException("the upstream tier has no simulator");
    }
    return simulator;
  }

  /** The upstream tier's CSI driver state and exec folder. */
  public UpstreamPlatform upstreamPlatform() {
    if (upstreamPlatform == null) {
      throw new IllegalStateException("only the upstream tier has upstream components");
    }
    return upstreamPlatform;
  }

  public OperatorControl operator() {
    return operator;
  }

  /** The object of that kind and name in the test namespace, or null. */
  public <T extends HasMetadata> T get(Class<T> type, String name) {
    return client.resources(type).inNamespace(namespace).withName(name).get();
  }

  /** Waits, with a deadline, until the object exists and satisfies {@code condition}; returns it. */
  public <T extends HasMetadata> T await(Class<T> type, String name, Predicate<T> condition) {
    return Awaitility.await(type.getSimpleName() + " " + name).atMost(DEADLINE).pollInterval(Duration.ofMillis(100))
        .until(() -> get(type, name), o -> o != null && condition.test(o));
  }

  /** Waits, with a deadline, until the object is gone. */
  public <T extends HasMetadata> void awaitGone(Class<T> type, String name) {
    Awaitility.await(type.getSimpleName() + " " + name + " gone").atMost(DEADLINE).pollInterval(Duration.ofMillis(100))
        .until(() -> get(type, name) == null);
  }

  /**
   * Changes an object the way a user's tool does; retried when the operator wrote to it in between
   * (a conflict), as kubectl edit would be.
   */
  public <T extends HasMetadata> T edit(Class<T> type, String name, java.util.function.UnaryOperator<T> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        return client.resources(type).inNamespace(namespace).withName(name).edit(change);
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 10) {
          throw e;
        }
      }
    }
  }

  /** Reasons of the Events about the named object in the test namespace, oldest first. */
  public List<String> eventReasons(String regardingName) {
    return client.events().v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> regardingName.equals(e.getRegarding().getName()))
        .sorted(Comparator.comparing(e -> e.getEventTime().getTime()))
        .map(Event::getReason)
        .toList();
  }

  /** The message of the newest Event with that reason about the named object, or "" when there is none. */
  public String eventMessage(String regardingName, String reason) {
    return client.events().v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> regardingName.equals(e.getRegarding().getName()) && reason.equals(e.getReason()))
        .max(Comparator.comparing(e -> e.getEventTime().getTime()))
        .map(Event::getNote).orElse("");
  }

  /**
   * Waits until the Events about the named object include every given reason, and returns all their
   * reasons: the operator sends Events in the background, a moment after the status that they announce.
   */
  public List<String> awaitEventReasons(String regardingName, String... reasons) {
    List<String> wanted = List.of(reasons);
    var seen = new java.util.concurrent.atomic.AtomicReference<List<String>>(List.of());
    org.awaitility.Awaitility.await("Events " + wanted + " about " + regardingName).atMost(java.time.Duration.ofSeconds(30))
        .pollInterval(java.time.Duration.ofMillis(100))
        .until(() -> {
          seen.set(eventReasons(regardingName));
          return seen.get().containsAll(wanted);
        });
    return seen.get();
  }

  private static String namespaceFor(String testName) {
    String base = testName.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT)
        .replaceAll("[^a-z0-9-]", "-");
    String suffix = "-" + NAMESPACES.incrementAndGet();
    return base.substring(0, Math.min(base.length(), 63 - suffix.length())).replaceAll("-+$", "") + suffix;
  }
}
