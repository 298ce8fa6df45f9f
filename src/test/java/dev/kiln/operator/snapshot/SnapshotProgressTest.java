package dev.kiln.operator.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.api.v1alpha1.SnapshotPhase;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshot;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshotBuilder;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SnapshotProgressTest {

  private static final Instant CUT = Instant.parse("2026-11-24T10:00:00Z");
  private static final Instant DEADLINE = CUT.plusSeconds(3600);

  @Test
  void aSnapshotCutAndReadyAtOnceWaitsAMomentForItsContentInsteadOfRecordingTheWait() {
    assertTrue(SnapshotProgress.contentDue(readyAt(CUT), false, CUT.plusSeconds(1)));
  }

  @Test
  void pastTheGraceTheWaitForTheContentIsRecorded() {
    assertFalse(SnapshotProgress.contentDue(readyAt(CUT), false, CUT.plus(SnapshotProgress.CONTENT_GRACE)));
    SnapshotProgress progress = SnapshotProgress.of(readyAt(CUT), false, CUT.plusSeconds(30), DEADLINE);
    assertEquals(SnapshotPhase.CREATING, progress.phase());
  }

  @Test
  void aSnapshotWhoseHandleIsKnownOrThatIsNotReadyHasNothingToWaitFor() {
    assertFalse(SnapshotProgress.contentDue(readyAt(CUT), true, CUT.plusSeconds(1)));
    VolumeSnapshot uploading = readyAt(CUT);
    uploading.getStatus().setReadyToUse(false);
    assertFalse(SnapshotProgress.contentDue(uploading, false, CUT.plusSeconds(1)));
  }

  private static VolumeSnapshot readyAt(Instant cut) {
    return new VolumeSnapshotBuilder().withNewMetadata().withName("web-root").endMetadata()
        .withNewStatus().withBoundVolumeSnapshotContentName("snapcontent-1").withCreationTime(cut.toString())
        .withReadyToUse(true).endStatus().build();
  }
}
