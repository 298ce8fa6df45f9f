package dev.kiln.testing;

import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.Snapshot;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;

/** Creates Kiln objects from YAML, the way users write them. */
public final class Fixtures {

  private final KilnTestCluster cluster;

  public Fixtures(KilnTestCluster cluster) {
    this.cluster = cluster;
  }

  public Instance instance(String yaml) {
    return create(Instance.class, "Instance", yaml);
  }

  public Snapshot snapshot(String yaml) {
    return create(Snapshot.class, "Snapshot", yaml);
  }

  public MachineImage image(String yaml) {
    return create(MachineImage.class, "MachineImage", yaml);
  }

  /** A snapshot of an instance's disk. */
  public Snapshot snapshotOfDisk(String name, String instance, String disk) {
    return snapshot("""
        metadata: {name: %s}
        spec:
          source: {instance: {name: %s, disk: %s}}
        """.formatted(name, instance, disk));
  }

  /** A 1Gi PersistentVolumeClaim of the given StorageClass, once it is bound. */
  public PersistentVolumeClaim boundClaim(String name, String storageClass) {
    cluster.client().persistentVolumeClaims().inNamespace(cluster.namespace()).resource(new PersistentVolumeClaimBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withStorageClassName(storageClass).withAccessModes("ReadWriteOnce")
        .withNewResources().withRequests(Map.of("storage", new Quantity("1Gi"))).endResources().endSpec()
        .build()).create();
    return cluster.await(PersistentVolumeClaim.class, name,
        c -> c.getStatus() != null && "Bound".equals(c.getStatus().getPhase()));
  }

  private <T extends io.fabric8.kubernetes.api.model.HasMetadata> T create(Class<T> type, String kind, String yaml) {
    KubernetesClient client = cluster.client();
    String full = "apiVersion: kiln.dev/v1alpha1\nkind: " + kind + "\n" + yaml;
    T object = client.getKubernetesSerialization().unmarshal(full, type);
    return client.resource(object).inNamespace(cluster.namespace()).create();
  }
}
