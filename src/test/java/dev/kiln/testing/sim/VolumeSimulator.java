package dev.kiln.testing.sim;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TypedLocalObjectReference;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Plays the CSI provisioner, the PV binder, the volume resizer and the PVC-protection controller:
 * a pending claim gets a PersistentVolume of its class's driver (restored from its VolumeSnapshot
 * data source once that is ready) and is bound; a claim whose class allows it is expanded; a deleted
 * claim loses its protection finalizer once no pod uses it, and its volume is deleted.
 */
final class VolumeSimulator {

  static final String PVC_PROTECTION = "kubernetes.io/pvc-protection";
  static final String PV_PROTECTION = "kubernetes.io/pv-protection";

  private final KubernetesClient client;
  private final SimulatorSettings settings;
  private final StepScheduler scheduler;

  private final StoredSnapshots stored;

  VolumeSimulator(KubernetesClient client, SimulatorSettings settings, StepScheduler scheduler, StoredSnapshots stored) {
    this.client = client;
    this.settings = settings;
    this.scheduler = scheduler;
    this.stored = stored;
  }

  void onChange(String namespace, String name) {
    PersistentVolumeClaim claim = client.persistentVolumeClaims().inNamespace(namespace).withName(name).get();
    if (claim == null) {
      return;
    }
    if (claim.getMetadata().getDeletionTimestamp() != null) {
      releaseIfUnused(claim);
    } else if (claim.getStatus() == null || !"Bound".equals(claim.getStatus().getPhase())) {
      scheduler.after(settings.volumeBindDelay, "pvc-bind/" + namespace + "/" + name, () -> provision(namespace, name));
    } else {
      expandIfRequested(claim);
    }
  }

  void onDelete(PersistentVolumeClaim claim) {
    String volumeName = claim.getSpec().getVolumeName();
    if (volumeName == null) {
      return;
    }
    var volume = client.persistentVolumes().withName(volumeName);
    if (volume.get() != null) {
      volume.edit(pv -> {
        pv.getMetadata().getFinalizers().remove(PV_PROTECTION);
        return pv;
      });
      volume.delete();
    }
  }

  private void provision(String namespace, String name) {
    PersistentVolumeClaim claim = client.persistentVolumeClaims().inNamespace(namespace).withName(name).get();
    if (claim == null || claim.getMetadata().getDeletionTimestamp() != null
        || (claim.getStatus() != null && "Bound".equals(claim.getStatus().getPhase()))) {
      return;
    }
    StorageClass storageClass = claim.getSpec().getStorageClassName() == null ? null
        : client.storage().v1().storageClasses().withName(claim.getSpec().getStorageClassName()).get();
    if (storageClass == null) {
      return; // no provisioner: stays Pending, as in a real cluster
    }
    Quantity size = claim.getSpec().getResources().getRequests().get("storage");
    String restoredFrom = null;
    TypedLocalObjectReference source = claim.getSpec().getDataSource();
    if (source != null && "VolumeSnapshot".equals(source.getKind())) {
      VolumeSnapshot snapshot = client.resources(VolumeSnapshot.class).inNamespace(namespace)
          .withName(source.getName()).get();
      if (snapshot == null || snapshot.getStatus() == null || !Boolean.TRUE.equals(snapshot.getStatus().getReadyToUse())) {
        return; // the provisioner waits for the snapshot; the snapshot's readiness triggers us again
      }
      if (!dataHeld(snapshot)) {
        return; // CreateVolume answers NotFound: the provisioner retries, the claim stays Pending
      }
      restoredFrom = source.getName();
      Quantity restoreSize = snapshot.getStatus().getRestoreSize();
      if (restoreSize != null && restoreSize.getNumericalAmount().compareTo(size.getNumericalAmount()) > 0) {
        size = restoreSize;
      }
    }
    String volumeName = "pvc-" + claim.getMetadata().getUid();
    PersistentVolume volume = new PersistentVolumeBuilder()
        .withNewMetadata().withName(volumeName)
        .addToAnnotations("pv.kubernetes.io/provisioned-by", storageClass.getProvisioner())
        .addToAnnotations(restoredFrom == null ? Map.of() : Map.of(StorageFixtures.RESTORED_FROM, namespace + "/" + restoredFrom))
        .endMetadata()
        .withNewSpec()
        .withCapacity(Map.of("storage", size))
        .withAccessModes(claim.getSpec().getAccessModes())
        .withVolumeMode(claim.getSpec().getVolumeMode())
        .withStorageClassName(storageClass.getMetadata().getName())
        .withPersistentVolumeReclaimPolicy("Delete")
        .withNewCsi().withDriver(storageClass.getProvisioner()).withVolumeHandle("vol-" + claim.getMetadata().getUid()).endCsi()
        .withNewClaimRef().withKind("PersistentVolumeClaim").withNamespace(namespace).withName(name)
        .withUid(claim.getMetadata().getUid()).endClaimRef()
        .endSpec()
        .build();
    if (client.persistentVolumes().withName(volumeName).get() == null) {
      client.persistentVolumes().resource(volume).create();
    }
    client.persistentVolumes().withName(volumeName).editStatus(pv -> {
      pv.setStatus(new io.fabric8.kubernetes.api.model.PersistentVolumeStatusBuilder().withPhase("Bound").build());
      return pv;
    });
    Quantity capacity = size;
    client.persistentVolumeClaims().inNamespace(namespace).withName(name).edit(pvc -> {
      pvc.getSpec().setVolumeName(volumeName);
      pvc.getMetadata().getAnnotations().put("pv.kubernetes.io/bind-completed", "yes");
      return pvc;
    });
    client.persistentVolumeClaims().inNamespace(namespace).withName(name).editStatus(pvc -> {
      pvc.getStatus().setPhase("Bound");
      pvc.getStatus().setCapacity(Map.of("storage", capacity));
      pvc.getStatus().setAccessModes(pvc.getSpec().getAccessModes());
      return pvc;
    });
  }

  private void expandIfRequested(PersistentVolumeClaim claim) {
    Quantity requested = claim.getSpec().getResources().getRequests().get("storage");
    Quantity capacity = claim.getStatus().getCapacity() == null ? null : claim.getStatus().getCapacity().get("storage");
    if (capacity == null || requested.getNumericalAmount().compareTo(capacity.getNumericalAmount()) <= 0) {
      return;
    }
    // The API server only accepts the larger request when the class allows expansion.
    client.persistentVolumes().withName(claim.getSpec().getVolumeName()).edit(pv -> {
      pv.getSpec().getCapacity().put("storage", requested);
      return pv;
    });
    client.persistentVolumeClaims().inNamespace(claim.getMetadata().getNamespace())
        .withName(claim.getMetadata().getName()).editStatus(pvc -> {
          pvc.getStatus().getCapacity().put("storage", requested);
          return pvc;
        });
  }

  private void releaseIfUnused(PersistentVolumeClaim claim) {
    if (!claim.getMetadata().getFinalizers().contains(PVC_PROTECTION) || usedByPod(claim)) {
      return;
    }
    client.persistentVolumeClaims().inNamespace(claim.getMetadata().getNamespace())
        .withName(claim.getMetadata().getName()).edit(pvc -> {
          pvc.getMetadata().getFinalizers().remove(PVC_PROTECTION);
          return pvc;
        });
  }

  private boolean usedByPod(PersistentVolumeClaim claim) {
    List<Pod> pods = new ArrayList<>(client.pods().inNamespace(claim.getMetadata().getNamespace()).list().getItems());
    return pods.stream().flatMap(p -> p.getSpec().getVolumes().stream())
        .anyMatch(v -> v.getPersistentVolumeClaim() != null
            && claim.getMetadata().getName().equals(v.getPersistentVolumeClaim().getClaimName()));
  }

  /** Whether the storage system still holds the data the snapshot's content names. */
  private boolean dataHeld(VolumeSnapshot snapshot) {
    String contentName = snapshot.getStatus().getBoundVolumeSnapshotContentName();
    var content = contentName == null ? null
        : client.resources(io.fabric8.volumesnapshot.api.model.VolumeSnapshotContent.class).withName(contentName).get();
    String handle = content == null || content.getStatus() == null ? null : content.getStatus().getSnapshotHandle();
    return stored.find(handle).isPresent();
  }
}
