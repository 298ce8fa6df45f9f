package dev.kiln.operator.instance;

import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.Snapshot;
import dev.kiln.operator.support.Caches;
import dev.kiln.operator.support.Labels;
import dev.kiln.operator.runtime.MachineCache;
import dev.kiln.operator.support.LeanItemStore;
import dev.kiln.operator.support.Mapping;
import dev.kiln.operator.support.WrittenCopies;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshot;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What wakes the Instance controller: its Pod, its claims (and claims squatting on their names), the
 * Snapshots its disks start from, and images it launches from or that hold it stopped.
 */
final class InstanceEventSources {

  static final String SNAPSHOT_INDEX = "instance-by-snapshot";
  static final String CLAIM_INDEX = "instance-by-claim";
  static final String IMAGE_INDEX = "instance-by-image";
  /** MachineImages by the Instance they capture (spec.source.instance), as namespace/instance. */
  static final String CAPTURING_INDEX = "image-by-source-instance";

  private InstanceEventSources() {}

  static List<EventSource<?, Instance>> of(EventSourceContext<Instance> context, MachineCache machines) {
    IndexerResourceCache<Instance> primaries = context.getPrimaryCache();
    primaries.addIndexer(SNAPSHOT_INDEX, instance -> snapshotIds(instance).stream()
        .map(id -> Mapping.key(id.getNamespace().orElseThrow(), id.getName())).toList());
    primaries.addIndexer(CLAIM_INDEX, instance -> Mapping.keys(instance, claimNames(instance)));
    primaries.addIndexer(IMAGE_INDEX, InstanceEventSources::imageKeys);
    var images = new InformerEventSource<>(LeanItemStore.informer(MachineImage.class, context)
        .withSecondaryToPrimaryMapper(image -> concernedBy(image, primaries))
        .withPrimaryToSecondaryMapper((Instance i) -> Set.of())
        .build(), context);
    images.addIndexers(java.util.Map.of(CAPTURING_INDEX, image -> image.getSpec() == null
        || image.getSpec().getSource().getInstance() == null ? List.of()
        : List.of(Mapping.key(image.getMetadata().getNamespace(), image.getSpec().getSource().getInstance().getName()))));
    var pods = new InformerEventSource<>(LeanItemStore.informer(Pod.class, context)
        .withLabelSelector(Labels.INSTANCE)
        .withSecondaryToPrimaryMapper(Mapping.byLabel(Labels.INSTANCE))
        .withPrimaryToSecondaryMapper((Instance i) -> Set.of(ResourceID.fromResource(i)))
        .build(), context);
    machines.share(pods);
    return List.of(
        new WrittenCopies<>(),
        pods,
        // Claims are watched unfiltered, so that a claim someone else made under a disk's claim name is
        // seen as the conflict it is, and its removal ends the conflict.
        new InformerEventSource<>(LeanItemStore.informer(PersistentVolumeClaim.class, context)
            .withSecondaryToPrimaryMapper(Mapping.either(Mapping.byLabel(Labels.INSTANCE),
                Mapping.<Instance, PersistentVolumeClaim>byIndex(primaries, CLAIM_INDEX, InstanceEventSources::keyOf)))
            .withPrimaryToSecondaryMapper((Instance i) -> ids(i, claimNames(i)))
            .build(), context),
        new InformerEventSource<>(LeanItemStore.informer(Snapshot.class, context)
            .withSecondaryToPrimaryMapper(Mapping.<Instance, Snapshot>byIndex(primaries, SNAPSHOT_INDEX, InstanceEventSources::keyOf))
            .withPrimaryToSecondaryMapper(InstanceEventSources::snapshotIds)
            .build(), context),
        // Local copies of snapshots shared from other namespaces.
        new InformerEventSource<>(LeanItemStore.informer(VolumeSnapshot.class, context)
            .withLabelSelector(Labels.INSTANCE)
            .withSecondaryToPrimaryMapper(Mapping.byLabel(Labels.INSTANCE))
            .withPrimaryToSecondaryMapper((Instance i) -> ids(i, copyNames(i)))
            .build(), context),
        images);
  }


  /** The MachineImages that capture the Instance: the only ones that may hold it. */
  static List<MachineImage> capturing(Context<Instance> context, Instance instance) {
    return Caches.byIndex(context, MachineImage.class, CAPTURING_INDEX, keyOf(instance));
  }

  /** The MachineImages of a namespace, from the informer cache. */
  static List<MachineImage> images(Context<Instance> context, String namespace) {
    return Caches.inNamespace(context, MachineImage.class, namespace);
  }

  private static String keyOf(io.fabric8.kubernetes.api.model.HasMetadata object) {
    return Mapping.key(object.getMetadata().getNamespace(), object.getMetadata().getName());
  }

  private static List<String> imageKeys(Instance instance) {
    if (instance.getSpec() == null || instance.getSpec().getImage() == null) {
      return List.of();
    }
    String namespace = ImageResolver.namespaceOf(instance);
    var reference = instance.getSpec().getImage();
    return List.of(reference.getName() != null ? namespace + "/name/" + reference.getName()
        : namespace + "/family/" + reference.getFamily());
  }

  /** Instances waiting for the image by name or family, and the instance it captures. */
  private static Set<ResourceID> concernedBy(MachineImage image, IndexerResourceCache<Instance> primaries) {
    String namespace = image.getMetadata().getNamespace();
    Set<ResourceID> concerned = new HashSet<>();
    primaries.byIndex(IMAGE_INDEX, namespace + "/name/" + image.getMetadata().getName())
        .forEach(i -> concerned.add(ResourceID.fromResource(i)));
    if (image.getSpec() == null) {
      return concerned;
    }
    if (image.getSpec().getFamily() != null) {
      primaries.byIndex(IMAGE_INDEX, namespace + "/family/" + image.getSpec().getFamily())
          .forEach(i -> concerned.add(ResourceID.fromResource(i)));
    }
    if (image.getSpec().getSource().getInstance() != null) {
      concerned.add(new ResourceID(image.getSpec().getSource().getInstance().getName(), namespace));
    }
    return concerned;
  }

  private static List<String> claimNames(Instance instance) {
    if (instance.getSpec() == null) {
      return List.of();
    }
    return DiskPlanner.plan(instance).stream().map(PlannedDisk::claimName).filter(Objects::nonNull).toList();
  }

  /** The Snapshots the disks start from, in this namespace or, for a shared image, in the image's. */
  private static Set<ResourceID> snapshotIds(Instance instance) {
    if (instance.getSpec() == null) {
      return Set.of();
    }
    return DiskPlanner.plan(instance).stream().filter(d -> d.snapshot() != null)
        .map(d -> new ResourceID(d.snapshot(), d.sharedSnapshot() ? d.snapshotNamespace() : instance.getMetadata().getNamespace()))
        .collect(Collectors.toSet());
  }

  private static List<String> copyNames(Instance instance) {
    if (instance.getSpec() == null) {
      return List.of();
    }
    return DiskPlanner.plan(instance).stream().filter(PlannedDisk::sharedSnapshot).map(PlannedDisk::volumeSnapshot).toList();
  }

  private static Set<ResourceID> ids(Instance instance, List<String> names) {
    return names.stream().map(n -> new ResourceID(n, instance.getMetadata().getNamespace())).collect(Collectors.toSet());
  }
}
