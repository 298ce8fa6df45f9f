package dev.kiln.operator.storage;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshotClass;
import java.util.Collection;
import java.util.List;

/** Finds the VolumeSnapshotClass a snapshot of a CSI driver's volume uses, the way the snapshot controller does. */
public final class SnapshotClasses {

  static final String DEFAULT_CLASS = "snapshot.storage.kubernetes.io/is-default-class";

  private final KubernetesClient client;

  public SnapshotClasses(KubernetesClient client) {
    this.client = client;
  }

  /**
   * The class to use: the named one, which must belong to the driver, else the driver's one default
   * class. Decided on the classes a cache holds; when they give no class, the API server's list
   * decides, since a missing class fails a snapshot for good and the cache may lag behind.
   */
  public Choice choose(String named, String driver, Collection<VolumeSnapshotClass> cached) {
    Choice choice = decide(named, driver, cached);
    return choice.found() ? choice : decide(named, driver, client.resources(VolumeSnapshotClass.class).list().getItems());
  }

  private static Choice decide(String named, String driver, Collection<VolumeSnapshotClass> classes) {
    if (named != null) {
      VolumeSnapshotClass snapshotClass = classes.stream().filter(c -> named.equals(c.getMetadata().getName()))
          .findFirst().orElse(null);
      if (snapshotClass == null) {
        return Choice.none("VolumeSnapshotClass " + named + " does not exist");
      }
      if (!driver.equals(snapshotClass.getDriver())) {
        return Choice.none("VolumeSnapshotClass " + named + " is for driver " + snapshotClass.getDriver()
            + ", but the disk's volume belongs to driver " + driver);
      }
      return new Choice(named, null);
    }
    List<VolumeSnapshotClass> defaults = classes.stream()
        .filter(c -> driver.equals(c.getDriver()))
        .filter(c -> c.getMetadata().getAnnotations() != null
            && "true".equals(c.getMetadata().getAnnotations().get(DEFAULT_CLASS)))
        .toList();
    if (defaults.isEmpty()) {
      return Choice.none("CSI driver " + driver + " has no default VolumeSnapshotClass; name one in spec.volumeSnapshotClassName");
    }
    if (defaults.size() > 1) {
      return Choice.none("CSI driver " + driver + " has " + defaults.size()
          + " default VolumeSnapshotClasses; name one in spec.volumeSnapshotClassName");
    }
    return new Choice(defaults.get(0).getMetadata().getName(), null);
  }

  /** A chosen class, or why there is none. */
  public record Choice(String className, String whyNone) {
    static Choice none(String why) {
      return new Choice(null, why);
    }

    public boolean found() {
      return className != null;
    }
  }
}
