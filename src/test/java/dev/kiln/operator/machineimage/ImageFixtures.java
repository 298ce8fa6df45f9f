package dev.kiln.operator.machineimage;

import dev.kiln.api.v1alpha1.ImageSource;
import dev.kiln.api.v1alpha1.ImageSourceStatus;
import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.InstancePhase;
import dev.kiln.api.v1alpha1.InstanceSource;
import dev.kiln.api.v1alpha1.InstanceSpec;
import dev.kiln.api.v1alpha1.InstanceStatus;
import dev.kiln.api.v1alpha1.LaunchPermission;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.MachineImagePhase;
import dev.kiln.api.v1alpha1.MachineImageSpec;
import dev.kiln.api.v1alpha1.MachineImageStatus;
import dev.kiln.api.v1alpha1.Snapshot;
import dev.kiln.api.v1alpha1.SnapshotPhase;
import dev.kiln.api.v1alpha1.SnapshotStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;

/** Builders of MachineImages, Instances and Snapshots in a given state, for tests of the pure logic. */
final class ImageFixtures {

  private ImageFixtures() {}

  static MachineImage image(String name, String family, MachineImagePhase phase, String availableTime) {
    MachineImage image = new MachineImage();
    image.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("images")
        .withCreationTimestamp("2026-01-01T00:00:00Z").withUid(name + "-uid").build());
    MachineImageSpec spec = new MachineImageSpec();
    spec.setFamily(family);
    InstanceSource instance = new InstanceSource();
    instance.setName("web");
    ImageSource source = new ImageSource();
    source.setInstance(instance);
    spec.setSource(source);
    image.setSpec(spec);
    if (phase != null) {
      MachineImageStatus status = new MachineImageStatus();
      status.setPhase(phase);
      status.setAvailableTime(availableTime);
      image.setStatus(status);
    }
    return image;
  }

  static MachineImage shared(MachineImage image, String... namespaces) {
    LaunchPermission permission = new LaunchPermission();
    permission.setNamespaces(List.of(namespaces));
    image.getSpec().setLaunchPermission(permission);
    return image;
  }

  static MachineImage holding(MachineImage image, boolean held) {
    ImageSourceStatus source = new ImageSourceStatus();
    source.setInstance("web");
    source.setHeld(held);
    image.getStatus().setSource(source);
    return image;
  }

  static Instance instance(InstancePhase phase) {
    Instance instance = new Instance();
    instance.setMetadata(new ObjectMetaBuilder().withName("web").withNamespace("images").withUid("web-uid").build());
    instance.setSpec(new InstanceSpec());
    InstanceStatus status = new InstanceStatus();
    status.setPhase(phase);
    instance.setStatus(status);
    return instance;
  }

  static Snapshot snapshot(String name, SnapshotPhase phase, String cutTime) {
    Snapshot snapshot = new Snapshot();
    snapshot.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("images").build());
    SnapshotStatus status = new SnapshotStatus();
    status.setPhase(phase);
    status.setCutTime(cutTime);
    snapshot.setStatus(status);
    return snapshot;
  }
}
