package dev.kiln.api.v1alpha1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

/** Templates are read as the client reads objects; one that is not a Pod template does not fail the read. */
class LenientTemplateDeserializerTest {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  @Test
  void aPodTemplateIsReadAsOne() {
    Instance instance = read("{spec: {containers: [{name: app, image: nginx}]}}");
    assertFalse(instance.getSpec().getTemplate() instanceof UnreadableTemplate);
    assertEquals("nginx", instance.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
  }

  @Test
  void somethingElseIsReadAsUnreadableWithWhereAndWhy() {
    for (String template : new String[] {"{spec: {containers: app}}", "{spec: {containers: [{name: app, ports: \"80\"}]}}",
        "{spec: {containers: [{name: app, ports: [{containerPort: eighty}]}]}}", "{spec: 5}"}) {
      Instance instance = read(template);
      UnreadableTemplate unreadable = assertInstanceOf(UnreadableTemplate.class, instance.getSpec().getTemplate(), template);
      assertTrue(unreadable.problem().startsWith("template.spec"), unreadable.problem());
      assertEquals("web", instance.getMetadata().getName(), "the rest of the object is read");
      Instance copy = SERIALIZATION.unmarshal(SERIALIZATION.asJson(instance), Instance.class);
      assertEquals(unreadable.problem(), assertInstanceOf(UnreadableTemplate.class, copy.getSpec().getTemplate()).problem(),
          "a copy is as unreadable as the original");
    }
  }

  private static Instance read(String template) {
    return SERIALIZATION.unmarshal("""
        apiVersion: kiln.dev/v1alpha1
        kind: Instance
        metadata: {name: web}
        spec:
          template: %s
        """.formatted(template), Instance.class);
  }
}
