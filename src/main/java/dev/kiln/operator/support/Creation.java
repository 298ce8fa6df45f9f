package dev.kiln.operator.support;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.net.HttpURLConnection;

/** Creating objects under deterministic names: "already exists" is success, since a pass may run twice. */
public final class Creation {

  private Creation() {}

  /**
   * Creates the object and puts what the API server returned into the controller's cache of its kind,
   * so that the next pass sees it even before its informer does and does not create it again.
   */
  public static <R extends HasMetadata, P extends HasMetadata> void remembered(Context<P> context, P primary,
      java.util.function.Supplier<R> create) {
    ignoringConflict(() -> remember(context, primary, create.get()));
  }

  /**
   * Puts an object this pass created into the controller's cache of its kind: a pass that runs before
   * the informer delivers it must not create it again (a write refused as a conflict).
   */
  public static <R extends HasMetadata, P extends HasMetadata> void remember(Context<P> context, P primary, R created) {
    @SuppressWarnings("unchecked")
    var source = (InformerEventSource<R, P>) context.eventSourceRetriever().getEventSourceFor(created.getClass());
    source.handleRecentResourceCreate(ResourceID.fromResource(primary), created);
  }

  public static void ignoringConflict(Runnable create) {
    try {
      create.run();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
    }
  }
}
