package dev.kiln.operator.metrics;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The metrics the application exports on /q/metrics. */
public class MetricsProducer {

  @Produces
  @Singleton
  KilnMetrics kilnMetrics(MeterRegistry registry) {
    return new KilnMetrics(registry);
  }

  /**
   * The framework's reconciliation series, per controller and never per object: the extension's
   * default labels them with every resource's name, which grows without bound with the objects.
   */
  @Produces
  @Singleton
  Metrics reconciliationMetrics(MeterRegistry registry) {
    return MicrometerMetrics.withoutPerResourceMetrics(registry);
  }
}
