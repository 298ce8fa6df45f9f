package dev.kiln.operator.runtime;

import dev.kiln.api.v1alpha1.Instance;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.util.List;

/** What runs an Instance's machine: a Pod now, a KubeVirt VirtualMachine later. */
public interface InstanceRuntime<M extends HasMetadata> {

  Class<M> machineType();

  /**
   * The machine the instance should have, built only from the template and the disks, so that the
   * same input always gives the same machine and the same {@link #specHash}.
   */
  M desiredMachine(Instance instance, PodTemplateSpec template, List<MachineDisk> disks);

  /** A digest of what the machine was built from; a different digest means the machine must be replaced. */
  String specHash(M machine);

  MachineState state(M machine);
}
