package dev.kiln.operator.machineimage;

import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.InstancePhase;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.MachineImagePhase;
import dev.kiln.api.v1alpha1.Snapshot;
import dev.kiln.operator.support.ConditionTypes;
import dev.kiln.operator.support.Conditions;
import dev.kiln.operator.support.Labels;
import dev.kiln.testing.Fixtures;
import dev.kiln.testing.KilnTestCluster;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshot;
import java.util.List;
import org.awaitility.Awaitility;

/** The steps capture tests share: a running source instance, waiting for a phase, the image's snapshots. */
final class CaptureScenario {

  private final KilnTestCluster cluster;
  private final Fixtures fixtures;

  CaptureScenario(KilnTestCluster cluster) {
    this.cluster = cluster;
    this.fixtures = new Fixtures(cluster);
  }

  /** Creates the instance and waits until it runs and reports its platform. */
  void runningInstance(String yaml) {
    fixtures.instance(yaml);
    cluster.await(Instance.class, "web", i -> i.getStatus() != null && i.getStatus().getPhase() == InstancePhase.RUNNING
        && i.getStatus().getPlatform() != null);
  }

  MachineImage awaitPhase(String name, MachineImagePhase phase) {
    return cluster.await(MachineImage.class, name, i -> i.getStatus() != null && i.getStatus().getPhase() == phase);
  }

  /** The reason of the image's Available condition. */
  static String availableReason(MachineImage image) {
    return Conditions.find(image.getStatus().getConditions(), ConditionTypes.AVAILABLE).orElseThrow().getReason();
  }

  List<Snapshot> childrenOf(String image) {
    return cluster.client().resources(Snapshot.class).inNamespace(cluster.namespace())
        .withLabel(Labels.IMAGE, image).list().getItems();
  }

  void awaitNoChildren() {
    Awaitility.await("no snapshot left").atMost(KilnTestCluster.DEADLINE).until(() ->
        cluster.client().resources(Snapshot.class).inNamespace(cluster.namespace()).list().getItems().isEmpty()
            && cluster.client().resources(VolumeSnapshot.class).inNamespace(cluster.namespace()).list().getItems().isEmpty());
  }
}
