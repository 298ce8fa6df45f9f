package dev.kiln.operator.instance;

import dev.kiln.api.v1alpha1.InstancePhase;
import dev.kiln.operator.runtime.MachineState;
import dev.kiln.operator.support.Conditions;
import dev.kiln.operator.support.Reasons;
import java.util.List;
import java.util.Optional;

/**
 * The pure decision at the heart of the Instance controller: from what should run and what is
 * observed, the next machine action, the phase, and why the instance is or is not Ready.
 *
 * @param wantRunning spec.running, unless something holds the instance stopped
 * @param problem a spec problem only the user can fix, if any
 * @param disks the verdicts on the persistent disks
 * @param machine the observed machine, if there is one
 * @param machineCurrent whether the observed machine was built from the current template and disks
 */
record PowerPlan(boolean wantRunning, Optional<Finding> problem, List<DiskCheck> disks,
    Optional<MachineState> machine, boolean machineCurrent) {

  MachineAction action() {
    if (machine.isPresent()) {
      MachineState state = machine.get();
      if (state.phase() == MachineState.Phase.TERMINATING) {
        return MachineAction.NONE;
      }
      if (!wantRunning) {
        return MachineAction.DELETE_TO_STOP;
      }
      if (problem.isPresent()) {
        return MachineAction.NONE; // keep what runs; the bad change is reported, not applied
      }
      if (state.phase() == MachineState.Phase.FAILED) {
        return MachineAction.DELETE_FAILED;
      }
      return machineCurrent ? MachineAction.NONE : MachineAction.DELETE_CHANGED;
    }
    if (!wantRunning || problem.isPresent() || disks.stream().anyMatch(DiskCheck::blocksMachine)) {
      return MachineAction.NONE;
    }
    return MachineAction.CREATE;
  }

  InstancePhase phase() {
    if (problem.isPresent()) {
      return InstancePhase.FAILED;
    }
    if (machine.isEmpty()) {
      return wantRunning ? InstancePhase.PENDING : InstancePhase.STOPPED;
    }
    MachineState.Phase phase = machine.get().phase();
    if (phase == MachineState.Phase.TERMINATING || !wantRunning) {
      return InstancePhase.STOPPING;
    }
    return phase == MachineState.Phase.RUNNING ? InstancePhase.RUNNING : InstancePhase.PENDING;
  }

  boolean ready() {
    return problem.isEmpty() && wantRunning && machine.map(MachineState::ready).orElse(false)
        && machine.get().phase() == MachineState.Phase.RUNNING;
  }

  /**
   * Where the instance stands for GitOps tools: settled once running and ready, or stopped as its
   * spec asks (an instance an image holds stopped is on its way back); failed on a spec problem.
   */
  Conditions.Progress progress(boolean held) {
    if (phase() == InstancePhase.FAILED) {
      return Conditions.Progress.FAILED;
    }
    if (ready() || (phase() == InstancePhase.STOPPED && !held)) {
      return Conditions.Progress.SETTLED;
    }
    return Conditions.Progress.ON_ITS_WAY;
  }

  /** Why the instance is, or is not, Ready. */
  Finding readiness() {
    if (problem.isPresent()) {
      return problem.get();
    }
    if (ready()) {
      return new Finding(Reasons.RUNNING, "the machine is running and ready");
    }
    if (!wantRunning) {
      return machine.isPresent()
          ? new Finding(Reasons.STOPPING, "the machine is stopping; its disks are kept")
          : new Finding(Reasons.STOPPED, "the instance is stopped; its disks are kept");
    }
    Optional<DiskCheck> blocking = disks.stream().filter(DiskCheck::blocksMachine).findFirst();
    if (machine.isEmpty() && blocking.isPresent()) {
      return new Finding(Reasons.DISKS_NOT_READY, blocking.get().message());
    }
    if (machine.isEmpty()) {
      // Said as the created machine will say it: its first sight must not change the status again.
      return new Finding(Reasons.STARTING, "the machine is starting");
    }
    MachineState state = machine.get();
    return switch (state.phase()) {
      case TERMINATING -> new Finding(Reasons.STOPPING, "the machine is being replaced");
      case FAILED -> new Finding(Reasons.MACHINE_FAILED, "the machine failed and is being replaced: " + state.message());
      case RUNNING -> new Finding(Reasons.POD_NOT_READY, "the machine runs but is not ready yet");
      case STARTING -> new Finding(Reasons.STARTING, "the machine is starting");
    };
  }
}
