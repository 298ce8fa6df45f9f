package dev.kiln.operator.machineimage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplatePinningTest {

  @Test
  void pinsContainersWhoseDigestIsKnownAndLeavesTheRest() {
    PodTemplateSpec template = new PodTemplateSpecBuilder().withNewSpec()
        .addNewInitContainer().withName("init").withImage("busybox:1").endInitContainer()
        .addNewContainer().withName("app").withImage("nginx:1.27").endContainer()
        .addNewContainer().withName("sidecar").withImage("envoy:1").endContainer()
        .endSpec().build();

    PodTemplateSpec pinned = TemplatePinning.pin(template, Map.of(
        "app", "docker.io/library/nginx@sha256:abc", "init", "docker.io/library/busybox@sha256:def"));

    assertEquals("docker.io/library/nginx@sha256:abc", pinned.getSpec().getContainers().get(0).getImage());
    assertEquals("envoy:1", pinned.getSpec().getContainers().get(1).getImage());
    assertEquals("docker.io/library/busybox@sha256:def", pinned.getSpec().getInitContainers().get(0).getImage());
    assertEquals("nginx:1.27", template.getSpec().getContainers().get(0).getImage(), "the original is untouched");
  }
}
