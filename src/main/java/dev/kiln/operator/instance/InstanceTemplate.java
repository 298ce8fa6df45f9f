package dev.kiln.operator.instance;

import dev.kiln.api.v1alpha1.Instance;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;

/** The template an Instance runs: its own, else the one of the image it was launched from. */
public final class InstanceTemplate {

  private InstanceTemplate() {}

  public static PodTemplateSpec effective(Instance instance) {
    if (instance.getSpec().getTemplate() != null) {
      return instance.getSpec().getTemplate();
    }
    return instance.getStatus() == null || instance.getStatus().getImage() == null ? null
        : instance.getStatus().getImage().getTemplate();
  }
}
