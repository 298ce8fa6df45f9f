package dev.kiln.operator.machineimage;

import dev.kiln.api.v1alpha1.InstanceDiskReference;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.Snapshot;
import dev.kiln.api.v1alpha1.SnapshotHandleSource;
import dev.kiln.api.v1alpha1.SnapshotSource;
import dev.kiln.api.v1alpha1.SnapshotSpec;
import dev.kiln.api.v1alpha1.VolumeMode;
import dev.kiln.operator.snapshot.SnapshotReconciler;
import dev.kiln.operator.support.Creation;
import dev.kiln.operator.support.Labels;
import dev.kiln.operator.support.Owners;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.Collection;
import java.util.Map;

/** The Snapshots an image creates of its source instance's disks: named `<image>-<disk>`, owned by the image. */
final class ImageChildren {

  private final KubernetesClient client;

  ImageChildren(KubernetesClient client) {
    this.client = client;
  }

  static final String PRE_SUFFIX = "-pre";

  static String name(MachineImage image, String disk) {
    return image.getMetadata().getName() + "-" + disk;
  }

  /** The first snapshot of a disk in a two-phase capture. */
  static String preName(MachineImage image, String disk) {
    return name(image, disk) + PRE_SUFFIX;
  }

  /** One of the first snapshots of a two-phase capture, which go once the image is made. */
  static boolean isPre(Snapshot snapshot) {
    return "true".equals(snapshot.getMetadata().getLabels().get(Labels.PRE_SNAPSHOT));
  }

  static boolean isChild(Snapshot snapshot, MachineImage image) {
    return image.getMetadata().getName().equals(snapshot.getMetadata().getLabels().get(Labels.IMAGE))
        && Owners.isControlledBy(snapshot, image);
  }

  void create(MachineImage image, String instance, String disk, Context<MachineImage> context) {
    create(image, instance, disk, false, context);
  }

  /** A first snapshot of a two-phase capture, taken while the instance runs. */
  void createPre(MachineImage image, String instance, String disk, Context<MachineImage> context) {
    create(image, instance, disk, true, context);
  }

  private void create(MachineImage image, String instance, String disk, boolean pre, Context<MachineImage> context) {
    InstanceDiskReference reference = new InstanceDiskReference();
    reference.setName(instance);
    reference.setDisk(disk);
    SnapshotSource source = new SnapshotSource();
    source.setInstance(reference);
    make(image, disk, pre, source, (pre ? "first snapshot of disk " : "disk ") + disk + " of Instance " + instance
        + " for MachineImage " + image.getMetadata().getName(), context);
  }

  /**
   * A Snapshot of the copy {@code image} made from the data of another image's Snapshot: a new
   * reference to that data, which stays as long as either references it.
   */
  void createCopy(MachineImage image, String disk, String original, String driver, String handle, VolumeMode volumeMode,
      Context<MachineImage> context) {
    SnapshotHandleSource data = new SnapshotHandleSource();
    data.setDriver(driver);
    data.setSnapshotHandle(handle);
    data.setVolumeMode(volumeMode);
    SnapshotSource source = new SnapshotSource();
    source.setHandle(data);
    make(image, disk, false, source, "disk " + disk + " of MachineImage " + image.getMetadata().getName()
        + ", copied from Snapshot " + original, context);
  }

  /** Creates the image's Snapshot of a disk (its first one, when {@code pre}), named, labelled and owned as its child. */
  private void make(MachineImage image, String disk, boolean pre, SnapshotSource source, String description,
      Context<MachineImage> context) {
    SnapshotSpec spec = new SnapshotSpec();
    spec.setSource(source);
    spec.setDescription(description);
    Snapshot snapshot = new Snapshot();
    snapshot.setMetadata(new ObjectMetaBuilder()
        .withName(pre ? preName(image, disk) : name(image, disk))
        .withNamespace(image.getMetadata().getNamespace())
        .withLabels(Labels.ownedBy(Labels.IMAGE, image.getMetadata().getName()))
        .addToLabels(Labels.DISK, disk)
        .addToLabels(pre ? Map.of(Labels.PRE_SNAPSHOT, "true") : Map.of())
        .withOwnerReferences(Owners.controller(image))
        // Made with the Snapshot controller's finalizer, which would otherwise cost a write of its own.
        .withFinalizers(SnapshotReconciler.FINALIZER)
        .build());
    snapshot.setSpec(spec);
    Creation.remembered(context, image,
        () -> client.resources(Snapshot.class).inNamespace(image.getMetadata().getNamespace()).resource(snapshot).create());
  }

  void delete(Collection<Snapshot> children) {
    children.stream().filter(s -> s.getMetadata().getDeletionTimestamp() == null).forEach(s ->
        client.resources(Snapshot.class).inNamespace(s.getMetadata().getNamespace()).withName(s.getMetadata().getName()).delete());
  }

  /** Drops the image's owner reference so the snapshots outlive it (deletionPolicy Retain). */
  void release(MachineImage image, Collection<Snapshot> children) {
    for (Snapshot child : children) {
      client.resources(Snapshot.class).inNamespace(child.getMetadata().getNamespace()).withName(child.getMetadata().getName())
          .edit(s -> {
            s.getMetadata().getOwnerReferences().removeIf(r -> image.getMetadata().getUid().equals(r.getUid()));
            return s;
          });
    }
  }
}
