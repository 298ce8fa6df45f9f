package dev.kiln.operator.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.operator.support.Labels;
import dev.kiln.operator.support.Owners;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs an Instance as a Pod named after it, with each disk as a volume named after the disk. */
public final class PodRuntime implements InstanceRuntime<Pod> {

  /** Annotation on the Pod: the digest of the template and disk wiring it was built from. */
  public static final String SPEC_HASH = "kiln.dev/spec-hash";

  private static final ObjectMapper CANONICAL = new ObjectMapper()
      .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  @Override
  public Class<Pod> machineType() {
    return Pod.class;
  }

  @Override
  public Pod desiredMachine(Instance instance, PodTemplateSpec template, List<MachineDisk> disks) {
    ObjectMeta templateMeta = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
    PodSpec spec = copy(template.getSpec() == null ? new PodSpec() : template.getSpec());
    List<Volume> volumes = new ArrayList<>(spec.getVolumes());
    disks.forEach(d -> volumes.add(volumeFor(d)));
    spec.setVolumes(volumes);

    Map<String, String> labels = new LinkedHashMap<>(templateMeta.getLabels());
    labels.putAll(Labels.ownedBy(Labels.INSTANCE, instance.getMetadata().getName()));
    Map<String, String> annotations = new LinkedHashMap<>(templateMeta.getAnnotations());
    Pod pod = new PodBuilder()
        .withNewMetadata()
        .withName(instance.getMetadata().getName())
        .withNamespace(instance.getMetadata().getNamespace())
        .withLabels(labels)
        .withAnnotations(annotations)
        .withOwnerReferences(Owners.controller(instance))
        .endMetadata()
        .withSpec(spec)
        .build();
    pod.getMetadata().getAnnotations().put(SPEC_HASH, hash(labels, annotations, spec));
    return pod;
  }

  @Override
  public String specHash(Pod pod) {
    return pod.getMetadata().getAnnotations().get(SPEC_HASH);
  }

  @Override
  public MachineState state(Pod pod) {
    Map<String, String> digests = new LinkedHashMap<>();
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    boolean ready = false;
    String message = null;
    if (pod.getStatus() != null) {
      List<ContainerStatus> containers = new ArrayList<>(pod.getStatus().getInitContainerStatuses());
      containers.addAll(pod.getStatus().getContainerStatuses());
      for (ContainerStatus container : containers) {
        if (container.getImageID() != null && container.getImageID().contains("@sha256:")) {
          digests.put(container.getName(), container.getImageID().replaceFirst("^[a-z-]+://", ""));
        }
      }
      ready = pod.getStatus().getConditions().stream()
          .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
      message = pod.getStatus().getMessage() != null ? pod.getStatus().getMessage() : pod.getStatus().getReason();
    }
    MachineState.Phase machinePhase;
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      machinePhase = MachineState.Phase.TERMINATING;
    } else if ("Failed".equals(phase) || "Succeeded".equals(phase)) {
      machinePhase = MachineState.Phase.FAILED;
    } else if ("Running".equals(phase)) {
      machinePhase = MachineState.Phase.RUNNING;
    } else {
      machinePhase = MachineState.Phase.STARTING;
    }
    return new MachineState(machinePhase, ready && machinePhase == MachineState.Phase.RUNNING,
        pod.getSpec().getNodeName(), message, digests);
  }

  private static Volume volumeFor(MachineDisk disk) {
    VolumeBuilder volume = new VolumeBuilder().withName(disk.name());
    if (disk.ephemeral()) {
      return volume.withNewEmptyDir()
          .withSizeLimit(disk.ephemeralSize() == null ? null : new Quantity(disk.ephemeralSize()))
          .endEmptyDir().build();
    }
    return volume.withNewPersistentVolumeClaim().withClaimName(disk.claimName()).endPersistentVolumeClaim().build();
  }

  private static PodSpec copy(PodSpec spec) {
    return CANONICAL.convertValue(spec, PodSpec.class);
  }

  private static String hash(Object... parts) {
    try {
      byte[] canonical = CANONICAL.writeValueAsBytes(parts);
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical);
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
