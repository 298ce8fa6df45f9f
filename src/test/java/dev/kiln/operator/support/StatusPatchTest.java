package dev.kiln.operator.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.InstancePhase;
import dev.kiln.api.v1alpha1.InstanceSpec;
import dev.kiln.api.v1alpha1.InstanceStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

class StatusPatchTest {

  @Test
  void statusesAreComparedByWhatTheApiServerWouldStore() {
    assertTrue(StatusPatch.sameContent(status(InstancePhase.RUNNING), status(InstancePhase.RUNNING)));
    assertFalse(StatusPatch.sameContent(status(InstancePhase.RUNNING), status(InstancePhase.PENDING)));
  }

  @Test
  void changedStatusIsWrittenWithoutTheSpec() {
    Instance instance = instance(InstancePhase.PENDING);

    Instance patch = StatusPatch.statusOnly(instance, status(InstancePhase.RUNNING), Instance::new);

    assertNull(patch.getSpec());
    assertEquals("vm", patch.getMetadata().getName());
    assertEquals("7", patch.getMetadata().getResourceVersion(), "written only over the version it was computed from");
    assertEquals(InstancePhase.RUNNING, patch.getStatus().getPhase());
  }

  @Test
  void aChangeCarriesOnlyWhatChangedAndNullForWhatWentAway() throws Exception {
    var json = new ObjectMapper();
    var from = json.readTree("""
        {"phase": "Running", "frozenAt": "2026-01-01T00:00:00Z", "source": {"held": true, "name": "web"},
         "conditions": [{"type": "Ready"}]}""");
    var to = json.readTree("""
        {"phase": "Running", "source": {"name": "web"}, "conditions": [{"type": "Ready"}, {"type": "Available"}],
         "observedGeneration": 2}""");

    assertEquals(json.readTree("""
        {"frozenAt": null, "source": {"held": null}, "conditions": [{"type": "Ready"}, {"type": "Available"}],
         "observedGeneration": 2}"""), StatusPatch.change(from, to));
    assertEquals(to, StatusPatch.change(null, to), "a first status travels whole");
  }

  private static Instance instance(InstancePhase phase) {
    Instance instance = new Instance();
    instance.setMetadata(new ObjectMetaBuilder().withName("vm").withNamespace("ns").withResourceVersion("7").build());
    instance.setSpec(new InstanceSpec());
    instance.setStatus(status(phase));
    return instance;
  }

  private static InstanceStatus status(InstancePhase phase) {
    InstanceStatus status = new InstanceStatus();
    status.setPhase(phase);
    status.setObservedGeneration(1L);
    return status;
  }
}
