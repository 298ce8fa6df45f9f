package dev.kiln.operator.storage;

import dev.kiln.operator.support.Creation;
import dev.kiln.operator.support.Labels;
import dev.kiln.operator.support.Owners;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshot;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshotBuilder;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshotContent;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshotContentBuilder;
import java.util.Collection;
import java.util.Map;
import java.util.function.Consumer;

/** The CSI VolumeSnapshots behind Kiln Snapshots, and their contents' references to the data. */
public final class VolumeSnapshots {

  private final KubernetesClient client;
  private final SnapshotReferences references;

  public VolumeSnapshots(KubernetesClient client, SnapshotReferences references) {
    this.client = client;
    this.references = references;
  }

  /** The name of the content Kiln makes for a VolumeSnapshot of an existing storage snapshot. */
  public static String preProvisionedName(HasMetadata owner) {
    return "kiln-" + owner.getMetadata().getUid();
  }

  /**
   * Makes the VolumeSnapshot of an existing storage snapshot, named and owned like the Kiln
   * Snapshot, bound to a content Kiln makes for it: one more reference to the data (see
   * {@link SnapshotReferences}). "Already exists" is success.
   *
   * @param cached the contents a cache holds for the handle
   * @param made told the VolumeSnapshot when this call made it
   * @return false, and nothing made, when the data is being deleted
   */
  public boolean createFromHandle(HasMetadata owner, String driver, String handle, String volumeMode,
      Collection<VolumeSnapshotContent> cached, Consumer<VolumeSnapshot> made) {
    Map<String, String> labels = Labels.ownedBy(Labels.SNAPSHOT, owner.getMetadata().getName());
    return bindToHandle(owner, owner.getMetadata().getName(), labels, preProvisionedName(owner), labels, driver, handle,
        volumeMode, cached, made);
  }

  /**
   * Makes the VolumeSnapshot {@code name}, owned by {@code owner}, bound to a content {@code content}
   * Kiln makes for an existing storage snapshot: one more reference to the data, added under the
   * handle's lock (see {@link SnapshotReferences}). The content is made with deletionPolicy Retain:
   * the data goes only when the last reference lets go, which switches it then. "Already exists" is
   * success.
   *
   * @param cached the contents a cache holds for the handle
   * @param made told the VolumeSnapshot when this call made it
   * @return false, and nothing made, when the data is being deleted
   */
  boolean bindToHandle(HasMetadata owner, String name, Map<String, String> labels, String content,
      Map<String, String> contentLabels, String driver, String handle, String volumeMode,
      Collection<VolumeSnapshotContent> cached, Consumer<VolumeSnapshot> made) {
    String namespace = owner.getMetadata().getNamespace();
    boolean referenced = references.add(handle, content, cached, policy -> Creation.ignoringConflict(() ->
        client.resources(VolumeSnapshotContent.class).resource(new VolumeSnapshotContentBuilder()
            .withNewMetadata().withName(content).withLabels(contentLabels)
            .addToAnnotations(SnapshotReferences.DATA_DELETION_POLICY, policy)
            .endMetadata()
            .withNewSpec()
            .withDeletionPolicy("Retain")
            .withDriver(driver)
            .withNewSource().withSnapshotHandle(handle).endSource()
            .withSourceVolumeMode(volumeMode)
            .withNewVolumeSnapshotRef().withKind("VolumeSnapshot").withNamespace(namespace).withName(name).endVolumeSnapshotRef()
            .endSpec()
            .build()).create()));
    if (!referenced) {
      return false;
    }
    VolumeSnapshot snapshot = new VolumeSnapshotBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace)
        .withLabels(labels)
        .withOwnerReferences(Owners.controller(owner))
        .endMetadata()
        .withNewSpec().withNewSource().withVolumeSnapshotContentName(content).endSource().endSpec()
        .build();
    Creation.ignoringConflict(() ->
        made.accept(client.resources(VolumeSnapshot.class).inNamespace(namespace).resource(snapshot).create()));
    return true;
  }

  /**
   * Creates the VolumeSnapshot of a claim, named and owned like the Kiln Snapshot; "already exists" is
   * success.
   *
   * @param made told the VolumeSnapshot when this call made it
   */
  public void create(HasMetadata owner, String claimName, String snapshotClass, Consumer<VolumeSnapshot> made) {
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
    Creation.ignoringConflict(() -> made.accept(
        client.resources(VolumeSnapshot.class).inNamespace(owner.getMetadata().getNamespace()).resource(snapshot).create()));
  }

  /**
   * Deletes a VolumeSnapshot, letting go of its content's reference to the data first: kept while
   * other references remain (the content is then deleted too, as nothing needs it), deleted with the
   * last one if it was made to be. A content Kiln made that keeps its data is deleted as well; a
   * content the snapshot controller made with a Retain class stays, as Kubernetes leaves it.
   *
   * @param content the VolumeSnapshot's content, null when there is none (yet)
   * @param cached the contents a cache holds for its handle
   */
  public void delete(String namespace, String name, VolumeSnapshotContent content, Collection<VolumeSnapshotContent> cached) {
    // The data's own policy goes along, so that a release interrupted after this write still knows it.
    // Patched as the object in hand: a patch by name alone would read the content from the API server first.
    boolean othersHoldData = content != null && references.release(content, cached, (released, policy) ->
        client.resources(VolumeSnapshotContent.class).resource(released).patch(PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"annotations\":{\"" + SnapshotReferences.DATA_DELETION_POLICY + "\":\""
                + SnapshotReferences.dataPolicyOf(released) + "\"}},\"spec\":{\"deletionPolicy\":\"" + policy + "\"}}"));
    client.resources(VolumeSnapshot.class).inNamespace(namespace).withName(name).delete();
    if (content == null) {
      return;
    }
    boolean madeByKiln = content.getSpec().getSource() != null && content.getSpec().getSource().getSnapshotHandle() != null;
    boolean keepsData = othersHoldData || !"Delete".equals(SnapshotReferences.dataPolicyOf(content));
    if (othersHoldData || (madeByKiln && keepsData)) {
      client.resources(VolumeSnapshotContent.class).withName(content.getMetadata().getName()).delete();
    }
  }
}
