package dev.kiln.operator.runtime;

import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import jakarta.inject.Singleton;
import java.util.function.Supplier;

/**
 * The Instance controller's cache of machines (the Pods of Instances), read by the other controllers
 * of the process. A Pod changes several times each time its machine stops or starts, and a second
 * cache of them in another controller would hear of each change again.
 */
@Singleton
public class MachineCache {

  private volatile InformerEventSource<Pod, ?> pods;

  /** Shares the Instance controller's Pod cache; before the controllers start. */
  public void share(InformerEventSource<Pod, ?> pods) {
    this.pods = pods;
  }

  /**
   * The machine of that name: from the shared cache once it has started, else from the API server
   * (a cache may not show yet what was made a moment ago, and this controller may start before the
   * one whose cache it is).
   */
  public Pod find(String namespace, String name, Supplier<Pod> fetch) {
    InformerEventSource<Pod, ?> cache = pods;
    if (cache == null || !cache.isRunning()) {
      return fetch.get();
    }
    return cache.get(new ResourceID(name, namespace)).orElseGet(fetch);
  }
}
