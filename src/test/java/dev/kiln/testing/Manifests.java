package dev.kiln.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** Objects written as YAML in tests, with apiVersion and kind, as a user would apply them. */
public final class Manifests {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private Manifests() {}

  public static HasMetadata parse(String yaml) {
    return (HasMetadata) SERIALIZATION.unmarshal(yaml);
  }

  /** An Instance running one container with two persistent disks, root and data, as bakes capture it. */
  public static String twoDiskInstance(String name, String rootSize, String dataSize) {
    return """
        apiVersion: kiln.dev/v1alpha1
        kind: Instance
        metadata: {name: %s}
        spec:
          template:
            spec:
              containers:
              - {name: app, image: nginx:1.27, volumeMounts: [{name: root, mountPath: /srv}, {name: data, mountPath: /data}]}
          disks:
          - {name: root, size: %s}
          - {name: data, size: %s}
        """.formatted(name, rootSize, dataSize);
  }

  /** Creates the object in {@code namespace} as {@code client}'s user. */
  public static HasMetadata create(KubernetesClient client, String namespace, String yaml) {
    return client.resource(parse(yaml)).inNamespace(namespace).create();
  }
}
