package dev.kiln.testing;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Helm chart, rendered by Helm itself, as a user installs it: release {@value #NAME} in namespace
 * {@value #NAMESPACE}. Tests install its objects and run the operator with its ServiceAccount's
 * token, so that the operator holds exactly the permissions the chart grants.
 */
public final class ChartRelease {

  public static final String NAME = "kiln";
  public static final String NAMESPACE = "kiln-system";
  /** The user the operator authenticates as. */
  public static final String OPERATOR_USER = "system:serviceaccount:" + NAMESPACE + ":" + NAME;
  public static final Path CHART = Path.of("helm", "kiln");

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private final Map<String, Object> values = new TreeMap<>();

  /** Sets a value as `--set key=value` does. */
  public ChartRelease set(String key, Object value) {
    values.put(key, value);
    return this;
  }

  /** Sets watchNamespaces, as `--set watchNamespaces={a,b}` does. */
  public ChartRelease watching(List<String> namespaces) {
    for (int i = 0; i < namespaces.size(); i++) {
      set("watchNamespaces[" + i + "]", namespaces.get(i));
    }
    return this;
  }

  /** The rendered manifest. */
  public String render() {
    TemplateCommand template = new Helm(CHART).template().withName(NAME).withNamespace(NAMESPACE);
    values.forEach(template::set);
    return template.call();
  }

  /** The rendered objects. */
  public List<HasMetadata> objects() {
    List<HasMetadata> objects = new ArrayList<>();
    for (String document : render().split("(?m)^---\\s*$")) {
      if (!document.lines().allMatch(l -> l.isBlank() || l.startsWith("#"))) {
        Object parsed = SERIALIZATION.unmarshal(document);
        if (parsed instanceof KubernetesList list) {
          objects.addAll(list.getItems());
        } else {
          objects.add((HasMetadata) parsed);
        }
      }
    }
    return objects;
  }

  /** Applies the rendered chart server-side, as `helm install` creates it, into its namespace. */
  public List<HasMetadata> install(KubernetesClient admin) {
    if (admin.namespaces().withName(NAMESPACE).get() == null) {
      admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
          .create();
    }
    List<HasMetadata> objects = objects();
    for (HasMetadata object : objects) {
      admin.resource(object).fieldManager("helm").forceConflicts().serverSideApply();
    }
    return objects;
  }

  /** A client that authenticates with a token of the chart's ServiceAccount, as the operator's Pod does. */
  public static KubernetesClient operatorClient(KubernetesClient admin) {
    String token = admin.serviceAccounts().inNamespace(NAMESPACE).withName(NAME)
        .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(24 * 3600L).endSpec().build())
        .getStatus().getToken();
    Config adminConfig = admin.getConfiguration();
    Config config = new ConfigBuilder(Config.empty())
        .withMasterUrl(adminConfig.getMasterUrl())
        .withCaCertData(adminConfig.getCaCertData())
        .withCaCertFile(adminConfig.getCaCertFile())
        .withOauthToken(token)
        .withNamespace(NAMESPACE)
        .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** A kubeconfig for the operator's client, as KUBECONFIG would hold it for `java -jar`. */
  static String operatorKubeconfig(Config config) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: test
          cluster: {server: "%s", certificate-authority-data: "%s"}
        users:
        - name: operator
          user: {token: "%s"}
        contexts:
        - name: operator
          context: {cluster: test, user: operator, namespace: %s}
        current-context: operator
        """.formatted(config.getMasterUrl(), caData(config), config.getOauthToken(), NAMESPACE);
  }

  private static String caData(Config config) {
    try {
      if (config.getCaCertData() != null) {
        return config.getCaCertData();
      }
      return java.util.Base64.getEncoder().encodeToString(java.nio.file.Files.readAllBytes(Path.of(config.getCaCertFile())));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
