package dev.kiln.operator.support;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Maps events on secondary objects to the Kiln objects they concern. */
public final class Mapping {

  private Mapping() {}

  /** To the object of the same namespace named by a label of the secondary. */
  public static <R extends HasMetadata> SecondaryToPrimaryMapper<R> byLabel(String label) {
    return secondary -> {
      String owner = secondary.getMetadata().getLabels().get(label);
      return owner == null ? Set.of() : Set.of(new ResourceID(owner, secondary.getMetadata().getNamespace()));
    };
  }

  /**
   * To the primaries whose index entry {@code index} contains the key {@code key} computes for the
   * secondary: how a Snapshot finds the Instances whose disks name it.
   */
  public static <P extends HasMetadata, R extends HasMetadata> SecondaryToPrimaryMapper<R> byIndex(
      IndexerResourceCache<P> primaries, String index, Function<R, String> key) {
    return secondary -> primaries.byIndex(index, key.apply(secondary)).stream()
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  /** To the primaries either mapper names. */
  public static <R extends HasMetadata> SecondaryToPrimaryMapper<R> either(SecondaryToPrimaryMapper<R> first,
      SecondaryToPrimaryMapper<R> second) {
    return secondary -> {
      Set<ResourceID> all = new HashSet<>(first.toPrimaryResourceIDs(secondary));
      all.addAll(second.toPrimaryResourceIDs(secondary));
      return all;
    };
  }

  /** Index keys are namespace-qualified names. */
  public static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  public static <P extends HasMetadata> List<String> keys(P primary, List<String> names) {
    return names.stream().map(n -> key(primary.getMetadata().getNamespace(), n)).toList();
  }
}
