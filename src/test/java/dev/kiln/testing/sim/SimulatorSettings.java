package dev.kiln.testing.sim;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * The knobs of the cluster simulator: delays of each step and the faults to inject. Tests set them
 * before they create objects; the simulator reads them each time it acts. Reset before every test.
 */
public final class SimulatorSettings {

  volatile Duration podStartDelay = Duration.ZERO;
  volatile Duration podStopDelay = Duration.ZERO;
  volatile Duration volumeBindDelay = Duration.ZERO;
  volatile Duration snapshotCutDelay = Duration.ZERO;
  volatile Duration snapshotUploadDelay = Duration.ZERO;
  volatile Duration snapshotCutPerGi = Duration.ZERO;
  volatile Predicate<HasMetadata> podsNeverReady = o -> false;
  volatile Predicate<HasMetadata> podsFail = o -> false;
  volatile Predicate<HasMetadata> snapshotsFail = o -> false;
  volatile String snapshotFailureMessage = "";
  volatile boolean uploadsHeld;

  public SimulatorSettings podStartDelay(Duration delay) {
    podStartDelay = delay;
    return this;
  }

  public SimulatorSettings podStopDelay(Duration delay) {
    podStopDelay = delay;
    return this;
  }

  public SimulatorSettings volumeBindDelay(Duration delay) {
    volumeBindDelay = delay;
    return this;
  }

  /** Time from a VolumeSnapshot's creation to its cut (creationTime). */
  public SimulatorSettings snapshotCutDelay(Duration delay) {
    snapshotCutDelay = delay;
    return this;
  }

  /**
   * Time a cut takes per GiB written to the volume since its previous snapshot, on top of the cut
   * delay, as a driver with incremental snapshots takes: the first snapshot of a volume copies it
   * whole, a later one what was written since (nothing: simulated machines do not write).
   */
  public SimulatorSettings snapshotCutPerGi(Duration perGi) {
    snapshotCutPerGi = perGi;
    return this;
  }

  /** Time from the cut to readyToUse (the upload). */
  public SimulatorSettings snapshotUploadDelay(Duration delay) {
    snapshotUploadDelay = delay;
    return this;
  }

  /** Pods matching run but never pass their readiness check. */
  public SimulatorSettings podsNeverReady(Predicate<HasMetadata> which) {
    podsNeverReady = which;
    return this;
  }

  /** Pods matching start, then fail (phase Failed), as a machine that crashes. */
  public SimulatorSettings podsFail(Predicate<HasMetadata> which) {
    podsFail = which;
    return this;
  }

  /** VolumeSnapshots matching fail with this CSI error message instead of being cut. */
  public SimulatorSettings snapshotsFail(Predicate<HasMetadata> which, String message) {
    snapshotsFail = which;
    snapshotFailureMessage = message;
    return this;
  }

  /** Snapshots are cut but their upload does not finish (readyToUse stays false) until released. */
  public SimulatorSettings holdUploads(boolean held) {
    uploadsHeld = held;
    return this;
  }

  /** Matches objects by name. */
  public static Predicate<HasMetadata> named(String name) {
    return o -> name.equals(o.getMetadata().getName());
  }

  public static Predicate<HasMetadata> all() {
    return o -> true;
  }
}
