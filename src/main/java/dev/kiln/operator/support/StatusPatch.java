package dev.kiln.operator.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A status write through the status subresource, with an object holding only
 * name, namespace and status: nothing else of the resource is sent, so a status write can never
 * touch the user's spec. The write carries the resourceVersion the status was computed from, so a
 * status computed from a stale copy is refused (and the reconcile retried) instead of overwriting
 * facts recorded since.
 */
public final class StatusPatch {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private StatusPatch() {}

  /**
   * Writes a status at once, for paths that cannot return an {@link UpdateControl} (cleanup). A merge
   * patch: fields absent from {@code status} keep their stored values.
   */
  @SuppressWarnings("unchecked")
  public static <S, R extends CustomResource<?, S>> void writeNow(KubernetesClient client, R resource, S status,
      Supplier<R> emptyResource) {
    R patch = statusOnly(resource, status, emptyResource);
    client.resources((Class<R>) resource.getClass()).inNamespace(resource.getMetadata().getNamespace())
        .withName(resource.getMetadata().getName()).subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
  }

  /** An object holding only the resource's name, namespace, resourceVersion and the given status. */
  public static <S, R extends CustomResource<?, S>> R statusOnly(R resource, S status, Supplier<R> emptyResource) {
    R patch = emptyResource.get();
    patch.setMetadata(new ObjectMetaBuilder()
        .withName(resource.getMetadata().getName())
        .withNamespace(resource.getMetadata().getNamespace())
        .withResourceVersion(resource.getMetadata().getResourceVersion())
        .build());
    patch.setStatus(status);
    return patch;
  }

  /** Compares two API values by their JSON form, which is what the API server would store. */
  public static boolean sameContent(Object a, Object b) {
    return Objects.equals(toTree(a), toTree(b));
  }

  private static JsonNode toTree(Object value) {
    return value == null ? null : SERIALIZATION.convertValue(value, JsonNode.class);
  }
}
