package dev.kiln.testing.sim;

import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Plays scheduler and kubelet: binds a Pod to the node once all its claims are bound, runs it
 * (Ready unless told otherwise, images reported with digests), and completes its deletion, which
 * without a kubelet would never finish.
 */
final class PodSimulator {

  private final KubernetesClient client;
  private final SimulatorSettings settings;
  private final StepScheduler scheduler;

  PodSimulator(KubernetesClient client, SimulatorSettings settings, StepScheduler scheduler) {
    this.client = client;
    this.settings = settings;
    this.scheduler = scheduler;
  }

  void onChange(String namespace, String name) {
    Pod pod = client.pods().inNamespace(namespace).withName(name).get();
    if (pod == null) {
      return;
    }
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      scheduler.after(settings.podStopDelay, "pod-stop/" + namespace + "/" + name, () -> finishDeletion(namespace, name));
      return;
    }
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    boolean started = "Running".equals(phase) || "Failed".equals(phase) || "Succeeded".equals(phase);
    if (!started && claimsBound(pod)) {
      scheduler.after(settings.podStartDelay, "pod-start/" + namespace + "/" + name, () -> run(namespace, name));
    }
  }

  private boolean claimsBound(Pod pod) {
    for (Volume volume : pod.getSpec().getVolumes()) {
      if (volume.getPersistentVolumeClaim() == null) {
        continue;
      }
      PersistentVolumeClaim claim = client.persistentVolumeClaims().inNamespace(pod.getMetadata().getNamespace())
          .withName(volume.getPersistentVolumeClaim().getClaimName()).get();
      if (claim == null || claim.getStatus() == null || !"Bound".equals(claim.getStatus().getPhase())) {
        return false;
      }
    }
    return true;
  }

  private void run(String namespace, String name) {
    Pod pod = client.pods().inNamespace(namespace).withName(name).get();
    if (pod == null || pod.getMetadata().getDeletionTimestamp() != null || !claimsBound(pod)) {
      return;
    }
    if (pod.getSpec().getNodeName() == null) {
      client.bindings().inNamespace(namespace).resource(new BindingBuilder()
          .withNewMetadata().withName(name).endMetadata()
          .withNewTarget().withKind("Node").withName(StorageFixtures.NODE).endTarget()
          .build()).create();
    }
    boolean fails = settings.podsFail.test(pod);
    boolean ready = !fails && !settings.podsNeverReady.test(pod);
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    List<ContainerStatus> containers = pod.getSpec().getContainers().stream()
        .map(c -> new ContainerStatusBuilder()
            .withName(c.getName())
            .withImage(c.getImage())
            .withImageID(digestOf(c.getImage()))
            .withContainerID("sim://" + pod.getMetadata().getUid() + "/" + c.getName())
            .withReady(ready)
            .withStarted(!fails)
            .withRestartCount(0)
            .withNewState()
            .withNewRunning().withStartedAt(now).endRunning()
            .endState()
            .build())
        .toList();
    PodStatus status = new PodStatusBuilder()
        .withPhase(fails ? "Failed" : "Running")
        .withHostIP("10.0.0.1")
        .withPodIP("10.244.0." + (Math.abs(Objects.hash(namespace, name)) % 250 + 2))
        .withStartTime(now)
        .withConditions(condition("PodScheduled", true, now), condition("Initialized", true, now),
            condition("ContainersReady", ready, now), condition("Ready", ready, now))
        .withContainerStatuses(containers)
        .build();
    if (fails) {
      status.setReason("Error");
      status.setMessage("the machine crashed (simulated)");
    }
    client.pods().inNamespace(namespace).withName(name).editStatus(p -> {
      p.setStatus(status);
      return p;
    });
  }

  private void finishDeletion(String namespace, String name) {
    client.pods().inNamespace(namespace).withName(name).withGracePeriod(0).delete();
  }

  private static PodCondition condition(String type, boolean status, String now) {
    return new PodConditionBuilder().withType(type).withStatus(status ? "True" : "False")
        .withLastTransitionTime(now).build();
  }

  /** A stable, made-up digest for an image reference, as a container runtime would report it. */
  static String digestOf(String image) {
    String repository = image.contains("@") ? image.substring(0, image.indexOf('@')) : stripTag(image);
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(image.getBytes(StandardCharsets.UTF_8));
      return repository + "@sha256:" + HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String stripTag(String image) {
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    return colon > slash ? image.substring(0, colon) : image;
  }
}
