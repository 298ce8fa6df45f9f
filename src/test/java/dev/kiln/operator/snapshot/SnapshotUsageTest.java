package dev.kiln.operator.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.api.v1alpha1.ImageDisk;
import dev.kiln.api.v1alpha1.ImageSourceStatus;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.MachineImagePhase;
import dev.kiln.api.v1alpha1.MachineImageStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotUsageTest {

  @Test
  void anImageThatTurnsAvailableWithTheSameDisksConcernsNoSnapshot() {
    assertFalse(SnapshotUsage.concernsSnapshots(image(MachineImagePhase.CREATING, "web-root"),
        image(MachineImagePhase.AVAILABLE, "web-root")));
  }

  @Test
  void anImageThatRecordsItsDisksConcernsThem() {
    assertTrue(SnapshotUsage.concernsSnapshots(image(MachineImagePhase.CREATING), image(MachineImagePhase.CREATING, "web-root")));
  }

  @Test
  void anImageThatFailsOrIsDeletedNoLongerCounts() {
    assertTrue(SnapshotUsage.concernsSnapshots(image(MachineImagePhase.CREATING, "web-root"),
        image(MachineImagePhase.FAILED, "web-root")));
    MachineImage deleting = image(MachineImagePhase.AVAILABLE, "web-root");
    deleting.getMetadata().setDeletionTimestamp("2026-11-24T10:00:00Z");
    assertTrue(SnapshotUsage.concernsSnapshots(image(MachineImagePhase.AVAILABLE, "web-root"), deleting));
    assertEquals(List.of(), SnapshotUsage.imagesUsing("web-root", List.of(deleting)));
  }

  @Test
  void aCopyThatRecordsTheImageItCopiesConcernsItsSnapshots() {
    MachineImage recorded = image(MachineImagePhase.CREATING);
    ImageSourceStatus source = new ImageSourceStatus();
    source.setImageUid("uid-of-the-original");
    recorded.getStatus().setSource(source);
    assertTrue(SnapshotUsage.concernsSnapshots(image(MachineImagePhase.CREATING), recorded));
  }

  private static MachineImage image(MachineImagePhase phase, String... snapshots) {
    MachineImage image = new MachineImage();
    image.setMetadata(new ObjectMetaBuilder().withNamespace("team").withName("web").build());
    MachineImageStatus status = new MachineImageStatus();
    status.setPhase(phase);
    status.setDisks(java.util.Arrays.stream(snapshots).map(name -> {
      ImageDisk disk = new ImageDisk();
      disk.setName(name);
      disk.setSnapshot(name);
      return disk;
    }).toList());
    image.setStatus(status);
    return image;
  }
}
