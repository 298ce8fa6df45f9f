package dev.kiln.operator.support;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;

/** Reads secondary objects straight from a controller's informer caches, by namespace or cluster-wide. */
public final class Caches {

  private Caches() {}

  public static <R extends HasMetadata, P extends HasMetadata> List<R> inNamespace(Context<P> context, Class<R> type,
      String namespace) {
    return source(context, type).list(namespace, r -> true).toList();
  }

  public static <R extends HasMetadata, P extends HasMetadata> List<R> everywhere(Context<P> context, Class<R> type) {
    return source(context, type).list(r -> true).toList();
  }

  @SuppressWarnings("unchecked")
  private static <R extends HasMetadata, P extends HasMetadata> InformerEventSource<R, P> source(Context<P> context,
      Class<R> type) {
    return (InformerEventSource<R, P>) context.eventSourceRetriever().getEventSourceFor(type);
  }
}
