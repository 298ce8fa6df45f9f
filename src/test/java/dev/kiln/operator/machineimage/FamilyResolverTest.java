package dev.kiln.operator.machineimage;

import static dev.kiln.operator.machineimage.ImageFixtures.image;
import static dev.kiln.operator.machineimage.ImageFixtures.shared;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.MachineImagePhase;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FamilyResolverTest {

  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

  @Test
  void picksTheNewestAvailableImageOfTheFamily() {
    List<MachineImage> images = List.of(
        image("web-1", "web", MachineImagePhase.AVAILABLE, "2026-01-01T00:00:00Z"),
        image("web-3", "web", MachineImagePhase.AVAILABLE, "2026-03-01T00:00:00Z"),
        image("web-2", "web", MachineImagePhase.AVAILABLE, "2026-02-01T00:00:00Z"),
        image("db-9", "db", MachineImagePhase.AVAILABLE, "2026-05-01T00:00:00Z"));

    assertEquals("web-3", FamilyResolver.newest(images, "web", "images", NOW).orElseThrow().getMetadata().getName());
  }

  @Test
  void skipsDeprecatedFailedAndUnfinishedImages() {
    MachineImage deprecatedFlag = image("web-4", "web", MachineImagePhase.AVAILABLE, "2026-04-01T00:00:00Z");
    deprecatedFlag.getSpec().setDeprecated(true);
    MachineImage deprecatedByTime = image("web-5", "web", MachineImagePhase.AVAILABLE, "2026-04-15T00:00:00Z");
    deprecatedByTime.getSpec().setDeprecateAt("2026-05-01T00:00:00Z");
    List<MachineImage> images = List.of(
        image("web-1", "web", MachineImagePhase.AVAILABLE, "2026-01-01T00:00:00Z"),
        deprecatedFlag, deprecatedByTime,
        image("web-6", "web", MachineImagePhase.CREATING, null),
        image("web-7", "web", MachineImagePhase.FAILED, null),
        image("web-8", "web", MachineImagePhase.DEPRECATED, "2026-05-15T00:00:00Z"));

    assertEquals("web-1", FamilyResolver.newest(images, "web", "images", NOW).orElseThrow().getMetadata().getName());
  }

  @Test
  void honoursLaunchPermissionForOtherNamespaces() {
    List<MachineImage> images = List.of(
        shared(image("web-1", "web", MachineImagePhase.AVAILABLE, "2026-01-01T00:00:00Z"), "team-a"),
        image("web-2", "web", MachineImagePhase.AVAILABLE, "2026-02-01T00:00:00Z"));

    assertEquals("web-1", FamilyResolver.newest(images, "web", "team-a", NOW).orElseThrow().getMetadata().getName());
    assertTrue(FamilyResolver.newest(images, "web", "team-b", NOW).isEmpty());
    assertEquals("web-2", FamilyResolver.newest(images, "web", "images", NOW).orElseThrow().getMetadata().getName());
  }
}
