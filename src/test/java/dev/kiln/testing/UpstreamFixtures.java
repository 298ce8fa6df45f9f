package dev.kiln.testing;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.CSIDriverBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshotClassBuilder;

/** The cluster-wide objects of the upstream tier: its Node, CSI drivers, storage and snapshot classes. */
public final class UpstreamFixtures {

  /** The file-backed CSI driver: provisions volumes and takes snapshots. */
  public static final String DRIVER = "csi.kiln.test";
  /** The same driver under another name, without a VolumeSnapshotClass or a csi-snapshotter. */
  public static final String DRIVER_WITHOUT_SNAPSHOTS = "nosnap.csi.kiln.test";
  /** Default StorageClass, of {@link #DRIVER}. */
  public static final String STANDARD = "standard";
  /** Volumes of {@link #DRIVER_WITHOUT_SNAPSHOTS}. */
  public static final String NOT_SNAPSHOTTABLE = "no-snapshots";
  /** Default VolumeSnapshotClass of {@link #DRIVER}. */
  public static final String SNAPSHOT_CLASS = "csi-kiln-test";
  public static final String NODE = "kwok-node-1";

  private UpstreamFixtures() {}

  static void install(KubernetesClient client) {
    client.resource(storageClass(STANDARD, DRIVER, true)).serverSideApply();
    client.resource(storageClass(NOT_SNAPSHOTTABLE, DRIVER_WITHOUT_SNAPSHOTS, false)).serverSideApply();
    for (String driver : new String[] {DRIVER, DRIVER_WITHOUT_SNAPSHOTS}) {
      // Nothing attaches volumes here: without this object the attach/detach path would wait forever.
      client.resource(new CSIDriverBuilder().withNewMetadata().withName(driver).endMetadata()
          .withNewSpec().withAttachRequired(false).withPodInfoOnMount(false).endSpec().build()).serverSideApply();
    }
    client.resource(new VolumeSnapshotClassBuilder()
        .withNewMetadata().withName(SNAPSHOT_CLASS)
        .addToAnnotations("snapshot.storage.kubernetes.io/is-default-class", "true").endMetadata()
        .withDriver(DRIVER)
        .withDeletionPolicy("Delete")
        .build()).serverSideApply();
    client.resource(new NodeBuilder()
        .withNewMetadata().withName(NODE)
        .addToLabels("kubernetes.io/os", "linux")
        .addToLabels("kubernetes.io/arch", "amd64")
        .addToLabels("kubernetes.io/hostname", NODE)
        .addToLabels("type", "kwok")
        .endMetadata()
        .build()).serverSideApply();
  }

  static PersistentVolumeClaim claim(String name, String size) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withAccessModes("ReadWriteOnce")
        .withNewResources().addToRequests("storage", new Quantity(size)).endResources()
        .endSpec()
        .build();
  }

  private static io.fabric8.kubernetes.api.model.storage.StorageClass storageClass(String name, String driver,
      boolean isDefault) {
    return new StorageClassBuilder()
        .withNewMetadata().withName(name)
        .addToAnnotations("storageclass.kubernetes.io/is-default-class", Boolean.toString(isDefault)).endMetadata()
        .withProvisioner(driver)
        .withAllowVolumeExpansion(false)
        .withReclaimPolicy("Delete")
        .withVolumeBindingMode("Immediate")
        .build();
  }
}
