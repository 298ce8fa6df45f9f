package dev.kiln.operator.machineimage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.InstancePhase;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.MachineImagePhase;
import dev.kiln.operator.support.Reasons;
import dev.kiln.testing.Fixtures;
import dev.kiln.testing.KilnTestCluster;
import dev.kiln.testing.Manifests;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What baking costs the API server, request by request: images baked at once from running
 * instances of two disks each write what README's benchmark promises, nothing twice, and read
 * nothing the caches hold.
 */
class BakeCostTest {

  @RegisterExtension
  static final KilnTestCluster cluster = KilnTestCluster.withOperator();
  private final Fixtures fixtures = new Fixtures(cluster);

  private static final int IMAGES = 8;

  /** The operator's requests in the test's namespace, by verb and resource ("create pods"). */
  private Map<String, Long> requests() {
    return cluster.operatorRequests().stream().filter(r -> r.namespace().equals(cluster.namespace()))
        .collect(Collectors.groupingBy(r -> r.verb() + " " + r.resource(), TreeMap::new, Collectors.counting()));
  }

  @Test
  void eachImageBakedAtOnceWithOthersCostsEighteenWritesAndNoRead() {
    IntStream.range(0, IMAGES).forEach(i ->
        Manifests.create(cluster.client(), cluster.namespace(), Manifests.twoDiskInstance("web-" + i, "1Gi", "1Gi")));
    // Launched, and announced: the launch's own writes are all in before the bake's are counted.
    IntStream.range(0, IMAGES).forEach(i -> {
      cluster.await(Instance.class, "web-" + i, web -> web.getStatus() != null && web.getStatus().getPhase() == InstancePhase.RUNNING);
      Awaitility.await("web-" + i + " announced running").atMost(KilnTestCluster.DEADLINE)
          .until(() -> cluster.eventReasons("web-" + i).contains(Reasons.RUNNING));
    });
    Map<String, Long> before = requests();

    IntStream.range(0, IMAGES).forEach(i -> fixtures.image("""
        metadata: {name: img-%d}
        spec:
          source: {instance: {name: web-%d, consistency: Stop}}
        """.formatted(i, i)));
    IntStream.range(0, IMAGES).forEach(i -> {
      cluster.await(MachineImage.class, "img-" + i, image -> image.getStatus() != null
          && image.getStatus().getPhase() == MachineImagePhase.AVAILABLE);
      cluster.await(Instance.class, "web-" + i, web -> web.getStatus().getPhase() == InstancePhase.RUNNING
          && web.getStatus().getObservedGeneration() != null);
    });

    Map<String, Long> expected = new TreeMap<>(Map.of(
        "patch machineimages", 1L, // its finalizer
        "patch machineimages/status", 2L, // the instance held, then Available
        "create snapshots", 2L,
        "create volumesnapshots", 2L,
        "patch snapshots/status", 2L, // one each: cut and ready at once
        "patch instances/status", 4L, // Stopping, Stopped, Pending, Running
        "delete pods", 1L,
        "create pods", 1L,
        "create events", 3L)); // the image Available; the instance Stopped, then Running again
    expected.replaceAll((request, perImage) -> perImage * IMAGES);
    Awaitility.await("the bake's requests").atMost(KilnTestCluster.DEADLINE)
        .untilAsserted(() -> assertEquals(expected, bake(before, requests()), "nothing written twice, nothing read"));
    assertEquals(18L * IMAGES, expected.values().stream().mapToLong(Long::longValue).sum());
  }

  /** The requests made since {@code before}, watches (long-running, counted as they start) aside. */
  private static Map<String, Long> bake(Map<String, Long> before, Map<String, Long> after) {
    return after.entrySet().stream()
        .filter(e -> !e.getKey().startsWith("watch "))
        .filter(e -> e.getValue() > before.getOrDefault(e.getKey(), 0L))
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue() - before.getOrDefault(e.getKey(), 0L),
            (a, b) -> a, TreeMap::new));
  }
}
