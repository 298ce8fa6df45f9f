package dev.kiln.operator.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.api.v1alpha1.MachineImagePhase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class KilnMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final KilnMetrics metrics = new KilnMetrics(registry);

  @Test
  void imagesAreCountedByTheirLatestPhaseUntilTheyAreGone() {
    metrics.imagePhase("a", "img", MachineImagePhase.CREATING);
    metrics.imagePhase("b", "img", MachineImagePhase.CREATING);
    metrics.imagePhase("a", "img", MachineImagePhase.AVAILABLE);
    assertEquals(1, images(MachineImagePhase.CREATING));
    assertEquals(1, images(MachineImagePhase.AVAILABLE));

    metrics.imageGone("a", "img");
    assertEquals(0, images(MachineImagePhase.AVAILABLE));
  }

  @Test
  void failuresAreCountedByKindAndReason() {
    metrics.failed("MachineImage", "SnapshotNotFound");
    metrics.failed("MachineImage", "SnapshotNotFound");
    metrics.failed("Snapshot", "NotSnapshottable");
    assertEquals(2, registry.get("kiln.failures").tags("kind", "MachineImage", "reason", "SnapshotNotFound").counter().count());
    assertEquals(1, registry.get("kiln.failures").tags("kind", "Snapshot", "reason", "NotSnapshottable").counter().count());
  }

  private double images(MachineImagePhase phase) {
    return registry.get("kiln.images").tag("phase", phase.value()).gauge().value();
  }
}
