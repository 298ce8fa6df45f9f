package dev.kiln.operator.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.MachineImagePhase;
import dev.kiln.api.v1alpha1.MachineImageStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

class WrittenCopiesTest {

  private final WrittenCopies<MachineImage> copies = new WrittenCopies<>();

  @Test
  void aPassStartsFromTheStoredCopyWhileTheCacheStillShowsAnOlderVersion() {
    copies.wrote(image("uid-1", "120", MachineImagePhase.AVAILABLE));

    MachineImage fresh = copies.freshest(image("uid-1", "97", MachineImagePhase.CREATING));

    assertEquals("120", fresh.getMetadata().getResourceVersion());
    assertEquals(MachineImagePhase.AVAILABLE, fresh.getStatus().getPhase());
  }

  @Test
  void thePassGetsACopySoWhatItChangesIsNotKept() {
    copies.wrote(image("uid-1", "120", MachineImagePhase.AVAILABLE));

    copies.freshest(image("uid-1", "97", MachineImagePhase.CREATING)).getStatus().setPhase(MachineImagePhase.FAILED);

    assertEquals(MachineImagePhase.AVAILABLE,
        copies.freshest(image("uid-1", "97", MachineImagePhase.CREATING)).getStatus().getPhase());
  }

  @Test
  void theCachedPrimaryWinsOnceItIsAsNewOrNewer() {
    copies.wrote(image("uid-1", "120", MachineImagePhase.AVAILABLE));
    MachineImage newer = image("uid-1", "121", MachineImagePhase.DEPRECATED);

    assertSame(newer, copies.freshest(newer));
    assertEquals(0, copies.size());
  }

  @Test
  void aCopyIsDroppedWhenTheInformerDeliversItsVersionAndKeptForOlderEvents() {
    copies.wrote(image("uid-1", "120", MachineImagePhase.AVAILABLE));

    copies.onResourceUpdated(image("uid-1", "97", MachineImagePhase.CREATING), null);
    assertEquals(1, copies.size());

    copies.onResourceUpdated(image("uid-1", "120", MachineImagePhase.AVAILABLE), null);
    assertEquals(0, copies.size());
  }

  @Test
  void aCopyIsDroppedWhenTheObjectIsDeleted() {
    copies.wrote(image("uid-1", "120", MachineImagePhase.AVAILABLE));

    copies.onResourceDeleted(image("uid-1", "97", MachineImagePhase.CREATING));

    assertEquals(0, copies.size());
  }

  @Test
  void aCopyOfAnEarlierObjectOfTheSameNameIsNeverUsed() {
    copies.wrote(image("uid-1", "120", MachineImagePhase.AVAILABLE));
    MachineImage recreated = image("uid-2", "97", MachineImagePhase.CREATING);

    assertSame(recreated, copies.freshest(recreated));
  }

  @Test
  void revisionsCompareAsNumbersAndAnythingElseIsNeverOlder() {
    assertTrue(WrittenCopies.isOlder(image("u", "99", null), image("u", "100", null)));
    assertFalse(WrittenCopies.isOlder(image("u", "100", null), image("u", "99", null)));
    assertFalse(WrittenCopies.isOlder(image("u", "100", null), image("u", "100", null)));
    assertTrue(WrittenCopies.isOlder(image("u", "0099", null), image("u", "100", null)));
    assertFalse(WrittenCopies.isOlder(image("u", "a1", null), image("u", "b2", null)));
    assertFalse(WrittenCopies.isOlder(image("u", null, null), image("u", "5", null)));
  }

  private static MachineImage image(String uid, String resourceVersion, MachineImagePhase phase) {
    MachineImage image = new MachineImage();
    image.setMetadata(new ObjectMetaBuilder().withNamespace("team").withName("web").withUid(uid)
        .withResourceVersion(resourceVersion).build());
    MachineImageStatus status = new MachineImageStatus();
    status.setPhase(phase);
    image.setStatus(status);
    return image;
  }
}
