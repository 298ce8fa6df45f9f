package dev.kiln.operator.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

  /**
   * Writes the change from {@code base} to {@code desired}'s status as a JSON merge patch carrying
   * {@code desired}'s resourceVersion: only the members that changed travel, a removed member as
   * null. The API server merges it in place, which costs it less than a server-side apply of the whole
   * status (see Benchmark in README).
   */
  @SuppressWarnings("unchecked")
  public static <S, R extends CustomResource<?, S>> R writeChange(KubernetesClient client, R desired, S base) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.putObject("metadata").put("resourceVersion", desired.getMetadata().getResourceVersion());
    body.set("status", change(toTree(base), toTree(desired.getStatus())));
    // Given the object, the client sends the patch as it is, without reading the object first.
    return client.resources((Class<R>) desired.getClass()).inNamespace(desired.getMetadata().getNamespace())
        .resource(desired).subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE), SERIALIZATION.asJson(body));
  }

  /** The JSON merge patch (RFC 7386) that turns {@code from} into {@code to}. */
  static JsonNode change(JsonNode from, JsonNode to) {
    if (from == null || !from.isObject() || to == null || !to.isObject()) {
      return to == null ? JsonNodeFactory.instance.nullNode() : to;
    }
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    to.fields().forEachRemaining(member -> {
      JsonNode before = from.get(member.getKey());
      if (!member.getValue().equals(before)) {
        patch.set(member.getKey(), change(before, member.getValue()));
      }
    });
    from.fieldNames().forEachRemaining(name -> {
      if (!to.has(name)) {
        patch.putNull(name);
      }
    });
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
