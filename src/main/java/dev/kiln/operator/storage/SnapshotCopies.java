package dev.kiln.operator.storage;

import dev.kiln.operator.support.Creation;
import dev.kiln.operator.support.Labels;
import dev.kiln.operator.support.Owners;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshot;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshotBuilder;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshotContent;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshotContentBuilder;
import java.util.Locale;

/**
 * Namespace-local copies of a snapshot that lives in another namespace: a pre-provisioned
 * VolumeSnapshotContent with the same snapshot handle and deletionPolicy Retain (so that dropping
 * the copy never deletes the original's data), bound to a new VolumeSnapshot here that claims can
 * be restored from. The copies belong to the Instance that needed them and go with it.
 */
public final class SnapshotCopies {

  /** Label on a copy's content: the namespace of the Instance it serves (contents are cluster-scoped). */
  public static final String INSTANCE_NAMESPACE = "kiln.dev/instance-namespace";

  private final KubernetesClient client;

  public SnapshotCopies(KubernetesClient client) {
    this.client = client;
  }

  /** The name of the content behind a copy; unique in the cluster, as the owner's uid is. */
  public static String contentName(HasMetadata owner, String copyName) {
    String disk = copyName.substring(owner.getMetadata().getName().length() + 1);
    return ("kiln-" + owner.getMetadata().getUid() + "-" + disk).toLowerCase(Locale.ROOT);
  }

  /**
   * Creates the copy {@code copyName} of a snapshot with {@code handle} of {@code driver}; "already
   * exists" is success.
   */
  public void create(HasMetadata owner, String ownerLabel, String copyName, String driver, String handle,
      String volumeMode) {
    String namespace = owner.getMetadata().getNamespace();
    String content = contentName(owner, copyName);
    VolumeSnapshotContent snapshotContent = new VolumeSnapshotContentBuilder()
        .withNewMetadata().withName(content)
        .withLabels(Labels.ownedBy(ownerLabel, owner.getMetadata().getName()))
        .addToLabels(INSTANCE_NAMESPACE, namespace)
        .endMetadata()
        .withNewSpec()
        .withDeletionPolicy("Retain")
        .withDriver(driver)
        .withNewSource().withSnapshotHandle(handle).endSource()
        .withSourceVolumeMode(volumeMode)
        .withNewVolumeSnapshotRef().withKind("VolumeSnapshot").withNamespace(namespace).withName(copyName).endVolumeSnapshotRef()
        .endSpec()
        .build();
    VolumeSnapshot copy = new VolumeSnapshotBuilder()
        .withNewMetadata().withName(copyName).withNamespace(namespace)
        .withLabels(Labels.ownedBy(ownerLabel, owner.getMetadata().getName()))
        .withOwnerReferences(Owners.controller(owner))
        .endMetadata()
        .withNewSpec().withNewSource().withVolumeSnapshotContentName(content).endSource().endSpec()
        .build();
    Creation.ignoringConflict(() -> client.resources(VolumeSnapshotContent.class).resource(snapshotContent).create());
    Creation.ignoringConflict(() -> client.resources(VolumeSnapshot.class).inNamespace(namespace).resource(copy).create());
  }

  /**
   * Deletes the named copies made for the owner: each VolumeSnapshot, then its retained content, by
   * name. Never by label: contents are cluster-scoped, and a label-selected delete is one wrong
   * label away from other namespaces' data.
   */
  public void delete(HasMetadata owner, java.util.Collection<String> copyNames) {
    String namespace = owner.getMetadata().getNamespace();
    for (String copyName : copyNames) {
      client.resources(VolumeSnapshot.class).inNamespace(namespace).withName(copyName).delete();
      client.resources(VolumeSnapshotContent.class).withName(contentName(owner, copyName)).delete();
    }
  }
}
