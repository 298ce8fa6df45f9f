package dev.kiln.operator.machineimage;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;

/**
 * Pins a template's container images to the digests a running Pod reported, so that Instances
 * launched from an image run exactly what was captured even when a tag moves.
 */
final class TemplatePinning {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private TemplatePinning() {}

  /** A copy of {@code template} with each container whose digest is known pinned to it. */
  static PodTemplateSpec pin(PodTemplateSpec template, Map<String, String> digestsByContainer) {
    PodTemplateSpec pinned = SERIALIZATION.convertValue(template, PodTemplateSpec.class);
    if (pinned.getSpec() != null) {
      pinned.getSpec().getContainers().forEach(c -> pinContainer(c, digestsByContainer));
      pinned.getSpec().getInitContainers().forEach(c -> pinContainer(c, digestsByContainer));
    }
    return pinned;
  }

  private static void pinContainer(Container container, Map<String, String> digests) {
    String digest = digests.get(container.getName());
    if (digest != null) {
      container.setImage(digest);
    }
  }
}
