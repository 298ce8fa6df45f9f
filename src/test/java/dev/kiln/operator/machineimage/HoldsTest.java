package dev.kiln.operator.machineimage;

import static dev.kiln.operator.machineimage.ImageFixtures.holding;
import static dev.kiln.operator.machineimage.ImageFixtures.image;
import static dev.kiln.operator.machineimage.ImageFixtures.instance;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.api.v1alpha1.InstancePhase;
import dev.kiln.api.v1alpha1.MachineImagePhase;
import java.util.List;
import org.junit.jupiter.api.Test;

class HoldsTest {

  @Test
  void onlyACreatingImageThatSaysSoHoldsTheInstance() {
    var holder = holding(image("img-1", null, MachineImagePhase.CREATING, null), true);
    var released = holding(image("img-2", null, MachineImagePhase.CREATING, null), false);
    var failed = holding(image("img-3", null, MachineImagePhase.FAILED, null), true);

    assertEquals("img-1", Holds.holder(instance(InstancePhase.RUNNING), List.of(released, holder, failed))
        .orElseThrow().getMetadata().getName());
    assertTrue(Holds.holder(instance(InstancePhase.RUNNING), List.of(released, failed)).isEmpty());
  }

  @Test
  void anImageBeingDeletedHoldsNothing() {
    var deleting = holding(image("img-1", null, MachineImagePhase.CREATING, null), true);
    deleting.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z");

    assertTrue(Holds.holder(instance(InstancePhase.STOPPED), List.of(deleting)).isEmpty());
  }
}
