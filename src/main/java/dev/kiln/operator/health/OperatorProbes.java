package dev.kiln.operator.health;

import io.javaoperatorsdk.operator.Operator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.health.Startup;

/** The Deployment's startup, liveness and readiness probes (/q/health/started, /live, /ready). */
@ApplicationScoped
public class OperatorProbes {

  private static final String NAME = "kiln-operator";

  @Inject
  Operator operator;

  @Inject
  Leadership leadership;

  @Produces
  @Startup
  HealthCheck started() {
    return () -> response(OperatorHealth.started(operator.getRuntimeInfo().isStarted()));
  }

  /** Informers that stay disconnected on the leader call for a restart; the probe's threshold gives them time. */
  @Produces
  @Liveness
  HealthCheck live() {
    return () -> response(OperatorHealth.of(operator, leadership));
  }

  @Produces
  @Readiness
  HealthCheck ready() {
    return () -> response(OperatorHealth.of(operator, leadership));
  }

  private static HealthCheckResponse response(OperatorHealth.Verdict verdict) {
    var builder = HealthCheckResponse.named(NAME).status(verdict.up());
    verdict.data().forEach(builder::withData);
    return builder.build();
  }
}
