package dev.kiln.operator.metrics;

import dev.kiln.api.v1alpha1.MachineImagePhase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kiln's own series, beside the framework's per-controller ones. Their labels are bounded sets
 * (kinds, consistencies, phases, reasons), never an object's name: a dashboard over thousands of
 * images costs the same as over ten.
 */
public final class KilnMetrics {

  private static final Duration SHORTEST = Duration.ofMillis(100);
  private static final Duration LONGEST = Duration.ofHours(6);

  private final MeterRegistry registry;
  /** The phase of every MachineImage this operator has seen, by namespace/name, for the phase gauge. */
  private final Map<String, MachineImagePhase> imagePhases = new ConcurrentHashMap<>();

  public KilnMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (MachineImagePhase phase : MachineImagePhase.values()) {
      Gauge.builder("kiln.images", imagePhases, phases -> phases.values().stream().filter(phase::equals).count())
          .description("MachineImages by phase")
          .tag("phase", phase.value())
          .register(registry);
    }
  }

  /** Series kept in memory only: for an operator run without a metrics endpoint (tests). */
  public static KilnMetrics unexported() {
    return new KilnMetrics(new SimpleMeterRegistry());
  }

  public void imagePhase(String namespace, String name, MachineImagePhase phase) {
    if (phase != null) {
      imagePhases.put(namespace + "/" + name, phase);
    }
  }

  public void imageGone(String namespace, String name) {
    imagePhases.remove(namespace + "/" + name);
  }

  /** An image captured from an instance became Available this long after it was created. */
  public void captured(String consistency, Duration took) {
    histogram("kiln.image.capture", "Time from a MachineImage's creation to Available, for captures from an Instance")
        .tag("consistency", consistency).register(registry).record(took);
  }

  /** An instance held stopped for a Stop capture ran again after this long. */
  public void held(Duration took) {
    histogram("kiln.instance.held", "Time an Instance was held stopped while its snapshots were cut")
        .register(registry).record(took);
  }

  /** A Snapshot became Ready: how long the cut took from its creation, and the upload after it. */
  public void snapshotReady(Duration cut, Duration upload) {
    histogram("kiln.snapshot.cut", "Time from a Snapshot's creation until it was cut").register(registry).record(cut);
    histogram("kiln.snapshot.upload", "Time from a Snapshot's cut until it was Ready").register(registry).record(upload);
  }

  /** An object failed for good, with the reason its status gives. */
  public void failed(String kind, String reason) {
    Counter.builder("kiln.failures").description("Objects that failed, by kind and reason")
        .tag("kind", kind).tag("reason", reason).register(registry).increment();
  }

  private static Timer.Builder histogram(String name, String description) {
    return Timer.builder(name).description(description).publishPercentileHistogram()
        .minimumExpectedValue(SHORTEST).maximumExpectedValue(LONGEST);
  }
}
