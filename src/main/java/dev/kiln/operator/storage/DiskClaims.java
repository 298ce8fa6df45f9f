package dev.kiln.operator.storage;

import dev.kiln.operator.support.Creation;
import dev.kiln.operator.support.Labels;
import dev.kiln.operator.support.Owners;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;

/** The PersistentVolumeClaims behind persistent disks: created, adopted, expanded, released, deleted. */
public final class DiskClaims {

  private final KubernetesClient client;

  public DiskClaims(KubernetesClient client) {
    this.client = client;
  }

  /** Creates the claim, owned by {@code owner}; an existing claim of that name counts as success. */
  public void create(HasMetadata owner, String ownerLabel, ClaimSpec spec) {
    PersistentVolumeClaimBuilder claim = new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withName(spec.name())
        .withNamespace(owner.getMetadata().getNamespace())
        .withLabels(Labels.ownedBy(ownerLabel, owner.getMetadata().getName()))
        .addToLabels(Labels.DISK, spec.disk())
        .withOwnerReferences(Owners.controller(owner))
        .endMetadata()
        .withNewSpec()
        .withAccessModes("ReadWriteOnce")
        .withStorageClassName(spec.storageClassName())
        .withVolumeMode(spec.volumeMode().value())
        .withNewResources().withRequests(Map.of("storage", new Quantity(spec.size()))).endResources()
        .endSpec();
    if (spec.volumeSnapshot() != null) {
      claim.editSpec().withNewDataSource()
          .withApiGroup("snapshot.storage.k8s.io").withKind("VolumeSnapshot").withName(spec.volumeSnapshot())
          .endDataSource().endSpec();
    }
    Creation.ignoringConflict(() ->
        client.persistentVolumeClaims().inNamespace(owner.getMetadata().getNamespace()).resource(claim.build()).create());
  }

  /** Makes {@code owner} the controller of a claim it had released. */
  public void adopt(HasMetadata owner, PersistentVolumeClaim claim) {
    claims(claim).edit(c -> {
      c.getMetadata().getOwnerReferences().removeIf(r -> Boolean.TRUE.equals(r.getController()));
      c.getMetadata().getOwnerReferences().add(Owners.controller(owner));
      return c;
    });
  }

  public void expand(PersistentVolumeClaim claim, String size) {
    claims(claim).edit(c -> {
      c.getSpec().getResources().getRequests().put("storage", new Quantity(size));
      return c;
    });
  }

  /** Drops the owner reference, so the claim outlives its owner; its labels still say where it came from. */
  public void release(PersistentVolumeClaim claim, HasMetadata owner) {
    claims(claim).edit(c -> {
      c.getMetadata().getOwnerReferences().removeIf(r -> owner.getMetadata().getUid().equals(r.getUid()));
      return c;
    });
  }

  public void delete(PersistentVolumeClaim claim) {
    claims(claim).delete();
  }

  public boolean expandable(String storageClassName) {
    StorageClass storageClass = client.storage().v1().storageClasses().withName(storageClassName).get();
    return storageClass != null && Boolean.TRUE.equals(storageClass.getAllowVolumeExpansion());
  }

  private io.fabric8.kubernetes.client.dsl.Resource<PersistentVolumeClaim> claims(PersistentVolumeClaim claim) {
    return client.persistentVolumeClaims().inNamespace(claim.getMetadata().getNamespace())
        .withName(claim.getMetadata().getName());
  }
}
