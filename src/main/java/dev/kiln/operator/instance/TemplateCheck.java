package dev.kiln.operator.instance;

import dev.kiln.api.v1alpha1.UnreadableTemplate;
import dev.kiln.operator.support.Reasons;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Checks that a template and the disks fit together before a Pod is made of them: a container that
 * mounts a name no disk or template volume has would leave the Pod pending forever.
 */
final class TemplateCheck {

  private TemplateCheck() {}

  static Optional<Finding> check(PodTemplateSpec template, List<PlannedDisk> disks) {
    if (template instanceof UnreadableTemplate unreadable) {
      return Optional.of(new Finding(Reasons.INVALID_TEMPLATE, "the template is not a Pod template: "
          + unreadable.problem()));
    }
    if (template == null || template.getSpec() == null || template.getSpec().getContainers().isEmpty()) {
      return Optional.of(new Finding(Reasons.INVALID_TEMPLATE,
          "the template has no containers: set spec.template.spec.containers"));
    }
    PodSpec spec = template.getSpec();
    Set<String> diskNames = disks.stream().map(PlannedDisk::name).collect(Collectors.toSet());
    Set<String> volumeNames = spec.getVolumes().stream().map(Volume::getName).collect(Collectors.toSet());
    Optional<String> clash = volumeNames.stream().filter(diskNames::contains).sorted().findFirst();
    if (clash.isPresent()) {
      return Optional.of(new Finding(Reasons.DISK_NAME_CONFLICT, "the template defines a volume named "
          + clash.get() + ", which is also a disk name; rename one of them"));
    }
    return Stream.concat(spec.getInitContainers().stream(), spec.getContainers().stream())
        .flatMap(c -> mountedNames(c).map(name -> new String[] {c.getName(), name}))
        .filter(m -> !diskNames.contains(m[1]) && !volumeNames.contains(m[1]))
        .findFirst()
        .map(m -> new Finding(Reasons.UNKNOWN_DISK, "container " + m[0] + " mounts " + m[1]
            + ", which is neither a disk in spec.disks nor a volume of the template"));
  }

  private static Stream<String> mountedNames(Container container) {
    return Stream.concat(container.getVolumeMounts().stream().map(m -> m.getName()),
        container.getVolumeDevices().stream().map(d -> d.getName()));
  }
}
