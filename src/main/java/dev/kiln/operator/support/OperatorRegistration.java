package dev.kiln.operator.support;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.quarkiverse.operatorsdk.runtime.QuarkusConfigurationService;
import io.quarkiverse.operatorsdk.runtime.QuarkusControllerConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import java.time.Duration;

/**
 * The operator of the packaged application, with every reconciler registered as its
 * {@link ControllerConfiguration} says. The extension's own operator leaves out
 * {@code triggerReconcilerOnAllEvents}: a reconciler that manages its finalizer itself (to add it in
 * the pass that starts the work, instead of a pass of its own first) would then never hear of its
 * resource's deletion. CRDs are installed by the chart, so nothing here applies them.
 */
public class OperatorRegistration {

  @Produces
  @ApplicationScoped
  Operator registeredOperator(QuarkusConfigurationService configuration, Instance<Reconciler<? extends HasMetadata>> reconcilers) {
    Operator operator = new Operator(configuration);
    for (Reconciler<? extends HasMetadata> reconciler : reconcilers) {
      register(operator, configuration, reconciler);
    }
    if (configuration.getTerminationTimeoutSeconds() != -1) {
      operator.installShutdownHook(Duration.ofSeconds(configuration.getTerminationTimeoutSeconds()));
    }
    return operator;
  }

  private static <P extends HasMetadata> void register(Operator operator, QuarkusConfigurationService configuration,
      Reconciler<P> reconciler) {
    QuarkusControllerConfiguration<P> configured = configuration.getConfigurationFor(reconciler);
    if (hearsAllEvents(configured.getAssociatedReconcilerClassName())) {
      operator.register(reconciler, new AllEvents<>(configured, configuration));
    } else {
      operator.register(reconciler);
    }
  }

  /** The extension's configuration of a controller (the extension reads its own class back), hearing every event. */
  private static final class AllEvents<P extends HasMetadata> extends QuarkusControllerConfiguration<P> {

    AllEvents(QuarkusControllerConfiguration<P> configured, QuarkusConfigurationService parent) {
      super(configured.getInformerConfig(), configured.getName(), configured.isGenerationAware(),
          configured.getAssociatedReconcilerClassName(), configured.getRetry(), configured.getRateLimiter(),
          configured.maxReconciliationInterval().orElseThrow(), configured.getFinalizerName(), configured.fieldManager(),
          configured.getWorkflow(), configured.getResourceTypeName(), configured.getResourceClass());
      setParent(parent);
    }

    @Override
    public boolean triggerReconcilerOnAllEvents() {
      return true;
    }
  }

  static boolean hearsAllEvents(String reconcilerType) {
    try {
      ControllerConfiguration annotation = Class.forName(reconcilerType, false, Thread.currentThread().getContextClassLoader())
          .getAnnotation(ControllerConfiguration.class);
      return annotation != null && annotation.triggerReconcilerOnAllEvents();
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("reconciler " + reconcilerType + " is not on the class path", e);
    }
  }
}
