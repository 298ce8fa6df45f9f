package dev.kiln.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.InstancePhase;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.MachineImagePhase;
import dev.kiln.operator.support.ConditionTypes;
import dev.kiln.operator.support.Conditions;
import dev.kiln.operator.support.Reasons;
import dev.kiln.testing.KilnTestCluster;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A template that is valid JSON but not a Pod template gets past the API server (templates are open
 * in the schema); it must fail its own object with a reason and leave every other object alone.
 */
class MalformedTemplateTest {

  @RegisterExtension
  static final KilnTestCluster cluster = KilnTestCluster.withOperator();

  @Test
  void malformedTemplatesFailTheirObjectsAndNothingElse() {
    createRaw("Instance", """
        metadata: {name: bad}
        spec:
          template: {spec: {containers: "app"}}
          disks: [{name: root, size: 1Gi}]
        """);
    createRaw("MachineImage", """
        metadata: {name: bad-registered}
        spec:
          source: {snapshots: [{name: root, snapshot: snap}]}
          template: {spec: {containers: [{name: app, ports: "80"}]}}
          platform: {os: linux, architecture: amd64}
        """);
    createRaw("Instance", """
        metadata: {name: good}
        spec:
          template: {spec: {containers: [{name: app, image: nginx:1.27}]}}
          disks: [{name: root, size: 1Gi}]
        """);

    cluster.await(Instance.class, "good", i -> i.getStatus() != null && i.getStatus().getPhase() == InstancePhase.RUNNING);
    Instance bad = cluster.await(Instance.class, "bad", i -> i.getStatus() != null && i.getStatus().getPhase() == InstancePhase.FAILED);
    Condition ready = Conditions.find(bad.getStatus().getConditions(), ConditionTypes.READY).orElseThrow();
    assertEquals(Reasons.INVALID_TEMPLATE, ready.getReason());
    assertTrue(ready.getMessage().contains("is not a Pod template: template.spec.containers"), ready.getMessage());

    createRaw("MachineImage", """
        metadata: {name: from-bad}
        spec:
          source: {instance: {name: bad}}
        """);
    for (String image : new String[] {"bad-registered", "from-bad"}) {
      MachineImage failed = cluster.await(MachineImage.class, image,
          i -> i.getStatus() != null && i.getStatus().getPhase() == MachineImagePhase.FAILED);
      Condition available = Conditions.find(failed.getStatus().getConditions(), ConditionTypes.AVAILABLE).orElseThrow();
      assertEquals(Reasons.INVALID_TEMPLATE, available.getReason(), available.getMessage());
    }
  }

  /** Creates the object as kubectl would, without reading it through Kiln's API classes first. */
  private static void createRaw(String kind, String yaml) {
    GenericKubernetesResource object = cluster.client().getKubernetesSerialization()
        .unmarshal("apiVersion: kiln.dev/v1alpha1\nkind: " + kind + "\n" + yaml, GenericKubernetesResource.class);
    cluster.client().genericKubernetesResources("kiln.dev/v1alpha1", kind).inNamespace(cluster.namespace())
        .resource(object).create();
  }
}
