package dev.kiln.operator.support;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;

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

  /** The configuration of an informer over {@code type} for a controller of {@code primary}, caching lean objects. */
  public static <R extends HasMetadata> InformerEventSourceConfiguration.Builder<R> informer(Class<R> type,
      Class<? extends HasMetadata> primary) {
    return InformerEventSourceConfiguration.from(type, primary).withItemStore(new LeanItemStore<>());
  }
}
