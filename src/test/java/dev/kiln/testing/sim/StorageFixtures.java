package dev.kiln.testing.sim;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshotClass;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshotClassBuilder;

/**
 * The cluster-wide objects the simulated cluster has: one node, storage classes with and without
 * snapshot support, and the default VolumeSnapshotClass of the simulated CSI driver.
 */
public final class StorageFixtures {

  /** The simulated CSI driver: provisions volumes, takes snapshots, can expand. */
  public static final String DRIVER = "sim.csi.kiln.dev";
  /** A CSI driver that provisions volumes but has no VolumeSnapshotClass. */
  public static final String DRIVER_WITHOUT_SNAPSHOTS = "nosnap.csi.kiln.dev";
  /** Default StorageClass: snapshots and expansion supported. */
  public static final String STANDARD = "standard";
  /** Snapshots supported, expansion not allowed. */
  public static final String FIXED_SIZE = "fixed-size";
  /** Volumes of a driver without any VolumeSnapshotClass. */
  public static final String NOT_SNAPSHOTTABLE = "no-snapshots";
  /** Default VolumeSnapshotClass of {@link #DRIVER}. */
  public static final String SNAPSHOT_CLASS = "sim-snapclass";
  public static final String NODE = "sim-node-1";
  public static final String NODE_OS = "linux";
  public static final String NODE_ARCH = "amd64";
  /** Annotation on a simulated PersistentVolume naming the VolumeSnapshot it was restored from. */
  public static final String RESTORED_FROM = "sim.kiln.dev/restored-from";

  private StorageFixtures() {}

  static void install(KubernetesClient client) {
    client.resource(storageClass(STANDARD, DRIVER, true, true)).serverSideApply();
    client.resource(storageClass(FIXED_SIZE, DRIVER, false, false)).serverSideApply();
    client.resource(storageClass(NOT_SNAPSHOTTABLE, DRIVER_WITHOUT_SNAPSHOTS, false, true)).serverSideApply();
    VolumeSnapshotClass snapshotClass = new VolumeSnapshotClassBuilder()
        .withNewMetadata().withName(SNAPSHOT_CLASS)
        .addToAnnotations("snapshot.storage.kubernetes.io/is-default-class", "true").endMetadata()
        .withDriver(DRIVER)
        .withDeletionPolicy("Delete")
        .build();
    client.resource(snapshotClass).serverSideApply();
    Node node = new NodeBuilder()
        .withNewMetadata().withName(NODE)
        .addToLabels("kubernetes.io/os", NODE_OS)
        .addToLabels("kubernetes.io/arch", NODE_ARCH)
        .addToLabels("kubernetes.io/hostname", NODE)
        .endMetadata()
        .build();
    client.resource(node).serverSideApply();
  }

  private static StorageClass storageClass(String name, String driver, boolean isDefault, boolean expandable) {
    return new StorageClassBuilder()
        .withNewMetadata().withName(name)
        .addToAnnotations("storageclass.kubernetes.io/is-default-class", Boolean.toString(isDefault)).endMetadata()
        .withProvisioner(driver)
        .withAllowVolumeExpansion(expandable)
        .withReclaimPolicy("Delete")
        .withVolumeBindingMode("Immediate")
        .build();
  }
}
