package dev.kiln.operator.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.api.v1alpha1.InstancePhase;
import dev.kiln.api.v1alpha1.VolumeMode;
import dev.kiln.operator.runtime.MachineState;
import dev.kiln.operator.support.Reasons;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PowerPlanTest {

  private static final PlannedDisk ROOT = new PlannedDisk("root", "vm-root", true, "1Gi", null,
      VolumeMode.FILESYSTEM, null, false, true, false, null);

  @Test
  void createsTheMachineOnceNoDiskHoldsItBack() {
    PowerPlan plan = new PowerPlan(true, Optional.empty(), List.of(DiskCheck.fine(ROOT)), Optional.empty(), false);

    assertEquals(MachineAction.CREATE, plan.action());
    assertEquals(InstancePhase.PENDING, plan.phase());
    assertEquals(Reasons.STARTING, plan.readiness().reason());
  }

  @Test
  void waitsForADiskThatHoldsTheMachineBack() {
    DiskCheck waiting = DiskCheck.waiting(ROOT, Reasons.SNAPSHOT_NOT_READY, "waits");
    PowerPlan plan = new PowerPlan(true, Optional.empty(), List.of(waiting), Optional.empty(), false);

    assertEquals(MachineAction.NONE, plan.action());
    assertEquals(Reasons.DISKS_NOT_READY, plan.readiness().reason());
  }

  @Test
  void stopsARunningMachineThatShouldNotRun() {
    PowerPlan plan = new PowerPlan(false, Optional.empty(), List.of(), Optional.of(machine(MachineState.Phase.RUNNING, true)), true);

    assertEquals(MachineAction.DELETE_TO_STOP, plan.action());
    assertEquals(InstancePhase.STOPPING, plan.phase());
    assertFalse(plan.ready());
  }

  @Test
  void leavesATerminatingMachineAlone() {
    PowerPlan plan = new PowerPlan(true, Optional.empty(), List.of(), Optional.of(machine(MachineState.Phase.TERMINATING, false)), false);

    assertEquals(MachineAction.NONE, plan.action());
    assertEquals(InstancePhase.STOPPING, plan.phase());
  }

  @Test
  void replacesAFailedMachineAndAChangedOne() {
    assertEquals(MachineAction.DELETE_FAILED, new PowerPlan(true, Optional.empty(), List.of(),
        Optional.of(machine(MachineState.Phase.FAILED, false)), true).action());
    assertEquals(MachineAction.DELETE_CHANGED, new PowerPlan(true, Optional.empty(), List.of(),
        Optional.of(machine(MachineState.Phase.RUNNING, true)), false).action());
  }

  @Test
  void aSpecProblemFailsTheInstanceButKeepsWhatRuns() {
    Finding problem = new Finding(Reasons.UNKNOWN_DISK, "bad mount");
    PowerPlan plan = new PowerPlan(true, Optional.of(problem), List.of(), Optional.of(machine(MachineState.Phase.RUNNING, true)), false);

    assertEquals(MachineAction.NONE, plan.action());
    assertEquals(InstancePhase.FAILED, plan.phase());
    assertEquals(problem, plan.readiness());
  }

  @Test
  void runningAndReadyMachineMakesTheInstanceReady() {
    PowerPlan plan = new PowerPlan(true, Optional.empty(), List.of(), Optional.of(machine(MachineState.Phase.RUNNING, true)), true);

    assertEquals(MachineAction.NONE, plan.action());
    assertEquals(InstancePhase.RUNNING, plan.phase());
    assertTrue(plan.ready());
  }

  @Test
  void stoppedInstanceWithoutMachineIsStopped() {
    PowerPlan plan = new PowerPlan(false, Optional.empty(), List.of(), Optional.empty(), false);

    assertEquals(MachineAction.NONE, plan.action());
    assertEquals(InstancePhase.STOPPED, plan.phase());
    assertEquals(Reasons.STOPPED, plan.readiness().reason());
  }

  private static MachineState machine(MachineState.Phase phase, boolean ready) {
    return new MachineState(phase, ready, "node-1", null, Map.of());
  }
}
