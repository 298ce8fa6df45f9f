package dev.kiln.operator.support;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Set;

/**
 * Informer caches a controller reads from but does not react to: what it would otherwise GET or LIST
 * from the API server on every pass, at a cost per request.
 */
public final class Lookups {

  private Lookups() {}

  /** The objects of a kind that carry {@code label}, in the controller's namespaces. */
  public static <R extends HasMetadata, P extends HasMetadata> InformerEventSource<R, P> of(Class<R> type, String label,
      EventSourceContext<P> context) {
    return new InformerEventSource<>(LeanItemStore.informer(type, context)
        .withLabelSelector(label)
        .withSecondaryToPrimaryMapper(object -> Set.of())
        .build(), context);
  }

  /** Every object of a cluster-scoped kind. */
  public static <R extends HasMetadata, P extends HasMetadata> InformerEventSource<R, P> clusterWide(Class<R> type,
      EventSourceContext<P> context) {
    return new InformerEventSource<>(LeanItemStore.clusterWide(type, context)
        .withSecondaryToPrimaryMapper(object -> Set.of())
        .build(), context);
  }
}
