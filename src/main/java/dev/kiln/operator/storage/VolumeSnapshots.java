package dev.kiln.operator.storage;

import dev.kiln.operator.support.Creation;
import dev.kiln.operator.support.Labels;
import dev.kiln.operator.support.Owners;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshot;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshotBuilder;

/** The CSI VolumeSnapshots behind Kiln Snapshots. */
public final class VolumeSnapshots {

  private final KubernetesClient client;

  public VolumeSnapshots(KubernetesClient client) {
    this.client = client;
  }

  /** Creates the VolumeSnapshot of a claim, named and owned like the Kiln Snapshot; "already exists" is success. */
  public void create(HasMetadata owner, String claimName, String snapshotClass) {
    VolumeSnapshot snapshot = new VolumeSnapshotBuilder()
        .withNewMetadata()
        .withName(owner.getMetadata().getName())
        .withNamespace(owner.getMetadata().getNamespace())
        .withLabels(Labels.ownedBy(Labels.SNAPSHOT, owner.getMetadata().getName()))
        .withOwnerReferences(Owners.controller(owner))
        .endMetadata()
        .withNewSpec()
        .withVolumeSnapshotClassName(snapshotClass)
        .withNewSource().withPersistentVolumeClaimName(claimName).endSource()
        .endSpec()
        .build();
    Creation.ignoringConflict(() ->
        client.resources(VolumeSnapshot.class).inNamespace(owner.getMetadata().getNamespace()).resource(snapshot).create());
  }

  public void delete(String namespace, String name) {
    client.resources(VolumeSnapshot.class).inNamespace(namespace).withName(name).delete();
  }
}
