package dev.kiln.operator.instance;

import dev.kiln.api.v1alpha1.Disk;
import dev.kiln.api.v1alpha1.ImageDisk;
import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.InstanceImageStatus;
import dev.kiln.api.v1alpha1.VolumeMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns an Instance's disks into {@link PlannedDisk}s: claim names, the boot default, volume mode.
 * An Instance launched from an image starts from the image's disks as frozen at launch; its own
 * disks of the same name override them (a larger size, deleteOnTermination), others are added.
 */
public final class DiskPlanner {

  private DiskPlanner() {}

  public static String claimName(String instance, String disk) {
    return instance + "-" + disk;
  }

  public static List<PlannedDisk> plan(Instance instance) {
    Map<String, PlannedDisk> planned = new LinkedHashMap<>();
    InstanceImageStatus image = instance.getStatus() == null ? null : instance.getStatus().getImage();
    if (image != null && image.getDisks() != null) {
      for (ImageDisk disk : image.getDisks()) {
        planned.put(disk.getName(), fromImage(instance, image, disk));
      }
    }
    List<Disk> own = instance.getSpec().getDisks() == null ? List.of() : instance.getSpec().getDisks();
    for (Disk disk : own) {
      PlannedDisk base = planned.get(disk.getName());
      planned.put(disk.getName(), base == null ? fromSpec(instance, disk) : override(base, disk));
    }
    return withBootDefault(new ArrayList<>(planned.values()));
  }

  private static PlannedDisk fromSpec(Instance instance, Disk disk) {
    boolean ephemeral = Boolean.TRUE.equals(disk.getEphemeral());
    return new PlannedDisk(disk.getName(),
        ephemeral ? null : claimName(instance.getMetadata().getName(), disk.getName()),
        Boolean.TRUE.equals(disk.getBoot()), disk.getSize(), disk.getStorageClassName(),
        disk.getVolumeMode() == null ? VolumeMode.FILESYSTEM : disk.getVolumeMode(),
        disk.getSnapshot(), ephemeral, !Boolean.FALSE.equals(disk.getDeleteOnTermination()), false, null);
  }

  private static PlannedDisk fromImage(Instance instance, InstanceImageStatus image, ImageDisk disk) {
    boolean ephemeral = Boolean.TRUE.equals(disk.getEphemeral());
    boolean shared = !image.getNamespace().equals(instance.getMetadata().getNamespace());
    return new PlannedDisk(disk.getName(),
        ephemeral ? null : claimName(instance.getMetadata().getName(), disk.getName()),
        Boolean.TRUE.equals(disk.getBoot()), disk.getSize(), disk.getStorageClassName(),
        disk.getVolumeMode() == null ? VolumeMode.FILESYSTEM : disk.getVolumeMode(),
        disk.getSnapshot(), ephemeral, true, true, shared && disk.getSnapshot() != null ? image.getNamespace() : null);
  }

  /** The Instance may grow an image's disk and choose whether it survives; the data still comes from the image. */
  private static PlannedDisk override(PlannedDisk base, Disk disk) {
    return new PlannedDisk(base.name(), base.claimName(), base.boot() || Boolean.TRUE.equals(disk.getBoot()),
        disk.getSize() != null ? disk.getSize() : base.size(),
        disk.getStorageClassName() != null ? disk.getStorageClassName() : base.storageClassName(),
        disk.getVolumeMode() != null ? disk.getVolumeMode() : base.volumeMode(),
        base.snapshot(), base.ephemeral(), !Boolean.FALSE.equals(disk.getDeleteOnTermination()), true,
        base.snapshotNamespace());
  }

  private static List<PlannedDisk> withBootDefault(List<PlannedDisk> disks) {
    if (disks.stream().anyMatch(PlannedDisk::boot)) {
      return disks;
    }
    String first = disks.stream().filter(d -> !d.ephemeral()).map(PlannedDisk::name).findFirst().orElse(null);
    return disks.stream().map(d -> d.name().equals(first) ? d.asBoot() : d).toList();
  }
}
