package dev.kiln.testing;

import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.MachineImagePhase;
import dev.kiln.api.v1alpha1.MachineImageStatus;
import dev.kiln.api.v1alpha1.Snapshot;
import dev.kiln.api.v1alpha1.SnapshotPhase;
import dev.kiln.api.v1alpha1.SnapshotStatus;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshot;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshotBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * The floor of a bake: how long the same images take when a plain client bakes them, with no
 * operator and perfect knowledge. Per image it writes what a bake cannot do without (the
 * MachineImage, two Snapshots and their VolumeSnapshots, the machine's Pod deleted and created
 * again, a status for each Snapshot and one for the image: ten writes; the statuses are those the
 * bake's objects ended with, so that the floor writes the same objects users read) and waits, as any baker must,
 * for what the simulated kubelet and CSI driver do in between: the Pod gone before the cut, both
 * snapshots cut before the Pod comes back, both ready before the image is. What it waits for is read
 * from informer caches; its writes go out on as many threads as the benchmark's client has.
 */
final class BakeFloor {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final List<String> DISKS = List.of("root", "data");
  private static final Duration TICK = Duration.ofMillis(10);

  private final KubernetesClient client;
  private final String namespace;
  private final int threads;
  private final SnapshotStatus snapshotStatus;
  private final MachineImageStatus imageStatus;

  /**
   * @param snapshotStatus the status a Snapshot of the bake ended with, which the floor writes for each of its own
   * @param imageStatus the status an image of the bake ended with, likewise: the same objects, as users read them
   */
  BakeFloor(KubernetesClient client, String namespace, int threads, SnapshotStatus snapshotStatus,
      MachineImageStatus imageStatus) {
    this.client = client;
    this.namespace = namespace;
    this.threads = threads;
    this.snapshotStatus = snapshotStatus;
    this.imageStatus = imageStatus;
  }

  /** Runs n machines with two claims each, as the Instances of the bake are, and returns the bake's seconds. */
  double bake(int n, Duration limit) {
    try (SharedIndexInformer<Pod> pods = client.pods().inNamespace(namespace).inform();
        SharedIndexInformer<VolumeSnapshot> snapshots = client.resources(VolumeSnapshot.class).inNamespace(namespace).inform()) {
      ImageBenchmark.parallel(n, i -> {
        DISKS.forEach(disk -> client.persistentVolumeClaims().inNamespace(namespace).resource(claim(i, disk)).create());
        client.pods().inNamespace(namespace).resource(pod(i)).create();
      });
      Awaitility.await("floor machines running").atMost(limit).pollInterval(Duration.ofMillis(500))
          .until(() -> pods.getStore().list().stream().filter(BakeFloor::running).count() == n);

      CountDownLatch done = new CountDownLatch(n);
      ScheduledExecutorService pool = Executors.newScheduledThreadPool(threads);
      long start = System.nanoTime();
      try {
        for (int i = 0; i < n; i++) {
          new Baker(i, pool, pods, snapshots, done).next();
        }
        if (!done.await(limit.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new IllegalStateException("the floor's bake did not finish within " + limit);
        }
        return (System.nanoTime() - start) / 1e9;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /** One image's bake: each stage writes once its precondition holds in the caches. */
  private final class Baker {
    private final int i;
    private final ScheduledExecutorService pool;
    private final SharedIndexInformer<Pod> pods;
    private final SharedIndexInformer<VolumeSnapshot> snapshots;
    private final CountDownLatch done;
    private final List<Snapshot> kilnSnapshots = new ArrayList<>();
    private MachineImage image;
    private int stage;

    Baker(int i, ScheduledExecutorService pool, SharedIndexInformer<Pod> pods, SharedIndexInformer<VolumeSnapshot> snapshots,
        CountDownLatch done) {
      this.i = i;
      this.pool = pool;
      this.pods = pods;
      this.snapshots = snapshots;
      this.done = done;
    }

    void next() {
      pool.schedule(this::step, stage == 0 ? 0 : TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void step() {
      try {
        switch (stage) {
          case 0 -> stop();
          case 1 -> { if (pods.getStore().getByKey(namespace + "/" + podName()) == null) cut(); }
          case 2 -> { if (bothSnapshots(s -> s.getStatus() != null && s.getStatus().getCreationTime() != null)) restart(); }
          case 3 -> { if (bothSnapshots(s -> s.getStatus() != null && Boolean.TRUE.equals(s.getStatus().getReadyToUse()))) finish(); }
          default -> throw new IllegalStateException("stage " + stage);
        }
      } catch (RuntimeException e) {
        System.err.println("[floor] image " + i + " stage " + stage + ": " + e.getMessage());
      }
      if (stage < 4) {
        next();
      } else {
        done.countDown();
      }
    }

    private void stop() {
      image = client.resources(MachineImage.class).inNamespace(namespace)
          .resource(SERIALIZATION.unmarshal(ImageBenchmark.image(i), MachineImage.class)).create();
      for (String disk : DISKS) {
        kilnSnapshots.add(client.resources(Snapshot.class).inNamespace(namespace).resource(SERIALIZATION.unmarshal("""
            apiVersion: kiln.dev/v1alpha1
            kind: Snapshot
            metadata: {name: img-%d-%s, labels: {kiln.dev/image: img-%d, kiln.dev/disk: %s}}
            spec: {source: {instance: {name: web-%d, disk: %s}}}
            """.formatted(i, disk, i, disk, i, disk), Snapshot.class)).create());
      }
      client.pods().inNamespace(namespace).withName(podName()).delete();
      stage = 1;
    }

    private void cut() {
      for (String disk : DISKS) {
        client.resources(VolumeSnapshot.class).inNamespace(namespace).resource(new VolumeSnapshotBuilder()
            .withNewMetadata().withName(snapshotName(disk)).endMetadata()
            .withNewSpec().withNewSource().withPersistentVolumeClaimName(claimName(i, disk)).endSource().endSpec()
            .build()).create();
      }
      stage = 2;
    }

    private void restart() {
      client.pods().inNamespace(namespace).resource(pod(i)).create();
      stage = 3;
    }

    private void finish() {
      for (Snapshot snapshot : kilnSnapshots) {
        SnapshotStatus status = SERIALIZATION.convertValue(snapshotStatus, SnapshotStatus.class);
        status.setVolumeSnapshot(snapshot.getMetadata().getName());
        snapshot.setStatus(status);
        client.resources(Snapshot.class).inNamespace(namespace).resource(snapshot).updateStatus();
      }
      MachineImageStatus status = SERIALIZATION.convertValue(imageStatus, MachineImageStatus.class);
      image.setStatus(status);
      client.resources(MachineImage.class).inNamespace(namespace).resource(image).updateStatus();
      stage = 4;
    }

    private boolean bothSnapshots(Predicate<VolumeSnapshot> condition) {
      return DISKS.stream().map(disk -> snapshots.getStore().getByKey(namespace + "/" + snapshotName(disk)))
          .allMatch(s -> s != null && condition.test(s));
    }

    private String snapshotName(String disk) {
      return "img-" + i + "-" + disk;
    }

    private String podName() {
      return "machine-" + i;
    }
  }

  private static boolean running(Pod pod) {
    return pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase())
        && pod.getMetadata().getDeletionTimestamp() == null;
  }

  private static String claimName(int i, String disk) {
    return "machine-" + i + "-" + disk;
  }

  private static PersistentVolumeClaim claim(int i, String disk) {
    return new PersistentVolumeClaimBuilder().withNewMetadata().withName(claimName(i, disk)).endMetadata()
        .withNewSpec().withAccessModes("ReadWriteOnce")
        .withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources()
        .endSpec().build();
  }

  private static Pod pod(int i) {
    PodBuilder pod = new PodBuilder().withNewMetadata().withName("machine-" + i).endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("nginx:1.27").endContainer().endSpec();
    for (String disk : DISKS) {
      pod.editSpec().addNewVolume().withName(disk).withNewPersistentVolumeClaim().withClaimName(claimName(i, disk))
          .endPersistentVolumeClaim().endVolume().endSpec();
    }
    return pod.build();
  }
}
