package dev.kiln.operator.support;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.operator.imagepolicy.ImagePolicyReconciler;
import dev.kiln.operator.instance.InstanceReconciler;
import dev.kiln.operator.machineimage.MachineImageReconciler;
import dev.kiln.operator.snapshot.SnapshotReconciler;
import org.junit.jupiter.api.Test;

class OperatorRegistrationTest {

  @Test
  void theImageControllerHearsEveryEventOfItsImagesForItManagesItsFinalizerItself() {
    assertTrue(OperatorRegistration.hearsAllEvents(MachineImageReconciler.class.getName()));
  }

  @Test
  void theOtherControllersLeaveTheirFinalizersToTheFramework() {
    assertFalse(OperatorRegistration.hearsAllEvents(InstanceReconciler.class.getName()));
    assertFalse(OperatorRegistration.hearsAllEvents(SnapshotReconciler.class.getName()));
    assertFalse(OperatorRegistration.hearsAllEvents(ImagePolicyReconciler.class.getName()));
  }

  @Test
  void aReconcilerMissingFromTheClassPathStopsTheStart() {
    assertThrows(IllegalStateException.class, () -> OperatorRegistration.hearsAllEvents("dev.kiln.operator.NoSuchReconciler"));
  }
}
