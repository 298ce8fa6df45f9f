package dev.kiln.operator.support;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
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

  /** The cached objects an index of the informer files under the key: a lookup, not a scan. */
  public static <R extends HasMetadata, P extends HasMetadata> List<R> byIndex(Context<P> context, Class<R> type,
      String index, String key) {
    return source(context, type).byIndex(index, key);
  }

  /** One object from the cache, including what this controller created a moment ago (lists do not show that). */
  public static <R extends HasMetadata, P extends HasMetadata> java.util.Optional<R> find(Context<P> context, Class<R> type,
      String namespace, String name) {
    return source(context, type).get(new ResourceID(name, namespace));
  }

  /**
   * One object from the cache, else from the API server: a cache may not show yet what was made a
   * moment ago, and what it lacks may decide a failure. The API server is asked only then.
   *
   * @param namespace null for a cluster-scoped kind
   */
  public static <R extends HasMetadata, P extends HasMetadata> R cachedOrFetched(Context<P> context, Class<R> type,
      String namespace, String name, java.util.function.Supplier<R> fetch) {
    return find(context, type, namespace, name).orElseGet(fetch);
  }

  @SuppressWarnings("unchecked")
  private static <R extends HasMetadata, P extends HasMetadata> InformerEventSource<R, P> source(Context<P> context,
      Class<R> type) {
    return (InformerEventSource<R, P>) context.eventSourceRetriever().getEventSourceFor(type);
  }
}
