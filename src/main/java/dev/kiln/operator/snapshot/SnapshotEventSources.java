package dev.kiln.operator.snapshot;

import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.Snapshot;
import dev.kiln.operator.storage.SnapshotReferences;
import dev.kiln.operator.support.Labels;
import dev.kiln.operator.support.LeanItemStore;
import dev.kiln.operator.support.Lookups;
import dev.kiln.operator.support.Mapping;
import dev.kiln.operator.support.WrittenCopies;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshot;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshotClass;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshotContent;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What wakes the Snapshot controller: its VolumeSnapshot, the claim and the instance it copies (they
 * may appear or bind after it), and the MachineImages that use it.
 */
final class SnapshotEventSources {

  static final String CLAIM_INDEX = "snapshot-by-claim";
  static final String INSTANCE_INDEX = "snapshot-by-instance";
  static final String IMAGE_INDEX = "snapshot-by-owning-image";

  private SnapshotEventSources() {}

  static List<EventSource<?, Snapshot>> of(EventSourceContext<Snapshot> context, SnapshotReferences references) {
    var primaries = context.getPrimaryCache();
    primaries.addIndexer(CLAIM_INDEX, s -> s.getSpec() == null || SourceResolver.claimOf(s) == null ? List.of()
        : List.of(Mapping.key(s.getMetadata().getNamespace(), SourceResolver.claimOf(s))));
    primaries.addIndexer(IMAGE_INDEX, s -> s.getMetadata().getLabels().containsKey(Labels.IMAGE)
        ? List.of(Mapping.key(s.getMetadata().getNamespace(), s.getMetadata().getLabels().get(Labels.IMAGE))) : List.of());
    // Only Snapshots still to be made from their Instance's disk hear of its changes: once the
    // VolumeSnapshot exists, the cut is the volume's, and an Instance changes four times a bake.
    primaries.addIndexer(INSTANCE_INDEX, s -> s.getSpec() == null || s.getSpec().getSource().getInstance() == null
        || s.getStatus() != null && s.getStatus().getVolumeSnapshot() != null ? List.of()
        : List.of(Mapping.key(s.getMetadata().getNamespace(), s.getSpec().getSource().getInstance().getName())));
    // A content is named by the snapshot controller; it points back at its VolumeSnapshot, named as the Snapshot.
    var contents = new InformerEventSource<>(LeanItemStore.<VolumeSnapshotContent, Snapshot>clusterWide(VolumeSnapshotContent.class, context)
        .withSecondaryToPrimaryMapper(content -> content.getSpec() == null || content.getSpec().getVolumeSnapshotRef() == null
            ? Set.of() : Set.of(new ResourceID(content.getSpec().getVolumeSnapshotRef().getName(),
                content.getSpec().getVolumeSnapshotRef().getNamespace())))
        .build(), context);
    // Who else references the data a Snapshot's content names: deleting it must leave theirs.
    SnapshotReferences.indexByHandle(contents);
    references.share(contents);
    return List.of(
        new WrittenCopies<>(),
        new InformerEventSource<>(LeanItemStore.informer(VolumeSnapshot.class, context)
            .withLabelSelector(Labels.SNAPSHOT)
            .withSecondaryToPrimaryMapper(Mapping.byLabel(Labels.SNAPSHOT))
            .withPrimaryToSecondaryMapper((Snapshot s) -> Set.of(ResourceID.fromResource(s)))
            .build(), context),
        new InformerEventSource<>(LeanItemStore.informer(PersistentVolumeClaim.class, context)
            .withSecondaryToPrimaryMapper(Mapping.<Snapshot, PersistentVolumeClaim>byIndex(primaries, CLAIM_INDEX,
                c -> Mapping.key(c.getMetadata().getNamespace(), c.getMetadata().getName())))
            .withPrimaryToSecondaryMapper((Snapshot s) -> SourceResolver.claimOf(s) == null ? Set.of()
                : Set.of(new ResourceID(SourceResolver.claimOf(s), s.getMetadata().getNamespace())))
            .build(), context),
        new InformerEventSource<>(LeanItemStore.informer(Instance.class, context)
            .withSecondaryToPrimaryMapper(Mapping.<Snapshot, Instance>byIndex(primaries, INSTANCE_INDEX,
                i -> Mapping.key(i.getMetadata().getNamespace(), i.getMetadata().getName())))
            .withPrimaryToSecondaryMapper((Snapshot s) -> s.getSpec().getSource().getInstance() == null ? Set.of()
                : Set.of(new ResourceID(s.getSpec().getSource().getInstance().getName(), s.getMetadata().getNamespace())))
            .build(), context),
        // An image maps to the snapshots it uses and to those it made: when it fails, it stops using
        // the latter, and they must hear of it.
        new InformerEventSource<>(LeanItemStore.informer(MachineImage.class, context)
            .withSecondaryToPrimaryMapper(Mapping.either(
                image -> SnapshotUsage.snapshotsOf(image).stream()
                    .map(s -> new ResourceID(s, image.getMetadata().getNamespace())).collect(Collectors.toSet()),
                Mapping.<Snapshot, MachineImage>byIndex(primaries, IMAGE_INDEX,
                    i -> Mapping.key(i.getMetadata().getNamespace(), i.getMetadata().getName()))))
            .withOnUpdateFilter((image, before) -> SnapshotUsage.concernsSnapshots(before, image))
            .build(), context),
        contents,
        Lookups.clusterWide(PersistentVolume.class, context),
        Lookups.clusterWide(VolumeSnapshotClass.class, context));
  }
}
