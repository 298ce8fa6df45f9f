package dev.kiln.testing.sim;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshot;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshotContent;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Plays the parts a bare API server lacks: scheduler and kubelet ({@link PodSimulator}), the CSI
 * provisioner and PV controller ({@link VolumeSimulator}) and the snapshot controller and CSI
 * snapshotter ({@link SnapshotSimulator}). It watches the cluster like those components do and acts
 * on one thread, with the delays and faults of its {@link SimulatorSettings}.
 */
public final class ClusterSimulator implements AutoCloseable {

  private final KubernetesClient client;
  private final StepScheduler scheduler;
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private SharedIndexInformer<Pod> podCache;
  private SharedIndexInformer<PersistentVolumeClaim> claimCache;
  private SimulatorSettings settings = new SimulatorSettings();
  private PodSimulator pods;
  private VolumeSimulator volumes;
  private SnapshotSimulator snapshots;
  /** Outlives a reset: the storage system keeps its data from one test to the next. */
  private final StoredSnapshots stored = new StoredSnapshots();

  public ClusterSimulator(KubernetesClient client) {
    this(client, 1);
  }

  /** @param lanes how many objects the simulator works on at once (one keeps every step in order) */
  public ClusterSimulator(KubernetesClient client, int lanes) {
    this.client = client;
    this.scheduler = new StepScheduler(lanes);
  }

  private static String objectOf(io.fabric8.kubernetes.api.model.HasMetadata object) {
    return object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
  }

  public void start() {
    StorageFixtures.install(client);
    wire();
    podCache = client.pods().inAnyNamespace().inform(handler(
        (ns, name) -> pods.onChange(ns, name), this::onPodDelete));
    informers.add(podCache);
    claimCache = client.persistentVolumeClaims().inAnyNamespace().inform(handler(
        this::onClaimChange, (PersistentVolumeClaim c) -> volumes.onDelete(c)));
    informers.add(claimCache);
    informers.add(client.resources(VolumeSnapshot.class).inAnyNamespace().inform(handler(
        this::onSnapshotChange, (VolumeSnapshot s) -> snapshots.onDelete(s))));
    informers.add(client.resources(VolumeSnapshotContent.class).inform(handler(
        (namespace, name) -> { }, (VolumeSnapshotContent c) -> snapshots.onContentDelete(c))));
  }

  /** The snapshot data the simulated storage system holds. */
  public StoredSnapshots storedSnapshots() {
    return stored;
  }

  /** Fresh settings for the next test; steps already waiting finish with the settings they had. */
  public void reset() {
    settings = new SimulatorSettings();
    wire();
  }

  public SimulatorSettings settings() {
    return settings;
  }

  /** Lets held snapshot uploads finish. */
  public void releaseUploads() {
    settings.holdUploads(false);
    client.resources(VolumeSnapshot.class).inAnyNamespace().list().getItems()
        .forEach(s -> scheduler.now(objectOf(s), () -> snapshots.onChange(s.getMetadata().getNamespace(), s.getMetadata().getName())));
  }

  private void wire() {
    pods = new PodSimulator(client, settings, scheduler);
    volumes = new VolumeSimulator(client, settings, scheduler, stored);
    snapshots = new SnapshotSimulator(client, settings, scheduler, stored);
  }

  // The neighbours of a changed object come from the informers' caches, not from a LIST per event,
  // which at a few hundred objects in a namespace would cost the API server more than the operator does.

  private void onClaimChange(String namespace, String name) {
    volumes.onChange(namespace, name);
    // A pod waits for its claims, so a claim that changed may let the pods using it start.
    podCache.getStore().list().stream()
        .filter(p -> namespace.equals(p.getMetadata().getNamespace()) && claimsOf(p).contains(name))
        .forEach(p -> pods.onChange(namespace, p.getMetadata().getName()));
  }

  private void onPodDelete(Pod pod) {
    // A claim being deleted waits until no pod uses it.
    String namespace = pod.getMetadata().getNamespace();
    List<String> used = claimsOf(pod);
    claimCache.getStore().list().stream()
        .filter(c -> namespace.equals(c.getMetadata().getNamespace()) && used.contains(c.getMetadata().getName()))
        .filter(c -> c.getMetadata().getDeletionTimestamp() != null)
        .forEach(c -> volumes.onChange(namespace, c.getMetadata().getName()));
  }

  private void onSnapshotChange(String namespace, String name) {
    snapshots.onChange(namespace, name);
    // Claims restored from a snapshot wait until it is ready.
    claimCache.getStore().list().stream()
        .filter(c -> namespace.equals(c.getMetadata().getNamespace()))
        .filter(c -> c.getSpec().getDataSource() != null && name.equals(c.getSpec().getDataSource().getName()))
        .forEach(c -> volumes.onChange(namespace, c.getMetadata().getName()));
  }

  private static List<String> claimsOf(Pod pod) {
    return pod.getSpec() == null || pod.getSpec().getVolumes() == null ? List.of() : pod.getSpec().getVolumes().stream()
        .filter(v -> v.getPersistentVolumeClaim() != null).map(v -> v.getPersistentVolumeClaim().getClaimName()).toList();
  }

  private <T extends HasMetadata> ResourceEventHandler<T> handler(BiConsumer<String, String> onChange, Consumer<T> onDelete) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        changed(obj);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        changed(newObj);
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        scheduler.now(objectOf(obj), () -> onDelete.accept(obj));
      }

      private void changed(T obj) {
        scheduler.now(objectOf(obj), () -> onChange.accept(obj.getMetadata().getNamespace(), obj.getMetadata().getName()));
      }
    };
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
    scheduler.close();
  }
}
