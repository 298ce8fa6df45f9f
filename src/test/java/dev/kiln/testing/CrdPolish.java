package dev.kiln.testing;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.Snapshot;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Finishes the CRDs the generator writes (target/crds) the way kubectl users read them. The
 * generator sorts printer columns by their JSON path; they are put back in the order the API class
 * declares them (NAME, then phase and Ready, the kind's key fields, AGE last). The kind, its spec and
 * its status get the descriptions their classes carry ({@link JsonClassDescription}), which the
 * generator leaves out, for {@code kubectl explain}. Run by the build after the test classes are
 * compiled; hack/update-crds.sh copies the result where it is committed.
 */
public final class CrdPolish {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final Map<String, Class<?>> KINDS = Map.of(
      "Instance", Instance.class, "Snapshot", Snapshot.class, "MachineImage", MachineImage.class,
      "ImagePolicy", dev.kiln.api.v1alpha1.ImagePolicy.class);

  private CrdPolish() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yml")).toList()) {
        Files.writeString(file, polish(Files.readString(file)));
      }
    }
  }

  static String polish(String yaml) {
    CustomResourceDefinition crd = SERIALIZATION.unmarshal(yaml, CustomResourceDefinition.class);
    Class<?> kind = KINDS.get(crd.getSpec().getNames().getKind());
    if (kind == null) {
      throw new IllegalArgumentException("not a Kiln kind: " + crd.getSpec().getNames().getKind());
    }
    List<String> declared = Arrays.stream(kind.getAnnotationsByType(AdditionalPrinterColumn.class))
        .map(AdditionalPrinterColumn::name).toList();
    Type[] specAndStatus = ((ParameterizedType) kind.getGenericSuperclass()).getActualTypeArguments();
    for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
      List<CustomResourceColumnDefinition> columns = version.getAdditionalPrinterColumns();
      if (columns != null) {
        columns.sort(Comparator.comparingInt(c -> declared.indexOf(c.getName())));
      }
      JSONSchemaProps schema = version.getSchema().getOpenAPIV3Schema();
      schema.setDescription(description(kind));
      schema.getProperties().get("spec").setDescription(description((Class<?>) specAndStatus[0]));
      schema.getProperties().get("status").setDescription(description((Class<?>) specAndStatus[1]));
    }
    return SERIALIZATION.asYaml(crd);
  }

  private static String description(Class<?> type) {
    JsonClassDescription description = type.getAnnotation(JsonClassDescription.class);
    if (description == null) {
      throw new IllegalStateException(type.getSimpleName() + " has no @JsonClassDescription for kubectl explain");
    }
    return description.value();
  }
}
