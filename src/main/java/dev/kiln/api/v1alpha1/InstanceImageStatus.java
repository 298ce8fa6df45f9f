package dev.kiln.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The image an Instance was launched from, frozen at launch. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InstanceImageStatus {

  @JsonPropertyDescription("Namespace of the image.")
  private String namespace;

  @JsonPropertyDescription("Name of the image.")
  private String name;

  @JsonPropertyDescription("The family the image was resolved from, when the Instance asked for a family.")
  private String resolvedFromFamily;

  public String getNamespace() {
    return namespace;
  }

  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getResolvedFromFamily() {
    return resolvedFromFamily;
  }

  public void setResolvedFromFamily(String resolvedFromFamily) {
    this.resolvedFromFamily = resolvedFromFamily;
  }
}
