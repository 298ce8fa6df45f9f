package dev.kiln.operator.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Writes a status only when it changed, through the status subresource, with an object holding only
 * name, namespace and status: nothing else of the resource is sent, so a status write can never
 * touch the user's spec.
 */
public final class StatusPatch {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private StatusPatch() {}

  public static <S, R extends CustomResource<?, S>> UpdateControl<R> ifChanged(
      R resource, S desired, Supplier<R> emptyResource) {
    if (sameContent(resource.getStatus(), desired)) {
      return UpdateControl.noUpdate();
    }
    R patch = emptyResource.get();
    patch.setMetadata(new ObjectMetaBuilder()
        .withName(resource.getMetadata().getName())
        .withNamespace(resource.getMetadata().getNamespace())
        .build());
    patch.setStatus(desired);
    return UpdateControl.patchStatus(patch);
  }

  /** Compares two API values by their JSON form, which is what the API server would store. */
  public static boolean sameContent(Object a, Object b) {
    return Objects.equals(toTree(a), toTree(b));
  }

  private static JsonNode toTree(Object value) {
    return value == null ? null : SERIALIZATION.convertValue(value, JsonNode.class);
  }
}
