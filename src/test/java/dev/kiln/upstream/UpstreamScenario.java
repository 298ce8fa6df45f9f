package dev.kiln.upstream;

import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.InstancePhase;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.MachineImagePhase;
import dev.kiln.testing.KilnTestCluster;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the upstream scenarios share: waiting on phases, and the bytes on the CSI driver's volumes. */
final class UpstreamScenario {

  /** The file every disk holds in these scenarios. */
  static final String CONTENT_FILE = "content";

  private final KilnTestCluster cluster;

  UpstreamScenario(KilnTestCluster cluster) {
    this.cluster = cluster;
  }

  Instance awaitInstance(String name, InstancePhase phase) {
    return cluster.await(Instance.class, name, i -> i.getStatus() != null && i.getStatus().getPhase() == phase);
  }

  MachineImage awaitImage(String name, MachineImagePhase phase) {
    return cluster.await(MachineImage.class, name, i -> i.getStatus() != null && i.getStatus().getPhase() == phase);
  }

  /** The driver's folder behind a bound claim of the test namespace. */
  Path volumeOf(String claim) {
    PersistentVolumeClaim bound = cluster.await(PersistentVolumeClaim.class, claim,
        c -> c.getStatus() != null && "Bound".equals(c.getStatus().getPhase()));
    PersistentVolume volume = cluster.client().persistentVolumes().withName(bound.getSpec().getVolumeName()).get();
    return cluster.upstreamPlatform().driverState().resolve("volumes").resolve(volume.getSpec().getCsi().getVolumeHandle());
  }

  /** Writes into the disk behind the claim, as the machine would. */
  void write(String claim, String content) {
    try {
      Files.writeString(volumeOf(claim).resolve(CONTENT_FILE), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What the disk behind the claim holds. */
  String read(String claim) {
    try {
      Path file = volumeOf(claim).resolve(CONTENT_FILE);
      return Files.exists(file) ? Files.readString(file) : null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The snapshot handles the driver holds. */
  java.util.Set<String> driverSnapshots() {
    Path dir = cluster.upstreamPlatform().driverState().resolve("snapshots");
    try (var files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
          .map(n -> n.substring(0, n.length() - ".json".length())).collect(java.util.stream.Collectors.toSet());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Lines the commands run through exec appended to the test's file in the exec folder. */
  java.util.List<String> execLog() {
    Path log = cluster.upstreamPlatform().execDir().resolve(cluster.namespace() + ".log");
    try {
      return Files.exists(log) ? Files.readAllLines(log) : java.util.List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Creates the two-disk Instance web and waits until it runs and reports its platform. */
  void runningWeb() {
    new dev.kiln.testing.Fixtures(cluster).instance(UpstreamCaptureTest.WEB);
    cluster.await(dev.kiln.api.v1alpha1.Instance.class, "web", i -> i.getStatus() != null
        && i.getStatus().getPhase() == InstancePhase.RUNNING && i.getStatus().getPlatform() != null);
  }

  /** What a file of the driver's state holds: volumes/&lt;handle&gt;/content or snapshots/&lt;handle&gt;/content. */
  String readDriverFile(String kind, String handle) {
    try {
      return Files.readString(cluster.upstreamPlatform().driverState().resolve(kind).resolve(handle).resolve(CONTENT_FILE));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A shell command, run through exec, that appends {@code word} to the test's exec log. */
  String logCommand(String word) {
    return "[sh, -c, 'echo %s >> %s.log']".formatted(word, cluster.namespace());
  }
}
