package dev.kiln.operator.support;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import java.util.Set;

/**
 * An informer cache that keeps objects without their managedFields. Kiln never reads them (it writes
 * statuses and creates objects whole), and they are often the larger part of an object: at a
 * thousand instances, with every Pod, claim, volume and snapshot cached, they would take a good share
 * of the operator's memory limit.
 */
public final class LeanItemStore<V extends HasMetadata> extends BasicItemStore<V> {

  public LeanItemStore() {
    super(Cache::metaNamespaceKeyFunc);
  }

  @Override
  public V put(String key, V object) {
    if (object.getMetadata() != null) {
      object.getMetadata().setManagedFields(null);
    }
    return super.put(key, object);
  }

  /**
   * The configuration of an informer over {@code type} for the context's controller, following its
   * namespaces, caching lean objects when it is one informer. (A controller watching several
   * namespaces runs one informer per namespace over the same store, and an informer that lists again
   * drops from the store what its own namespace no longer has, which would be every other
   * namespace's objects: those keep the plain store.)
   */
  public static <R extends HasMetadata, P extends HasMetadata> InformerEventSourceConfiguration.Builder<R> informer(
      Class<R> type, EventSourceContext<P> context) {
    var builder = InformerEventSourceConfiguration.from(type, context.getPrimaryResourceClass());
    Set<String> namespaces = context.getControllerConfiguration().getEffectiveNamespaces();
    return InformerConfiguration.allNamespacesWatched(namespaces) || namespaces.size() == 1
        ? builder.withItemStore(new LeanItemStore<>()) : builder;
  }

  /** The configuration of one informer over every object of {@code type}, caching lean objects. */
  public static <R extends HasMetadata, P extends HasMetadata> InformerEventSourceConfiguration.Builder<R> clusterWide(
      Class<R> type, EventSourceContext<P> context) {
    return InformerEventSourceConfiguration.from(type, context.getPrimaryResourceClass()).withWatchAllNamespaces()
        .withItemStore(new LeanItemStore<>());
  }
}
