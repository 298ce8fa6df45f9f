package dev.kiln.operator.instance;

import dev.kiln.api.v1alpha1.Disk;
import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.VolumeMode;
import java.util.ArrayList;
import java.util.List;

/** Turns an Instance's disks into {@link PlannedDisk}s: claim names, the boot default, volume mode. */
final class DiskPlanner {

  private DiskPlanner() {}

  static String claimName(String instance, String disk) {
    return instance + "-" + disk;
  }

  static List<PlannedDisk> plan(Instance instance) {
    List<Disk> disks = instance.getSpec().getDisks() == null ? List.of() : instance.getSpec().getDisks();
    boolean bootGiven = disks.stream().anyMatch(d -> Boolean.TRUE.equals(d.getBoot()));
    String firstPersistent = disks.stream().filter(d -> !Boolean.TRUE.equals(d.getEphemeral()))
        .map(Disk::getName).findFirst().orElse(null);
    List<PlannedDisk> planned = new ArrayList<>();
    for (Disk disk : disks) {
      boolean ephemeral = Boolean.TRUE.equals(disk.getEphemeral());
      boolean boot = bootGiven ? Boolean.TRUE.equals(disk.getBoot()) : disk.getName().equals(firstPersistent);
      planned.add(new PlannedDisk(
          disk.getName(),
          ephemeral ? null : claimName(instance.getMetadata().getName(), disk.getName()),
          boot,
          disk.getSize(),
          disk.getStorageClassName(),
          disk.getVolumeMode() == null ? VolumeMode.FILESYSTEM : disk.getVolumeMode(),
          disk.getSnapshot(),
          ephemeral,
          !Boolean.FALSE.equals(disk.getDeleteOnTermination())));
    }
    return planned;
  }
}
