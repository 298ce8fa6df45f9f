package dev.kiln.testing.sim;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshot;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshotClass;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshotContent;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshotContentBuilder;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshotContentStatusBuilder;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshotStatus;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshotStatusBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Plays the snapshot controller and the CSI driver's snapshotter. For a VolumeSnapshot of a claim it
 * creates the bound VolumeSnapshotContent, then after the cut delay sets creationTime, then after
 * the upload delay readyToUse and restoreSize (with no upload delay, all at the cut, as the
 * snapshot controller reports a driver whose CreateSnapshot answers ready at once). A pre-provisioned content is bound as it is. A driver
 * failure is reported as the snapshot's status.error in the snapshot-controller's words and retried,
 * as csi-snapshotter does: once the failure knob no longer matches, the snapshot is cut and the error
 * goes.
 */
final class SnapshotSimulator {

  private static final String DEFAULT_CLASS = "snapshot.storage.kubernetes.io/is-default-class";
  /** How soon a failed CreateSnapshot is tried again (csi-snapshotter backs off from 1s). */
  private static final java.time.Duration RETRY = java.time.Duration.ofMillis(500);

  private static final double GI = 1024.0 * 1024 * 1024;

  private final KubernetesClient client;
  private final SimulatorSettings settings;
  private final StepScheduler scheduler;
  /**
   * Bytes written to each volume (by PersistentVolume name) since its last cut: none right after a
   * cut (the simulated machines write nothing), the whole volume before its first.
   */
  private final java.util.Map<String, Long> written = new java.util.concurrent.ConcurrentHashMap<>();

  private final StoredSnapshots stored;

  SnapshotSimulator(KubernetesClient client, SimulatorSettings settings, StepScheduler scheduler, StoredSnapshots stored) {
    this.client = client;
    this.settings = settings;
    this.scheduler = scheduler;
    this.stored = stored;
  }

  /** DeleteSnapshot: a content with deletionPolicy Delete takes its data with it; one with Retain leaves it. */
  void onContentDelete(VolumeSnapshotContent content) {
    if ("Delete".equals(content.getSpec().getDeletionPolicy())) {
      String handle = content.getStatus() != null && content.getStatus().getSnapshotHandle() != null
          ? content.getStatus().getSnapshotHandle()
          : content.getSpec().getSource() == null ? null : content.getSpec().getSource().getSnapshotHandle();
      if (handle != null) {
        stored.delete(handle);
      }
    }
  }

  void onChange(String namespace, String name) {
    VolumeSnapshot snapshot = snapshots(namespace).withName(name).get();
    if (snapshot == null || snapshot.getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    VolumeSnapshotStatus status = snapshot.getStatus();
    String key = namespace + "/" + name;
    if (status != null && status.getError() != null) {
      scheduler.after(RETRY, "vs-retry/" + key, () -> cut(namespace, name));
      return;
    }
    if (status == null || status.getBoundVolumeSnapshotContentName() == null) {
      scheduler.after(settings.snapshotCutDelay.plus(incrementalCut(snapshot)), "vs-cut/" + key, () -> cut(namespace, name));
    } else if (!Boolean.TRUE.equals(status.getReadyToUse()) && !settings.uploadsHeld) {
      scheduler.after(settings.snapshotUploadDelay, "vs-upload/" + key, () -> finishUpload(namespace, name));
    }
  }

  /** How long cutting the data written since the volume's previous snapshot takes (snapshotCutPerGi). */
  private java.time.Duration incrementalCut(VolumeSnapshot snapshot) {
    String claimName = snapshot.getSpec().getSource().getPersistentVolumeClaimName();
    if (settings.snapshotCutPerGi.isZero() || claimName == null) {
      return java.time.Duration.ZERO;
    }
    PersistentVolume volume = volumeOf(snapshot.getMetadata().getNamespace(), claimName);
    if (volume == null) {
      return java.time.Duration.ZERO;
    }
    long bytes = written.getOrDefault(volume.getMetadata().getName(),
        volume.getSpec().getCapacity().get("storage").getNumericalAmount().longValue());
    return java.time.Duration.ofMillis((long) (settings.snapshotCutPerGi.toMillis() * bytes / GI));
  }

  private PersistentVolume volumeOf(String namespace, String claimName) {
    PersistentVolumeClaim claim = client.persistentVolumeClaims().inNamespace(namespace).withName(claimName).get();
    return claim == null || claim.getSpec().getVolumeName() == null ? null
        : client.persistentVolumes().withName(claim.getSpec().getVolumeName()).get();
  }

  void onDelete(VolumeSnapshot snapshot) {
    if (snapshot.getStatus() == null || snapshot.getStatus().getBoundVolumeSnapshotContentName() == null) {
      return;
    }
    var content = client.resources(VolumeSnapshotContent.class)
        .withName(snapshot.getStatus().getBoundVolumeSnapshotContentName());
    VolumeSnapshotContent existing = content.get();
    if (existing != null && "Delete".equals(existing.getSpec().getDeletionPolicy())) {
      content.delete();
    }
  }

  private void cut(String namespace, String name) {
    VolumeSnapshot snapshot = snapshots(namespace).withName(name).get();
    if (snapshot == null || snapshot.getMetadata().getDeletionTimestamp() != null
        || (snapshot.getStatus() != null && snapshot.getStatus().getBoundVolumeSnapshotContentName() != null)) {
      return;
    }
    if (snapshot.getSpec().getSource().getVolumeSnapshotContentName() != null) {
      bindPreProvisioned(snapshot);
      return;
    }
    String claimName = snapshot.getSpec().getSource().getPersistentVolumeClaimName();
    PersistentVolumeClaim claim = client.persistentVolumeClaims().inNamespace(namespace).withName(claimName).get();
    if (claim == null) {
      return;
    }
    if (claim.getSpec().getVolumeName() == null) {
      // The real controller retries until the claim is bound.
      scheduler.after(RETRY, "vs-retry/" + namespace + "/" + name, () -> cut(namespace, name));
      return;
    }
    PersistentVolume volume = client.persistentVolumes().withName(claim.getSpec().getVolumeName()).get();
    if (settings.snapshotsFail.test(snapshot)) {
      fail(snapshot, "Failed to check and update snapshot content: failed to take snapshot of the volume "
          + volume.getSpec().getCsi().getVolumeHandle() + ": \"" + settings.snapshotFailureMessage + "\"");
      scheduler.after(RETRY, "vs-retry/" + namespace + "/" + name, () -> cut(namespace, name));
      return;
    }
    String driver = volume.getSpec().getCsi().getDriver();
    Optional<VolumeSnapshotClass> snapshotClass = classFor(snapshot, driver);
    if (snapshotClass.isEmpty()) {
      fail(snapshot, "Failed to get snapshot class with error cannot find default snapshot class for driver " + driver);
      return;
    }
    Instant cutTime = Instant.now();
    written.put(volume.getMetadata().getName(), 0L);
    Quantity restoreSize = volume.getSpec().getCapacity().get("storage");
    // A driver whose CreateSnapshot answers ready_to_use reports the cut and the upload at once.
    boolean readyAtCut = settings.snapshotUploadDelay.isZero() && !settings.uploadsHeld;
    String contentName = "snapcontent-" + snapshot.getMetadata().getUid();
    VolumeSnapshotContent content = new VolumeSnapshotContentBuilder()
        .withNewMetadata().withName(contentName).endMetadata()
        .withNewSpec()
        .withDeletionPolicy(snapshotClass.get().getDeletionPolicy())
        .withDriver(driver)
        .withVolumeSnapshotClassName(snapshotClass.get().getMetadata().getName())
        .withNewSource().withVolumeHandle(volume.getSpec().getCsi().getVolumeHandle()).endSource()
        .withNewVolumeSnapshotRef().withKind("VolumeSnapshot").withNamespace(namespace).withName(name)
        .withUid(snapshot.getMetadata().getUid()).endVolumeSnapshotRef()
        .withSourceVolumeMode(volume.getSpec().getVolumeMode())
        .endSpec()
        .build();
    if (client.resources(VolumeSnapshotContent.class).withName(contentName).get() == null) {
      client.resources(VolumeSnapshotContent.class).resource(content).create();
    }
    stored.cut("snap-" + snapshot.getMetadata().getUid(), restoreSize.getNumericalAmount().longValue(),
        cutTime.getEpochSecond() * 1_000_000_000L + cutTime.getNano());
    client.resources(VolumeSnapshotContent.class).withName(contentName).editStatus(c -> {
      c.setStatus(new VolumeSnapshotContentStatusBuilder()
          .withSnapshotHandle("snap-" + snapshot.getMetadata().getUid())
          .withCreationTime(cutTime.getEpochSecond() * 1_000_000_000L + cutTime.getNano())
          .withRestoreSize(restoreSize.getNumericalAmount().longValue())
          .withReadyToUse(readyAtCut)
          .build());
      return c;
    });
    snapshots(namespace).withName(name).editStatus(vs -> {
      vs.setStatus(new VolumeSnapshotStatusBuilder()
          .withBoundVolumeSnapshotContentName(contentName)
          .withCreationTime(cutTime.truncatedTo(ChronoUnit.SECONDS).toString())
          .withReadyToUse(readyAtCut)
          .withRestoreSize(readyAtCut ? new Quantity(Long.toString(restoreSize.getNumericalAmount().longValue())) : null)
          .build());
      return vs;
    });
  }

  private void finishUpload(String namespace, String name) {
    VolumeSnapshot snapshot = snapshots(namespace).withName(name).get();
    if (snapshot == null || settings.uploadsHeld || snapshot.getStatus() == null
        || snapshot.getStatus().getBoundVolumeSnapshotContentName() == null
        || Boolean.TRUE.equals(snapshot.getStatus().getReadyToUse())) {
      return;
    }
    var content = client.resources(VolumeSnapshotContent.class).withName(snapshot.getStatus().getBoundVolumeSnapshotContentName());
    VolumeSnapshotContent bound = content.get();
    if (bound == null) {
      return;
    }
    content.editStatus(c -> {
      c.getStatus().setReadyToUse(true);
      return c;
    });
    Quantity restoreSize = new Quantity(Long.toString(bound.getStatus().getRestoreSize()));
    snapshots(namespace).withName(name).editStatus(vs -> {
      vs.getStatus().setReadyToUse(true);
      vs.getStatus().setRestoreSize(restoreSize);
      return vs;
    });
  }

  private void bindPreProvisioned(VolumeSnapshot snapshot) {
    String contentName = snapshot.getSpec().getSource().getVolumeSnapshotContentName();
    VolumeSnapshotContent content = client.resources(VolumeSnapshotContent.class).withName(contentName).get();
    if (content == null) {
      return;
    }
    String handle = content.getSpec().getSource().getSnapshotHandle();
    Optional<StoredSnapshots.Stored> data = stored.find(handle);
    if (content.getStatus() == null || content.getStatus().getSnapshotHandle() == null) {
      // What the driver reports of the handle (ListSnapshots); nothing when its data is gone.
      Instant now = Instant.now();
      content = client.resources(VolumeSnapshotContent.class).withName(contentName).editStatus(c -> {
        c.setStatus(new VolumeSnapshotContentStatusBuilder()
            .withSnapshotHandle(handle)
            .withReadyToUse(data.isPresent())
            .withCreationTime(data.map(StoredSnapshots.Stored::creationTime).orElse(now.getEpochSecond() * 1_000_000_000L))
            .withRestoreSize(data.map(StoredSnapshots.Stored::restoreSize).orElse(null))
            .build());
        return c;
      });
    }
    Instant cutTime = Instant.ofEpochSecond(0, content.getStatus().getCreationTime());
    Long bytes = content.getStatus().getRestoreSize();
    boolean ready = Boolean.TRUE.equals(content.getStatus().getReadyToUse());
    snapshots(snapshot.getMetadata().getNamespace()).withName(snapshot.getMetadata().getName()).editStatus(vs -> {
      var status = new VolumeSnapshotStatusBuilder()
          .withBoundVolumeSnapshotContentName(contentName)
          .withCreationTime(cutTime.truncatedTo(ChronoUnit.SECONDS).toString())
          .withReadyToUse(ready)
          .withRestoreSize(bytes == null ? null : new Quantity(Long.toString(bytes)));
      if (!ready) {
        status.withNewError().withMessage("Failed to check and update snapshot content: failed to get snapshot status of "
            + handle + ": snapshot not found").withTime(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()).endError();
      }
      vs.setStatus(status.build());
      return vs;
    });
  }

  private void fail(VolumeSnapshot snapshot, String message) {
    snapshots(snapshot.getMetadata().getNamespace()).withName(snapshot.getMetadata().getName()).editStatus(vs -> {
      vs.setStatus(new VolumeSnapshotStatusBuilder()
          .withReadyToUse(false)
          .withNewError().withMessage(message).withTime(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()).endError()
          .build());
      return vs;
    });
  }

  private Optional<VolumeSnapshotClass> classFor(VolumeSnapshot snapshot, String driver) {
    String named = snapshot.getSpec().getVolumeSnapshotClassName();
    if (named != null) {
      return Optional.ofNullable(client.resources(VolumeSnapshotClass.class).withName(named).get())
          .filter(c -> driver.equals(c.getDriver()));
    }
    return client.resources(VolumeSnapshotClass.class).list().getItems().stream()
        .filter(c -> driver.equals(c.getDriver()))
        .filter(c -> "true".equals(c.getMetadata().getAnnotations().get(DEFAULT_CLASS)))
        .findFirst();
  }

  private NonNamespaceOperation<VolumeSnapshot, KubernetesResourceList<VolumeSnapshot>, Resource<VolumeSnapshot>> snapshots(
      String namespace) {
    return client.resources(VolumeSnapshot.class).inNamespace(namespace);
  }
}
